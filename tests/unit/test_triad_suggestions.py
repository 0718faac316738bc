"""The suggested grouping (app.programmes.triad_suggestions): a pure function, tested over plain data, with
hypothesis for what must hold of any grouping."""
from __future__ import annotations

import uuid
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from app.models import TRIAD_SIZE
from app.programmes.triad_suggestions import Candidate, suggest_triads


def school(name: str, phase: str = "Primary", cluster: str | None = "North", authority: str = "Northbrook",
           returning: bool = False, completed: bool = False) -> Candidate:
    return Candidate(uuid.uuid4(), name, phase, authority, cluster, returning, completed)


candidates = st.lists(
    st.builds(Candidate, id=st.uuids(), name=st.text("abcdef", min_size=1, max_size=4),
              phase=st.sampled_from(["Primary", "Secondary", "Special"]),
              local_authority=st.sampled_from(["Bury", "Northbrook"]),
              cluster=st.sampled_from([None, "North", "South", "East"]),
              is_returning=st.booleans(), completed=st.booleans()),
    max_size=40)


@settings(max_examples=200, deadline=None)
@given(schools=candidates, mixed=st.booleans())
def test_every_school_is_in_one_triad_of_three_or_left_over(schools, mixed):
    grouping = suggest_triads(schools, mixed_phases=mixed)
    placed = [member.id for triad in grouping.triads for member in triad.schools]
    assert all(len(triad.schools) == TRIAD_SIZE for triad in grouping.triads)
    assert max(Counter(placed + [s.id for s in grouping.leftovers]).values(), default=1) == 1
    assert set(placed) | {s.id for s in grouping.leftovers} == {s.id for s in schools}


@settings(max_examples=200, deadline=None)
@given(schools=candidates, mixed=st.booleans())
def test_a_triad_shares_a_cluster_or_a_local_authority_and_its_coach_is_one_of_it(schools, mixed):
    for triad in suggest_triads(schools, mixed_phases=mixed).triads:
        assert triad.coach in triad.schools
        assert len({s.cluster for s in triad.schools}) == 1 or len({s.local_authority for s in triad.schools}) == 1


@settings(max_examples=200, deadline=None)
@given(schools=candidates, mixed=st.booleans())
def test_a_triad_with_a_returning_school_is_coached_by_one_that_completed_if_it_has_one(schools, mixed):
    for triad in suggest_triads(schools, mixed_phases=mixed).triads:
        if any(s.is_returning for s in triad.schools):
            assert triad.coach.is_returning
        if any(s.is_returning and s.completed for s in triad.schools):
            assert triad.coach.completed


@settings(max_examples=200, deadline=None)
@given(schools=candidates, taken=st.lists(st.sampled_from(["North 1", "North 2", "Bury 1", "South 1"])))
def test_suggested_names_are_all_different_and_none_is_taken(schools, taken):
    names = [triad.name for triad in suggest_triads(schools, taken_names=taken).triads]
    assert len(set(names)) == len(names) and not set(names) & set(taken)


@settings(max_examples=100, deadline=None)
@given(schools=candidates)
def test_at_most_two_schools_of_a_local_authority_are_left_over(schools):
    left = Counter(s.local_authority for s in suggest_triads(schools).leftovers)
    assert max(left.values(), default=0) < TRIAD_SIZE


def test_a_school_given_twice_is_used_once():
    ash = school("Ash")
    grouping = suggest_triads([ash, ash, school("Beech"), school("Cedar")])
    assert [s.name for s in grouping.triads[0].schools] == ["Ash", "Beech", "Cedar"] and not grouping.leftovers


def test_schools_of_one_cluster_are_grouped_before_the_local_authority_is():
    north = [school(f"North {n}") for n in range(3)]
    south = [school(f"South {n}", cluster="South") for n in range(4)]
    loose = [school(f"Loose {n}", cluster=None) for n in range(2)]
    grouping = suggest_triads([*south, *loose, *north])
    assert [[s.name for s in t.schools] for t in grouping.triads] == [
        ["North 0", "North 1", "North 2"], ["South 0", "South 1", "South 2"], ["Loose 0", "Loose 1", "South 3"]]
    assert [t.name for t in grouping.triads] == ["North 1", "South 1", "Northbrook 1"]


def test_returning_schools_spread_one_to_a_triad_and_coach_completed_ones_first():
    schools = [school("Ash", returning=True), school("Beech", returning=True, completed=True),
               *(school(f"New {n}") for n in range(4))]
    grouping = suggest_triads(schools)
    assert [t.coach.name for t in grouping.triads] == ["Beech", "Ash"]
    assert [sum(s.is_returning for s in t.schools) for t in grouping.triads] == [1, 1]


def test_without_returning_schools_the_first_by_name_coaches():
    grouping = suggest_triads([school("Cedar"), school("Ash"), school("Beech")])
    assert grouping.triads[0].coach.name == "Ash"


def test_phases_stay_together_unless_the_lead_asks_for_them_mixed():
    schools = [school("A1"), school("A2"), school("A3", "Secondary"), school("A4", "Secondary"),
               school("A5"), school("A6", "Secondary")]
    together = suggest_triads(schools)
    assert [{s.phase for s in t.schools} for t in together.triads] == [{"Primary"}, {"Secondary"}]
    mixed = suggest_triads(schools, mixed_phases=True)
    assert [{s.phase for s in t.schools} for t in mixed.triads] == [{"Primary", "Secondary"}] * 2


def test_two_schools_alone_in_their_local_authority_are_left_over_by_name():
    grouping = suggest_triads([school("Zed", authority="Bury"), school("Ash", cluster=None, authority="Bury"),
                               *(school(f"N{n}") for n in range(3))])
    assert [s.name for s in grouping.leftovers] == ["Ash", "Zed"] and len(grouping.triads) == 1
