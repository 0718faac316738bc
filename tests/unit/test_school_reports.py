"""The governing body's school report and the triad report: what each holds, who sees which parts,
the shared SVG chart, and the PDFs (their text read back with pypdf)."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pypdf
import pytest
from sqlalchemy import select

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, finalise_plan, save_action, start_action_plan
from app.common import clock
from app.common.charts import WIDTH, paired_bars
from app.common.errors import DomainError
from app.common.pdf import render_pdf, render_report
from app.extensions import db
from app.models import Enrolment, ModeratedRating, QAVisit, Role, TriadMeeting
from app.reports.readers import school_report, school_report_pdf, triad_report, triad_report_pdf
from app.reports.service import (
    NOT_SHARED,
    ReportRefused,
    find_reader,
    find_school,
    find_triad,
    find_year,
    school_report_filename,
)
from app.self_evaluations.service import (
    reopen_self_evaluation,
    save_area,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.conftest import FailedToLoad
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year

AREAS = 8
SELF_LEVELS = [3, 3, 2, 4, 2, 3, 1, 2]
MODERATED_LEVELS = [3, 1, 2, 3, 2, 3, 1, 2]  # area 2 is two levels apart: flagged


def pdf_text(data: bytes) -> tuple[int, str]:
    """The PDF's page count and its text, with runs of whitespace made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def add_action(plan, description: str, due_on: date | None = None):
    due_on = due_on or clock.today() + timedelta(days=60)
    areas = areas_for(plan)
    return save_action(plan, None, ActionInput([areas[0].id, areas[2].id], description, OTHER_OWNER, "Jo Smith",
                                               due_on, False, "Every teacher can say what changed"), areas, [])


def evaluate(school, year, senco, levels=SELF_LEVELS, submit=True):
    evaluation = start_self_evaluation(school, year)
    for rating in sorted(evaluation.ratings, key=lambda r: r.area.position):
        position = rating.area.position
        save_area(rating, rating.version, {"level": levels[position - 1],
                                           "strengths": f"Strength in area {position}",
                                           "development": f"Develop area {position}"})
    if submit:
        submit_self_evaluation(evaluation, senco)
    return evaluation


def build_scene():
    """Triad North: Willow Bank (coach), Ash Grove and Maple Lane. Ash Grove, the school under test,
    has a submitted, moderated self-evaluation (area 2 flagged) and a finalised plan of 5 actions;
    Maple Lane has a draft self-evaluation and a draft plan."""
    programme = make_programme_with_framework()
    year = make_year(programme)
    willow, ash, maple = (make_school(name) for name in ("Willow Bank Primary", "Ash Grove Primary",
                                                         "Maple Lane Primary"))
    enrol(year, willow, ash, maple)
    triad = make_triad(year, [willow, ash, maple], name="Triad North")
    [elsewhere] = enrol(year, make_school("Elm Tree Primary"))
    people = SimpleNamespace(
        head=make_user(Role.HEAD, school=ash, name="Hana Head"),
        senco=make_user(Role.SENCO, school=ash, name="Sam Senco"),
        coach=make_user(Role.HEAD, school=willow, name="Cora Coach"),
        peer=make_user(Role.SENCO, school=maple, name="Pat Peer"),
        outsider=make_user(Role.SENCO, school=elsewhere, name="Olu Outsider"),
        expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
        admin=make_user(Role.ADMIN, name="Ada Admin"),
    )
    evaluation = evaluate(ash, year, people.senco)
    visit = QAVisit(year_id=year.id, school_id=ash.id, expert=people.expert,
                    starts_at=datetime(2025, 11, 20, 10, tzinfo=timezone.utc))
    for rating in evaluation.ratings:
        level = MODERATED_LEVELS[rating.area.position - 1]
        visit.moderated.append(ModeratedRating(area_id=rating.area_id, level=level))
    db.session.add(visit)
    plan = start_action_plan(ash, year)
    for number in range(1, 6):
        add_action(plan, f"Action number {number}: train staff in adaptive teaching")
    finalise_plan(plan, people.head)
    maple_senco = make_user(Role.SENCO, school=maple, name="Mo Maple")
    evaluate(maple, year, maple_senco, submit=False)
    add_action(start_action_plan(maple, year), "Maple's draft idea")
    db.session.add(TriadMeeting(triad_id=triad.id, number=1, held=True, place="Hall",
                                starts_at=datetime(2025, 10, 14, 9, tzinfo=timezone.utc)))
    db.session.commit()
    return SimpleNamespace(programme=programme, year=year, triad=triad, school=ash, maple=maple, willow=willow,
                           evaluation=evaluation, plan=plan, **vars(people))


