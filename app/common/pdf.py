"""Printed documents: one Jinja environment over reports/ (with our SVG components, so a chart prints exactly
as the page draws it, and the date filters the pages use), the shared print CSS, and the one way HTML becomes
a PDF (WeasyPrint), loading only files inside reports/ and pictures embedded as data: URLs (a logo)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint.urls import URLFetcher

from app.common import dates
from app.common.images import IMAGE_TYPES
from config import BASE_DIR

REPORTS_DIR = (BASE_DIR / "reports").resolve()

reports = Environment(
    loader=ChoiceLoader([FileSystemLoader(REPORTS_DIR),
                         PrefixLoader({"components": FileSystemLoader(BASE_DIR / "templates" / "components")})]),
    autoescape=select_autoescape(["html", "svg"]),
    undefined=StrictUndefined,
)
dates.register(reports.filters)


# A picture embedded in the document, of a kind checked when it was uploaded (app/common/images.py).
_EMBEDDED_PICTURE = re.compile(f"data:(?:{'|'.join(map(re.escape, IMAGE_TYPES))});base64,", re.IGNORECASE)


class ReportFileFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Fetches only files inside reports/ and embedded pictures: a stray URL in content never makes a request."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if _EMBEDDED_PICTURE.match(url):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Reports may only load files from the reports folder, not {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(REPORTS_DIR):
            raise ValueError(f"Reports may only load files from the reports folder, not {url}")
        return super().fetch(url, headers)


def render_pdf(html: str, base_url: str | None = None, layout: dict[str, Any] | None = None) -> bytes:
    """The one way HTML becomes a PDF. Pass `layout` (a dict) to learn how it came out: its number of
    "pages", and the page each element id ("anchors") starts on."""
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=ReportFileFetcher()).render()
    if layout is not None:
        layout["pages"] = len(document.pages)
        # an element that runs over several pages is an anchor on each of them: keep the first
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages, start=1):
            for name in page.anchors:
                anchors.setdefault(name, number)
        layout["anchors"] = anchors
    pdf: bytes = document.write_pdf()
    return pdf


def print_css() -> Markup:
    """The shared print styles, inlined so rendering fetches nothing."""
    return Markup((REPORTS_DIR / "print.css").read_text())


def render_report(template: str, **context: Any) -> str:
    """A report's HTML (each report template puts `print_css` in its <style>)."""
    return reports.get_template(template).render(print_css=print_css(), **context)


def report_pdf(template: str, **context: Any) -> bytes:
    return render_pdf(render_report(template, **context))
