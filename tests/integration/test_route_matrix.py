"""Every route, as each role, against the expected-outcome table in tests/access_matrix.py."""
from __future__ import annotations

import pytest
from flask import g, url_for
from flask import session as flask_session
from flask_wtf.csrf import generate_csrf

from tests.access_matrix import TABLE, Row, expected_status, rows_for
from tests.seeded import ROLES, SeededYear, rolled_back, seed_year

METHODS = ("GET", "POST")
REFUSED_POST = {401, 403, 404, 405, 500}


def _route_methods(app) -> list[tuple[object, str]]:
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in METHODS if method in rule.methods]


def test_every_route_has_a_row_and_every_row_a_route(app):
    routes = {(rule.endpoint, method) for rule, method in _route_methods(app)}
    missing = sorted(f"{method} {endpoint}" for endpoint, method in routes if not rows_for(endpoint, method))
    stale = sorted({row.name for row in TABLE if (row.endpoint, row.method) not in routes})
    assert not missing, "routes with no row in tests/access_matrix.py: " + ", ".join(missing)
    assert not stale, "rows in tests/access_matrix.py for no route: " + ", ".join(stale)


def _signed_in_session(app, client, client_request, user) -> tuple[dict, str]:
    """Sign in (unless anonymous) and put a CSRF token in the session: what the session then holds,
    and the token a form would carry."""
    if user is not None:
        client_request.sign_in(user)
    for name in list(vars(g)):
        delattr(g, name)  # generate_csrf reuses a token kept in g
    with app.test_request_context():
        token = generate_csrf()
        raw = flask_session["csrf_token"]
    with client.session_transaction() as cookie_session:
        cookie_session["csrf_token"] = raw
        saved = dict(cookie_session)
    return saved, token


def _outcome(row: Row, role: str, method: str, response) -> str | None:
    """What is wrong with the response, or None."""
    status = response.status_code
    expected = expected_status(row, role)
    if expected == "sign-in":
        if status == 302 and "/sign-in" in response.headers.get("Location", ""):
            return None
        return f"expected a redirect to sign in, got {status}"
    if expected in ("403", "404"):
        return None if str(status) == expected else f"expected {expected}, got {status}"
    if method == "POST":
        if status == 400 and b"The form has expired" in response.data:
            return "the CSRF token was refused"  # the test's fault: it would hide every allowed POST
        return None if status not in REFUSED_POST else f"expected it to be allowed, got {status}"
    if status == 200 or (status == 302 and row.redirects):
        return None
    return f"expected 200, got {status}"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(role, app, client, client_request, session):
    seeded: SeededYear = seed_year()
    saved, token = _signed_in_session(app, client, client_request, seeded.users[role])
    mismatches = []
    requests = []
    with app.test_request_context():
        for rule, method in _route_methods(app):
            rows = rows_for(rule.endpoint, method)
            if not rows:
                mismatches.append(f"{method} {rule.endpoint}: no row in tests/access_matrix.py")
            requests += [(row, method, url_for(rule.endpoint, **seeded.values_for(rule, **row.values(seeded))))
                         for row in rows]
    cookie_changed = False
    for row, method, url in requests:
        if cookie_changed:  # signing out, say: sign in again
            with client.session_transaction() as cookie_session:
                cookie_session.clear()
                cookie_session.update(saved)
        with rolled_back():
            cookie_changed = True
            try:
                response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            except Exception as error:  # the testing app lets a view's error through: that is a 500
                problem = f"raised {type(error).__name__}: {error}"
            else:
                cookie_changed = "Set-Cookie" in response.headers
                problem = _outcome(row, role, method, response)
        if problem:
            mismatches.append(f"{row.name} {url}: {problem}")
    assert not mismatches, f"{len(mismatches)} mismatches as {role}:\n" + "\n".join(mismatches)