@pytest.fixture
def scene(session):
    return build_scene()


# --- The school report -----------------------------------------------------------------------------


def test_the_report_holds_self_and_moderated_ratings_and_the_plans_actions(scene):
    report = school_report(scene.school, scene.year, scene.head)
    assert (report.school_name, report.triad_name, report.is_coach) == ("Ash Grove Primary", "Triad North", False)
    assert report.meetings_text == "1 of 3 triad meetings held"
    areas = report.evaluation.areas
    assert len(areas) == AREAS
    assert [a.self_text for a in areas][:3] == ["3 Established", "3 Established", "2 Developing"]
    assert [a.moderated_text for a in areas][:3] == ["3 Established", "1 Emerging", "2 Developing"]
    assert [a.position for a in areas if a.flagged] == [2]
    assert areas[0].strengths == "Strength in area 1" and areas[0].development == "Develop area 1"
    assert report.evaluation.status == "Submitted"
    assert report.evaluation.submitted_text.startswith("Submitted by Sam Senco on ")
    assert report.plan.version_label == "Version 1"
    assert report.plan.finalised_text.startswith("finalised by Hana Head on ")
    assert report.plan.completion_text == "0 of 5 actions complete (0%)"
    assert [a["number"] for a in report.plan.actions] == ["1", "2", "3", "4", "5"]


def test_the_chart_pairs_each_areas_ratings_on_the_scale(scene):
    chart = school_report(scene.school, scene.year, scene.senco).evaluation.chart
    assert len(chart.pairs) == AREAS
    self_bar, moderated_bar = chart.pairs[1].bars
    assert (self_bar.label, self_bar.text, moderated_bar.text) == ("Self", "3 Established", "1 Emerging")
    assert self_bar.width == pytest.approx(3 * moderated_bar.width)


def test_paired_bars_leave_a_missing_value_without_a_bar_and_keep_inside_the_width():
    chart = paired_bars("c", "Title", "Description", ("Self", "Moderated"), 4,
                        [("Area 1", (4, "4 Embedded"), (None, "Not moderated"))])
    full, missing = chart.pairs[0].bars
    assert missing.width == 0 and missing.text == "Not moderated"
    assert chart.bar_x + full.width + 6 + len("4 Embedded") * 7.2 <= WIDTH
    assert [item.label for item in chart.legend] == ["Self", "Moderated"]


def test_a_peer_school_sees_only_the_submitted_and_finalised_parts(scene):
    report = school_report(scene.school, scene.year, scene.peer)
    assert report.evaluation is not None and report.plan is not None
    reopen_self_evaluation(scene.evaluation, scene.head, "Correcting area 3")
    db.session.commit()
    report = school_report(scene.school, scene.year, scene.peer)
    assert report.evaluation is None
    assert report.evaluation_note == "The self-evaluation has not been submitted yet."
    assert report.plan.version_label == "Version 1"
    with pytest.raises(ReportRefused):  # Maple Lane has only drafts, so the coach sees nothing of it
        school_report(scene.maple, scene.year, scene.coach)


def test_another_triads_school_and_the_administrator_are_refused(scene):
    for outsider in (scene.outsider, scene.admin):
        with pytest.raises(ReportRefused):
            school_report(scene.school, scene.year, outsider)


def test_a_report_is_always_someones_view(scene):
    with pytest.raises(ValueError):
        school_report(scene.school, scene.year, None)
    with pytest.raises(ValueError):
        triad_report(scene.triad, None)


def test_the_lead_sees_the_school_only_while_the_head_shares(scene):
    with pytest.raises(ReportRefused):
        school_report(scene.school, scene.year, scene.lead)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.school_id == scene.school.id))
    enrolment.shared_with_lead = True
    db.session.commit()
    report = school_report(scene.school, scene.year, scene.lead)
    assert report.evaluation is not None and report.plan is not None


