"""The home page per role and the health check."""
from app.models import Role
from tests.factories import make_triad, make_user
from tests.pages import text_of


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "reachable"


def test_home_sends_a_signed_out_person_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_senco_home_names_their_triad_and_coach_status(client_request):
    triad = make_triad()
    member = triad.members[1]
    senco = make_user(Role.SENCO, school=member.school)
    client_request.sign_in(senco)
    page = client_request.get("main.home")
    assert f"your school is a member school in {triad.name}" in text_of(page)


def test_user_without_a_role_is_told_who_to_ask(client_request):
    client_request.sign_in(make_user())
    page = client_request.get("main.home")
    assert "Ask your programme lead to invite you" in text_of(page)
