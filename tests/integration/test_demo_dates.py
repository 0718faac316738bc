"""The demo loaded on any date of the year holds together: the current academic year open and at the stage
a real programme would be at, last year closed and complete, and every date inside its own year, on the
records and on the pages people open."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Connection, select

from app.common import clock
from app.common.dates import academic_start_year
from app.demo.programme import load_demo_programme
from app.extensions import db
from app.models import (
    Action,
    ActionPlan,
    CelebrationSubmission,
    ClusterMeeting,
    Deadline,
    InformationRequest,
    Learning,
    PeerVisit,
    PlanStatus,
    PlanVersion,
    ProgrammeEvent,
    ProgrammeYear,
    ProgressUpdate,
    QAVisit,
    RequestRecipient,
    SelfEvaluation,
    Triad,
    TriadMeeting,
    User,
)
from app.models import EvaluationStatus as Status
from tests.conftest import bound_session, rolled_back_connection
from tests.pages import text_of

# Moments in England (UTC here; 1 September and 31 August are in British Summer Time).
DATES = {
    "1 September": datetime(2026, 9, 1, 8, tzinfo=timezone.utc),
    "3 December": datetime(2026, 12, 3, 12, tzinfo=timezone.utc),
    "31 March": datetime(2027, 3, 31, 11, tzinfo=timezone.utc),
    "20 July": datetime(2027, 7, 20, 11, tzinfo=timezone.utc),
    "31 August": datetime(2027, 8, 31, 16, tzinfo=timezone.utc),
}


@pytest.fixture(scope="module", params=DATES.values(), ids=DATES.keys())
def demo(app, request) -> Iterator[tuple[Connection, datetime]]:
    """The demo loaded as it would be on one of the dates, once for every test of that date (a load takes
    seconds); each test works in a savepoint of it (`session` below), undone after the test."""
    moment = request.param
    with rolled_back_connection(app) as connection:
        with bound_session(app, connection, keep=True):
            with clock.frozen_at(moment):
                load_demo_programme()
            db.session.commit()
        yield connection, moment


@pytest.fixture
def session(app, demo):
    with bound_session(app, demo[0]) as bound:
        yield bound


@pytest.fixture
def moment(demo) -> datetime:
    return demo[1]


@pytest.fixture
def loaded(session, moment) -> tuple[ProgrammeYear, ProgrammeYear]:
    """Last year and this year of the demo loaded on the test's date."""
    last, this = db.session.scalars(select(ProgrammeYear).order_by(ProgrammeYear.start_year)).all()
    return last, this


on_3_december = pytest.mark.parametrize("demo", [DATES["3 December"]], ids=["3 December"], indirect=True)


