"""Every form, sent hostile input: control characters, a megabyte, unusual unicode, HTML, impossible dates,
wrong types, fields missing or sent twice. None may give a 500, and a form that is not accepted (anything
but a redirect, or a JSON success from an autosave) must leave the database as it was: a form re-shown
with errors answers 200, and a 200 commits whatever was flushed.

Each form is sent one submission per kind of hostile input (tests.fuzzing.explicit_payloads), then
FUZZ_EXAMPLES (8) that hypothesis draws, mixing kinds field by field. The draws are the same every run
(derandomized, so CI is reproducible); FUZZ_RANDOM=1 draws new ones.
"""
from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, example, given, settings
from werkzeug.datastructures import MultiDict

from app.common.forms import ConfirmForm
from app.extensions import db
from app.models import User
from app.people.forms import ConfirmBulkInviteForm
from app.permissions import PUBLIC, SIGNED_IN
from app.programmes.forms import ConfirmImportForm, TriadForm
from app.years.forms import ReopenYearForm
from tests.celebrations import add_learning
from tests.conftest import bound_session
from tests.factories import enrol
from tests.fuzzing import Form, Payload, explicit_payloads, find_form, form_from_class, payloads, row_counts
from tests.pages import ClientRequest
from tests.seeded import rolled_back, seed_year

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
DERANDOMIZE = os.environ.get("FUZZ_RANDOM") != "1"

# Who posts a form, when no entry below says: by the permission its view declares.
ROLE_FOR_PERMISSION = {
    PUBLIC: "anonymous", SIGNED_IN: "senco", "admin": "admin",
    "programme.create": "lead", "programme.manage": "lead", "cluster.manage": "lead", "learning.tag": "lead",
    "celebration.return": "lead", "cluster.lead": "cluster_lead", "cluster_meeting.manage": "cluster_lead",
    "school.staff": "senco", "self_evaluation.edit": "senco", "action_plan.edit": "senco", "request.answer": "senco",
    "school.head": "head", "self_evaluation.head": "head", "action_plan.head": "head", "self_evaluation.moderate": "qa",
    "triad.schedule": "coach", "triad.coach": "coach", "meeting.manage": "coach", "peer_visit.write": "coach",
    "celebration.edit": "coach", "learning.edit": "coach",
}


@dataclass(frozen=True)
class Reach:
    """How to reach a form: who posts it, which seeded records its URL names (url argument -> SeededYear
    attribute), the page that shows it when that is not its own URL, and its WTForms class when no page does."""

    role: str | None = None
    records: dict[str, str] = field(default_factory=dict)
    page: str | None = None
    form_class: type | None = None


D_EVALUATION = {"evaluation_id": "draft_evaluation"}
S_EVALUATION = {"evaluation_id": "submitted_evaluation"}
D_PLAN = {"plan_id": "draft_plan"}
D_SENCO = {"school_id": "draft_school", "assignment_id": "senco_at_d"}

