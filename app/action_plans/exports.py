"""An action plan (the plain rows of `action_plans.snapshot`, as versions keep them) as CSV, an Excel
workbook and a PDF for the governing body (through app.common.pdf.render_pdf, the one seam)."""
from __future__ import annotations

import io
from datetime import date

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.common import dates
from app.common.exports import csv_text, guarded
from app.common.pdf import REPORTS_DIR, render_pdf

EXPORT_COLUMNS = ["Action", "Areas", "What will be done", "Owner", "Due date", "Success criteria", "Status",
                  "Overdue", "Latest note", "Date of latest note"]
COLUMN_WIDTHS = [8, 30, 50, 20, 16, 45, 12, 9, 45, 16]


def long_date(iso: str) -> str:
    """"2026-03-27" as "27 March 2026"; an empty value stays empty."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return dates.day(day)


def shown_actions(rows: list[dict], today: date) -> list[dict]:
    """Each action's values as the exports show them."""
    return [{
        "number": str(row["number"]),
        "areas": row["areas"],
        "description": row["description"],
        "owner": row["owner"],
        "due_on": long_date(row["due_on"]),
        "success_criteria": row["success_criteria"],
        "status": row["status"],
        "is_overdue": date.fromisoformat(row["due_on"]) < today and row["status"] != "Complete",
        "latest_note": row["latest_note"],
        "latest_note_on": long_date(row["latest_note_on"]),
    } for row in rows]


def export_rows(rows: list[dict], today: date) -> list[list[str]]:
    return [[a["number"], "; ".join(a["areas"]), a["description"], a["owner"], a["due_on"], a["success_criteria"],
             a["status"], "Yes" if a["is_overdue"] else "No", a["latest_note"], a["latest_note_on"]]
            for a in shown_actions(rows, today)]


def plan_csv(rows: list[dict], today: date) -> str:
    return csv_text([EXPORT_COLUMNS, *export_rows(rows, today)])


def plan_xlsx(rows: list[dict], today: date, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    workbook.properties.title = title
    sheet.append(EXPORT_COLUMNS)
    for row in export_rows(rows, today):
        # control characters pasted into a note would make openpyxl refuse the whole workbook
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", guarded(cell)) for cell in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------

reports = Environment(loader=FileSystemLoader(REPORTS_DIR), autoescape=True, undefined=StrictUndefined)


def plan_pdf_html(rows: list[dict], today: date, *, school_name: str, year_label: str, version_label: str,
                  completion_text: str, finalised_text: str) -> str:
    return reports.get_template("action_plan.html").render(
        actions=shown_actions(rows, today), school_name=school_name, year_label=year_label,
        version_label=version_label, completion_text=completion_text, finalised_text=finalised_text,
        print_css=Markup((REPORTS_DIR / "print.css").read_text()))


def plan_pdf(rows: list[dict], today: date, *, school_name: str, year_label: str, version_label: str,
             completion_text: str, finalised_text: str) -> bytes:
    return render_pdf(plan_pdf_html(rows, today, school_name=school_name, year_label=year_label,
                                    version_label=version_label, completion_text=completion_text,
                                    finalised_text=finalised_text))
