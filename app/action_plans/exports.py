"""An action plan (its actions as a version keeps them: ActionSnapshot rows, or a version's stored
content) as CSV, an Excel workbook (app.common.exports: the one table and workbook builder) and a PDF for
the governing body (through app.common.pdf: the one reports environment and the one render_pdf)."""
from __future__ import annotations

from datetime import date
from typing import Any

from app.action_plans.progress import is_overdue
from app.action_plans.versions import Kept, as_snapshots
from app.common import dates
from app.common.exports import Column, Table, cell_text, table_csv, xlsx_workbook
from app.common.pdf import render_pdf, render_report

PLAN_COLUMNS = [
    Column("Action", 8, number_format="0"), Column("Areas", 30, wrap=True), Column("What will be done", 50, wrap=True),
    Column("Owner", 20, wrap=True), Column("Due date", 13), Column("Success criteria", 45, wrap=True),
    Column("Status", 12), Column("Overdue", 9), Column("Latest note", 45, wrap=True),
    Column("Date of latest note", 13)]
EXPORT_COLUMNS = [column.header for column in PLAN_COLUMNS]


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


def plan_table(rows: Kept, today: date, title: str = "Action plan") -> Table:
    """The actions as one table, typed: the number a number, the dates dates."""
    return Table(title, PLAN_COLUMNS, [
        [row.number, "; ".join(row.areas), row.description, row.owner, row.due_on, row.success_criteria,
         row.status.label, "Yes" if is_overdue(row, today) else "No", row.latest_note, row.latest_note_on]
        for row in as_snapshots(rows)])


def export_rows(rows: Kept, today: date) -> list[list[str]]:
    """The table's rows as a CSV file writes them."""
    return [[cell_text(value, column) for value, column in zip(row, PLAN_COLUMNS, strict=True)]
            for row in plan_table(rows, today).rows]


def plan_csv(rows: Kept, today: date) -> str:
    return table_csv(plan_table(rows, today))


def plan_xlsx(rows: Kept, today: date, title: str) -> bytes:
    return xlsx_workbook(title, [plan_table(rows, today)])


# --- PDF -----------------------------------------------------------------------------------------


def plan_pdf_html(rows: Kept, today: date, *, school_name: str, year_label: str, version_label: str,
                  completion_text: str, finalised_text: str) -> str:
    return render_report("action_plan.html", actions=shown_actions(rows, today), school_name=school_name,
                         year_label=year_label, version_label=version_label, completion_text=completion_text,
                         finalised_text=finalised_text, printed_on=dates.day(today))


def plan_pdf(rows: Kept, today: date, **details: str) -> bytes:
    """The PDF of plan_pdf_html (same details)."""
    return render_pdf(plan_pdf_html(rows, today, **details))
