"""What every download needs: a safe file name, spreadsheet cells that cannot run as formulas, CSV text, and
the response that makes the browser save the file."""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable

from flask import Response, send_file

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def file_slug(text: str) -> str:
    """"St Mary's C of E Primary" as "st-mary-s-c-of-e-primary": plain ASCII, safe in a file name header."""
    letters = (c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))  # "ŵ" as "w"
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in letters).split()) or "report"


def guarded(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as a CSV file that Excel opens as UTF-8 (a byte-order mark first), every cell guarded."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows([guarded("" if cell is None else str(cell)) for cell in row] for row in rows)
    return out.getvalue()


def download(body: bytes | str, filename: str, mimetype: str) -> Response:
    """A file to save, never shown as a page of this site: `attachment; filename="..."` (with the name in
    UTF-8 as well when it is not plain ASCII)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.direct_passthrough = False  # so after-request hooks and tests may read the body
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
