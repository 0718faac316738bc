"""Hand-off notices for the self-evaluation (submitted, signed off, reopened, flagged, answered), the
Notifications page, the header's count, the email settings and the daily summary."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.common import clock
from app.common.links import Link
from app.extensions import db
from app.frameworks.service import create_default_framework
from app.models import Notice, NoticeFrequency, NoticeKind, OutboxEmail, Role
from app.notifications.notices import Handoff, notify, queue_daily_summaries
from app.self_evaluations.moderation import assign_qa_expert, record_moderation, respond_to_flag
from app.self_evaluations.service import (
    evaluation_page,
    reopen_self_evaluation,
    save_area,
    sign_off_self_evaluation,
    start_self_evaluation,
    submit_self_evaluation,
)
from tests.factories import make_programme, make_triad, make_user, make_year
from tests.pages import text_of

SECRET = "Our SEND register names every pupil with an EHCP"  # what a school wrote: in no notice or email


@pytest.fixture
def triad(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    return make_triad(make_year(programme))


@pytest.fixture
def people(triad):
    """The staff of the triad's three schools, a head elsewhere, and the QA expert of the second school."""
    coach, school, partner = (m.school for m in sorted(triad.members, key=lambda m: m.position))
    found = {
        "coach_head": make_user(Role.HEAD, school=coach, name="Cora Coach"),
        "head": make_user(Role.HEAD, school=school, name="Hana Head"),
        "senco": make_user(Role.SENCO, school=school, name="Sam Senco"),
        "partner_senco": make_user(Role.SENCO, school=partner, name="Pat Partner"),
        "stranger": make_user(Role.HEAD, school=make_triad(triad.year).members[0].school, name="Stan Stranger"),
        "qa": make_user(Role.QA_EXPERT, programme=triad.year.programme, name="Quinn Expert"),
    }
    assign_qa_expert(triad.year, school, found["qa"].id)
    db.session.commit()
    found["school"], found["year"] = school, triad.year
    return found


def _written(people, level=3):
    evaluation = start_self_evaluation(people["school"], people["year"])
    for rating in evaluation.ratings:
        save_area(rating, rating.version, {"level": level, "evidence": SECRET})
    db.session.commit()
    return evaluation


def _names(people, kind: NoticeKind) -> set[str]:
    ids = {person.id: name for name, person in people.items() if name not in ("school", "year")}
    return {ids[n.user_id] for n in db.session.scalars(select(Notice).where(Notice.kind == kind))}


def _no_secret_anywhere():
    for notice in db.session.scalars(select(Notice)):
        assert SECRET not in notice.summary + notice.action + notice.path
    for email in db.session.scalars(select(OutboxEmail)):
        assert SECRET not in email.subject + email.body


def test_the_self_evaluation_is_handed_on_at_each_step_to_those_whose_turn_it_is(people):
    evaluation = _written(people)
    submit_self_evaluation(evaluation, people["senco"])
    db.session.commit()
    assert _names(people, NoticeKind.SUBMITTED) == {"head"}
    [notice] = db.session.scalars(select(Notice).where(Notice.kind == NoticeKind.SUBMITTED))
    school = people["school"].name
    assert notice.summary == f"Sam Senco submitted {school}'s self-evaluation for 2025/26"
    assert notice.action == "Read the self-evaluation and sign it off"
    assert notice.path == f"/self-evaluations/{evaluation.id}"
    assert notice.sent_by == f"Sam Senco, SENCo, {school}"
    [email] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == people["head"].email))
    assert email.subject == notice.summary
    assert f"/self-evaluations/{evaluation.id}" in email.body and "Sent by Sam Senco, SENCo" in email.body

    sign_off_self_evaluation(evaluation, people["head"])
    db.session.commit()
    # the triad's other schools and the QA expert; not the school's own SENCo, nor anyone outside the triad
    assert _names(people, NoticeKind.SIGNED_OFF) == {"coach_head", "partner_senco", "qa"}

    reopen_self_evaluation(evaluation, people["head"], SECRET)
    db.session.commit()
    assert _names(people, NoticeKind.REOPENED) == {"senco"}
    _no_secret_anywhere()


def test_a_flag_tells_the_school_and_its_answer_tells_the_qa_expert_once_each(people):
    evaluation = _written(people, level=4)
    submit_self_evaluation(evaluation, people["head"])
    db.session.commit()
    assert _names(people, NoticeKind.SUBMITTED) == set()  # the head submitted it: nobody else signs off
    record_moderation(evaluation_page(evaluation.id), people["qa"], {1: (4, ""), 2: (1, SECRET), 3: (2, "")})
    db.session.commit()
    assert _names(people, NoticeKind.FLAGGED) == {"head", "senco"}
    [flag] = {n.summary for n in db.session.scalars(select(Notice).where(Notice.kind == NoticeKind.FLAGGED))}
    assert "flagged areas 2, 3" in flag
    # saving the same ratings again flags nothing new
    record_moderation(evaluation_page(evaluation.id), people["qa"], {2: (1, SECRET + " again"), 3: (2, "")})
    db.session.commit()
    assert db.session.query(Notice).filter_by(kind=NoticeKind.FLAGGED).count() == 2

    respond_to_flag(evaluation_page(evaluation.id), 2, SECRET, people["senco"])
    respond_to_flag(evaluation_page(evaluation.id), 2, SECRET, people["senco"])  # unchanged: nothing new
    db.session.commit()
    assert _names(people, NoticeKind.FLAG_RESPONSE) == {"qa"}
    assert db.session.query(Notice).filter_by(kind=NoticeKind.FLAG_RESPONSE).count() == 1
    _no_secret_anywhere()


