"""The one clock: "today" is the date in England (a day starts at midnight there, summer time or not),
and only app/common/clock.py reads the system clock."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from app.action_plans.service import ActionInput, areas_for, plan_page, save_action, staff_of, start_action_plan
from app.common import clock
from app.extensions import db
from app.frameworks.service import create_default_framework
from config import BASE_DIR
from tests.factories import enrol, make_programme, make_school, make_year

HALF_PAST_MIDNIGHT_BST = datetime(2026, 6, 14, 23, 30, tzinfo=timezone.utc)  # 00:30 on 15 June in England


def test_today_at_half_past_midnight_in_summer_is_the_date_in_england():
    with clock.frozen_at(HALF_PAST_MIDNIGHT_BST):
        assert clock.today() == date(2026, 6, 15)


def test_today_at_half_past_eleven_in_winter_is_the_same_date_as_in_utc():
    with clock.frozen_at(datetime(2026, 12, 14, 23, 30, tzinfo=timezone.utc)):
        assert clock.today() == date(2026, 12, 14)


def test_now_is_the_frozen_moment_in_utc_until_the_block_ends():
    with clock.frozen_at(HALF_PAST_MIDNIGHT_BST.astimezone(clock.LONDON)):
        assert clock.now() == HALF_PAST_MIDNIGHT_BST and clock.now().tzinfo == timezone.utc
    assert clock.now() > HALF_PAST_MIDNIGHT_BST


def test_a_naive_moment_cannot_be_frozen():
    with pytest.raises(ValueError):
        with clock.frozen_at(datetime(2026, 6, 14, 23, 30)):  # noqa: DTZ001 (naive on purpose)
            pass


def test_an_action_due_yesterday_in_england_is_overdue_at_half_past_midnight_in_summer(session):
    programme = make_programme()
    create_default_framework(programme)
    db.session.commit()
    year = make_year(programme)
    [school] = enrol(year, make_school())
    plan = start_action_plan(school, year)
    areas = areas_for(plan)
    action = save_action(plan, None, ActionInput([areas[0].id], "Train staff in adaptive teaching", "other",
                                                 "Jo Smith", date(2026, 6, 14), False, "Every teacher trained"),
                         areas, staff_of(plan.school_id))
    with clock.frozen_at(HALF_PAST_MIDNIGHT_BST):
        assert plan_page(plan.id).overdue(action)


def test_only_the_clock_reads_the_system_clock():
    reads = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|datetime\.today\(|time\.time\(")
    offences = [f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}"
                for path in sorted((BASE_DIR / "app").rglob("*.py")) if path != BASE_DIR / "app/common/clock.py"
                for number, line in enumerate(path.read_text().splitlines(), start=1) if reads.search(line)]
    assert offences == []
