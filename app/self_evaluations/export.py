"""A self-evaluation in full, for governors and senior leaders: every area's rating (or why it is not yet
evaluated), evidence, strengths and areas for development, and the QA expert's moderated rating where there
is one. As a PDF (reports/self_evaluation.html, through app.common.pdf) and as a Word document
(python-docx). What it holds is what the page shows its reader: others only ever open a submitted one."""
from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from app.common import clock, dates
from app.common.exports import DOCX_TYPE, file_slug, printable
from app.common.pdf import render_pdf, render_report
from app.self_evaluations.service import AreaRow, EvaluationPage

NONE_RECORDED = "None recorded"


@dataclass(frozen=True)
class ExportedArea:
    position: int
    title: str
    rating: str  # "3 Established", or "Not yet evaluated"
    not_evaluated_reason: str
    evidence: str
    strengths: str
    development: str
    moderated: str  # "" where the QA expert has not moderated it
    qa_comment: str
    school_response: str  # only where the two ratings are far apart (flagged)
    flagged: bool

    @property
    def heading(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def texts(self) -> list[tuple[str, str]]:
        """The school's own words, in the order the page gives them."""
        return [("Evidence", self.evidence), ("Strengths", self.strengths),
                ("Areas for development", self.development)]


@dataclass(frozen=True)
class ExportedEvaluation:
    title: str
    school_name: str
    urn: str
    programme_name: str
    year_label: str
    facts: list[tuple[str, str]]  # (what, its value) for the top of the document
    is_draft: bool
    is_moderated: bool
    areas: list[ExportedArea]
    printed_on: str


@dataclass(frozen=True)
class ExportFile:
    body: bytes
    name: str
    mimetype: str


def _area(page: EvaluationPage, row: AreaRow) -> ExportedArea:
    rating, moderated = row.rating, row.moderated
    return ExportedArea(
        row.area.position, row.area.title,
        page.level_text(rating.level) or ("Not yet evaluated" if rating.not_evaluated_reason else "Not rated yet"),
        rating.not_evaluated_reason if rating.level is None else "", rating.evidence, rating.strengths,
        rating.development, (page.level_text(moderated.level) or "Not given") if moderated else "",
        moderated.comment if moderated else "", moderated.school_response if moderated and row.flagged else "",
        row.flagged)


def _facts(page: EvaluationPage) -> list[tuple[str, str]]:
    evaluation = page.evaluation
    status = evaluation.status.label
    if evaluation.is_draft:
        status += ": not yet submitted, so only the school's own staff can read it"
    facts = [("URN", str(evaluation.school.urn)), ("Status", status)]
    if evaluation.submitted_at and not evaluation.is_draft:
        facts.append(("Submitted", _by(page, evaluation.submitted_by_id, evaluation.submitted_at)))
    if evaluation.signed_off_at:
        facts.append(("Signed off", _by(page, evaluation.signed_off_by_id, evaluation.signed_off_at)))
    facts.append(("Framework", f"{evaluation.framework.name}, version {evaluation.framework.version}"))
    facts.append(("QA expert", page.visit.expert.name if page.visit else "Not assigned yet"))
    return facts


def _by(page: EvaluationPage, user_id: uuid.UUID | None, at: datetime) -> str:
    """"Hana Head, 3 March 2026 at 4:05pm" (the name left out for an account since deleted)."""
    name = page.names.get(user_id) if user_id else None
    return f"{name}, {dates.moment(at)}" if name else dates.moment(at)


def exported_evaluation(page: EvaluationPage, today: date) -> ExportedEvaluation:
    evaluation = page.evaluation
    school, year = evaluation.school, evaluation.year
    return ExportedEvaluation(
        f"{school.name} self-evaluation {year.label}", school.name, str(school.urn), year.programme.name,
        year.label, _facts(page), evaluation.is_draft, page.is_moderated, [_area(page, row) for row in page.rows],
        dates.day(today))


def evaluation_pdf(exported: ExportedEvaluation) -> bytes:
    return render_pdf(render_report("self_evaluation.html", evaluation=exported, none_recorded=NONE_RECORDED))


# --- Word ----------------------------------------------------------------------------------------


def evaluation_docx(exported: ExportedEvaluation) -> bytes:
    document = Document()
    _set_up(document, exported)
    document.add_paragraph(f"{exported.programme_name}, academic year {exported.year_label}", style="Subtitle")
    document.add_heading(printable(exported.school_name), level=0)
    document.add_paragraph("Self-evaluation", style="Subtitle")
    _table(document, ["", ""], exported.facts, header=False)
    document.add_paragraph(f"Printed on {exported.printed_on} from SEND Triads.")
    document.add_heading("Ratings by area", level=1)
    headers = ["Area", "School's rating", *(["Moderated rating"] if exported.is_moderated else [])]
    _table(document, headers, [(area.heading, area.rating, *([area.moderated or "Not moderated"]
                                                            if exported.is_moderated else []))
                               for area in exported.areas])
    for area in exported.areas:
        heading = document.add_heading(printable(area.heading), level=1)
        heading.paragraph_format.page_break_before = area is exported.areas[0]  # as the PDF: after the summary
        _labelled(document, "School's rating", area.rating)
        if area.not_evaluated_reason:
            _labelled(document, "Not yet evaluated because", area.not_evaluated_reason)
        for label, text in area.texts:
            document.add_heading(label, level=2)
            _text(document, text)
        if area.moderated:
            document.add_heading("Moderation", level=2)
            _labelled(document, "Moderated rating", area.moderated + (
                " (two or more levels from the school's own rating)" if area.flagged else ""))
            _labelled(document, "QA comment", area.qa_comment or NONE_RECORDED)
            if area.flagged:
                _labelled(document, "School's response", area.school_response or "No response yet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document: WordDocument, exported: ExportedEvaluation) -> None:
    document.core_properties.title = printable(exported.title)
    document.core_properties.author = "SEND Triads"
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name, style.font.color.rgb = "Arial", RGBColor(0x0B, 0x0C, 0x0C)
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run(printable(f"{exported.school_name}: self-evaluation {exported.year_label}. Page "))
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    """A field Word fills in as it lays out the pages (the page number, the number of pages)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(document: WordDocument, headers: list[str], rows: Sequence[Sequence[str]],
           header: bool = True) -> WordTable:
    table = document.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, headers, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        repeat = OxmlElement("w:tblHeader")  # the header row again at the top of each page
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for number, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(printable(text)).bold = not header and number == 0
    return table


def _labelled(document: WordDocument, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    _lines(paragraph, text)


def _text(document: WordDocument, text: str) -> None:
    if not text.strip():
        document.add_paragraph().add_run(NONE_RECORDED).italic = True
        return
    for part in printable(text).strip().split("\n\n"):
        _lines(document.add_paragraph(), part.strip())


def _lines(paragraph: Paragraph, text: str) -> None:
    """Text into a paragraph, its single line breaks kept as breaks."""
    for number, line in enumerate(printable(text).split("\n")):
        if number:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        paragraph.add_run(line.rstrip("\r"))


# --- Downloads -----------------------------------------------------------------------------------


EXTENSIONS = {"pdf": (evaluation_pdf, "application/pdf"), "docx": (evaluation_docx, DOCX_TYPE)}


def evaluation_file(page: EvaluationPage, extension: str) -> ExportFile:
    """The self-evaluation as a file to download ("pdf" or "docx"), named for the school and year (and
    "draft" while it is one)."""
    exported = exported_evaluation(page, clock.today())
    build, mimetype = EXTENSIONS[extension]
    evaluation = page.evaluation
    name = file_slug(f"{evaluation.school.name} self-evaluation {evaluation.year.label}"
                     + (" draft" if evaluation.is_draft else ""))
    return ExportFile(build(exported), f"{name}.{extension}", mimetype)
