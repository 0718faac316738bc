"""Long text in forms whose saving is a step (a new action, a progress note, a new key learning, a new request,
a booking, an event, a response to a QA flag, a change to a finalised plan or a sent answer) autosaves as the
writer's draft, through real HTTP: the record is not touched and nobody is told; the writer opening the page
again gets their text back, and is told so; nobody else ever sees it; the Save button saves it and the draft
goes. app/drafts.py keeps them."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.action_plans.service import OTHER_OWNER, finalise_plan
from app.common import clock
from app.drafts import DRAFT_KEPT, MOST_CHARACTERS
from app.extensions import db
from app.models import (
    Action,
    AuditEvent,
    ClusterMeeting,
    FormDraft,
    InformationRequest,
    Learning,
    Notice,
    ProgrammeEvent,
    ProgressUpdate,
    RequestRecipient,
    Role,
    Term,
    TriadMeeting,
    User,
)
from tests.factories import make_school, make_user
from tests.integration.test_autosave_everywhere import OpenForm, open_form
from tests.integration.test_autosave_everywhere import scene as autosave_scene  # noqa: F401  (a fixture)
from tests.pages import text_of

KEPT_BANNER = "We kept what you typed here"
TODAY = clock.today()


def _school_day(after: date) -> date:
    day = after
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _form_date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def scene(autosave_scene):  # noqa: F811
    """tests/integration/test_autosave_everywhere.py's triad, with a second programme lead."""
    autosave_scene.other_lead = make_user(Role.PROGRAMME_LEAD, programme=autosave_scene.year.programme,
                                          name="Lou Otherlead")
    db.session.commit()
    return autosave_scene


def _count(model) -> Callable[[Any], int]:
    return lambda scene: db.session.scalar(select(func.count()).select_from(model))


def _booking(day: date) -> dict[str, Any]:
    return {"day": _form_date(day), "time": "9:30", "duration_minutes": "90", "host_school_id": "", "place": "Hall",
            "online_link": ""}


def _spring(scene) -> date:
    return _school_day(date(scene.year.start_year + 1, 1, 12))


@dataclass(frozen=True)
class Case:
    """A form whose saving is a step: its page, who writes and who else may open it, the long text typed, the
    rest of a complete form, and the records it saves (which a draft leaves alone)."""

    endpoint: str
    values: Callable[[Any], dict[str, Any]]
    people: Callable[[Any], tuple[User, User]]
    field: str
    complete: Callable[[Any], dict[str, Any]]
    records: Callable[[Any], int]


CASES = {
    "new action": Case(
        "action_plans.new_action", lambda s: {"plan_id": s.plan.id}, lambda s: (s.senco, s.head), "description",
        lambda s: {"areas": [str(s.action.areas[0].id)], "owner": OTHER_OWNER, "owner_name": "Jo Smith",
                   "due_on": _form_date(s.year.ends_on), "success_criteria": "Every teacher trained"},
        _count(Action)),
    "progress note": Case(
        "action_plans.progress", lambda s: {"plan_id": s.plan.id, "number": 1}, lambda s: (s.senco, s.head), "note",
        lambda s: {"status": "on_track", "noted_on": ["", "", ""]}, _count(ProgressUpdate)),
    "new key learning": Case(
        "celebration.new_learning", lambda s: {"triad_id": s.triad.id}, lambda s: (s.senco, s.coach), "what_we_did",
        lambda s: {"title": "Pupil passports", "impact": "Staff use them", "next_steps": "Share them",
                   "areas": [str(s.action.areas[0].id)], "impact_areas": ["inclusion"]},
        _count(Learning)),
    "new request": Case(
        "requests.new", lambda s: {"year_id": s.year.id}, lambda s: (s.lead, s.other_lead), "details",
        lambda s: {"title": "SEND register", "working_days": "10", "audience": "all"}, _count(InformationRequest)),
    "new cluster request": Case(
        "requests.new_cluster_request", lambda s: {"cluster_id": s.cluster_meeting.cluster_id},
        lambda s: (s.cluster_lead, s.lead), "details",
        lambda s: {"title": "SEND register", "working_days": "10", "audience": "all"}, _count(InformationRequest)),
    "meeting booking": Case(
        "scheduling.meeting", lambda s: {"triad_id": s.triad.id, "number": 2}, lambda s: (s.coach, s.coach_head),
        "agenda", lambda s: _booking(_school_day(TODAY + timedelta(days=7))), _count(TriadMeeting)),
    "cluster meeting booking": Case(
        "scheduling.cluster_meeting", lambda s: {"cluster_id": s.cluster_meeting.cluster_id, "term": Term.SPRING},
        lambda s: (s.cluster_lead, s.lead), "agenda", lambda s: _booking(_spring(s)), _count(ClusterMeeting)),
    "event": Case(
        "scheduling.event", lambda s: {"year_id": s.year.id, "kind": "celebration"},
        lambda s: (s.lead, s.other_lead), "details",
        lambda s: {"day": _form_date(_spring(s)), "time": "13:00", "duration_minutes": "120", "place": "Town hall"},
        _count(ProgrammeEvent)),
}


