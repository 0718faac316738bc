"""The whole self-evaluation as a PDF and a Word document: every area's rating (or why it is not yet
evaluated), evidence, strengths, areas for development and moderation in both; who may download it (as
who may read it: others only once it is submitted); and the files' names."""
from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import docx
import pypdf
import pytest

from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import ModeratedRating, QAVisit, Role
from app.self_evaluations.service import (
    reopen_self_evaluation,
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.factories import enrol, make_programme, make_school, make_triad, make_user, make_year

PDF, DOCX = "self_evaluations.export_pdf", "self_evaluations.export_docx"


def texts_of(position: int) -> dict[str, str]:
    return {"evidence": f"Provision map reviewed termly (area {position}).\nPupil voice survey in March.",
            "strengths": f"Strong relationships with families, area {position}",
            "development": f"=Train new staff in area {position}\x0b"}  # a formula start and a stray control character


@pytest.fixture
def scene(session):
    """School A's self-evaluation: area 2 not yet evaluated, the rest rated 3, with text; submitted and signed
    off; moderated, with area 1 flagged (rated 1 by the QA expert) and answered by the school."""
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    triad = make_triad(year)
    school, peer_school = triad.members[0].school, triad.members[1].school
    [outsider_school] = enrol(year, make_school(name="Far Away Primary"))
    people = SimpleNamespace(senco=make_user(Role.SENCO, school=school, name="Sam Senco"),
                             head=make_user(Role.HEAD, school=school, name="Hana Head"),
                             peer=make_user(Role.SENCO, school=peer_school),
                             outsider=make_user(Role.SENCO, school=outsider_school),
                             expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
                             lead=make_user(Role.PROGRAMME_LEAD, programme=programme))
    evaluation = start_self_evaluation(school, year)
    ratings = sorted(evaluation.ratings, key=lambda r: r.area.position)
    for rating in ratings:
        position = rating.area.position
        level = None if position == 2 else 3
        reason = "We start a new tracking system in spring" if position == 2 else ""
        save_area(rating, rating.version, {"level": level, "not_evaluated_reason": reason, **texts_of(position)})
    submit_self_evaluation(evaluation, people.senco)
    sign_off_self_evaluation(evaluation, people.head)
    visit = QAVisit(year_id=year.id, school_id=school.id, expert=people.expert)
    visit.moderated.append(ModeratedRating(area_id=ratings[0].area_id, level=1, comment="Little evidence of impact",
                                           school_response="We have new data since the visit"))
    visit.moderated.append(ModeratedRating(area_id=ratings[2].area_id, level=3, comment="Agreed"))
    db.session.add(visit)
    db.session.commit()
    return SimpleNamespace(evaluation=evaluation, school=school, year=year, areas=[r.area for r in ratings],
                           **vars(people))


def download(client_request, user, endpoint, evaluation, status=200):
    client_request.sign_in(user)
    response = client_request.client.get(client_request.url(endpoint, evaluation_id=evaluation.id))
    assert response.status_code == status
    return response


def squeezed(text: str) -> str:
    """Text without its spaces and line breaks: a PDF breaks lines where it must."""
    return "".join(text.split())


def test_the_pdf_has_every_area_with_its_rating_text_and_moderation(client_request, scene):
    response = download(client_request, scene.peer, PDF, scene.evaluation)
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = squeezed("\n".join(page.extract_text() for page in reader.pages))
    assert squeezed(f"{scene.school.name}: self-evaluation {scene.year.label}") in text  # each page's heading
    assert squeezed(f"Page {len(reader.pages)} of {len(reader.pages)}") in text
    for area in scene.areas:
        assert squeezed(f"{area.position}. {area.title}") in text
        for value in texts_of(area.position).values():
            assert squeezed(value.replace("\x0b", "")) in text
    for words in ("Signed off", "Hana Head", "Not yet evaluated because: We start a new tracking system in spring",
                  "School's rating: 3 Established", "Moderated rating: 1 Emerging", "Little evidence of impact",
                  "School's response: We have new data since the visit", "QA comment: Agreed"):
        assert squeezed(words) in text, words
    assert text.count(squeezed("School's response")) == 1  # only where the ratings are far apart


def test_each_area_starts_below_its_heading_and_no_heading_ends_a_page(client_request, scene):
    from app.common.pdf import render_pdf, render_report
    from app.self_evaluations.export import NONE_RECORDED, exported_evaluation
    from app.self_evaluations.service import evaluation_page

    exported = exported_evaluation(evaluation_page(scene.evaluation.id), date(2026, 3, 2))
    layout: dict = {}
    render_pdf(render_report("self_evaluation.html", evaluation=exported, none_recorded=NONE_RECORDED), layout=layout)
    first_pages = [layout["anchors"][f"area-{area.position}"] for area in scene.areas]
    assert first_pages[0] == 2  # the summary has the first page to itself
    assert first_pages == sorted(first_pages) and layout["pages"] >= first_pages[-1]


def test_the_word_document_has_every_area_s_title_and_text(client_request, scene):
    document = docx.Document(io.BytesIO(download(client_request, scene.expert, DOCX, scene.evaluation).data))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Ratings by area", *(f"{area.position}. {area.title}" for area in scene.areas)]
    body = "\n".join(paragraphs)
    for area in scene.areas:
        for value in texts_of(area.position).values():
            assert value.replace("\x0b", "") in body
    assert "School's rating: Not yet evaluated" in paragraphs
    assert "Not yet evaluated because: We start a new tracking system in spring" in paragraphs
    assert "Moderated rating: 1 Emerging (two or more levels from the school's own rating)" in paragraphs
    assert "School's response: We have new data since the visit" in paragraphs
    summary = document.tables[1]
    assert [cell.text for cell in summary.rows[0].cells] == ["Area", "School's rating", "Moderated rating"]
    assert [cell.text for cell in summary.rows[1].cells] == ["1. Outcomes for pupils with SEND", "3 Established",
                                                             "1 Emerging"]
    assert [cell.text for cell in summary.rows[2].cells][1:] == ["Not yet evaluated", "Not moderated"]
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Status"] == "Signed off" and facts["QA expert"] == "Quinn Expert"
    assert document.core_properties.title == f"{scene.school.name} self-evaluation {scene.year.label}"


def test_the_files_are_named_for_the_school_and_year(client_request, scene):
    response = download(client_request, scene.head, DOCX, scene.evaluation)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    slug = scene.school.name.lower().replace(" ", "-")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}-self-evaluation-2025-26.docx"'
    response = download(client_request, scene.head, PDF, scene.evaluation)
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}-self-evaluation-2025-26.pdf"'


def test_others_download_it_only_while_they_may_read_it_and_the_school_its_draft(client_request, scene):
    for endpoint in (PDF, DOCX):
        download(client_request, scene.outsider, endpoint, scene.evaluation, status=403)
        download(client_request, scene.lead, endpoint, scene.evaluation, status=403)  # not shared with the lead
        download(client_request, scene.peer, endpoint, scene.evaluation)
    reopen_self_evaluation(scene.evaluation, scene.head, "Add the spring data")
    db.session.commit()
    for endpoint in (PDF, DOCX):
        download(client_request, scene.peer, endpoint, scene.evaluation, status=403)
        download(client_request, scene.expert, endpoint, scene.evaluation, status=403)
    response = download(client_request, scene.senco, DOCX, scene.evaluation)
    assert response.headers["Content-Disposition"].endswith('-self-evaluation-2025-26-draft.docx"')
    document = docx.Document(io.BytesIO(response.data))
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Status"].startswith("Draft: not yet submitted")
    text = squeezed("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        download(client_request, scene.senco, PDF, scene.evaluation).data)).pages))
    assert squeezed("Draft: not yet submitted. Only the school's own staff can read it.") in text