def test_the_qa_expert_assigned_to_the_school_sees_it(scene):
    assert school_report(scene.school, scene.year, scene.expert).evaluation is not None


def test_a_draft_plan_is_shown_to_staff_and_others_get_the_last_finalised_version(scene):
    areas = areas_for(scene.plan)
    first = scene.plan.actions[0]
    save_action(scene.plan, first, ActionInput([areas[0].id], "A new idea in draft", OTHER_OWNER, "Jo Smith",
                                               date(2026, 3, 27), False, "Done well"), areas, [])
    db.session.commit()
    staff = school_report(scene.school, scene.year, scene.senco).plan
    assert (staff.version_label, staff.finalised_text) == ("Version 2", "draft, not yet finalised")
    assert staff.actions[0]["description"] == "A new idea in draft"
    others = school_report(scene.school, scene.year, scene.peer).plan
    assert others.version_label == "Version 1" and others.finalised_text.startswith("finalised by Hana Head")
    assert others.actions[0]["description"] == "Action number 1: train staff in adaptive teaching"


def test_staff_get_a_report_before_anything_is_started(session):
    year = make_year(make_programme_with_framework())
    [school] = enrol(year, make_school())
    report = school_report(school, year, make_user(Role.SENCO, school=school))
    assert report.evaluation is None and report.plan is None
    assert report.evaluation_note == "The self-evaluation has not been started."
    assert report.meetings_text == "Not in a triad this year"
    assert "has not been started" in pdf_text(school_report_pdf(school, year, make_user(Role.HEAD, school=school)))[1]


def test_a_school_not_in_the_year_is_an_error(scene):
    with pytest.raises(DomainError, match="is not taking part in 2026/27"):
        school_report(scene.school, make_year(scene.programme, 2026), scene.head)


def test_the_pdf_names_the_school_every_area_and_numbers_its_pages(scene):
    pages, text = pdf_text(school_report_pdf(scene.school, scene.year, scene.head))
    assert "Ash Grove Primary" in text and "Report for the governing body" in text
    assert "Ash Grove Primary: report for the governing body" in text  # the running header
    for area in scene.evaluation.ratings:
        assert area.area.title in text
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    assert "Action number 5: train staff in adaptive teaching" in text
    assert "Flagged" in text
    assert pages <= 6


def test_long_text_runs_on_without_losing_any(scene):
    rating = next(r for r in scene.evaluation.ratings if r.area.position == 4)
    reopen_self_evaluation(scene.evaluation, scene.head, "More detail")
    save_area(rating, rating.version, {"strengths": "Very long strengths. " * 300 + "The end of area 4."})
    add_action(scene.plan, "A very long action. " * 400 + "The end of the long action.")
    db.session.commit()
    pages, text = pdf_text(school_report_pdf(scene.school, scene.year, scene.head))
    assert "The end of area 4." in text and "The end of the long action." in text
    assert f"Page {pages} of {pages}" in text


def test_the_chart_is_the_shared_svg_with_a_title_a_description_and_a_table_beside_it(scene):
    report = school_report(scene.school, scene.year, scene.head)
    html = render_report("school_report.html", report=report)
    assert '<svg class="app-chart"' in html and 'role="img"' in html
    assert 'aria-labelledby="ratings-title ratings-desc"' in html
    assert "<title id=\"ratings-title\">Ash Grove Primary: self and moderated ratings by area</title>" in html
    assert "Self and moderated ratings by area (drawn in the chart below)" in html
    assert "<link" not in html and "<img" not in html  # everything is inline: nothing to fetch


def test_names_are_escaped_in_the_page_and_the_chart_and_plain_in_the_file_name(scene):
    scene.school.name = "St Ŵil & <Primary>"
    db.session.commit()
    html = render_report("school_report.html", report=school_report(scene.school, scene.year, scene.head))
    assert "<Primary>" not in html and html.count("St Ŵil &amp; &lt;Primary&gt;") >= 3  # title, heading, chart
    assert school_report_filename(scene.school, scene.year) == "st-wil-primary-report-2025-26.pdf"


# --- The triad report ------------------------------------------------------------------------------


