"""The triad rules, checked by the service before anything is written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.common.errors import DomainError
from app.extensions import db
from app.models import Triad, TriadMember
from app.programmes.triads import dissolve_triad, form_triad, triads_for_year, update_triad
from tests.factories import enrol, make_school, make_triad, make_year


def counts():
    return (db.session.scalar(select(func.count()).select_from(Triad)),
            db.session.scalar(select(func.count()).select_from(TriadMember)))


@pytest.fixture
def year(session):
    return make_year()


def ids(schools):
    return [s.id for s in schools]


def test_three_schools_with_one_coach_form_a_triad(year):
    schools = enrol(year)
    triad = form_triad(year, "Triad A", ids(schools), schools[1].id)
    assert [m.school for m in triad.members] == schools
    assert triad.coach.school == schools[1]


@pytest.mark.parametrize("how_many", [2, 4])
def test_a_triad_of_the_wrong_size_is_refused_and_nothing_saved(year, how_many):
    schools = enrol(year, *[make_school() for _ in range(how_many)])
    before = counts()
    with pytest.raises(DomainError, match=f"Choose exactly three schools. You chose {how_many}."):
        form_triad(year, "Triad A", ids(schools), schools[0].id)
    assert counts() == before


def test_a_coach_outside_the_three_is_refused(year):
    schools = enrol(year, *[make_school() for _ in range(4)])
    with pytest.raises(DomainError, match="Choose the coach school from the three schools"):
        form_triad(year, "Triad A", ids(schools[:3]), schools[3].id)


def test_a_triad_without_a_coach_is_refused(year):
    with pytest.raises(DomainError, match="Choose the coach school"):
        form_triad(year, "Triad A", ids(enrol(year)), None)


def test_a_school_already_in_a_triad_that_year_is_named(year):
    first = make_triad(year, schools=enrol(year, make_school(name="Oakfield Primary"), make_school(), make_school()))
    others = enrol(year, make_school(), make_school())
    before = counts()
    with pytest.raises(DomainError, match=f"Oakfield Primary is already in {first.name} for 2025/26"):
        form_triad(year, "Triad B", [first.members[0].school_id, *ids(others)], others[0].id)
    assert counts() == before


def test_a_school_may_be_in_a_triad_in_each_of_two_years(session):
    school = make_school()
    first, second = make_year(start_year=2024), make_year(start_year=2025)
    make_triad(first, schools=enrol(first, school, make_school(), make_school()))
    [a, b] = enrol(second, make_school(), make_school())
    enrol(second, school)
    triad = form_triad(second, "Triad A", [school.id, a.id, b.id], school.id)
    assert triad.coach.school == school


def test_schools_must_be_enrolled_in_the_year(year):
    schools = [make_school() for _ in range(3)]
    with pytest.raises(DomainError, match="enrolled in 2025/26"):
        form_triad(year, "Triad A", ids(schools), schools[0].id)


def test_a_triad_name_is_needed_and_unique_in_the_year(year):
    existing = make_triad(year)
    schools = enrol(year)
    with pytest.raises(DomainError, match="Enter a name for the triad"):
        form_triad(year, "  ", ids(schools), schools[0].id)
    with pytest.raises(DomainError, match=f"already called {existing.name}"):
        form_triad(year, existing.name, ids(schools), schools[0].id)


def test_a_closed_year_cannot_change(year):
    schools = enrol(year)
    year.is_closed = True
    with pytest.raises(DomainError, match="2025/26 is closed"):
        form_triad(year, "Triad A", ids(schools), schools[0].id)


def test_editing_a_triad_replaces_its_schools_and_coach(year):
    triad = make_triad(year)
    newcomer = enrol(year, make_school())[0]
    keep = [m.school_id for m in triad.members[1:]]
    update_triad(triad, "Renamed", [*keep, newcomer.id], newcomer.id)
    db.session.expire_all()
    assert triad.name == "Renamed"
    assert {m.school_id for m in triad.members} == {*keep, newcomer.id}
    assert triad.coach.school_id == newcomer.id


def test_editing_a_triad_to_take_another_triads_school_is_refused_and_nothing_changes(year):
    triad = make_triad(year)
    other = make_triad(year)
    before = [(m.school_id, m.is_coach) for m in triad.members]
    with pytest.raises(DomainError, match="already in"):
        update_triad(triad, triad.name, [m.school_id for m in triad.members[:2]] + [other.members[0].school_id],
                     triad.members[0].school_id)
    db.session.expire_all()
    assert [(m.school_id, m.is_coach) for m in triad.members] == before


def test_dissolving_a_triad_frees_its_schools(year):
    triad = make_triad(year)
    schools = [m.school_id for m in triad.members]
    dissolve_triad(triad)
    assert counts() == (0, 0)
    again = form_triad(year, "Again", schools, schools[2])
    assert again.coach.school_id == schools[2]


def test_triads_for_year_loads_in_a_fixed_number_of_queries(year, app):
    from sqlalchemy import event

    def statements_for(n):
        for _ in range(n):
            make_triad(year)
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            for triad in triads_for_year(year):
                [m.school.name for m in triad.members]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for(2) == statements_for(10)


def test_a_race_past_the_checks_is_stopped_by_the_database_with_the_same_message(year, monkeypatch):
    taken = make_triad(year).members[0].school
    free = enrol(year, make_school(), make_school())
    import app.programmes.triads as triads

    # As if another request placed the school between our check and our insert.
    monkeypatch.setattr(triads, "_check_members", lambda *args: [taken, *free])
    before = counts()
    with pytest.raises(DomainError, match="already in another triad this year"):
        form_triad(year, "Triad Z", [taken.id, *ids(free)], taken.id)
    assert counts() == before