# Every POST route (test_every_post_route_is_fuzzed keeps this list complete).
FORMS: dict[str, Reach] = {
    "action_plans.autosave_action": Reach(records=D_PLAN, page="action_plans.edit_action"),
    "action_plans.autosave_new_action": Reach(records=D_PLAN, page="action_plans.new_action"),
    "action_plans.autosave_progress": Reach(role="head_of_submitted", page="action_plans.progress"),
    "action_plans.edit_action": Reach(records=D_PLAN),
    "action_plans.finalise": Reach(records=D_PLAN, page="action_plans.show"),
    "action_plans.new_action": Reach(records=D_PLAN),
    "action_plans.progress": Reach(role="head_of_submitted"),
    "action_plans.remove": Reach(records=D_PLAN),
    "action_plans.start": Reach(role="other_triad", records={"school_id": "u1"}, page="programmes.school"),
    "admin.change_active": Reach(form_class=ConfirmForm),  # the list's Reactivate (for the deactivated) only
    "admin.deactivate": Reach(),
    "admin.new_organisation": Reach(),
    "auth.accept_invite": Reach(),
    "auth.forgot_password": Reach(),
    "auth.keep_alive": Reach(page="main.home"),  # the timeout warning's "Stay signed in", on every signed-in page
    "auth.reset_password": Reach(),
    "auth.sign_in": Reach(),
    "auth.sign_out": Reach(page="main.home"),
    "calendars.account": Reach(role="head"),
    "calendars.make_link": Reach(page="calendars.account"),  # the SENCo has no calendar link yet
    "notices.open_one": Reach(role="head", page="notices.index"),  # D's head has an unread notice
    "notices.read_all": Reach(role="head", page="notices.index"),
    "notices.settings": Reach(),
    "celebration.autosave_learning": Reach(page="celebration.edit_learning"),
    "celebration.autosave_new_learning": Reach(role="other_triad", records={"triad_id": "other_triad"},
                                               page="celebration.new_learning"),
    "celebration.edit_learning": Reach(),
    "celebration.new_learning": Reach(role="other_triad", records={"triad_id": "other_triad"}),
    "celebration.prepare": Reach(form_class=ConfirmForm),  # shown only for more than PACK_INLINE_TRIADS triads
    "celebration.remove": Reach(),
    "celebration.return_for_changes": Reach(page="celebration.year"),
    "celebration.submit": Reach(role="other_triad", records={"triad_id": "other_triad"}, page="celebration.show"),
    "celebration.tag": Reach(),
    "clusters.index": Reach(),
    "deadlines.chase": Reach(),
    "deadlines.edit": Reach(),
    "clusters.leads": Reach(),
    "scheduling.cluster_meeting": Reach(),
    "requests.new_cluster_request": Reach(),
    "scheduling.record_cluster": Reach(),
    "clusters.schools": Reach(),
    "clusters.send_review": Reach(),
    "frameworks.edit_area": Reach(),
    "frameworks.edit_scale": Reach(),
    "programmes.closure_days": Reach(),
    "programmes.logo": Reach(),
    "programmes.remove_logo_page": Reach(form_class=ConfirmForm),  # its button shows only once there is a logo
    "programmes.confirm_import": Reach(form_class=ConfirmImportForm),
    "programmes.dissolve": Reach(),
    "programmes.accept_suggestion": Reach(page="programmes.triad_suggestions"),
    "programmes.edit_triad_details": Reach(),
    "programmes.import_schools": Reach(),
    "programmes.invite": Reach(),
    "programmes.new": Reach(),
    "programmes.name_triad": Reach(form_class=TriadForm),  # shown only once three schools are chosen
    "programmes.new_year": Reach(),
    "programmes.remove_access": Reach(role="head", records={"school_id": "draft_school",
                                                            "assignment_id": "senco_at_d"}),
    "programmes.remove_closure_day": Reach(page="programmes.closure_days"),
    "people.invite": Reach(role="head", records={"school_id": "draft_school"}),
    "people.end_role": Reach(role="head", records=D_SENCO),
    "people.resend": Reach(role="head", records=D_SENCO, form_class=ConfirmForm),  # D's SENCo has set a password
    "people.successor": Reach(role="head", records=D_SENCO),
    "people.bulk_invite": Reach(),
    "people.confirm_bulk_invite": Reach(form_class=ConfirmBulkInviteForm),
    "requests.answer": Reach(),
    "requests.autosave_answer": Reach(page="requests.answer"),  # D's is sent: a change is kept as a draft
    "requests.autosave_new": Reach(page="requests.new"),
    "requests.autosave_new_cluster_request": Reach(page="requests.new_cluster_request"),
    "requests.new": Reach(),
    "scheduling.event": Reach(),
    "scheduling.meeting": Reach(),
    "scheduling.peer_visit": Reach(records={"school_id": "draft_school"}),
    "scheduling.qa_visit": Reach(),
    "scheduling.autosave_cluster_meeting": Reach(page="scheduling.cluster_meeting"),
    "scheduling.autosave_event": Reach(page="scheduling.event"),
    "scheduling.autosave_meeting": Reach(page="scheduling.meeting"),
    "scheduling.autosave_record": Reach(page="scheduling.record"),
    "scheduling.autosave_record_cluster": Reach(page="scheduling.record_cluster"),
    "scheduling.autosave_visit_notes": Reach(page="scheduling.visit_notes"),
    "scheduling.record": Reach(),
    "scheduling.visit_notes": Reach(),
    "self_evaluations.area": Reach(records=D_EVALUATION),
    "self_evaluations.autosave": Reach(records=D_EVALUATION, page="self_evaluations.area"),
    "self_evaluations.autosave_moderation": Reach(page="self_evaluations.moderate"),
    "self_evaluations.autosave_response": Reach(role="head_of_submitted", page="self_evaluations.respond"),
    "self_evaluations.moderate": Reach(),
    "self_evaluations.qa_expert": Reach(),
    "self_evaluations.reopen": Reach(role="head_of_submitted"),
    "self_evaluations.respond": Reach(role="head_of_submitted"),
    "self_evaluations.sharing": Reach(role="head_of_submitted", page="self_evaluations.show"),
    "self_evaluations.sign_off": Reach(role="head_of_submitted"),
    "self_evaluations.start": Reach(role="other_triad", records={"school_id": "u1"}, page="programmes.school"),
    "self_evaluations.submit": Reach(records=D_EVALUATION, page="self_evaluations.answers"),
    "years.close": Reach(),
    "years.length": Reach(),
    "years.next_year": Reach(),
    "years.reopen": Reach(form_class=ReopenYearForm),  # the seeded year is open: its page sends you back
}


