"""trail() (app/home/trails.py) with real people and their roles on the seeded year: each crumb is one its
person may open, from Home down through the programme, the year and the triad or cluster."""
from __future__ import annotations

from typing import Any

import pytest
from flask import current_app, url_for
from flask_login import login_user

from app.home.trails import trail
from tests.seeded import SeededYear, seed_year


@pytest.fixture
def seeded(session) -> SeededYear:
    return seed_year()


def crumbs(user, *items: Any) -> list[tuple[str, str]]:
    """The trail `user` sees, as (words, address) pairs."""
    with current_app.test_request_context():
        login_user(user)
        return [(crumb["text"], crumb["href"]) for crumb in trail(*items)]


def url(endpoint: str, **values: Any) -> str:
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def home() -> tuple[str, str]:
    return "Home", url("main.home")


def down_to_the_year(s: SeededYear, programmes: bool = True) -> list[tuple[str, str]]:
    """The crumbs from Home to the seeded year, for someone who oversees the programme."""
    listing = [("Programmes", url("programmes.index"))] if programmes else []
    return [home(), *listing, (s.programme.name, url("programmes.show", programme_id=s.programme.id)),
            (s.year.label, url("programmes.year", year_id=s.year.id))]


def triad_t(s: SeededYear) -> tuple[str, str]:
    return "Triad T", url("programmes.triad", triad_id=s.triad.id)


def test_a_sencos_trail_to_a_triad_meeting_is_home_then_the_triad(seeded):
    assert crumbs(seeded.users["senco"], seeded.meeting) == [home(), triad_t(seeded)]


def test_the_leads_trail_to_a_triad_meeting_runs_through_the_programme_and_the_year(seeded):
    assert crumbs(seeded.users["lead"], seeded.meeting) == [*down_to_the_year(seeded), triad_t(seeded)]


def test_a_qa_expert_has_no_crumb_to_the_programmes_list_they_cannot_open(seeded):
    assert crumbs(seeded.users["qa"], seeded.meeting) == [*down_to_the_year(seeded, programmes=False),
                                                          triad_t(seeded)]


def test_a_lead_of_another_programme_sees_only_the_programmes_list(seeded):
    assert crumbs(seeded.users["other_lead"], seeded.triad) == [home(), ("Programmes", url("programmes.index"))]


def test_a_cluster_meeting_sits_under_the_cluster_for_its_lead_and_under_clusters_for_the_programme_lead(seeded):
    cluster, meeting = seeded.cluster, seeded.cluster_meeting
    the_cluster = (cluster.name, url("clusters.show", cluster_id=cluster.id))
    the_meeting = ("Autumn term meeting", url("scheduling.show_cluster_meeting", cluster_meeting_id=meeting.id))
    assert crumbs(seeded.users["cluster_lead"], meeting) == [home(), the_cluster, the_meeting]
    assert crumbs(seeded.users["lead"], meeting) == [
        *down_to_the_year(seeded)[:3], ("Clusters", url("clusters.index", programme_id=seeded.programme.id)),
        the_cluster, the_meeting]
    # A school's staff read the meeting but do not lead the cluster.
    assert crumbs(seeded.users["coach"], meeting) == [home(), the_meeting]


def test_a_schools_work_sits_under_the_school_for_its_staff_and_under_the_year_for_the_lead(seeded):
    d, s = seeded.draft_school, seeded.submitted_school
    assert crumbs(seeded.users["senco"], seeded.draft_plan) == [
        home(), (d.name, url("programmes.school", school_id=d.id)),
        ("Action plan", url("action_plans.show", plan_id=seeded.draft_plan.id))]
    finalised = ("Action plan", url("action_plans.show", plan_id=seeded.finalised_plan.id))
    assert crumbs(seeded.users["lead"], seeded.finalised_plan) == [
        *down_to_the_year(seeded), (s.name, url("programmes.school", school_id=s.id)), finalised]
    # The coach school reads S's finalised plan, not S's school page.
    assert crumbs(seeded.users["coach"], seeded.finalised_plan) == [home(), finalised]


def test_administration_crumbs_are_for_administrators_only(seeded):
    assert crumbs(seeded.users["admin"], "admin.people") == [
        home(), ("Administration", url("admin.index")), ("People", url("admin.people"))]
    assert crumbs(seeded.users["lead"], "admin.people") == [home()]


def test_a_listing_follows_the_record_before_it_and_no_crumb_repeats(seeded):
    d = seeded.draft_school
    assert crumbs(seeded.users["head"], d, "people.index", "people.invite") == [
        home(), (d.name, url("programmes.school", school_id=d.id)),
        ("People", url("people.index", school_id=d.id)), ("Invite someone", url("people.invite", school_id=d.id))]
    # The year is the lead's to open, not the head's.
    assert crumbs(seeded.users["head"], seeded.year, d) == [home(), (d.name, url("programmes.school", school_id=d.id))]


def test_an_address_gives_the_trail_of_the_page_or_of_the_record_its_form_is_about(seeded):
    lead = seeded.users["lead"]
    assert crumbs(lead, url("programmes.triad", triad_id=seeded.triad.id)) == crumbs(lead, seeded.triad)
    assert crumbs(lead, url("clusters.show", cluster_id=seeded.cluster.id, _anchor="meetings")) == crumbs(
        lead, seeded.cluster)
    assert crumbs(lead, url("requests.index", year_id=seeded.year.id)) == crumbs(lead, seeded.year, "requests.index")
    assert crumbs(lead, url("scheduling.record", meeting_id=seeded.meeting.id)) == crumbs(lead, seeded.triad)
    senco = seeded.users["senco"]
    form = url("action_plans.edit_action", plan_id=seeded.draft_plan.id, number=1)
    assert crumbs(senco, form) == crumbs(senco, seeded.draft_plan)


def test_a_record_without_breadcrumbs_is_refused(seeded):
    with pytest.raises(TypeError, match="No breadcrumbs for Notice"):
        crumbs(seeded.users["head"], seeded.notice)