def _typed(form: OpenForm, field: str) -> str:
    value = form.fields.get(field)
    return value or ""


def _reopened(app, user: User, case: Case, scene) -> tuple[OpenForm, str]:
    form = open_form(app, user, case.endpoint, **case.values(scene))
    return form, text_of(form.client.get_url(form.client.url(case.endpoint, **case.values(scene))), "main")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_draft_is_kept_for_its_writer_alone_until_their_save_button_saves_it(app, scene, case):
    writer, colleague = case.people(scene)
    records, notices = case.records(scene), _count(Notice)(scene)
    form = open_form(app, writer, case.endpoint, **case.values(scene))
    response = form.typed(case.field, "Typed <so far>\nand a second line").autosave()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "version" not in response.json and response.json["saved_at"]
    assert (case.records(scene), _count(Notice)(scene)) == (records, notices)  # nothing saved, nobody told

    again, page = _reopened(app, writer, case, scene)
    assert _typed(again, case.field) == "Typed <so far>\nand a second line"
    assert KEPT_BANNER in page and "Only you can see it until you save it" in page
    theirs, their_page = _reopened(app, colleague, case, scene)
    assert "Typed" not in _typed(theirs, case.field) and KEPT_BANNER not in their_page

    for name, value in case.complete(scene).items():
        again.fields.setlist(name, value if isinstance(value, list) else [value])
    saved = again.save()
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert case.records(scene) == records + 1
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0
    after, page = _reopened(app, writer, case, scene)
    assert KEPT_BANNER not in page


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_refused_save_keeps_the_draft(app, scene, case):
    writer, _ = case.people(scene)
    form = open_form(app, writer, case.endpoint, **case.values(scene))
    form.fields = MultiDict({name: form.fields[name] for name in ("csrf_token", "version") if name in form.fields})
    assert form.typed(case.field, "Half a thought").autosave().status_code == 200
    assert form.save().status_code == 200  # the rest of the form is missing: the errors are shown
    assert _typed(_reopened(app, writer, case, scene)[0], case.field) == "Half a thought"


def test_each_person_and_each_page_has_its_own_draft(app, scene):
    senco = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    head = open_form(app, scene.head, "action_plans.new_action", plan_id=scene.plan.id)
    note = open_form(app, scene.senco, "action_plans.progress", plan_id=scene.plan.id, number=1)
    for form, text in ((senco, "The SENCo's action"), (head, "The head's action"), (note, "The SENCo's note")):
        field = "note" if form is note else "description"
        assert form.typed(field, text).autosave().status_code == 200
    assert senco.typed("description", "The SENCo's action, longer").autosave().status_code == 200
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 3
    assert _typed(open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id),
                  "description") == "The SENCo's action, longer"
    assert _typed(open_form(app, scene.head, "action_plans.new_action", plan_id=scene.plan.id),
                  "description") == "The head's action"


def test_the_checkboxes_dates_and_choices_come_back_as_they_were_left(app, scene):
    form = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    area = str(scene.action.areas[0].id)
    form.fields.setlist("areas", [area])
    form.fields.setlist("due_on", ["31", "13", "2027"])  # not a date: kept as typed, refused only on Save
    form.typed("owner", OTHER_OWNER).typed("owner_name", "Jo Smith").typed("description", "Train staff again")
    assert form.autosave().status_code == 200
    page = form.client.get("action_plans.new_action", plan_id=scene.plan.id)
    assert page.select_one(f"input[name=areas][value='{area}']").has_attr("checked")
    assert page.select_one(f"input[name=owner][value={OTHER_OWNER}]").has_attr("checked")
    assert [i["value"] for i in page.select("input[name=due_on]")] == ["31", "13", "2027"]


def test_a_draft_too_long_to_keep_is_refused_in_words(app, scene):
    form = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    response = form.typed("description", "x" * (MOST_CHARACTERS + 1)).autosave()
    assert response.status_code == 422
    assert response.json["message"].startswith("This is too long to keep automatically")
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0


def test_a_draft_left_too_long_is_not_offered_and_goes(app, scene):
    form = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    assert form.typed("description", "Last term's idea").autosave().status_code == 200
    draft = db.session.scalar(select(FormDraft))
    draft.saved_at = clock.now() - DRAFT_KEPT - timedelta(minutes=1)
    db.session.commit()
    assert _typed(open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id), "description") == ""
    open_form(app, scene.head, "action_plans.new_action", plan_id=scene.plan.id).typed("description", "x").autosave()
    db.session.expire_all()
    assert [d.user_id for d in db.session.scalars(select(FormDraft))] == [scene.head.id]


