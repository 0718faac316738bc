"""What every download needs: a safe file name, and spreadsheet cells that cannot run as formulas."""
from __future__ import annotations

import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def file_slug(text: str) -> str:
    """"St Mary's C of E Primary" as "st-mary-s-c-of-e-primary": plain ASCII, safe in a file name header."""
    letters = (c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))  # "ŵ" as "w"
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in letters).split()) or "report"


def guarded(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
