"""Report downloads through the Flask test client, and the same reports from `flask report ...`."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.action_plans.service import start_action_plan
from app.common.pdf import render_report
from app.extensions import db
from app.models import Enrolment
from app.reports.readers import school_report
from tests.factories import make_year
from tests.pages import text_of
from tests.unit.test_school_reports import add_action, build_scene, pdf_text


@pytest.fixture
def scene(session):
    return build_scene()


def download(client_request, user, endpoint, expected=200, **values):
    client_request.sign_in(user)
    response = client_request.client.get(client_request.url(endpoint, **values))
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    return response


def school_pdf(client_request, scene, user, expected=200):
    return download(client_request, user, "reports.school_report", expected, school_id=scene.school.id,
                    year_id=scene.year.id)


def share_with_lead(scene):
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.school_id == scene.school.id,
                                                          Enrolment.year_id == scene.year.id))
    enrolment.shared_with_lead = True
    db.session.commit()


def test_the_schools_staff_download_the_governing_body_report(client_request, scene):
    response = school_pdf(client_request, scene, scene.senco)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ash-grove-primary-report-2025-26.pdf"'
    pages, text = pdf_text(response.data)
    assert "Ash Grove Primary" in text and "Report for the governing body" in text
    assert "Printed on" in text and "by Sam Senco" in text
    assert f"Page {pages} of {pages}" in text


def test_a_peer_school_and_the_qa_expert_download_it(client_request, scene):
    for reader in (scene.peer, scene.coach, scene.expert):
        school_pdf(client_request, scene, reader)


@pytest.mark.parametrize("who", ["outsider", "lead", "admin"])
def test_another_triad_the_lead_without_consent_and_the_administrator_get_403(client_request, scene, who):
    school_pdf(client_request, scene, getattr(scene, who), expected=403)


def test_the_lead_downloads_it_while_the_head_shares(client_request, scene):
    share_with_lead(scene)
    assert "Ash Grove Primary" in pdf_text(school_pdf(client_request, scene, scene.lead).data)[1]


def test_a_year_the_school_has_only_drafts_in_is_refused_to_others(client_request, scene):
    # Maple Lane has a draft self-evaluation and a draft plan: the decorator lets the coach in (it could
    # be another year), the report service refuses this one.
    download(client_request, scene.coach, "reports.school_report", 403, school_id=scene.maple.id,
             year_id=scene.year.id)


def test_a_year_the_school_is_not_in_is_not_found(client_request, scene):
    other_year = make_year(scene.programme, start_year=2026)
    download(client_request, scene.head, "reports.school_report", 404, school_id=scene.school.id,
             year_id=other_year.id)


def test_the_report_takes_the_same_number_of_queries_for_1_and_6_actions(client_request, session):
    def statements_for(actions: int) -> int:
        scene = build_scene()
        plan = start_action_plan(scene.maple, scene.year)
        for number in range(actions - 1):
            add_action(plan, f"Extra action {number}")
        db.session.commit()
        response = download(client_request, scene.peer, "reports.school_report", school_id=scene.maple.id,
                            year_id=scene.year.id)
        return int(response.headers["X-SQL-Statements"])

    assert statements_for(1) == statements_for(6)


def test_the_school_page_links_to_the_report_only_for_those_who_may_print_it(client_request, scene):
    link = "Download the governing body report (PDF)"
    client_request.sign_in(scene.head)
    assert link in text_of(client_request.get("programmes.school", school_id=scene.school.id))
    client_request.sign_in(scene.lead)
    assert link not in text_of(client_request.get("programmes.school", school_id=scene.school.id))
    share_with_lead(scene)
    assert link in text_of(client_request.get("programmes.school", school_id=scene.school.id))
    assert link not in text_of(client_request.get("programmes.school", school_id=scene.maple.id))  # only drafts


def test_the_triad_report_downloads_from_the_triad_page(client_request, scene):
    client_request.sign_in(scene.coach)
    page = client_request.get("programmes.triad", triad_id=scene.triad.id)
    link = page.find("a", string="Download the triad report (PDF)")
    response = client_request.client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="triad-north-report-2025-26.pdf"'
    text = pdf_text(response.data)[1]
    assert text.index("Ash Grove Primary") < text.index("Maple Lane Primary") < text.index("Willow Bank Primary")


def test_the_triad_report_is_403_for_another_triad(client_request, scene):
    download(client_request, scene.outsider, "reports.triad_report", 403, triad_id=scene.triad.id)


def test_the_administrator_sees_the_triad_report_without_any_schools_ratings(client_request, scene):
    text = pdf_text(download(client_request, scene.admin, "reports.triad_report", triad_id=scene.triad.id).data)[1]
    assert "Not shared" in text and "3 Established" not in text


# --- The command line -----------------------------------------------------------------------------------


def run(app, *args):
    return app.test_cli_runner().invoke(args=["report", *args], catch_exceptions=False)


def test_the_command_line_prints_the_school_report_as_someone_would_see_it(app, scene, tmp_path):
    out = tmp_path / "ash.pdf"
    result = run(app, "school", "--school", str(scene.school.urn), "--year", "2025/26", "--as", scene.peer.email,
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    pages, text = pdf_text(out.read_bytes())
    assert "Ash Grove Primary" in text and "by Pat Peer" in text and "Page 1 of" in text


def test_without_o_the_file_is_named_after_the_school_and_year(app, scene, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(app, "school", "--school", str(scene.school.id), "--year", "2025/26", "--as", scene.head.email)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ash-grove-primary-report-2025-26.pdf").exists()


def test_the_command_line_prints_the_triad_report(app, scene, tmp_path):
    out = tmp_path / "triad.pdf"
    result = run(app, "triad", "--triad", str(scene.triad.id), "--as", scene.coach.email, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Triad North" in pdf_text(out.read_bytes())[1]


@pytest.mark.parametrize("school, year, email, message", [
    ("999999", "2025/26", "head", "Error: No school has the URN 999999"),
    ("urn", "2031/32", "head", "Error: Ash Grove Primary is not taking part in 2031/32"),
    ("urn", "2025/26", "nobody@example.org", "Error: No account has the email address 'nobody@example.org'"),
    ("urn", "2025/26", "outsider", "cannot see the report for Ash Grove Primary in 2025/26"),
])
def test_the_command_line_says_what_is_wrong_and_exits_with_1(app, scene, tmp_path, school, year, email, message):
    school = str(scene.school.urn) if school == "urn" else school
    email = getattr(scene, email).email if "@" not in email else email
    out = tmp_path / "never.pdf"
    result = run(app, "school", "--school", school, "--year", year, "--as", email, "-o", str(out))
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists()


def test_the_command_line_refuses_a_triad_the_reader_may_not_see(app, scene, tmp_path):
    result = run(app, "triad", "--triad", str(scene.triad.id), "--as", scene.outsider.email, "-o",
                 str(tmp_path / "t.pdf"))
    assert result.exit_code == 1 and f"{scene.outsider.email} cannot see Triad North" in result.output


def test_the_self_evaluation_page_and_the_report_draw_the_same_chart(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.get("self_evaluations.show", evaluation_id=scene.evaluation.id)
    on_page = page.select_one("svg.app-chart")
    report_html = render_report("school_report.html", report=school_report(scene.school, scene.year, scene.senco))
    in_report = BeautifulSoup(report_html, "html.parser").select_one("svg.app-chart")
    assert on_page is not None and in_report is not None
    assert str(on_page) == str(in_report)
    assert "self and moderated ratings by area" in on_page.title.string
