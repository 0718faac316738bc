"""Each role sees its own scope and gets 403 outside it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.models import Cluster, Programme, Role, School, Triad
from tests.factories import enrol, make_cluster, make_programme, make_school, make_triad, make_user, make_year


@dataclass
class World:
    programme: Programme
    other_programme: Programme
    triad: Triad
    other_triad: Triad
    school: School          # a member of `triad`
    other_school: School    # a member of `other_triad`, same programme
    far_school: School      # only in the other programme's triad
    far_triad: Triad
    cluster: Cluster        # holds `triad`'s schools


@pytest.fixture
def world(session) -> World:
    programme = make_programme()
    year = make_year(programme)
    cluster = make_cluster(programme)
    triad = make_triad(year, schools=enrol(year, make_school(), make_school(), make_school(), cluster=cluster))
    other_triad = make_triad(year)
    far_triad = make_triad(make_year(make_programme()))
    return World(programme, far_triad.year.programme, triad, other_triad, triad.members[1].school,
                 other_triad.members[0].school, far_triad.members[0].school, far_triad, cluster)


def status(client_request, endpoint, **values) -> int:
    return client_request.client.get(client_request.url(endpoint, **values)).status_code


def test_a_senco_sees_their_school_and_triad_only(client_request, world):
    client_request.sign_in(make_user(Role.SENCO, school=world.school))
    assert status(client_request, "programmes.school", school_id=world.school.id) == 200
    assert status(client_request, "programmes.triad", triad_id=world.triad.id) == 200
    assert status(client_request, "programmes.school", school_id=world.other_school.id) == 403
    assert status(client_request, "programmes.triad", triad_id=world.other_triad.id) == 403
    assert status(client_request, "programmes.show", programme_id=world.programme.id) == 403
    assert status(client_request, "programmes.year", year_id=world.triad.year_id) == 403
    assert status(client_request, "admin.index") == 403


def test_a_head_of_a_triad_1_school_gets_403_on_triad_2(client_request, world):
    client_request.sign_in(make_user(Role.HEAD, school=world.school))
    assert status(client_request, "programmes.triad", triad_id=world.triad.id) == 200
    assert status(client_request, "programmes.triad", triad_id=world.other_triad.id) == 403


def test_a_programme_lead_gets_403_on_another_programme(client_request, world):
    client_request.sign_in(make_user(Role.PROGRAMME_LEAD, programme=world.programme))
    assert status(client_request, "programmes.show", programme_id=world.programme.id) == 200
    assert status(client_request, "programmes.triad", triad_id=world.other_triad.id) == 200
    assert status(client_request, "programmes.school", school_id=world.other_school.id) == 200
    assert status(client_request, "programmes.show", programme_id=world.other_programme.id) == 403
    assert status(client_request, "programmes.year", year_id=world.far_triad.year_id) == 403
    assert status(client_request, "programmes.triad", triad_id=world.far_triad.id) == 403
    assert status(client_request, "programmes.school", school_id=world.far_school.id) == 403
    assert status(client_request, "programmes.import_schools", year_id=world.far_triad.year_id) == 403
    assert status(client_request, "admin.index") == 403


def test_a_qa_expert_sees_their_programme_but_cannot_manage_it(client_request, world):
    client_request.sign_in(make_user(Role.QA_EXPERT, programme=world.programme))
    assert status(client_request, "programmes.triad", triad_id=world.triad.id) == 200
    assert status(client_request, "programmes.import_schools", year_id=world.triad.year_id) == 403
    assert status(client_request, "programmes.new_triad", year_id=world.triad.year_id) == 403
    assert status(client_request, "programmes.triad", triad_id=world.far_triad.id) == 403


def test_a_cluster_lead_sees_their_clusters_schools_only(client_request, world):
    client_request.sign_in(make_user(Role.CLUSTER_LEAD, cluster=world.cluster))
    assert status(client_request, "programmes.school", school_id=world.school.id) == 200
    assert status(client_request, "programmes.school", school_id=world.other_school.id) == 403


def test_an_administrator_can_open_any_programme(client_request, world):
    client_request.sign_in(make_user(Role.ADMIN))
    assert status(client_request, "programmes.show", programme_id=world.other_programme.id) == 200
    assert status(client_request, "programmes.triad", triad_id=world.far_triad.id) == 200
    assert status(client_request, "admin.index") == 200


def test_signed_out_people_are_sent_to_sign_in(client_request, world):
    response = client_request.client.get(client_request.url("programmes.triad", triad_id=world.triad.id))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
