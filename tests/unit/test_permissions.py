"""Every view declares the permission it needs, and URLs name records by UUID, never by counting."""
from __future__ import annotations

import uuid

from werkzeug.routing import UUIDConverter

from app.permissions import PUBLIC, RULES

# The only pages anyone may open without signing in.
PUBLIC_ENDPOINTS = {
    "auth.sign_in",
    "auth.forgot_password",
    "auth.check_email",
    "auth.accept_invite",   # the signed, expiring link in an invitation email
    "auth.reset_password",  # the signed, expiring link in a reset email
    "main.healthz",
    "calendars.feed",       # the private calendar feed: its secret, resettable token is the key
    "main.help",            # the footer's pages: help and contact, accessibility, privacy, cookies
    "main.accessibility",
    "main.privacy",
    "main.cookies",
}


def _views(app):
    return {rule.endpoint: (rule, app.view_functions[rule.endpoint])
            for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_view_declares_its_permission(app):
    missing = [endpoint for endpoint, (_, view) in _views(app).items()
               if not hasattr(view, "required_permission")]
    assert missing == []


def test_every_declared_permission_is_a_known_rule(app):
    unknown = {view.required_permission for _, view in _views(app).values()} - set(RULES) - {PUBLIC}
    assert unknown == set()


def test_only_the_sign_in_pages_health_check_and_footer_pages_are_public(app):
    public = {endpoint for endpoint, (_, view) in _views(app).items() if view.required_permission == PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def test_record_ids_in_urls_are_uuids(app):
    loose = [
        f"{rule.rule} ({name})"
        for rule, _ in _views(app).values()
        for name, converter in rule._converters.items()
        if name.endswith("_id") and not isinstance(converter, UUIDConverter)
    ]
    assert loose == []


def test_a_made_up_record_id_is_not_found(app, client_request):
    from app.models import Role
    from tests.factories import make_user

    client_request.sign_in(make_user(Role.ADMIN))
    client_request.get("programmes.triad", _expected_status=404, triad_id=uuid.uuid4())
