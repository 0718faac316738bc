"""Every long text form autosaves as the self-evaluation does, through real HTTP: an action, a triad meeting's
notes, a peer visit's notes, a key learning, the QA expert's moderation comments and an information request's
answer. For each: an autosave saves and answers the new version; one from an out-of-date page is a clash (409)
and changes nothing; the Save button from an out-of-date page shows the clash page with both texts, and keeping
yours there saves it; a locked record (a closed year) refuses. Then what differs between them:
who is told, what waits for the Save button, what autosave leaves alone."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time as clock_time
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.action_plans.service import OTHER_OWNER, ActionInput, areas_for, save_action, start_action_plan
from app.clusters.service import assign_schools, term_of
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework, current_framework
from app.information_requests.service import create_request
from app.meetings.service import london_time
from app.models import (
    Action,
    ClusterMeeting,
    FrameworkArea,
    Learning,
    ModeratedRating,
    Notice,
    NoticeKind,
    PeerVisit,
    QAVisit,
    RequestRecipient,
    Role,
    TriadMeeting,
    User,
)
from app.self_evaluations.moderation import assign_qa_expert
from app.self_evaluations.service import save_area, start_self_evaluation, submit_self_evaluation
from tests.celebrations import add_learning
from tests.factories import make_cluster, make_programme, make_triad, make_user, make_year
from tests.pages import ClientRequest, text_of

TODAY = clock.today()
THIS_YEAR = TODAY.year if TODAY.month >= 9 else TODAY.year - 1
CLASH_TITLE = "Choose which text to keep"


def _self_evaluation_submitted(year, school, senco):
    evaluation = start_self_evaluation(school, year)
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": 4})
    submit_self_evaluation(evaluation, senco)
    return evaluation


@pytest.fixture
def scene(session):
    """A triad this academic year: the coach school A visits and meets with B and C. B has a draft plan with
    one action, a submitted self-evaluation its QA expert moderates and an information request to answer; A
    has booked meeting 1 and the visit to B for today; the triad has one key learning."""
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme, start_year=THIS_YEAR)
    triad = make_triad(year)
    coach_school, school, _ = (m.school for m in triad.members)
    people = SimpleNamespace(
        senco=make_user(Role.SENCO, school=school, name="Sam Senco"),
        head=make_user(Role.HEAD, school=school, name="Hana Head"),
        coach=make_user(Role.SENCO, school=coach_school, name="Cora Coach"),
        coach_head=make_user(Role.HEAD, school=coach_school, name="Carl Coach"),
        expert=make_user(Role.QA_EXPERT, programme=programme, name="Quinn Expert"),
        lead=make_user(Role.PROGRAMME_LEAD, programme=programme, name="Lena Lead"),
    )
    plan = start_action_plan(school, year)
    areas = areas_for(plan)
    action = save_action(plan, None, ActionInput([areas[0].id], "Train staff", OTHER_OWNER, "Jo Smith",
                                                 year.ends_on, False, "Every teacher trained"), areas, [])
    evaluation = _self_evaluation_submitted(year, school, people.senco)
    assign_qa_expert(year, school, people.expert.id)
    nine = london_time(TODAY, clock_time(9))
    meeting = TriadMeeting(triad_id=triad.id, number=1, starts_at=nine, place="Library")
    visit = PeerVisit(triad_id=triad.id, visited_school_id=school.id, starts_at=nine,
                      focus_area_id=current_framework(programme).areas[0].id)
    cluster = make_cluster(programme, name="North cluster")
    assign_schools(cluster, year, {m.school_id for m in triad.members})
    people.cluster_lead = make_user(Role.CLUSTER_LEAD, cluster=cluster, name="Cleo Clusterlead")
    cluster_meeting = ClusterMeeting(cluster_id=cluster.id, year_id=year.id, term=term_of(TODAY, THIS_YEAR),
                                     starts_at=nine, place="Hall")
    db.session.add_all([meeting, visit, cluster_meeting])
    request = create_request(year, people.lead, "SEND register", "How many pupils?", 10)
    db.session.commit()
    learning = add_learning(triad, "Parent drop-ins")
    recipient = next(r for r in request.recipients if r.school_id == school.id)
    return SimpleNamespace(year=year, triad=triad, school=school, plan=plan, action=action, evaluation=evaluation,
                           meeting=meeting, cluster_meeting=cluster_meeting, visit=visit, learning=learning,
                           recipient=recipient, **vars(people))


@dataclass(frozen=True)
class Case:
    """One autosaved form: its page, who edits it (two people, or one person in two tabs), the long text the
    test types into, the text and version stored, and how the record is locked and what refusing says."""

    endpoint: str
    values: Callable[[Any], dict[str, Any]]
    editors: Callable[[Any], tuple[User, User]]
    field: str
    stored: Callable[[Any], tuple[str, int]]
    lock: Callable[[Any], None] | None  # None: nothing locks it (a sent answer's change is kept as a draft)
    locked: str


def _closed(scene) -> None:
    scene.year.is_closed = True
    db.session.commit()


def _get(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def _comment(scene) -> tuple[str, int]:
    db.session.expire_all()
    visit = db.session.scalar(select(QAVisit).where(QAVisit.school_id == scene.school.id))
    comment = db.session.scalar(
        select(ModeratedRating.comment).join(FrameworkArea, FrameworkArea.id == ModeratedRating.area_id)
        .where(ModeratedRating.qa_visit_id == visit.id, FrameworkArea.position == 2))
    return comment or "", visit.version


def _stored(model, record: str, attribute: str) -> Callable[[Any], tuple[str, int]]:
    def stored(scene) -> tuple[str, int]:
        saved = _get(model, getattr(scene, record).id)
        return getattr(saved, attribute), saved.version
    return stored


CASES = {
    "action": Case("action_plans.edit_action", lambda s: {"plan_id": s.plan.id, "number": 1},
                   lambda s: (s.senco, s.head), "success_criteria", _stored(Action, "action", "success_criteria"),
                   _closed, "is closed, so its action plan can no longer be changed"),
    "meeting notes": Case("scheduling.record", lambda s: {"meeting_id": s.meeting.id},
                          lambda s: (s.coach, s.coach_head), "notes", _stored(TriadMeeting, "meeting", "notes"),
                          _closed, "is closed, so its meetings can no longer be changed"),
    "cluster meeting notes": Case("scheduling.record_cluster", lambda s: {"cluster_meeting_id": s.cluster_meeting.id},
                                  lambda s: (s.cluster_lead, s.lead), "notes",
                                  _stored(ClusterMeeting, "cluster_meeting", "notes"),
                                  _closed, "is closed, so its meetings can no longer be changed"),
    "visit notes": Case("scheduling.visit_notes", lambda s: {"visit_id": s.visit.id},
                        lambda s: (s.coach, s.coach_head), "strengths", _stored(PeerVisit, "visit", "strengths"),
                        _closed, "is closed, so its visits can no longer be changed"),
    "key learning": Case("celebration.edit_learning", lambda s: {"learning_id": s.learning.id},
                         lambda s: (s.senco, s.coach), "impact", _stored(Learning, "learning", "impact"),
                         _closed, "is closed, so its celebration can no longer be changed"),
    "moderation": Case("self_evaluations.moderate", lambda s: {"evaluation_id": s.evaluation.id},
                       lambda s: (s.expert, s.expert), "comment_2", _comment,
                       _closed, "is closed, so moderated ratings can no longer be changed"),
    "request answer": Case("requests.answer", lambda s: {"recipient_id": s.recipient.id},
                           lambda s: (s.senco, s.head), "answer", _stored(RequestRecipient, "recipient", "answer"),
                           None, ""),
}


@dataclass
class OpenForm:
    """A form as a browser has it: where it posts, where it autosaves, and what it would send."""

    client: ClientRequest
    action: str
    autosave_url: str
    fields: MultiDict

    def typed(self, name: str, text: str) -> OpenForm:
        self.fields.setlist(name, [text])
        return self

    def autosave(self):
        return self.client.client.post(self.autosave_url, data=self.fields, headers={"Accept": "application/json"})

    def save(self):
        return self.client.client.post(self.action, data=self.fields)


def _sent_by_browser(form) -> MultiDict:
    data = MultiDict()
    for field in form.select("input[name], textarea[name]"):
        kind = field.get("type", "text")
        if field.name == "textarea":
            data.add(field["name"], field.text.removeprefix("\n"))
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.add(field["name"], field.get("value", "on"))
        elif kind not in ("submit", "file"):
            data.add(field["name"], field.get("value", ""))
    return data


def open_form(app, user: User, endpoint: str, **values) -> OpenForm:
    """`user`, in a browser of their own, opens the page and its autosaving form."""
    client = ClientRequest(app.test_client())
    client.sign_in(user)
    return open_form_in(client, endpoint, **values)


def open_form_in(client: ClientRequest, endpoint: str, **values) -> OpenForm:
    url = client.url(endpoint, **values)
    page = client.get_url(url)
    form = page.select_one("form[data-autosave-url]")
    assert form is not None, f"{endpoint} does not autosave"
    return OpenForm(client, form.get("action") or url, form["data-autosave-url"], _sent_by_browser(form))


def _opened_by_both(app, scene, case: Case) -> tuple[OpenForm, OpenForm]:
    first, second = case.editors(scene)
    return (open_form(app, first, case.endpoint, **case.values(scene)),
            open_form(app, second, case.endpoint, **case.values(scene)))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_autosave_saves_the_text_and_answers_the_new_version(app, scene, case):
    form = open_form(app, case.editors(scene)[0], case.endpoint, **case.values(scene))
    assert form.fields["version"] == "1"
    response = form.typed(case.field, "Typed so far").autosave()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["version"] == 2 and response.json["saved_at"]
    assert case.stored(scene) == ("Typed so far", 2)
    again = form.typed("version", "2").typed(case.field, "Typed so far, and more").autosave()
    assert again.status_code == 200 and again.json["version"] == 3
    assert case.stored(scene) == ("Typed so far, and more", 3)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_autosave_from_an_out_of_date_page_is_a_clash_and_changes_nothing(app, scene, case):
    mine, theirs = _opened_by_both(app, scene, case)
    assert theirs.typed(case.field, "Their text").autosave().status_code == 200
    response = mine.typed(case.field, "My text").autosave()
    assert response.status_code == 409
    assert response.json["conflict"] is True and "Someone else" in response.json["message"]
    assert case.stored(scene) == ("Their text", 2)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_save_button_from_an_out_of_date_page_shows_both_texts_and_keeps_the_chosen_one(app, scene, case):
    mine, theirs = _opened_by_both(app, scene, case)
    assert theirs.typed(case.field, "Their text").autosave().status_code == 200
    response = mine.typed(case.field, "My <b>text</b>").save()
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert CLASH_TITLE in page.title.string
    assert "Someone else" in text_of(page, "h1")
    choices = text_of(page, "main form")
    assert "Keep your version My <b>text</b>" in choices and "Keep the version they saved Their text" in choices
    assert case.stored(scene) == ("Their text", 2)  # nothing saved yet, nothing lost
    clash = open_clash_page(mine.client, page)
    assert clash.save().status_code == 302  # "keep your version" is chosen already
    assert case.stored(scene)[0] == "My <b>text</b>"


def open_clash_page(client: ClientRequest, page: BeautifulSoup) -> OpenForm:
    form = page.select_one("main form[method=post]")
    return OpenForm(client, form["action"], "", _sent_by_browser(form))


LOCKED = {name: case for name, case in CASES.items() if case.lock is not None}


@pytest.mark.parametrize("case", LOCKED.values(), ids=LOCKED.keys())
def test_an_autosave_to_a_locked_record_is_refused_and_saves_nothing(app, scene, case):
    form = open_form(app, case.editors(scene)[0], case.endpoint, **case.values(scene))
    before = case.stored(scene)
    assert case.lock is not None
    case.lock(scene)
    response = form.typed(case.field, "Too late").autosave()
    assert response.status_code == 422
    assert case.locked in response.json["message"]
    assert case.stored(scene) == before


def test_keeping_their_version_on_the_clash_page_keeps_their_text(app, scene):
    mine, theirs = _opened_by_both(app, scene, CASES["visit notes"])
    theirs.typed("strengths", "Their strengths").typed("next_steps", "Their next steps").autosave()
    page = BeautifulSoup(mine.typed("strengths", "My strengths").typed("next_steps", "My next steps").save()
                         .get_data(as_text=True), "html.parser")
    clash = open_clash_page(mine.client, page).typed("keep_strengths", "theirs")
    assert clash.save().status_code == 302
    visit = _get(PeerVisit, scene.visit.id)
    assert (visit.strengths, visit.next_steps) == ("Their strengths", "My next steps")


def test_where_only_they_wrote_something_the_clash_page_keeps_theirs_unless_told_otherwise(app, scene):
    mine, theirs = _opened_by_both(app, scene, CASES["visit notes"])
    theirs.typed("strengths", "Their strengths").typed("next_steps", "Their next steps").autosave()
    page = BeautifulSoup(mine.typed("strengths", "My strengths").save().get_data(as_text=True), "html.parser")
    checked = {radio["name"]: radio["value"] for radio in page.select("main input[type=radio][checked]")}
    assert checked == {"keep_strengths": "yours", "keep_next_steps": "theirs"}
    assert open_clash_page(mine.client, page).save().status_code == 302
    visit = _get(PeerVisit, scene.visit.id)
    assert (visit.strengths, visit.next_steps) == ("My strengths", "Their next steps")


def test_autosaved_visit_notes_tell_nobody_and_the_first_save_tells_the_visited_school_once(app, scene):
    def told() -> int:
        return db.session.scalar(select(func.count()).select_from(Notice).where(Notice.kind == NoticeKind.VISIT_NOTES))

    form = open_form(app, scene.coach, "scheduling.visit_notes", visit_id=scene.visit.id)
    for version, text in enumerate(("Calm", "Calm classrooms", "Calm classrooms; clear routines"), start=1):
        assert form.typed("version", str(version)).typed("strengths", text).autosave().status_code == 200
    assert told() == 0
    reader = ClientRequest(app.test_client())
    reader.sign_in(scene.senco)  # the visited school reads notes once they are saved with the button
    assert "The coach has not written notes yet" in text_of(reader.get("scheduling.show_visit",
                                                                       visit_id=scene.visit.id))
    assert form.typed("version", "4").save().status_code == 302
    assert told() == 2  # the visited school's SENCo and head
    assert "Calm classrooms; clear routines" in text_of(reader.get("scheduling.show_visit", visit_id=scene.visit.id))
    again = open_form(app, scene.coach, "scheduling.visit_notes", visit_id=scene.visit.id)
    again.typed("questions", "How is it shared?").autosave()
    assert again.typed("version", "5").save().status_code == 302
    assert told() == 2  # once: the school reads the latest


def test_moderation_autosaves_the_comments_and_the_ratings_wait_for_the_save_button(app, scene):
    def flagged() -> int:
        return db.session.scalar(select(func.count()).select_from(Notice).where(Notice.kind == NoticeKind.FLAGGED))

    form = open_form(app, scene.expert, "self_evaluations.moderate", evaluation_id=scene.evaluation.id)
    response = form.typed("level_2", "1").typed("comment_2", "Governors not yet challenging").autosave()
    assert response.status_code == 200
    db.session.expire_all()
    [moderated] = db.session.scalars(select(ModeratedRating)).all()
    assert (moderated.comment, moderated.level, flagged()) == ("Governors not yet challenging", None, 0)
    assert form.typed("version", "2").save().status_code == 302
    db.session.expire_all()
    assert (moderated.level, flagged()) == (1, 2)  # 4 against 1: flagged, and the school told


def test_an_autosaved_answer_is_a_draft_the_lead_reads_once_it_is_sent(app, scene):
    form = open_form(app, scene.senco, "requests.answer", recipient_id=scene.recipient.id)
    assert form.typed("answer", "Fourteen pupils, draft").autosave().status_code == 200
    lead = ClientRequest(app.test_client())
    lead.sign_in(scene.lead)
    assert "Fourteen pupils" not in text_of(lead.get("requests.show", request_id=scene.recipient.request_id))
    assert "Fourteen pupils" not in lead.client.get(
        lead.url("requests.responses", request_id=scene.recipient.request_id)).get_data(as_text=True)
    assert _get(RequestRecipient, scene.recipient.id).answered_at is None  # still to answer
    assert form.typed("version", "2").typed("answer", "Fourteen pupils").save().status_code == 302
    assert "Fourteen pupils" in text_of(lead.get("requests.show", request_id=scene.recipient.request_id))
    # A sent answer changes only when sent again: tests/integration/test_drafts.py keeps the change till then.


def test_an_autosave_that_breaks_a_rule_is_refused_and_saves_nothing(app, scene):
    form = open_form(app, scene.senco, "action_plans.edit_action", plan_id=scene.plan.id, number=1)
    response = form.typed("description", "  ").autosave()
    assert (response.status_code, response.json) == (422, {"message": "Enter what will be done"})
    assert _get(Action, scene.action.id).description == "Train staff"
    learning = open_form(app, scene.coach, "celebration.edit_learning", learning_id=scene.learning.id)
    response = learning.typed("what_we_did", "").autosave()
    assert (response.status_code, response.json) == (422, {"message": "Enter what you did"})
    assert _get(Learning, scene.learning.id).version == 1


# A change to a finalised plan, and new records, are kept as their writer's draft until their button saves
# them: tests/integration/test_drafts.py.


def test_an_autosave_after_the_session_ended_says_so_in_json(app, scene):
    form = open_form(app, scene.coach, "scheduling.visit_notes", visit_id=scene.visit.id)
    limit = app.config["SESSION_IDLE_SECONDS"] or app.config["SESSION_IDLE_MINUTES"] * 60
    with form.client.client.session_transaction() as flask_session:
        flask_session["seen_at"] = time.time() - limit - 5  # idle too long: the session has ended
    response = form.typed("strengths", "Typed after signing out").autosave()
    assert response.status_code == 401
    assert response.json == {"message": "You have been signed out. Select a Save button to keep your changes."}
    assert _get(PeerVisit, scene.visit.id).strengths == ""


def test_two_concurrent_saves_of_the_same_visit_notes_lose_nothing():
    """Two people at the coach school press Save notes at the same moment, each from a page opened at version 1:
    one save lands (and the visited school is told, once), the other is shown both texts. Real concurrent
    requests on their own database, as tests/integration/test_concurrent_saves.py has them."""
    import threading

    from tests.databases import migrated_app

    with migrated_app("visit-race") as app:
        with app.app_context():
            programme = make_programme()
            create_default_framework(programme)
            db.session.commit()
            triad = make_triad(make_year(programme, start_year=THIS_YEAR))
            coach_school, visited, _ = (m.school for m in triad.members)
            visit = PeerVisit(triad_id=triad.id, visited_school_id=visited.id,
                              starts_at=london_time(TODAY, clock_time(9)),
                              focus_area_id=current_framework(programme).areas[0].id)
            db.session.add(visit)
            db.session.commit()
            make_user(Role.HEAD, school=visited)
            clients = []
            for writer in (make_user(Role.SENCO, school=coach_school), make_user(Role.HEAD, school=coach_school)):
                client = ClientRequest(app.test_client())
                client.sign_in(writer)
                clients.append(client)
            visit_id = visit.id
            db.session.remove()

        # Each page opened outside the app context, so each request has its own (and its own CSRF token).
        forms = [open_form_in(client, "scheduling.visit_notes", visit_id=visit_id) for client in clients]

        texts = ["SENCo: calm, purposeful classrooms", "Head: every referral comes with evidence"]
        for form, text in zip(forms, texts, strict=True):
            form.typed("strengths", text)
        assert [form.fields["version"] for form in forms] == ["1", "1"]
        start = threading.Barrier(2)
        answers: dict[int, Any] = {}

        def save(n: int) -> None:
            start.wait()
            answers[n] = forms[n].save()

        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(answer.status_code for answer in answers.values()) == [200, 302]
        [winner] = [n for n, answer in answers.items() if answer.status_code == 302]
        loser = answers[1 - winner].get_data(as_text=True)
        assert "Someone else saved these notes while you were editing them" in loser
        assert texts[0] in loser and texts[1] in loser  # both texts shown to choose from
        with app.app_context():
            saved = db.session.get(PeerVisit, visit_id)
            assert (saved.strengths, saved.version) == (texts[winner], 2)
            assert db.session.scalar(select(func.count()).select_from(Notice)) == 1  # the visited school's head
