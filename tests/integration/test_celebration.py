"""The celebration of learning through HTTP: a triad writes and submits learnings (a fourth refused,
nothing half-saved), the lead tags them and downloads the pack, the library searches them, and
nobody outside their scope gets in."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.celebration.service import areas_of
from app.extensions import db
from app.models import ImpactArea, Learning, Role
from tests.celebrations import add_learning, submitted
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages, task_section, text_of


@pytest.fixture
def scene(session):
    programme = make_programme_with_framework()
    year = make_year(programme, 2025)
    triad = make_triad(year, name="Triad A")
    other = make_triad(year, name="Triad B")
    return SimpleNamespace(
        programme=programme, year=year, triad=triad, other=other,
        senco=make_user(Role.SENCO, school=triad.members[2].school, name="Sam Senco"),
        outsider=make_user(Role.SENCO, school=other.members[0].school),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme),
        admin=make_user(Role.ADMIN))


def form_for(triad, title="Parent drop-ins", **changes):
    area = areas_of(triad)[3]
    return {"title": title, "what_we_did": "Half-termly drop-ins for parents with the SENCo.",
            "impact": "More parents come to reviews.", "next_steps": "Run them online too.",
            "areas": [str(area.id)], "impact_areas": [ImpactArea.INCLUSION.value], **changes}


def learnings() -> int:
    return db.session.scalar(select(func.count()).select_from(Learning))


def test_a_triad_adds_learnings_a_fourth_is_refused_and_nothing_is_half_saved(client_request, scene):
    client_request.sign_in(scene.senco)
    page = client_request.post("celebration.new_learning", form_for(scene.triad, impact_areas=[]),
                               _expected_status=200, triad_id=scene.triad.id)
    assert error_messages(page) == ["Choose at least one area of impact the learning shows"]
    assert page.select_one("#title")["value"] == "Parent drop-ins" and learnings() == 0
    for n in range(1, 4):
        client_request.post("celebration.new_learning", form_for(scene.triad, f"Learning {n}"),
                            triad_id=scene.triad.id)
    assert learnings() == 3
    page = client_request.post("celebration.new_learning", form_for(scene.triad, "Learning 4"), _expected_status=200,
                               triad_id=scene.triad.id)
    assert error_messages(page) == ["Your triad already has 3 key learnings, the most it can share. "
                                    "Change or remove one to add another"]
    assert learnings() == 3
    shown = text_of(client_request.get("celebration.show", triad_id=scene.triad.id))
    assert "Your triad has 3 key learnings, the most it can share." in shown
    assert "Add a key learning" not in shown


def test_a_learning_is_changed_removed_and_submitted(client_request, scene):
    learning = add_learning(scene.triad, "Parent drop-ins")
    client_request.sign_in(scene.senco)
    client_request.post("celebration.edit_learning",
                        {**form_for(scene.triad, "Parent coffee mornings"), "version": "1"}, learning_id=learning.id)
    assert learning.title == "Parent coffee mornings"
    second = add_learning(scene.triad, "To remove")
    client_request.post("celebration.remove", {}, learning_id=second.id)
    assert learnings() == 1
    client_request.post("celebration.submit", {}, _form_endpoint="celebration.show", triad_id=scene.triad.id)
    page = client_request.get("celebration.show", triad_id=scene.triad.id)
    assert "Submitted to the programme lead by Sam Senco" in text_of(page)
    assert not page.find("a", string="Change")
    client_request.get("celebration.edit_learning", learning_id=learning.id)  # the page opens...
    client_request.post("celebration.edit_learning", {**form_for(scene.triad, "Too late"), "version": "2"},
                        _expected_status=200,
                        learning_id=learning.id)  # ...but the change is refused
    assert learning.title == "Parent coffee mornings"


def test_the_lead_reads_tags_returns_and_prints(client_request, scene):
    add_learning(scene.triad, "Seen only by the triad")
    client_request.sign_in(scene.lead)
    assert "Seen only by the triad" not in text_of(client_request.get("celebration.show", triad_id=scene.triad.id))
    db.session.execute(Learning.__table__.delete())
    submitted(scene.triad, scene.senco, "Parent drop-ins")
    learning = db.session.scalar(select(Learning))
    page = client_request.get("celebration.year", year_id=scene.year.id)
    assert "1 of 2 triads have submitted" in text_of(page)
    tag_page = client_request.get("celebration.tag", learning_id=learning.id)
    assert "Suggested: Emerging, because it shows impact in 1 of the 4 areas" in text_of(tag_page)
    page = client_request.post("celebration.tag", {"breadth": "1"}, _expected_status=200, learning_id=learning.id)
    assert error_messages(page) == ["Choose the strength of evidence"] and learning.strength is None
    client_request.post("celebration.tag", {"strength": "3", "breadth": "2"}, learning_id=learning.id)
    assert (learning.strength, learning.breadth) == (3, 2)

    response = client_request.client.get(client_request.url("celebration.pack", year_id=scene.year.id))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Triad A" in text and "Parent drop-ins" in text and "Triad B" in text
    assert "Triads yet to share their learning" in text  # Triad B is listed there
    assert "Strength of evidence: Good" in text and "Breadth of impact: Promising" in text

    client_request.post("celebration.return_for_changes", {}, _form_endpoint="celebration.year",
                        year_id=scene.year.id, submission_id=learning.submission_id)
    assert not learning.submission.is_submitted


def test_who_may_do_what(client_request, scene):
    learning = add_learning(scene.triad)
    client_request.sign_in(scene.outsider)
    client_request.get("celebration.show", _expected_status=403, triad_id=scene.triad.id)
    client_request.get("celebration.new_learning", _expected_status=403, triad_id=scene.triad.id)
    client_request.get("celebration.edit_learning", _expected_status=403, learning_id=learning.id)
    client_request.get("celebration.tag", _expected_status=403, learning_id=learning.id)
    client_request.get("celebration.year", _expected_status=403, year_id=scene.year.id)
    assert client_request.client.get(client_request.url("celebration.pack", year_id=scene.year.id)).status_code == 403
    client_request.sign_in(scene.admin)  # administrators do not write triads' learnings
    client_request.get("celebration.new_learning", _expected_status=403, triad_id=scene.triad.id)
    client_request.sign_in(scene.lead)  # the lead reads and tags, but the triad writes
    client_request.get("celebration.new_learning", _expected_status=403, triad_id=scene.triad.id)
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=make_programme_with_framework()))
    client_request.get("celebration.library", _expected_status=403, programme_id=scene.programme.id)
    client_request.get("celebration.year", _expected_status=403, year_id=scene.year.id)


def test_everyone_in_the_programme_searches_the_library(client_request, scene):
    submitted(scene.triad, scene.senco, "Parent drop-ins", "Precision teaching")
    client_request.sign_in(scene.outsider)  # another triad's SENCo in the same programme
    page = client_request.get_url(client_request.url("celebration.library", programme_id=scene.programme.id,
                                                     q="precision"))
    assert "1 learning found" in text_of(page) and "Precision teaching" in text_of(page)
    assert page.select_one("#q")["value"] == "precision"


@pytest.mark.parametrize("endpoint", ["celebration.year", "celebration.library"])
def test_the_lead_s_pages_take_the_same_queries_for_few_and_many_triads(client_request, session, endpoint):
    counts = []
    for triads in (2, 8):
        programme = make_programme_with_framework()
        year = make_year(programme)
        lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
        for number in range(triads):
            submitted(make_triad(year, name=f"Triad {number}"), lead, "One", "Two")
        client_request.sign_in(lead)
        client_request.get(endpoint, **({"year_id": year.id} if endpoint == "celebration.year"
                                        else {"programme_id": programme.id}))
        counts.append(client_request.last_statements)
    assert counts[0] == counts[1]


def test_a_large_programme_s_pack_is_prepared_in_the_background(app, client_request, scene):
    from app.celebration.pack import prepare_packs

    submitted(scene.triad, scene.senco, "Parent drop-ins")
    client_request.sign_in(scene.lead)
    app.config["PACK_INLINE_TRIADS"] = 1  # two triads make this programme "large"
    try:
        direct = client_request.client.get(client_request.url("celebration.pack", year_id=scene.year.id))
        assert direct.status_code == 302 and direct.location.endswith("#pack")
        page = client_request.get("celebration.year", year_id=scene.year.id)
        assert "prepared in the background" in text_of(page)
        client_request.post("celebration.prepare", {}, _form_endpoint="celebration.year", year_id=scene.year.id)
        assert "Waiting to start" in text_of(client_request.get("celebration.year", year_id=scene.year.id))
        assert prepare_packs() == 1
        page = client_request.get("celebration.year", year_id=scene.year.id)
        link = page.find("a", string=lambda text: text and text.startswith("Download the celebration pack (PDF,"))
        response = client_request.client.get(link["href"])
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert "Parent drop-ins" in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
        client_request.sign_in(scene.outsider)
        assert client_request.client.get(link["href"]).status_code == 403
    finally:
        app.config["PACK_INLINE_TRIADS"] = 30


def test_a_school_s_home_page_leads_to_its_triad_s_learnings_and_the_library(client_request, scene):
    add_learning(scene.triad, "Parent drop-ins")
    client_request.sign_in(scene.senco)
    home = client_request.get("main.home")
    links = {a.get_text(" ", strip=True): a["href"] for a in home.select("main a")}
    assert "1 of 3 written" in task_section(home, "to-do")
    assert links["Write Triad A's key learnings for the celebration"] == client_request.url(
        "celebration.show", triad_id=scene.triad.id)
    assert links["Practice library"] == client_request.url("celebration.library", programme_id=scene.programme.id)
