"""Deadline chasers at fixed moments: who is chased, on which working day before and after the date (bank
holidays and closure days skipped), nothing twice, a moved date chases again, and two schedulers racing
write each chaser once."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import func, select

from app.deadlines.chasers import queue_deadline_chasers
from app.deadlines.service import set_deadlines
from app.extensions import db
from app.models import (
    ClosureDay,
    DeadlineKind,
    EvaluationStatus,
    Notice,
    NoticeKind,
    OutboxEmail,
    QAVisit,
    Role,
    User,
)
from tests.celebrations import submitted
from tests.databases import migrated_app
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year
from tests.integration.test_reminder_email import _race  # two schedulers, each with its own session
from tests.locality import moderate, plan, rate

DUE = date(2026, 3, 13)  # a Friday


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def build_year():
    """Triad T (Alder, Birch, Cedar) and Damson, outside any triad. Alder has submitted its self-evaluation,
    Birch has a draft, Cedar and Damson have none. Damson has a head and no SENCo; Cedar's second SENCo has left."""
    year = make_year(make_programme_with_framework(), start_year=2025)
    schools = [make_school(name=f"{name} School") for name in ("Alder", "Birch", "Cedar", "Damson")]
    enrol(year, *schools)
    triad = make_triad(year, schools[:3], name="Triad T")
    people = {}
    for school in schools[:3]:
        key = school.name.split()[0].lower()
        people[f"{key}.senco"] = make_user(Role.SENCO, school=school, email=f"{key}.senco@example.org")
        people[f"{key}.head"] = make_user(Role.HEAD, school=school, email=f"{key}.head@example.org")
    people["damson.head"] = make_user(Role.HEAD, school=schools[3], email="damson.head@example.org")
    make_user(Role.SENCO, school=schools[2], email="cedar.left@example.org").active = False
    db.session.commit()
    rate(year, schools[0], [3] * 8, EvaluationStatus.SUBMITTED)
    rate(year, schools[1], [3] * 8, EvaluationStatus.DRAFT)
    return year, triad, schools, people


@pytest.fixture
def world(session):
    return build_year()


def told(kind: str = "deadline:") -> list[str]:
    """Who has a chaser notice, by email (once per notice)."""
    return sorted(db.session.scalars(select(User.email).join(Notice, Notice.user_id == User.id)
                                     .where(Notice.dedupe_key.startswith(kind))))


def emailed() -> list[str]:
    return sorted(db.session.scalars(select(OutboxEmail.to_address)
                                     .where(OutboxEmail.dedupe_key.startswith("notice:deadline:"))))


def deadline(year, kind: DeadlineKind, day: date) -> None:
    set_deadlines(year, {kind: day})
    db.session.commit()


NOT_SUBMITTED = ["birch.senco@example.org", "cedar.senco@example.org", "damson.head@example.org"]