def _handoff(event="an-event", by=None) -> Handoff:
    return Handoff(NoticeKind.SUBMITTED, event, "Sam Senco submitted a self-evaluation", "Read it",
                   Link.to("main.home"), by)


def test_the_same_event_is_noticed_and_emailed_once_and_never_to_whoever_did_it(people):
    head, senco = people["head"], people["senco"]
    assert notify(_handoff(by=senco), [head, senco, head]) == 1
    assert notify(_handoff(by=senco), [head]) == 0
    db.session.commit()
    assert db.session.query(Notice).filter_by(user_id=head.id).count() == 1
    assert db.session.query(Notice).filter_by(user_id=senco.id).count() == 0
    assert db.session.query(OutboxEmail).filter_by(to_address=head.email).count() == 1
    people["partner_senco"].active = False
    assert notify(_handoff("another"), [people["partner_senco"]]) == 0


def test_a_daily_summary_goes_once_a_day_however_many_schedulers_send_it(people):
    head = people["head"]
    head.notice_frequency = NoticeFrequency.DAILY
    db.session.commit()
    notify(_handoff("first"), [head])
    notify(Handoff(NoticeKind.REOPENED, "second", "Hana Head reopened a self-evaluation", "Carry on",
                   Link.to("main.home")), [head])
    db.session.commit()
    assert db.session.query(OutboxEmail).filter_by(to_address=head.email).count() == 0  # not as it happens
    now = clock.now()
    assert queue_daily_summaries(now) == 1
    assert queue_daily_summaries(now + timedelta(minutes=1)) == 0  # a second scheduler, or a rerun
    db.session.commit()
    [summary] = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == head.email))
    assert summary.subject == "SEND Triads: 2 updates for you"
    assert "Sam Senco submitted a self-evaluation." in summary.body
    assert "Hana Head reopened a self-evaluation." in summary.body
    assert "/notifications" in summary.body
    # a notice arriving after today's summary waits for tomorrow's, and is in it
    notify(_handoff("third"), [head])
    assert queue_daily_summaries(now + timedelta(hours=1)) == 0
    assert queue_daily_summaries(now + timedelta(days=1)) == 1
    db.session.commit()
    assert db.session.query(OutboxEmail).filter_by(to_address=head.email).count() == 2


def test_the_notifications_page_marks_unread_and_opening_one_reads_it(people, client_request):
    head = people["head"]
    notify(_handoff("one"), [head])
    notify(Handoff(NoticeKind.REOPENED, "two", "Hana Head reopened a self-evaluation", "Carry on",
                   Link.to("calendars.account")), [head])
    db.session.commit()
    client_request.sign_in(head)
    page = client_request.get("notices.index")
    assert "2 unread" in text_of(page, "header")
    assert "You have 2 unread notifications." in text_of(page)
    assert len(page.select(".app-notice--unread")) == 2
    notice = db.session.scalar(select(Notice).where(Notice.dedupe_key == f"two:{head.id}"))
    response = client_request.post("notices.open_one", _form_endpoint="notices.index", notice_id=notice.id)
    assert response.location.endswith("/account/calendar")
    page = client_request.get("notices.index")
    assert "1 unread" in text_of(page, "header") and len(page.select(".app-notice--unread")) == 1
    page = client_request.post("notices.read_all", _form_endpoint="notices.index", _follow=True,
                               _expected_status=200)
    assert "unread" not in text_of(page, "header")
    assert "You have read all your notifications." in text_of(page)


def test_someone_elses_notice_cannot_be_opened(people, client_request):
    notify(_handoff(), [people["head"]])
    db.session.commit()
    notice = db.session.scalar(select(Notice))
    client_request.sign_in(people["senco"])
    client_request.post("notices.open_one", _form_endpoint="notices.index", _expected_status=403, notice_id=notice.id)
    assert db.session.get(Notice, notice.id).read_at is None


def test_the_email_settings_choose_a_daily_summary_and_refuse_anything_else(people, client_request):
    senco = people["senco"]
    client_request.sign_in(senco)
    page = client_request.get("notices.settings")
    assert page.select_one("input[name=frequency][value=immediate]").has_attr("checked")
    page = client_request.post("notices.settings", {"frequency": "hourly"}, _expected_status=200)
    assert "Choose how we should email you" in text_of(page, ".govuk-error-summary")
    db.session.refresh(senco)
    assert senco.notice_frequency == NoticeFrequency.IMMEDIATE
    client_request.post("notices.settings", {"frequency": "daily"})
    db.session.refresh(senco)
    assert senco.notice_frequency == NoticeFrequency.DAILY