def test_the_triad_report_lists_the_schools_alphabetically_with_the_coach_marked(scene):
    report = triad_report(scene.triad, scene.coach)
    assert [s.name for s in report.schools] == ["Ash Grove Primary", "Maple Lane Primary", "Willow Bank Primary"]
    assert [s.is_coach for s in report.schools] == [False, False, True]
    ash, maple, willow = report.schools
    assert len(report.areas) == AREAS and report.areas[0] == "1. Outcomes for pupils with SEND"
    assert ash.levels[:2] == ["3 Established", "3 Established"]
    assert maple.levels == [NOT_SHARED] * AREAS  # a draft the coach may not read
    assert willow.levels == ["Not started"] * AREAS
    assert (ash.evaluation_status, maple.evaluation_status) == ("Submitted", "Not submitted")
    assert (ash.plan_status, ash.completion_text) == ("Version 1 finalised", "0 of 5 actions complete (0%)")
    assert maple.plan_status == "Draft"
    assert ash.qa_visit == "Done on 20 November 2025" and maple.qa_visit == "No QA expert assigned"
    assert willow.peer_visit.startswith("Not applicable") and ash.peer_visit == "Not booked"
    assert [(m.number, m.state) for m in report.meetings] == [(1, "Held"), (2, "Missing"), (3, "Missing")]
    assert report.meetings[0].date_text == "14 October 2025"


def test_the_triad_report_shows_a_schools_own_draft_to_its_staff(scene):
    maple = triad_report(scene.triad, scene.peer).schools[1]
    assert maple.levels[0] == "3 Established"


def test_overdue_actions_are_counted(scene):
    add_action(scene.plan, "Overdue action", due_on=clock.today() - timedelta(days=3))
    finalise_plan(scene.plan, scene.head)  # the coach sees the finalised version, not a draft
    db.session.commit()
    assert triad_report(scene.triad, scene.coach).schools[0].overdue == 1


def test_the_triad_report_is_refused_to_another_triad(scene):
    with pytest.raises(ReportRefused):
        triad_report(scene.triad, scene.outsider)


def test_the_triad_pdf_is_landscape_with_the_schools_in_order(scene):
    data = triad_report_pdf(scene.triad, scene.coach)
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert box.width > box.height
    pages, text = pdf_text(data)
    assert text.index("Ash Grove Primary") < text.index("Maple Lane Primary") < text.index("Willow Bank Primary")
    assert "Triad North: triad report" in text and "Coach" in text and NOT_SHARED in text
    assert "Page 1 of 1" in text and pages == 1


# --- Finding what the command line names ------------------------------------------------------------


def test_the_command_line_finds_a_school_by_urn_or_id_and_a_year_by_its_label(scene):
    assert find_school(str(scene.school.urn)) is scene.school
    assert find_school(str(scene.school.id)) is scene.school
    assert find_year(scene.school, "2025/26") is scene.year
    assert find_triad(str(scene.triad.id)) is scene.triad
    assert find_reader(scene.head.email.upper()) is scene.head


@pytest.mark.parametrize("call, message", [
    (lambda s: find_school("999999"), "No school has the URN 999999"),
    (lambda s: find_school("Ash Grove"), "No school has the URN or id 'Ash Grove'"),
    (lambda s: find_year(s.school, "2019/20"), "Ash Grove Primary is not taking part in 2019/20"),
    (lambda s: find_triad("not-an-id"), "No triad has the id 'not-an-id'"),
    (lambda s: find_reader("nobody@example.org"), "No account has the email address 'nobody@example.org'"),
])
def test_the_command_line_names_what_it_could_not_find(scene, call, message):
    with pytest.raises(DomainError, match=message):
        call(scene)


def test_a_deactivated_account_cannot_print(scene):
    scene.peer.active = False
    db.session.commit()
    with pytest.raises(DomainError, match="is deactivated"):
        find_reader(scene.peer.email)


# --- Failing loudly ------------------------------------------------------------------------------


def test_a_broken_reference_in_a_report_fails_the_test():  # see tests/conftest.py
    with pytest.raises(FailedToLoad):
        render_pdf('<p>Hello</p><img src="http://127.0.0.1:9/missing.png" alt="">')
