"""The locality dashboard's figures, small-number suppression, consent to be named, filters, the
change since last year, the CSV, and the chart geometry."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from app.common.charts import HIDDEN_LABEL, WIDTH, level_series, stacked_bars
from app.dashboard.csv import dashboard_csv
from app.dashboard.facts import Filters, natural_key, phase_of
from app.dashboard.figures import locality_dashboard
from app.extensions import db
from app.models import ActionStatus, EvaluationStatus, PlanStatus, Role
from tests.factories import (
    enrol,
    make_cluster,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)
from tests.locality import meeting, moderate, peer_visit, plan, rate, share

TODAY = date(2026, 3, 2)
SUBMITTED, SIGNED_OFF, DRAFT = EvaluationStatus.SUBMITTED, EvaluationStatus.SIGNED_OFF, EvaluationStatus.DRAFT


@pytest.fixture
def year(session):
    return make_year(make_programme_with_framework(), start_year=2025)


def schools(year, count, phase="Primary", cluster=None, prefix="School"):
    return enrol(year, *(make_school(name=f"{prefix} {n}", phase=phase) for n in range(1, count + 1)), cluster=cluster)


@pytest.mark.parametrize(("phase", "group"), [
    ("Primary", "primary"), ("Infant", "primary"), ("Middle deemed primary", "primary"),
    ("Secondary", "secondary"), ("16 plus", "secondary"), ("Middle deemed secondary", "secondary"),
    ("All-through", "other"), ("Not applicable", "other"), ("", "other"),
])
def test_schools_fall_into_primary_secondary_or_other(phase, group):
    assert phase_of(phase) == group


def test_triads_sort_by_number_not_by_letter():
    assert sorted(["Triad 10", "Triad 2", "Triad 1"], key=natural_key) == ["Triad 1", "Triad 2", "Triad 10"]


def test_each_triad_shows_its_meetings_visits_evaluations_plans_actions_and_qa(year):
    coach, member, other = schools(year, 3)
    triad = make_triad(year, [coach, member, other], name="Triad 1")
    quiet = make_triad(year, name="Triad 2")
    head = make_user(Role.HEAD, school=coach)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    meeting(triad, 1, held=True)
    meeting(triad, 2, held=False)
    peer_visit(triad, member, days_from_now=-3)  # done
    peer_visit(triad, other, days_from_now=5)    # booked, not yet
    rate(year, coach, [3] * 8, SIGNED_OFF)
    rate(year, member, [2] * 8, SUBMITTED)
    rate(year, other, [2, 2], DRAFT)
    plan(year, coach, [(ActionStatus.COMPLETE, TODAY), (ActionStatus.ON_TRACK, TODAY - timedelta(days=1)),
                       (ActionStatus.NOT_STARTED, TODAY + timedelta(days=30))], finalised=True, by=head)
    plan(year, member, [(ActionStatus.COMPLETE, TODAY - timedelta(days=9))], finalised=False, by=head)
    moderate(year, coach, [3] * 8, expert)

    dashboard = locality_dashboard(year, today=TODAY)

    first, second = dashboard.triads
    assert (first.label, second.label) == ("Triad 1", "Triad 2")
    assert (first.meetings_held, first.peer_visits_done) == (1, 1)
    p = first
    assert (p.schools, p.submitted, p.signed_off, p.plans_finalised) == (3, 2, 1, 1)
    # The member's plan was never finalised: the lead counts no draft actions.
    assert (p.actions, p.complete, p.percent_complete, p.overdue, p.qa_done) == (3, 1, 33, 1, 1)
    assert p.actions_text == "1 of 3 (33%)"
    assert (second.meetings_held, second.submitted, second.actions_text) == (0, 0, "No actions yet")
    assert dashboard.totals.schools == 6 and quiet.name == "Triad 2"


def test_counts_of_fewer_than_three_schools_are_hidden_and_nothing_shows_below_three_submissions(year):
    a, b, c, d = schools(year, 4)
    rate(year, a, [1, 4])
    rate(year, b, [2, 4])
    dashboard = locality_dashboard(year, today=TODAY)
    assert dashboard.submitted == 2 and not dashboard.enough
    rate(year, c, [2, 4])
    rate(year, d, [2, 4])
    dashboard = locality_dashboard(year, today=TODAY)
    assert dashboard.enough
    area_1, area_2 = dashboard.areas[:2]
    # Area 1: one school at 1 and three at 2: the 1 is hidden, and so is the 3 (with 4 submitted, the
    # 3 alone would give the lone school away; hiding a 0 would not).
    assert area_1.self_counts == {1: None, 2: None, 3: 0, 4: 0, 0: 0}
    assert area_2.self_counts == {1: 0, 2: 0, 3: 0, 4: 4, 0: 0}
    assert dashboard.areas[2].self_counts[0] == 4  # not yet evaluated


def test_moderated_counts_need_three_moderated_schools(year):
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    found = schools(year, 3)
    for school in found:
        rate(year, school, [2] * 8)
    for school in found[:2]:
        moderate(year, school, [3] * 8, expert)
    assert not locality_dashboard(year, today=TODAY).enough_moderated
    moderate(year, found[2], [3] * 8, expert)
    dashboard = locality_dashboard(year, today=TODAY)
    assert dashboard.enough_moderated and dashboard.areas[0].moderated_counts == {1: 0, 2: 0, 3: 3, 4: 0}


def test_a_school_is_named_only_while_its_head_shares_with_the_lead(year):
    shared, private = schools(year, 2)
    rate(year, shared, [4, 2, 2, 2, 2, 2, 2, 2])
    rate(year, private, [4, 4, 2, 2, 2, 2, 2, 2])
    share(year, shared)
    strengths = locality_dashboard(year, today=TODAY).strengths
    assert [m.name for m in strengths.named] == [shared.name]
    assert strengths.named[0].areas == ["1. Outcomes for pupils with SEND"]
    assert strengths.others == 1 and strengths.others_shown is None
    assert strengths.others_text == "fewer than 3 other schools"

    share(year, shared, False)  # consent withdrawn: counted, no longer named
    strengths = locality_dashboard(year, today=TODAY).strengths
    assert strengths.named == [] and strengths.others == 2


def test_without_naming_allowed_nobody_is_named_even_with_consent(year):
    found = schools(year, 3)
    for school in found:
        rate(year, school, [4] * 8)
        share(year, school)
    strengths = locality_dashboard(year, may_name=False, today=TODAY).strengths
    assert strengths.named == [] and strengths.others_text == "3 other schools"


def test_schools_that_may_need_support_have_the_lowest_level_or_a_large_qa_gap(year):
    low, gap, fine = schools(year, 3)
    expert = make_user(Role.QA_EXPERT, programme=year.programme)
    for school in (low, gap, fine):
        share(year, school)
    rate(year, low, [1, 3, 3, 3, 3, 3, 3, 3])
    rate(year, gap, [4, 3, 3, 3, 3, 3, 3, 3])
    moderate(year, gap, [2, 3, 3, 3, 3, 3, 3, 3], expert)
    rate(year, fine, [3] * 8)
    support = locality_dashboard(year, today=TODAY).support
    assert {m.name: m.areas for m in support.named} == {
        low.name: ["1. Outcomes for pupils with SEND"], gap.name: ["1. Outcomes for pupils with SEND (QA gap)"]}


def test_filters_narrow_to_a_cluster_and_a_phase(year):
    north = make_cluster(year.programme, "North")
    primaries = schools(year, 3, cluster=north, prefix="North primary")
    secondaries = schools(year, 3, phase="Secondary", cluster=north, prefix="North secondary")
    elsewhere = schools(year, 3, prefix="South primary")
    make_triad(year, primaries, name="Triad 1")
    make_triad(year, elsewhere, name="Triad 2")
    for school in primaries + secondaries + elsewhere:
        rate(year, school, [2] * 8)

    in_north = locality_dashboard(year, Filters(cluster_id=north.id), today=TODAY)
    assert in_north.totals.schools == 6 and [t.label for t in in_north.triads] == ["Triad 1"]
    assert [p.label for p in in_north.by_phase] == ["Primary", "Secondary"]
    assert in_north.filter_label == "North"
    north_primary = locality_dashboard(year, Filters(cluster_id=north.id, phase="primary"), today=TODAY)
    assert north_primary.totals.schools == 3 and north_primary.submitted == 3
    assert north_primary.filter_label == "North, primary schools"
    everyone = locality_dashboard(year, Filters(phase="nonsense"), today=TODAY)
    assert everyone.totals.schools == 9 and everyone.filters.phase is None
    assert [p.label for p in everyone.by_cluster] == ["North", "Not in a cluster"]
    other_programme = make_cluster(make_programme_with_framework())
    assert locality_dashboard(year, Filters(cluster_id=other_programme.id), today=TODAY).totals.schools == 9


def test_change_since_last_year_compares_average_self_ratings(year):
    last = make_year(year.programme, start_year=2024)
    # Six schools, three at each level, so no count beside an average is 1 or 2 (an average beside
    # hidden counts would solve them, so it is hidden then).
    returning = [make_school(name=f"Returning {n}") for n in range(6)]
    enrol(last, *returning)
    enrol(year, *returning)
    for school, levels in zip(returning, [[1, 2]] * 3 + [[2, 2]] * 3, strict=True):
        rate(last, school, levels)
    for school, levels in zip(returning, [[2, 2]] * 3 + [[3, 1]] * 3, strict=True):
        rate(year, school, levels)
    dashboard = locality_dashboard(year, today=TODAY)
    assert dashboard.previous_year.label == "2024/25"
    area_1, area_2, area_3 = dashboard.areas[:3]
    assert (area_1.previous_average, area_1.average, area_1.change) == (1.5, 2.5, 1.0)
    assert (area_2.previous_average, area_2.average, area_2.change) == (2.0, 1.5, -0.5)
    assert area_3.change is None  # nobody rated area 3


def test_no_previous_year_means_no_change(year):
    assert locality_dashboard(year, today=TODAY).previous_year is None


def test_the_csv_holds_the_same_figures_and_hides_the_same_counts(year):
    found = schools(year, 4)
    triad = make_triad(year, found[:3], name="Triad 1")
    meeting(triad, 1, held=True)
    rate(year, found[0], [1] * 8)
    for school in found[1:]:
        rate(year, school, [3] * 8)
    dashboard = locality_dashboard(year, today=TODAY)
    triads = list(csv.reader(io.StringIO(dashboard_csv(dashboard, [], "triads").lstrip("\ufeff"))))
    assert triads[1:] == [["Triad 1", "3", "1", "0", "3", "0", "0", "0", "0", "0", "0", "0"]]
    ratings = list(csv.reader(io.StringIO(dashboard_csv(dashboard, [], "self-ratings").lstrip("\ufeff"))))
    rows = triads + ratings
    area_row = next(r for r in rows if r and r[0] == "1. Outcomes for pupils with SEND")
    # One school at level 1 is hidden, and the 3 with it (with 4 submitted it would give the 1 away).
    assert area_row == ["1. Outcomes for pupils with SEND", "fewer than 3", "0", "fewer than 3", "0", "0"]
    assert not any(school.name in cell for row in rows for cell in row for school in found)


def test_a_csv_cell_cannot_start_a_formula(year):
    [school] = schools(year, 1)
    make_triad(year, [school, *schools(year, 2, prefix="Other")], name="=HYPERLINK(\"x\")")
    text = dashboard_csv(locality_dashboard(year, today=TODAY), [])
    assert "'=HYPERLINK" in text


def test_a_chart_draws_each_row_as_shares_and_hidden_counts_as_one_part():
    series = level_series([(1, "Emerging"), (2, "Developing")], not_evaluated_key=0)
    chart = stacked_bars("c", "Title", "Description", series, [("Area 1", {1: 3, 2: 6, 0: 0}),
                                                               ("Area 2", {1: None, 2: 5, 0: None}),
                                                               ("Area 3", {1: 0, 2: 0, 0: 0})])
    full, partly_hidden, empty = chart.bars
    assert [s.count for s in full.segments] == [3, 6]
    assert full.segments[0].width == pytest.approx(WIDTH / 3)
    assert sum(s.width for s in full.segments) == pytest.approx(WIDTH)
    assert [s.label for s in partly_hidden.segments] == ["2 Developing", HIDDEN_LABEL]
    assert partly_hidden.segments[-1].width == pytest.approx(WIDTH * 0.2)  # a fixed share: it gives nothing away
    assert empty.segments == [] and empty.total == 0
    assert [item.label for item in chart.legend] == ["1 Emerging", "2 Developing", "Not yet evaluated", HIDDEN_LABEL]
    assert chart.height > len(chart.bars) * 50


def test_a_long_legend_wraps_onto_another_line():
    series = level_series([(n, "A rather long level name") for n in range(1, 7)])
    chart = stacked_bars("c", "T", "D", series, [("Area", {n: 3 for n in range(1, 7)})])
    assert len({item.y for item in chart.legend}) > 1
    assert all(item.x + 22 < WIDTH for item in chart.legend)


def test_the_chart_svg_is_the_same_markup_wherever_it_is_drawn(app, year):
    from flask import render_template

    found = schools(year, 3)
    for school in found:
        rate(year, school, [2] * 8)
    dashboard = locality_dashboard(year, today=TODAY)
    with app.test_request_context():
        svg = render_template("components/stacked_bars.svg", chart=dashboard.self_chart())
    assert svg.count("<rect") >= 8 and 'role="img"' in svg and "Self-ratings by area" in svg
    assert db.session.is_active


def test_whole_school_send_reviews_overdue_or_due_this_year_are_listed(year):
    overdue, due, fine, unknown = schools(year, 4)
    overdue.last_send_review_on = date(2022, 9, 1)   # due 1 September 2025: overdue on 2 March 2026
    due.last_send_review_on = date(2023, 6, 30)      # due 30 June 2026, before 31 August
    fine.last_send_review_on = date(2024, 1, 10)     # due January 2027
    db.session.commit()
    dashboard = locality_dashboard(year, today=TODAY)
    assert [(r.name, r.status, r.due_on) for r in dashboard.reviews] == [
        (overdue.name, "Overdue", date(2025, 9, 1)), (due.name, "Due", date(2026, 6, 30))]
    assert dashboard.reviews_overdue == 1 and unknown.last_send_review_on is None


def test_the_lead_counts_a_plan_being_redrafted_as_its_last_finalised_version(year):
    for school in schools(year, 3):
        head = make_user(Role.HEAD, school=school)
        redrafted = plan(year, school, [(ActionStatus.COMPLETE, TODAY)], finalised=True, by=head)
        redrafted.versions[0].content = [{"number": 1, "status": ActionStatus.ON_TRACK.label,
                                          "due_on": (TODAY - timedelta(days=2)).isoformat()}]
        redrafted.status = PlanStatus.DRAFT  # version 2 being drafted: its live actions are not shared
    db.session.commit()
    totals = locality_dashboard(year, today=TODAY).totals
    assert (totals.actions, totals.complete, totals.overdue) == (3, 0, 3)
