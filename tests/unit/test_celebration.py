"""The celebration of learning as service calls: at most three learnings, nothing half-saved,
submission and return, the lead's evidence signals, the practice library, and the pack as a PDF."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.celebration.pack import celebration_pack, css_string, render_pack
from app.celebration.service import (
    TOO_MANY,
    areas_of,
    practice_library,
    remove_learning,
    return_celebration,
    save_learning,
    submit_celebration,
    tag_learning,
    year_celebration,
)
from app.common.errors import DomainError
from app.extensions import db
from app.models import CelebrationSubmission, ImpactArea, Learning, Role
from tests.celebrations import add_learning, learning_input, submitted
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year


@pytest.fixture
def triad(session):
    year = make_year(make_programme_with_framework(), start_year=2025)
    return make_triad(year, name="Triad A")


@pytest.fixture
def senco(triad):
    return make_user(Role.SENCO, school=triad.members[1].school)


def learning_titled(title: str) -> Learning:
    return db.session.scalar(select(Learning).where(Learning.title == title))


def learnings_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Learning))


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": " "}, "Enter a title for the learning"),
    ({"title": "x" * 201}, "The title must be 200 characters or fewer"),
    ({"what_we_did": ""}, "Enter what you did"),
    ({"impact": ""}, "Enter the impact you have seen"),
    ({"next_steps": ""}, "Enter the next steps"),
    ({"area_ids": []}, "Choose at least one framework area the learning concerns"),
    ({"impact_areas": ()}, "Choose at least one area of impact the learning shows"),
])
def test_a_learning_missing_something_is_refused_and_nothing_is_saved(triad, changes, message):
    given = learning_input(triad=triad, **{k: v for k, v in changes.items() if k == "impact_areas"})
    for name, value in changes.items():
        if name != "impact_areas":
            setattr(given, name, value)
    with pytest.raises(DomainError, match=re.escape(message)):
        save_learning(triad, None, given, areas_of(triad))
    assert learnings_count() == 0
    assert db.session.scalar(select(func.count()).select_from(CelebrationSubmission)) == 0


def test_a_fourth_learning_is_refused(triad):
    for n in range(1, 4):
        add_learning(triad, f"Learning {n}")
    with pytest.raises(DomainError, match=re.escape(TOO_MANY)):
        add_learning(triad, "Learning 4")
    assert learnings_count() == 3


def test_the_database_holds_the_limit_of_three_too(triad):
    learning = add_learning(triad)
    submission = learning.submission
    extra = Learning(submission_id=submission.id, position=4, title="A fourth", what_we_did="x", impact="x",
                     next_steps="x", shows_staff=True)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(extra)
            db.session.flush()
    same_place = Learning(submission_id=submission.id, position=1, title="Twin", what_we_did="x", impact="x",
                          next_steps="x", shows_staff=True)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(same_place)
            db.session.flush()


def test_a_removed_learning_frees_its_place(triad):
    first, second, third = (add_learning(triad, f"Learning {n}") for n in range(1, 4))
    remove_learning(triad, second)
    db.session.commit()
    again = add_learning(triad, "Learning again")
    assert again.position == 2 and [learning.title for learning in first.submission.learnings] == [
        "Learning 1", "Learning again", "Learning 3"]
    assert third.position == 3


def test_impact_areas_suggest_the_breadth(triad):
    narrow = add_learning(triad, "One area")
    wide = add_learning(triad, "Every area", impact_areas=tuple(ImpactArea))
    assert narrow.impact_areas == [ImpactArea.IDENTIFICATION] and narrow.suggested_breadth == 1
    assert wide.suggested_breadth == 4


def test_submitting_needs_a_learning_and_then_locks_them(triad, senco):
    with pytest.raises(DomainError, match="Add at least one key learning before you submit"):
        submit_celebration(triad, senco)
    learning = add_learning(triad)
    submission = submit_celebration(triad, senco)
    db.session.commit()
    assert submission.is_submitted and submission.submitted_by == senco
    with pytest.raises(DomainError, match="submitted to the programme lead"):
        save_learning(triad, learning, learning_input(triad=triad, title="Changed"), areas_of(triad))
    with pytest.raises(DomainError, match="submitted to the programme lead"):
        remove_learning(triad, learning)
    return_celebration(submission, make_user(Role.PROGRAMME_LEAD, programme=triad.year.programme))
    save_learning(triad, learning, learning_input(triad=triad, title="Changed"), areas_of(triad))
    assert learning.title == "Changed"


def test_a_closed_year_takes_no_changes(triad):
    triad.year.is_closed = True
    db.session.commit()
    with pytest.raises(DomainError, match="is closed"):
        add_learning(triad)


def test_the_lead_tags_submitted_learnings_with_both_signals(triad, senco):
    lead = make_user(Role.PROGRAMME_LEAD, programme=triad.year.programme)
    learning = add_learning(triad)
    with pytest.raises(DomainError, match="Only submitted learnings can be tagged"):
        tag_learning(learning, 2, 1, lead)
    submit_celebration(triad, senco)
    with pytest.raises(DomainError, match="Choose the strength of evidence"):
        tag_learning(learning, None, 1, lead)
    with pytest.raises(DomainError, match="Choose the breadth of impact"):
        tag_learning(learning, 2, 5, lead)
    tag_learning(learning, 3, 2, lead)
    assert (learning.strength, learning.breadth, learning.tagged_by) == (3, 2, lead)


def test_the_year_lists_triads_in_name_order_with_schools_alphabetically(session):
    year = make_year(make_programme_with_framework())
    for number in (10, 2, 1):
        schools = enrol(year, make_school(name=f"Zeta {number}"), make_school(name=f"Alpha {number}"),
                        make_school(name=f"Mu {number}"))
        make_triad(year, schools, name=f"Triad {number}")
    rows = year_celebration(year)
    assert [r.triad.name for r in rows] == ["Triad 1", "Triad 2", "Triad 10"]
    assert [m.school.name for m in rows[0].members] == ["Alpha 1", "Mu 1", "Zeta 1"]
    assert [m.is_coach for m in rows[0].members] == [False, False, True]  # Zeta, the first enrolled, coaches
    assert rows[0].status == "Not started"


def test_the_library_finds_submitted_learnings_from_every_year_by_words_area_and_strength(session):
    programme = make_programme_with_framework()
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    last, this = make_year(programme, 2024), make_year(programme, 2025)
    old, new, draft = (make_triad(last, name="Triad 1"), make_triad(this, name="Triad 2"),
                       make_triad(this, name="Triad 3"))
    add_learning(old, "Parent drop-ins", areas=(4,), impact_areas=(ImpactArea.INCLUSION,))
    submit_celebration(old, lead)
    add_learning(new, "Graduated approach checklist", areas=(5,))
    add_learning(new, "Precision teaching", areas=(3,), what_we_did="Short daily sessions of precision teaching.")
    submit_celebration(new, lead)
    add_learning(draft, "Not shared yet checklist")
    db.session.commit()
    tag_learning(learning_titled("Precision teaching"), 4, 2, lead)
    db.session.commit()
    other = make_triad(make_year(make_programme_with_framework()))
    submitted(other, lead, "Elsewhere checklist")

    assert [e.learning.title for e in practice_library(programme).entries] == [
        "Graduated approach checklist", "Precision teaching", "Parent drop-ins"]
    assert [e.year_label for e in practice_library(programme).entries][-1] == "2024/25"
    assert [e.learning.title for e in practice_library(programme, "GRADUATED").entries] == [
        "Graduated approach checklist"]
    assert [e.learning.title for e in practice_library(programme, "daily precision").entries] == ["Precision teaching"]
    assert [e.learning.title for e in practice_library(programme, area=4).entries] == ["Parent drop-ins"]
    assert [e.learning.title for e in practice_library(programme, strength=4).entries] == ["Precision teaching"]
    assert practice_library(programme, "100%_").total == 0
    found = practice_library(programme)
    assert found.total == 3 and found.pages == 1 and found.areas[0] == (1, "Outcomes for pupils with SEND")


def test_the_library_pages_through_many_learnings(session):
    programme = make_programme_with_framework()
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    year = make_year(programme)
    for number in range(1, 9):
        submitted(make_triad(year, name=f"Triad {number}"), lead, "One", "Two", "Three")
    first, last = practice_library(programme, page=1), practice_library(programme, page=99)
    assert (first.total, first.pages, len(first.entries)) == (24, 2, 20)
    assert (last.page, len(last.entries)) == (2, 4)


def test_css_strings_cannot_break_out_of_the_style():
    assert css_string('A "quoted" </style> & more') == r'"A \22 quoted\22  \3c /style\3e  \26  more"'


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pack_has_each_triad_that_shared_in_order_with_its_schools_and_lists_the_others(session):
    programme = make_programme_with_framework(name="Northbrook SEND Triads")
    year = make_year(programme, 2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    triads = []
    for number in range(1, 6):
        schools = enrol(year, make_school(name=f"Yew School {number}"), make_school(name=f"Ash School {number}"),
                        make_school(name=f"Oak School {number}"))
        triads.append(make_triad(year, schools, name=f"Triad {number}"))
    submitted(triads[0], lead, "Parent drop-ins", "Precision teaching")
    submitted(triads[2], lead, "Graduated approach checklist")
    submitted(triads[4], lead, "Sensory circuits")
    tag_learning(learning_titled("Parent drop-ins"), 3, 2, lead)
    add_learning(triads[3], "A draft only")  # written but not submitted: listed with the triads yet to share
    db.session.commit()

    pages = pdf_pages(render_pack(celebration_pack(year), triads_per_chunk=2))
    text = "\n".join(pages)
    assert "Celebration of learning" in pages[0] and "Northbrook SEND Triads" in pages[0]
    sections = {n: next(i for i, page in enumerate(pages) if page.lstrip().startswith(f"Triad {n}\n"))
                for n in (1, 3, 5)}
    assert list(sections.values()) == sorted(sections.values())  # in name order
    for n in (1, 3, 5):
        page = pages[sections[n]]
        assert page.index(f"Ash School {n}") < page.index(f"Oak School {n}") < page.index(f"Yew School {n}")
        assert "Coach school" in page
    waiting = next(i for i, page in enumerate(pages) if page.startswith("Triads yet to share their learning"))
    assert waiting == len(pages) - 1 and "Triad 2" in pages[waiting] and "Triad 4" in pages[waiting]
    assert "Ash School 4, Oak School 4, Yew School 4 (coach school)" in pages[waiting]
    assert "A draft only" not in text
    assert "Parent drop-ins" in pages[sections[1]] and "Strength of evidence: Good" in pages[sections[1]]
    assert "Precision teaching" in pages[sections[1]] and "not tagged" not in text.lower()
    # Page numbers run on across the chunks, and the contents names each section's page.
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page
    contents = next(page for page in pages if page.startswith("Contents"))
    for n in (1, 3, 5):
        assert re.search(rf"Triad {n}\n.*\n{sections[n] + 1}\n", contents), contents
    assert f"Triads yet to share their learning\n2 of 5 triads\n{waiting + 1}\n" in contents
    # a page for each triad that shared, then one for the two that did not
    assert [sections[1], sections[3], sections[5], waiting] == list(range(sections[1], sections[1] + 4))


def test_the_pack_prints_from_the_command_line(app, session, tmp_path):
    programme = make_programme_with_framework(name="Command Line Triads")
    year = make_year(programme, 2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    submitted(make_triad(year, name="Triad 1"), lead, "Parent drop-ins")
    make_triad(year, name="Triad 2")
    runner = app.test_cli_runner()
    out = tmp_path / "pack.pdf"
    result = runner.invoke(args=["report", "celebration-pack", "--programme", str(programme.id), "--year", "2025/26",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(out.read_bytes()))
    assert "Triad 1" in text and "Parent drop-ins" in text and "Triads yet to share their learning" in text

    wrong_year = runner.invoke(args=["report", "celebration-pack", "--programme", str(programme.id),
                                     "--year", "2019/20"])
    assert wrong_year.exit_code == 1
    assert "Command Line Triads has no academic year 2019/20. Enter one of its years, like 2025/26" in wrong_year.output
    wrong_id = runner.invoke(args=["report", "celebration-pack", "--programme", "nonsense", "--year", "2025/26"])
    assert wrong_id.exit_code == 1 and "No programme has the id 'nonsense'" in wrong_id.output


def test_a_large_pack_is_asked_for_once_and_prepared_once(session):
    from datetime import datetime, timedelta, timezone

    from app.celebration.pack import latest_prepared, prepare_packs, request_pack
    from app.models import PackStatus

    year = make_year(make_programme_with_framework())
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    submitted(make_triad(year, name="Triad 1"), lead, "Parent drop-ins")
    first = request_pack(year, lead)
    assert request_pack(year, lead) is first and first.status == PackStatus.QUEUED  # asking again adds nothing
    db.session.commit()
    assert prepare_packs() == 1
    pack = latest_prepared(year)
    assert pack.status == PackStatus.READY and pack.pages >= 3 and pack.finished_at is not None
    assert "Parent drop-ins" in "\n".join(pdf_pages(pack.content))
    assert prepare_packs() == 0  # nothing left waiting: a second scheduler makes nothing

    again = request_pack(year, lead)
    assert again is not pack and again.status == PackStatus.QUEUED
    # A pack whose preparing process died is taken up again once it is stale.
    again.status, again.started_at = PackStatus.WORKING, datetime.now(timezone.utc) - timedelta(hours=1)
    db.session.commit()
    assert request_pack(year, lead) is not again  # a stale one does not block asking
    assert prepare_packs() == 2