def test_a_response_to_a_flag_is_kept_as_a_draft_and_the_qa_expert_is_told_on_saving(app, scene):
    moderation = open_form(app, scene.expert, "self_evaluations.moderate", evaluation_id=scene.evaluation.id)
    assert moderation.typed("level_2", "1").typed("comment_2", "Not seen").save().status_code == 302

    def told() -> int:
        return db.session.scalar(select(func.count()).select_from(Notice).where(Notice.user_id == scene.expert.id))

    before = told()
    form = open_form(app, scene.senco, "self_evaluations.respond", evaluation_id=scene.evaluation.id, position=2)
    assert form.typed("response", "Governors now meet termly").autosave().status_code == 200
    assert told() == before
    again = open_form(app, scene.senco, "self_evaluations.respond", evaluation_id=scene.evaluation.id, position=2)
    assert _typed(again, "response") == "Governors now meet termly"
    assert again.save().status_code == 302
    assert told() == before + 1
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0
    # Only a flagged area has a response to keep.
    assert form.client.client.post(form.client.url("self_evaluations.autosave_response",
                                                   evaluation_id=scene.evaluation.id, position=3),
                                   data=form.fields).status_code == 404


def test_a_change_to_a_finalised_plan_is_kept_as_a_draft_until_save_action_starts_the_next_version(app, scene):
    finalise_plan(scene.plan, scene.head)
    db.session.commit()
    form = open_form(app, scene.senco, "action_plans.edit_action", plan_id=scene.plan.id, number=1)
    response = form.typed("description", "Train all staff").autosave()
    assert response.status_code == 200 and "version" not in response.json
    db.session.expire_all()
    assert (db.session.get(Action, scene.action.id).description, scene.plan.version) == ("Train staff", 1)
    again = open_form(app, scene.senco, "action_plans.edit_action", plan_id=scene.plan.id, number=1)
    assert (_typed(again, "description"), again.fields["version"]) == ("Train all staff", "1")
    assert _typed(open_form(app, scene.head, "action_plans.edit_action", plan_id=scene.plan.id, number=1),
                  "description") == "Train staff"
    assert again.save().status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, scene.action.id).description == "Train all staff"
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0


def test_a_draft_plan_saves_the_action_itself_and_drops_a_draft_left_from_when_it_was_finalised(app, scene):
    left = open_form(app, scene.senco, "action_plans.edit_action", plan_id=scene.plan.id, number=1)
    left.fields.setlist("description", ["Old idea"])
    db.session.add(FormDraft(user_id=scene.senco.id, path=f"/action-plans/{scene.plan.id}/actions/1",
                             fields=json.dumps([[name, value] for name, value in left.fields.items(multi=True)
                                                if name != "csrf_token"]), saved_at=clock.now()))
    db.session.commit()
    form = open_form(app, scene.senco, "action_plans.edit_action", plan_id=scene.plan.id, number=1)
    assert _typed(form, "description") == "Old idea"
    response = form.typed("description", "Train staff termly").autosave()
    assert response.status_code == 200 and response.json["version"] == 2
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0


def test_a_change_to_a_sent_answer_is_kept_as_a_draft_the_lead_does_not_see_until_sent_again(app, scene):
    form = open_form(app, scene.senco, "requests.answer", recipient_id=scene.recipient.id)
    assert form.typed("answer", "Fourteen pupils").save().status_code == 302
    again = open_form(app, scene.senco, "requests.answer", recipient_id=scene.recipient.id)
    response = again.typed("answer", "Fifteen pupils").autosave()
    assert response.status_code == 200 and "version" not in response.json
    db.session.expire_all()
    assert db.session.get(RequestRecipient, scene.recipient.id).answer == "Fourteen pupils"
    lead = open_form(app, scene.lead, "requests.new", year_id=scene.year.id).client
    shown = text_of(lead.get("requests.show", request_id=scene.recipient.request_id))
    assert "Fourteen pupils" in shown and "Fifteen" not in shown
    kept = open_form(app, scene.senco, "requests.answer", recipient_id=scene.recipient.id)
    assert _typed(kept, "answer") == "Fifteen pupils"
    assert kept.save().status_code == 302
    assert "Fifteen pupils" in text_of(lead.get("requests.show", request_id=scene.recipient.request_id))


def test_the_autosaving_forms_say_where_they_keep_what_is_typed(client_request, scene):
    """Every form named here autosaves, to the page's own path with /autosave after it."""
    client_request.sign_in(scene.senco)
    for endpoint, values in (("action_plans.new_action", {"plan_id": scene.plan.id}),
                             ("celebration.new_learning", {"triad_id": scene.triad.id}),
                             ("action_plans.progress", {"plan_id": scene.plan.id, "number": 1})):
        url = client_request.url(endpoint, **values)
        form = client_request.get_url(url).select_one("form[data-autosave-url]")
        assert form is not None and form["data-autosave-url"] == f"{url}/autosave", endpoint


def test_nothing_outside_the_writers_scope_is_kept(app, scene):
    """An outsider's autosave is refused before anything is kept, as the form's page is (403)."""
    stranger = make_user(Role.SENCO, school=make_school(), name="Sid Stranger")
    db.session.commit()
    form = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    form.client.sign_in(stranger)
    assert form.typed("description", "Not mine").autosave().status_code == 403
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0


def test_a_draft_is_not_copied_into_the_audit_trail(app, scene):
    """The trail records changes to people's work; a draft is not yet anyone's work, and its text stays
    with its writer alone."""
    form = open_form(app, scene.senco, "action_plans.new_action", plan_id=scene.plan.id)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert form.typed("description", "Private thoughts on staffing").autosave().status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
