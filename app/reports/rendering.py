"""Printed reports: one Jinja environment over reports/ (with our SVG components, so a chart prints
exactly as the page draws it), the shared print CSS, and the one seam every PDF goes through."""
from __future__ import annotations

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from app.common.pdf import REPORTS_DIR, render_pdf
from app.templating import TEMPLATES_DIR, when

__all__ = ["REPORTS_DIR", "render_pdf", "render_report", "report_pdf", "reports"]

reports = Environment(
    loader=ChoiceLoader([FileSystemLoader(REPORTS_DIR),
                         PrefixLoader({"components": FileSystemLoader(f"{TEMPLATES_DIR}/components")})]),
    autoescape=select_autoescape(["html", "svg"]),
    undefined=StrictUndefined,
)
reports.filters["when"] = when


def print_css() -> Markup:
    """The shared print styles, inlined so rendering fetches nothing."""
    return Markup((REPORTS_DIR / "print.css").read_text())


def render_report(template: str, **context) -> str:
    """A report's HTML (each report template puts `print_css` in its <style>)."""
    return reports.get_template(template).render(print_css=print_css(), **context)


def report_pdf(template: str, **context) -> bytes:
    return render_pdf(render_report(template, **context))
