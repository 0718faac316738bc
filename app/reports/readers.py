"""Who reads a printed report: what the person printing it may see, decided by the permission rules and
handed to the report service as plain values. The downloads and `flask report ...` print through here."""
from __future__ import annotations

from app.common.pdf import report_pdf
from app.models import ProgrammeYear, School, Triad, User
from app.permissions import can, is_school_staff, staff_school_ids
from app.reports.service import (
    ReportRefused,
    SchoolReader,
    SchoolReport,
    TriadReader,
    TriadReport,
    build_school_report,
    build_triad_report,
    find_reader,
    find_school,
    find_triad,
    find_year,
    school_report_filename,
    school_work,
    triad_evaluations,
    triad_report_filename,
)


def school_report(school: School, year: ProgrammeYear, viewer: User) -> SchoolReport:
    """The school's year as `viewer` may see it: the self-evaluation part only where they may read the
    self-evaluation (others once it is submitted), the plan only where they may read it (others the
    last finalised version). ReportRefused when they may see neither and are not the school's staff."""
    if viewer is None:
        raise ValueError("A report is always somebody's view of the school: pass the viewer")
    work = school_work(school, year)
    reader = SchoolReader(
        viewer.name, is_school_staff(viewer, school.id),
        work.evaluation is not None and can(viewer, "self_evaluation.view", work.evaluation),
        work.plan is not None and can(viewer, "action_plan.view", work.plan))
    if not (reader.staff or reader.sees_evaluation or reader.sees_plan):
        raise ReportRefused(f"{viewer.email} cannot see the report for {school.name} in {year.label}")
    return build_school_report(work, reader)


def triad_report(triad: Triad, viewer: User) -> TriadReport:
    """The triad's schools side by side as `viewer` may see them (self ratings only where they may read
    the self-evaluation), and its meetings. ReportRefused for someone who may not see the triad."""
    if viewer is None:
        raise ValueError("A report is always somebody's view of the triad: pass the viewer")
    if not can(viewer, "triad.view", triad):
        raise ReportRefused(f"{viewer.email} cannot see {triad.name}")
    evaluations = triad_evaluations(triad)
    reader = TriadReader(viewer.name, frozenset(staff_school_ids(viewer)), frozenset(
        school_id for school_id, evaluation in evaluations.items() if can(viewer, "self_evaluation.view", evaluation)))
    return build_triad_report(triad, evaluations, reader)


def school_report_pdf(school: School, year: ProgrammeYear, viewer: User) -> bytes:
    return report_pdf("school_report.html", report=school_report(school, year, viewer))


def triad_report_pdf(triad: Triad, viewer: User) -> bytes:
    return report_pdf("triad_report.html", report=triad_report(triad, viewer))


def school_report_pdf_for(school_reference: str, year_label: str, email: str) -> tuple[bytes, str]:
    """The command line's school report: the PDF and a file name for it."""
    school = find_school(school_reference)
    year = find_year(school, year_label)
    return school_report_pdf(school, year, find_reader(email)), school_report_filename(school, year)


def triad_report_pdf_for(triad_reference: str, email: str) -> tuple[bytes, str]:
    triad = find_triad(triad_reference)
    return triad_report_pdf(triad, find_reader(email)), triad_report_filename(triad)