def person(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def sign_in(client_request, email: str) -> None:
    """Signed in as `email` at the frozen moment (ClientRequest.sign_in stamps the real one, which a later
    frozen moment would take for an idle session)."""
    client_request.sign_in(person(email))
    with client_request.client.session_transaction() as flask_session:
        flask_session["seen_at"] = clock.now().timestamp()


def in_year(year_ids: dict, year_id, day: date) -> bool:
    year = year_ids[year_id]
    return year.starts_on <= day <= year.ends_on


def triad_years() -> dict:
    return {t.id: t.year_id for t in db.session.scalars(select(Triad))}


def test_the_current_year_is_open_and_the_one_before_closed(loaded, moment):
    last, this = loaded
    start_year = academic_start_year(clock.in_london(moment).date())
    assert (this.start_year, this.is_closed) == (start_year, False)
    assert (last.start_year, last.is_closed) == (start_year - 1, True)


def test_last_year_is_complete(loaded, moment):
    last, _this = loaded
    evaluations = db.session.scalars(select(SelfEvaluation).where(SelfEvaluation.year_id == last.id)).all()
    assert len(evaluations) == 9 and {e.status for e in evaluations} == {Status.SIGNED_OFF}
    plans = db.session.scalars(select(ActionPlan).where(ActionPlan.year_id == last.id)).all()
    assert len(plans) == 9 and {p.status for p in plans} == {PlanStatus.FINALISED}
    assert {a.status.value for p in plans for a in p.actions} == {"complete"}
    meetings = db.session.scalars(select(TriadMeeting).join(TriadMeeting.triad).where(Triad.year_id == last.id)).all()
    assert sorted(m.number for m in meetings) == [1, 1, 1, 2, 2, 2, 3, 3, 3] and all(m.held for m in meetings)
    visits = db.session.scalars(select(PeerVisit).join(PeerVisit.triad).where(Triad.year_id == last.id)).all()
    assert len(visits) == 6 and all(v.notes_at for v in visits)
    submissions = db.session.scalars(select(CelebrationSubmission).join(CelebrationSubmission.triad)
                                     .where(Triad.year_id == last.id)).all()
    assert len(submissions) == 3 and all(s.is_submitted for s in submissions)
    qa_visits = db.session.scalars(select(QAVisit).where(QAVisit.year_id == last.id)).all()
    assert len(qa_visits) == 3 and all(visit.moderated for visit in qa_visits)


def test_every_date_falls_in_its_own_year(loaded, moment):
    last, this = loaded
    years, of_triad = {last.id: last, this.id: this}, triad_years()
    days = [(of_triad[m.triad_id], clock.in_london(m.starts_at).date())
            for m in db.session.scalars(select(TriadMeeting))]
    days += [(of_triad[v.triad_id], clock.in_london(v.starts_at).date())
             for v in db.session.scalars(select(PeerVisit))]
    days += [(m.year_id, clock.in_london(m.starts_at).date()) for m in db.session.scalars(select(ClusterMeeting))]
    days += [(e.year_id, clock.in_london(e.starts_at).date()) for e in db.session.scalars(select(ProgrammeEvent))]
    days += [(v.year_id, clock.in_london(v.starts_at).date()) for v in db.session.scalars(select(QAVisit))]
    days += [(d.year_id, d.due_on) for d in db.session.scalars(select(Deadline))]
    for request in db.session.scalars(select(InformationRequest)):
        days += [(request.year_id, request.issued_on), (request.year_id, request.due_on)]
    for action in db.session.scalars(select(Action)):
        days += [(action.plan.year_id, action.due_on)]
        days += [(action.plan.year_id, update.noted_on) for update in action.updates]
    assert len(days) > 60
    assert [(years[year_id].label, day) for year_id, day in days if not in_year(years, year_id, day)] == []


def test_nothing_done_is_dated_after_now_and_nothing_booked_before_it_is_left_unheld(loaded, moment):
    done = [e.submitted_at for e in db.session.scalars(select(SelfEvaluation)) if e.submitted_at]
    done += [e.signed_off_at for e in db.session.scalars(select(SelfEvaluation)) if e.signed_off_at]
    done += [v.finalised_at for v in db.session.scalars(select(PlanVersion))]
    done += [v.notes_at for v in db.session.scalars(select(PeerVisit)) if v.notes_at]
    done += [r.answered_at for r in db.session.scalars(select(RequestRecipient)) if r.answered_at]
    done += [s.submitted_at for s in db.session.scalars(select(CelebrationSubmission)) if s.submitted_at]
    done += [learning.tagged_at for learning in db.session.scalars(select(Learning)) if learning.tagged_at]
    done += [clock.london_time(u.noted_on, datetime.min.time()) for u in db.session.scalars(select(ProgressUpdate))]
    assert done and [when for when in done if when > moment] == []
    meetings = [*db.session.scalars(select(TriadMeeting)), *db.session.scalars(select(ClusterMeeting))]
    assert [m.starts_at for m in meetings if m.held != (m.starts_at <= moment)] == []
    visits = db.session.scalars(select(PeerVisit)).all()  # written up the day after
    assert [v.starts_at for v in visits
            if (v.notes_at is not None) != (v.starts_at + timedelta(days=1) <= moment)] == []


def test_overdue_actions_are_really_overdue_on_the_plan_page(loaded, client_request, moment):
    _last, this = loaded
    with clock.frozen_at(moment):
        plan = db.session.scalars(select(ActionPlan).where(ActionPlan.year_id == this.id,
                                                           ActionPlan.school.has(urn=700101))).one()
        assert bool(plan.actions) == (clock.today() >= date(this.start_year, 10, 8))  # drafted at meeting 1
        expected = [a.number for a in plan.actions if a.status.value != "complete" and a.due_on < clock.today()]
        sign_in(client_request, "head.aldergrove@northbrook.example")
        page = client_request.get("action_plans.show", plan_id=plan.id)
        overdue = [int(card.get_text().split()[1]) for card in page.select("h3.govuk-summary-card__title")
                   if "Overdue" in card.get_text()]
        assert overdue == expected


def test_triad_a_page_shows_meetings_held_before_today_and_booked_after(loaded, client_request, moment):
    _last, this = loaded
    with clock.frozen_at(moment):
        triad = db.session.scalars(select(Triad).where(Triad.year_id == this.id, Triad.name == "Triad A")).one()
        booked = {m.number: m for m in
                  db.session.scalars(select(TriadMeeting).where(TriadMeeting.triad_id == triad.id))}
        sign_in(client_request, "senco.birchwoodlane@northbrook.example")
        page = client_request.get("programmes.triad", triad_id=triad.id)
        rows = page.select_one("#meetings").find_next("table").select("tbody tr")
        states = [row.select("td")[1].get_text(strip=True) for row in rows]
        expected = ["Held" if n in booked and booked[n].starts_at <= moment else "Scheduled" if n in booked
                    else "Missing" for n in (1, 2, 3)]
        assert states == expected
        assert booked[1].held == (moment >= booked[1].starts_at)


def test_the_programme_page_shows_this_year_open_and_last_year_closed(loaded, client_request, moment):
    last, this = loaded
    with clock.frozen_at(moment):
        sign_in(client_request, "lead@northbrook.example")
        text = text_of(client_request.get("programmes.show", programme_id=this.programme_id))
        assert this.label in text and last.label in text
        assert f"Start {this.start_year + 1}/{(this.start_year + 2) % 100:02d}" in text  # the roll-over to try
        home = client_request.get("main.home")
        assert "Hello," in text_of(home)


@on_3_december
@pytest.mark.parametrize(("email", "coming"), [
    ("senco.birchwoodlane@northbrook.example", "20 January 2027 at 1:30pm Triad A meeting 2"),
    ("qa@northbrook.example", "20 January 2027 at 10:00am QA visit"),
])
def test_on_3_december_what_is_coming_up_is_the_next_meeting_or_visit(loaded, client_request, moment, email, coming):
    with clock.frozen_at(moment):
        sign_in(client_request, email)
        coming_up = client_request.get("main.home").select_one("#coming-up")
        assert coming_up is not None
        entries = [" ".join(li.get_text(" ").split()) for li in coming_up.select("li")]
        assert entries and entries[0].startswith(coming)


@on_3_december
def test_on_3_december_the_lead_sees_the_change_since_last_year(loaded, client_request, moment):
    last, this = loaded
    with clock.frozen_at(moment):
        sign_in(client_request, "lead@northbrook.example")
        dashboard = client_request.get("dashboard.show", year_id=this.id)
        change = dashboard.select_one("#change")
        assert change is not None and change.get_text(strip=True) == f"Change since {last.label}"
        cells = [td.get_text(strip=True) for td in change.find_next("table").select("tbody td")]
        changes = cells[2::3]  # (last year's average, this year's, the change) per area
        assert len(changes) == 8 and all(change.startswith(("Up", "Down", "No change")) for change in changes)


@on_3_december
def test_on_3_december_the_request_has_a_late_answer_and_late_schools(loaded, client_request, moment):
    _last, this = loaded
    with clock.frozen_at(moment):
        request = db.session.scalars(select(InformationRequest).where(InformationRequest.year_id == this.id)).one()
        late_answers = [r for r in request.recipients if r.answered_at and
                        clock.in_london(r.answered_at).date() > request.due_on]
        assert [r.school.urn for r in late_answers] == [700106]
        sign_in(client_request, "lead@northbrook.example")
        page = client_request.get("requests.show", request_id=request.id)
        tags = [tag.get_text(strip=True) for tag in page.select("td .govuk-tag")]
        assert tags.count("Late") == 2 and tags.count("Answered") == 10


PEOPLE = ("lead@northbrook.example", "qa@northbrook.example", "clusterlead.north@northbrook.example",
          "head.aldergrove@northbrook.example", "senco.damsonhill@northbrook.example",
          "senco.larchmere@northbrook.example")


def test_nobody_has_anything_to_do_or_coming_up_in_last_year(loaded, client_request, moment):
    last, this = loaded
    with clock.frozen_at(moment):
        for email in PEOPLE:  # one load of the demo for them all: it takes seconds
            sign_in(client_request, email)
            home = client_request.get("main.home")
            for part in ("section[aria-labelledby=to-do]", "section[aria-labelledby=waiting]", "#coming-up"):
                assert last.label not in text_of(home, part), (email, part)
