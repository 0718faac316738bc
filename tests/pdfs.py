"""Reading a printed document back as a person reads it, with pypdf: each page's lines in the order they are
printed, top to bottom (pypdf's layout mode, so a chart drawn after the text around it still reads in its
place); its running header and its "Page N of M"; and the headings a page must never end on."""
from __future__ import annotations

import io
import re

from bs4 import BeautifulSoup
from pypdf import PdfReader

PAGE_OF = re.compile(r"\bPage (\d+) of (\d+)$")


def squeezed(text: str) -> str:
    """Text without its whitespace, to compare what pypdf reads (which spaces words by their position)."""
    return re.sub(r"\s+", "", text)


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, top to bottom, runs of spaces made one."""
    return [[" ".join(line.split()) for line in page.extract_text(extraction_mode="layout").splitlines()
             if line.strip()] for page in PdfReader(io.BytesIO(pdf)).pages]


def page_texts(pdf: bytes) -> list[str]:
    return ["\n".join(lines) for lines in page_lines(pdf)]


def page_numbers(lines: list[str]) -> tuple[int, int] | None:
    """The page's "Page N of M" (on its last line, the footer), or None."""
    found = PAGE_OF.search(lines[-1]) if lines else None
    return (int(found[1]), int(found[2])) if found else None


def body(lines: list[str], header: str) -> list[str]:
    """The page's lines without its running header (the first line, when it is `header`) and its footer."""
    if page_numbers(lines):
        lines = lines[:-1]
    return lines[1:] if lines and lines[0] == header else lines


def headings(*html: str) -> set[str]:
    """The headings of documents' HTML, squeezed: h1 to h4, the labels of description lists, table captions."""
    found = set()
    for document in html:
        for tag in BeautifulSoup(document, "html.parser").select("h1, h2, h3, h4, dt, caption"):
            found.add(squeezed(tag.get_text(" ")))
    return found


def heading_ending(lines: list[str], known: set[str]) -> str | None:
    """The heading the page's text ends on (over as many as three lines, for one that wraps), or None."""
    for count in (1, 2, 3):
        tail = squeezed("".join(lines[-count:]))
        if len(lines) >= count and tail in known:
            return " ".join(lines[-count:])
    return None
