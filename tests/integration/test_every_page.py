"""Every GET page renders for someone allowed to see it, passes the page checks, and writes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Role
from app.services.accounts import make_token
from tests.factories import make_cluster, make_triad, make_user

# Pages that answer a GET with a redirect by design.
REDIRECTS = {"auth.sign_in"}  # a signed-in person is sent home


def test_every_get_page_renders_and_writes_nothing(app, client_request):
    triad = make_triad()
    year = triad.year
    make_cluster(year.programme)
    admin = make_user(Role.ADMIN)
    invited = make_user(password=False)
    values = {
        "programme_id": year.programme_id, "year_id": year.id, "triad_id": triad.id,
        "school_id": triad.members[0].school_id,
    }
    tokens = {"auth.accept_invite": make_token(invited, "invite"), "auth.reset_password": make_token(admin, "reset")}
    client_request.sign_in(admin)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    visited = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = {name: tokens[rule.endpoint] if name == "token" else values[name] for name in rule.arguments}
        expected = 302 if rule.endpoint in REDIRECTS else 200
        client_request.get(rule.endpoint, _expected_status=expected, **args)
        visited.append(rule.endpoint)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert len(visited) >= 20
