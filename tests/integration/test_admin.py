"""Administration: organisations and the outbox."""
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Role
from app.services.email import queue_email
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
