"""An action plan (its actions as a version keeps them: ActionSnapshot rows, or a version's stored
content) as CSV, an Excel workbook and a PDF for the governing body (through app.common.pdf: the one
reports environment and the one render_pdf)."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.action_plans.progress import is_overdue
from app.action_plans.versions import Kept, as_snapshots
from app.common import dates
from app.common.exports import csv_text, guarded
from app.common.pdf import render_pdf, render_report

EXPORT_COLUMNS = ["Action", "Areas", "What will be done", "Owner", "Due date", "Success criteria", "Status",
                  "Overdue", "Latest note", "Date of latest note"]
COLUMN_WIDTHS = [8, 30, 50, 20, 16, 45, 12, 9, 45, 16]


def shown_actions(rows: Kept, today: date) -> list[dict[str, Any]]:
    """Each action's values as the exports (and the school report and the digest) show them."""
    return [{
        "number": str(row.number),
        "areas": list(row.areas),
        "description": row.description,
        "owner": row.owner,
        "due_on": dates.day(row.due_on),
        "success_criteria": row.success_criteria,
        "status": row.status.label,
        "is_overdue": is_overdue(row, today),
        "latest_note": row.latest_note,
        "latest_note_on": dates.day(row.latest_note_on),
    } for row in as_snapshots(rows)]


def export_rows(rows: Kept, today: date) -> list[list[str]]:
    return [[a["number"], "; ".join(a["areas"]), a["description"], a["owner"], a["due_on"], a["success_criteria"],
             a["status"], "Yes" if a["is_overdue"] else "No", a["latest_note"], a["latest_note_on"]]
            for a in shown_actions(rows, today)]


def plan_csv(rows: Kept, today: date) -> str:
    return csv_text([EXPORT_COLUMNS, *export_rows(rows, today)])


def plan_xlsx(rows: Kept, today: date, title: str) -> bytes:
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


def plan_pdf_html(rows: Kept, today: date, *, school_name: str, year_label: str, version_label: str,
                  completion_text: str, finalised_text: str) -> str:
    return render_report("action_plan.html", actions=shown_actions(rows, today), school_name=school_name,
                         year_label=year_label, version_label=version_label, completion_text=completion_text,
                         finalised_text=finalised_text)


def plan_pdf(rows: Kept, today: date, **details: str) -> bytes:
    """The PDF of plan_pdf_html (same details)."""
    return render_pdf(plan_pdf_html(rows, today, **details))