def test_nothing_goes_six_working_days_before(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    assert queue_deadline_chasers(at(date(2026, 3, 5))) == 0  # Thursday: six working days before
    assert told() == []


def test_five_working_days_before_the_schools_that_have_not_submitted_are_chased_once(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    assert queue_deadline_chasers(at(date(2026, 3, 6))) == 3  # Friday 6 March: five working days before
    assert told() == emailed() == NOT_SUBMITTED  # Alder has submitted; Damson has no SENCo, so its head
    notice = db.session.scalar(select(Notice).join(User).where(User.email == "birch.senco@example.org"))
    assert notice.kind == NoticeKind.CHASER
    assert notice.summary == ("Birch School's self-evaluation for 2025/26 is due to be submitted by "
                              "Friday 13 March 2026")
    assert notice.action == "Complete the self-evaluation and submit it"
    assert notice.path.startswith("/self-evaluations/")  # Birch's draft
    assert queue_deadline_chasers(at(date(2026, 3, 6), hour=9)) == 0  # the next hourly run
    assert queue_deadline_chasers(at(date(2026, 3, 9))) == 0  # the next working day
    assert told() == NOT_SUBMITTED


def test_two_working_days_after_the_date_they_are_chased_again_once(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    queue_deadline_chasers(at(date(2026, 3, 6)))
    assert queue_deadline_chasers(at(date(2026, 3, 13))) == 0  # the day itself
    assert queue_deadline_chasers(at(date(2026, 3, 16))) == 0  # one working day after
    assert queue_deadline_chasers(at(date(2026, 3, 17))) == 3  # Tuesday: two working days after
    assert queue_deadline_chasers(at(date(2026, 3, 18))) == 0
    assert told(f"deadline:{year.id}:submitted:2026-03-13:after:") == NOT_SUBMITTED
    summary = db.session.scalar(select(Notice.summary).where(Notice.dedupe_key.contains(":after:")).limit(1))
    assert " was due to be submitted by Friday 13 March 2026" in summary


def test_bank_holidays_are_skipped(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, date(2026, 4, 9))  # Thursday after Easter
    assert queue_deadline_chasers(at(date(2026, 3, 30))) == 0
    # Five working days before, skipping Good Friday and Easter Monday: Tuesday 31 March (not Thursday 2 April).
    assert queue_deadline_chasers(at(date(2026, 3, 31))) == 3
    # Two working days after: Monday 13 April.
    assert queue_deadline_chasers(at(date(2026, 4, 10))) == 0
    assert queue_deadline_chasers(at(date(2026, 4, 13))) == 3


def test_the_programme_s_closure_days_are_skipped(world):
    year, *_ = world
    db.session.add(ClosureDay(programme_id=year.programme_id, day=date(2026, 3, 11), reason="INSET day"))
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    assert queue_deadline_chasers(at(date(2026, 3, 4))) == 0
    assert queue_deadline_chasers(at(date(2026, 3, 5))) == 3  # a day earlier than without the closure day


def test_a_school_that_submits_is_not_chased_after_the_date(world):
    year, _triad, schools, _people = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    queue_deadline_chasers(at(date(2026, 3, 6)))
    rate(year, schools[2], [2] * 8, EvaluationStatus.SUBMITTED)  # Cedar submits
    assert queue_deadline_chasers(at(date(2026, 3, 17))) == 2
    assert told(f"deadline:{year.id}:submitted:2026-03-13:after:") == ["birch.senco@example.org",
                                                                       "damson.head@example.org"]


def test_a_moved_date_chases_again(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    queue_deadline_chasers(at(date(2026, 3, 6)))
    deadline(year, DeadlineKind.SUBMITTED, date(2026, 3, 20))
    assert queue_deadline_chasers(at(date(2026, 3, 12))) == 0  # six working days before the new date
    assert queue_deadline_chasers(at(date(2026, 3, 13))) == 3
    assert told(f"deadline:{year.id}:submitted:2026-03-20:before:") == NOT_SUBMITTED


def test_a_closed_year_is_not_chased(world):
    year, *_ = world
    deadline(year, DeadlineKind.SUBMITTED, DUE)
    year.is_closed = True
    db.session.commit()
    assert queue_deadline_chasers(at(date(2026, 3, 6))) == 0


def test_each_kind_chases_whoever_has_not_done_it(world):
    year, triad, schools, people = world
    expert = make_user(Role.QA_EXPERT, programme=year.programme, email="expert@example.org")
    other_expert = make_user(Role.QA_EXPERT, programme=year.programme, email="other.expert@example.org")
    db.session.add(QAVisit(year_id=year.id, school_id=schools[1].id, expert_id=expert.id,
                           starts_at=at(date(2026, 3, 30))))  # Birch's, booked after the date
    moderate(year, schools[0], [3] * 8, other_expert)  # Alder's: done
    plan(year, schools[0], [], finalised=True, by=people["alder.head"])
    plan(year, schools[1], [], finalised=False, by=people["birch.head"])
    for kind in DeadlineKind:
        deadline(year, kind, DUE)
    assert queue_deadline_chasers(at(date(2026, 3, 6))) > 0
    by_kind = {kind: told(f"deadline:{year.id}:{kind.value}:") for kind in DeadlineKind}
    assert by_kind[DeadlineKind.SIGNED_OFF] == ["alder.head@example.org"]  # submitted, not signed off
    assert by_kind[DeadlineKind.PLANS_FINALISED] == [
        "birch.head@example.org", "birch.senco@example.org", "cedar.head@example.org", "cedar.senco@example.org",
        "damson.head@example.org"]
    assert by_kind[DeadlineKind.LEARNINGS] == ["alder.senco@example.org", "birch.senco@example.org",
                                               "cedar.senco@example.org"]
    assert by_kind[DeadlineKind.QA_VISITS] == ["expert@example.org"]  # Cedar and Damson have no expert yet

    submitted(triad, people["alder.senco"])
    assert queue_deadline_chasers(at(date(2026, 3, 17))) > 0
    assert told(f"deadline:{year.id}:learnings:2026-03-13:after:") == []


def test_two_schedulers_chase_each_person_once():
    """Two threads at once, each with its own session and connection on a database of its own."""
    with migrated_app("deadline-chasers") as app:
        with app.app_context():
            year, *_ = build_year()
            deadline(year, DeadlineKind.SUBMITTED, DUE)
            db.session.remove()

        assert _race(app, lambda: queue_deadline_chasers(at(date(2026, 3, 6)))) == []
        assert _race(app, lambda: queue_deadline_chasers(at(date(2026, 3, 6), hour=9))) == []  # an hour on
        with app.app_context():
            notices = db.session.execute(select(User.email, func.count()).join(Notice, Notice.user_id == User.id)
                                         .group_by(User.email)).all()
            emails = db.session.execute(select(OutboxEmail.to_address, func.count())
                                        .group_by(OutboxEmail.to_address)).all()
            assert sorted(notices) == sorted(emails) == [(email, 1) for email in NOT_SUBMITTED]
            db.session.remove()
