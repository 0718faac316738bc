"""Numbers in the address and in choices are read one safe way: too big, negative, another script's
digits or not a number at all is as if nothing was given, never a server error."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Learning, Role
from tests.celebrations import submitted
from tests.factories import make_programme_with_framework, make_triad, make_user, make_year
from tests.pages import error_messages, text_of


@pytest.fixture
def scene(session):
    programme = make_programme_with_framework()
    triad = make_triad(make_year(programme, 2025), name="Triad A")
    senco = make_user(Role.SENCO, school=triad.members[0].school)
    submitted(triad, senco, "Parent drop-ins", "Precision teaching")
    return SimpleNamespace(programme=programme, triad=triad, senco=senco,
                           lead=make_user(Role.PROGRAMME_LEAD, programme=programme))


@pytest.mark.parametrize(("name", "value"), [
    ("area", "99999999999999999999999"), ("area", "\u00b2"), ("area", "\u0663"), ("strength", "\u00b2"),
    ("page", "\u00b2")])
def test_a_bad_number_in_the_library_address_is_no_filter(client_request, scene, name, value):
    client_request.sign_in(scene.senco)
    page = client_request.get_url(client_request.url("celebration.library", programme_id=scene.programme.id,
                                                     **{name: value}))
    assert "2 learnings found" in text_of(page)


def test_a_tag_that_is_not_a_level_asks_for_the_strength_of_evidence(client_request, scene):
    learning = db.session.scalars(select(Learning)).first()
    client_request.sign_in(scene.lead)
    page = client_request.post("celebration.tag", {"strength": "\u00b2", "breadth": "2"}, _expected_status=200,
                               learning_id=learning.id)
    assert error_messages(page) == ["Choose the strength of evidence"]