@dataclass
class World:
    """The seeded year, as ids: its URL values, the extra records FORMS names, and the users by role."""

    values: dict[str, object]
    tokens: dict[str, str]
    records: dict[str, object]
    users: dict[str, object]  # role -> user id (None for anonymous)

    def url(self, client_request, app, endpoint: str, records: dict[str, str]) -> str:
        rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
        values = {**self.values, **{name: self.records[attr] for name, attr in records.items()}}
        if "token" in rule.arguments:
            values["token"] = self.tokens[endpoint]
        return client_request.url(endpoint, **{name: values[name] for name in rule.arguments})

    def user(self, role: str) -> User | None:
        return None if self.users[role] is None else db.session.get(User, self.users[role])


def _seed() -> World:
    """seed_year(), plus what some forms need to be shown at all: three schools not yet in a triad (to form
    one), and a key learning in triad U not yet submitted (to submit it)."""
    seeded = seed_year()
    enrol(seeded.year)
    add_learning(seeded.other_triad, "Parent drop-ins in triad U")
    records = {name: getattr(seeded, name).id for name in ("draft_evaluation", "submitted_evaluation", "draft_plan",
                                                           "draft_school", "other_triad")}
    records["u1"] = seeded.other_triad_schools[0].id
    records["senco_at_d"] = seeded.users["senco"].roles[0].id
    users = {role: user.id if user else None for role, user in seeded.users.items()}
    users["head_of_submitted"] = seeded.head_of_submitted.id
    return World(seeded.url_values(), dict(seeded.tokens), records, users)


@pytest.fixture(scope="module")
def world(app):
    """One seeded year for the whole module (seeding takes seconds), rolled back at the end as the
    `session` fixture does for one test; each example undoes its own writes (`rolled_back`)."""
    with bound_session(app):
        yield _seed()


def _start(client_request, user: User | None, csrf_secret: str | None) -> None:
    """A fresh browser session for each example: signed in as `user` (or nobody), with the form's CSRF secret."""
    with client_request.client.session_transaction() as flask_session:
        flask_session.clear()
        if csrf_secret is not None:
            flask_session["csrf_token"] = csrf_secret
    if user is not None:
        client_request.sign_in(user)


def _where(error: Exception) -> str:
    """The app's own lines the exception came through, innermost last."""
    frames = [f"{frame.filename.split('/app/', 1)[1]}:{frame.lineno}"
              for frame in traceback.extract_tb(error.__traceback__)
              if "/app/" in frame.filename and "/site-packages/" not in frame.filename]
    return " > ".join(frames[-3:]) or "?"


def _accepted(response) -> bool:
    """A form that was accepted: it redirects, or (an autosave) answers JSON with a 2xx."""
    return response.status_code in (301, 302, 303) or (response.is_json and 200 <= response.status_code < 300)


def _changes(before: dict[str, int], after: dict[str, int]) -> dict[str, str]:
    return {name: f"{before[name]} -> {after[name]}" for name in before if before[name] != after[name]}


def _the_form(app, client_request, endpoint: str, reach: Reach, world: World, user: User | None
              ) -> tuple[str, Form, str]:
    """The URL the form posts to, its fields as the page shows them, and the page's CSRF token."""
    post_url = world.url(client_request, app, endpoint, reach.records)
    page_endpoint = reach.page or ("main.home" if reach.form_class else endpoint)
    page_url = world.url(client_request, app, page_endpoint, reach.records)
    _start(client_request, user, None)
    page = client_request.get_url(page_url)
    token = page.select_one("input[name=csrf_token]")
    assert token is not None, f"{page_url} has no CSRF token"
    form = form_from_class(reach.form_class, post_url) if reach.form_class else find_form(page, page_url, post_url)
    assert form is not None, f"{page_url} has no form that posts to {post_url}"
    return post_url, form, token["value"]


def test_every_post_route_is_fuzzed(app):
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posted == set(FORMS)


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_hostile_input_gives_no_500_and_a_refused_form_saves_nothing(endpoint, app, world):
    reach = FORMS[endpoint]
    role = reach.role or ROLE_FOR_PERMISSION[app.view_functions[endpoint].required_permission]
    client_request = ClientRequest(app.test_client())
    client = client_request.client
    with rolled_back():
        post_url, form, token = _the_form(app, client_request, endpoint, reach, world, world.user(role))
        with client.session_transaction() as flask_session:
            csrf_secret = flask_session.get("csrf_token")

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
              report_multiple_bugs=False,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(payload=payloads(form))
    def sending(payload: Payload) -> None:
        with rolled_back():
            _start(client_request, world.user(role), csrf_secret)
            before = row_counts(db.session)
            try:
                response = client.post(post_url, data=MultiDict(list(payload.items(token))))
            except Exception as error:  # the app's exception, raised by the test client in testing: a 500
                raise AssertionError(f"{endpoint} raised {type(error).__name__} at {_where(error)}: "
                                     f"{str(error)[:600]}") from None
            assert response.status_code < 500, f"{endpoint} answered {response.status_code}"
            if not _accepted(response):
                changed = _changes(before, row_counts(db.session))
                assert not changed, f"{endpoint} answered {response.status_code} but saved: {changed}"

    for payload in explicit_payloads(form):
        sending = example(payload=payload)(sending)
    sending()
