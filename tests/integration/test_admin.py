"""Administration: organisations and the outbox."""
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Role
from app.notifications.email import queue_email
from tests.factories import make_organisation, make_user
from tests.pages import error_messages, text_of


def test_an_admin_adds_an_organisation(client_request):
    client_request.sign_in(make_user(Role.ADMIN))
    client_request.post("admin.new_organisation", {"name": "Riverside Learning Trust", "kind": "trust"})
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Riverside Learning Trust"))
    assert organisation.kind.label == "Academy trust"
    assert "Riverside Learning Trust" in text_of(client_request.get("admin.index"))


def test_an_organisation_name_is_used_once(client_request):
    existing = make_organisation()
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.post("admin.new_organisation", {"name": existing.name.upper(), "kind": "trust"},
                               _expected_status=200)
    assert error_messages(page) == [f"An organisation called {existing.name.upper()} already exists"]


def test_an_organisation_needs_a_name_and_a_type(client_request):
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.post("admin.new_organisation", {"name": "   "}, _expected_status=200)
    assert error_messages(page) == ["Enter the organisation's name", "Choose the type of organisation"]


def test_the_outbox_shows_emails_waiting_to_be_sent(client_request, app):
    with app.test_request_context():
        queue_email("someone@example.org", "A test message", "Hello")
    db.session.commit()
    client_request.sign_in(make_user(Role.ADMIN))
    assert "A test message – to someone@example.org" in text_of(client_request.get("admin.outbox"))


def test_only_admins_reach_administration(client_request):
    client_request.sign_in(make_user())
    assert client_request.client.get("/admin/").status_code == 403
    assert client_request.client.get("/admin/outbox").status_code == 403


def test_people_are_listed_with_their_roles_and_can_be_searched(client_request):
    from tests.factories import make_school

    make_user(Role.HEAD, school=make_school(name="Quince Primary"), name="Quentin Head")
    make_user(name="Someone Else")
    client_request.sign_in(make_user(Role.ADMIN))
    page = client_request.get("admin.people", search="quentin")
    assert "Quentin Head" in text_of(page) and "Headteacher, Quince Primary" in text_of(page)
    assert "Someone Else" not in text_of(page)


def test_a_deactivated_person_is_signed_out_at_once_and_cannot_sign_in(app, client_request):
    from tests.factories import PASSWORD

    leaver = make_user(name="Lee Leaver")
    leaver_client = app.test_client()
    from tests.pages import ClientRequest

    leaver_request = ClientRequest(leaver_client)
    leaver_request.sign_in(leaver)
    assert leaver_client.get("/").status_code == 200

    client_request.sign_in(make_user(Role.ADMIN))
    client_request.post("admin.change_active", {"active": "no"}, _form_endpoint="admin.people", user_id=leaver.id)

    assert leaver_client.get("/").status_code == 302  # the next request is signed out
    page = leaver_request.post("auth.sign_in", {"email": leaver.email, "password": PASSWORD}, _expected_status=200)
    assert error_messages(page) == ["Enter a correct email address and password"]


def test_an_admin_cannot_deactivate_themselves(client_request):
    admin = make_user(Role.ADMIN)
    client_request.sign_in(admin)
    client_request.post("admin.change_active", {"active": "no"}, _form_endpoint="admin.people", user_id=admin.id)
    assert "You cannot deactivate your own account" in text_of(client_request.get("admin.people"))
    db.session.refresh(admin)
    assert admin.active
