"""The school report as a document, read back with pypdf as a person reads it: every page has its running
header and says "Page N of M", no page ends on a heading however long the school's text, and the
organisation's logo (when it has one) heads the first page."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.common.pdf import render_report
from app.extensions import db
from app.programmes.organisations import set_logo
from app.reports.readers import school_report, school_report_pdf
from app.self_evaluations.service import reopen_self_evaluation, save_area, submit_self_evaluation
from tests.pdfs import body, heading_ending, headings, page_lines, page_numbers
from tests.unit.test_images import picture
from tests.unit.test_school_reports import add_action, build_scene

HEADER = "Ash Grove Primary: report for the governing body"


@pytest.fixture
def long_report(session):
    """Ash Grove's report with strengths of different lengths in each area and twelve actions, some long, so
    its pages end in many places."""
    scene = build_scene()
    reopen_self_evaluation(scene.evaluation, scene.head, "More detail")
    for rating in scene.evaluation.ratings:
        sentences = (3, 11, 1, 19, 6, 2, 14, 8)[rating.area.position - 1]
        save_area(rating, rating.version, {"strengths": "Staff know pupils' needs and plan for them. " * sentences})
    submit_self_evaluation(scene.evaluation, scene.senco)
    for number in range(1, 13):
        add_action(scene.plan, f"Action {number}: " + "Train staff in adaptive teaching. " * (number * 3 % 11 + 1))
    db.session.commit()
    return scene


def test_every_page_has_the_running_header_and_says_page_n_of_m(long_report):
    pages = page_lines(school_report_pdf(long_report.school, long_report.year, long_report.head))
    assert len(pages) >= 5
    assert [page_numbers(lines) for lines in pages] == [(n, len(pages)) for n in range(1, len(pages) + 1)]
    assert all(lines[0] == HEADER for lines in pages)


def test_no_page_ends_on_a_heading(long_report):
    report = school_report(long_report.school, long_report.year, long_report.head)
    known = headings(render_report("school_report.html", report=report))
    assert {"Self-evaluation", "Strengthsandareasfordevelopment", "Actionplanandprogress"} <= known
    pages = page_lines(school_report_pdf(long_report.school, long_report.year, long_report.head))
    ends = {number: heading_ending(body(lines, HEADER), known) for number, lines in enumerate(pages, start=1)}
    assert {number: heading for number, heading in ends.items() if heading} == {}


def test_the_first_page_carries_the_organisation_s_logo_and_name(session):
    scene = build_scene()
    organisation = scene.programme.organisation
    first = PdfReader(io.BytesIO(school_report_pdf(scene.school, scene.year, scene.head))).pages[0]
    assert len(first.images) == 0 and organisation.name in first.extract_text()
    set_logo(organisation, "crest.png", picture("PNG", (360, 120)))
    db.session.commit()
    reader = PdfReader(io.BytesIO(school_report_pdf(scene.school, scene.year, scene.head)))
    [logo] = reader.pages[0].images
    assert logo.image.size == (360, 120)
