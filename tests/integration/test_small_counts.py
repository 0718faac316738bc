"""No count of 1 or 2 schools can be read or worked out from everything the programme lead sees of a
year: every view of the locality dashboard, its CSV, and the year's self-evaluation summary."""
from __future__ import annotations

from datetime import date, timedelta

from app.common import clock
from app.dashboard.facts import Filters
from app.dashboard.figures import locality_dashboard
from app.models import ActionStatus, EvaluationStatus, Role
from tests.factories import (
    enrol,
    make_cluster,
    make_programme_with_framework,
    make_school,
    make_triad,
    make_user,
    make_year,
)
from tests.locality import moderate, plan, rate
from tests.pages import text_of
from tests.small_counts import everything_the_lead_sees, leaks

#                 cluster  phase        area 1  area 2
SCHOOLS = [("North", "Primary", 3, 2), ("North", "Primary", 3, 2), ("North", "Primary", 2, 2),
           ("North", "Primary", 2, 3), ("North", "Secondary", 2, 2), ("North", "Secondary", 2, 3),
           ("North", "Secondary", 2, 3), ("South", "Primary", 3, 3), ("South", "Primary", 3, 3),
           ("South", "Primary", 3, 3), ("South", "Secondary", 2, 3), ("East", "Primary", 2, 3)]


def seeded_year():
    """A year where each view's own rule leaks: area 1 level 3 is 5 for all schools and 3 for South,
    so 2 for North; area 2 level 2 is 4 for North and 3 for North's primary schools, so 1 for North's
    secondary schools; and East is one school, so its progress row describes that school."""
    programme = make_programme_with_framework()
    year = make_year(programme)
    lead = make_user(Role.PROGRAMME_LEAD, programme=programme)
    expert = make_user(Role.QA_EXPERT, programme=programme)
    clusters = {name: make_cluster(programme, name) for name in ("North", "South", "East")}
    schools = []
    for number, (cluster, phase, first, second) in enumerate(SCHOOLS, start=1):
        [school] = enrol(year, make_school(name=f"{cluster} {number}", phase=phase), cluster=clusters[cluster])
        schools.append(school)
        rate(year, school, [first, second] + [2] * 6,
             EvaluationStatus.SIGNED_OFF if number % 2 else EvaluationStatus.SUBMITTED)
        plan(year, school, [(ActionStatus.COMPLETE, date(2026, 1, 9)),
                            (ActionStatus.ON_TRACK, clock.today() + timedelta(days=30))],
             finalised=number % 3 != 0 or cluster == "East", by=lead)  # drafts count nothing
    for school in schools[:2] + schools[7:9]:
        moderate(year, school, [3] * 8, expert, visited_on=clock.today() - timedelta(days=1))
    make_triad(year, schools[:3], name="Triad 1")
    return year, lead, clusters


def test_no_count_of_one_or_two_schools_can_be_worked_out_from_every_view_of_the_year(client_request, session):
    year, lead, _ = seeded_year()
    client_request.sign_in(lead)
    seen = everything_the_lead_sees(client_request, year)
    assert ("self-1-3", "all:all") in seen.values and ("submitted", f"{_id(year, 'East')}:all") in seen.values
    assert leaks(seen, year) == []


def test_the_counts_that_two_views_would_give_away_are_hidden_in_both(session):
    year, _, clusters = seeded_year()
    everyone = locality_dashboard(year, may_name=False)
    north, south = (locality_dashboard(year, Filters(cluster_id=clusters[name].id), may_name=False)
                    for name in ("North", "South"))
    north_primary = locality_dashboard(year, Filters(cluster_id=clusters["North"].id, phase="primary"),
                                       may_name=False)
    assert everyone.areas[0].self_counts[3] == 5
    assert north.areas[0].self_counts[3] is None and south.areas[0].self_counts[3] is None
    assert north.areas[1].self_counts[2] is None or north_primary.areas[1].self_counts[2] is None


def test_a_cluster_of_one_school_hides_its_progress_counts_of_that_school(client_request, session):
    year, lead, clusters = seeded_year()
    east = next(row for row in locality_dashboard(year).by_cluster if row.label == "East")
    assert east.schools == 1 and str(east.submitted) == "fewer than 3"
    assert east.actions_text == "Not shown: too few schools"
    client_request.sign_in(lead)
    page = client_request.get("dashboard.show", year_id=year.id)
    row = page.select_one(f"tr[data-view='{clusters['East'].id}:all']")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[:2] == ["1", "fewer than 3"] and cells[4] == "Not shown: too few schools"


def test_the_dashboard_counts_one_triad_as_a_triad(client_request, session):
    year, lead, _ = seeded_year()
    client_request.sign_in(lead)
    assert "12 (1 triad)" in text_of(client_request.get("dashboard.show", year_id=year.id))


def _id(year, name):
    return next(str(c.id) for c in year.programme.clusters if c.name == name)
