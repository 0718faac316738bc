"""A Notify-style helper: request a page by endpoint, check its status and what every page must have."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from flask import url_for
from flask.testing import FlaskClient

from app.models import User


class ClientRequest:
    def __init__(self, client: FlaskClient):
        self.client = client
        self.last_statements: int | None = None

    def sign_in(self, user: User) -> None:
        """Start a signed-in session for `user` without going through the form."""
        import time

        from app.auth.sign_in import start_session
        from app.extensions import db

        session_id = start_session(user)
        db.session.commit()
        with self.client.session_transaction() as flask_session:
            flask_session["sid"] = str(session_id)
            flask_session["_user_id"] = user.get_id()
            flask_session["_fresh"] = True
            flask_session["seen_at"] = time.time()

    def url(self, endpoint: str, **values: Any) -> str:
        with self.client.application.test_request_context():
            return url_for(endpoint, **values)

    def get(self, endpoint: str, _expected_status: int = 200, **values: Any) -> BeautifulSoup:
        response = self.client.get(self.url(endpoint, **values))
        return self._page(response, _expected_status)

    def get_url(self, url: str, _expected_status: int = 200) -> BeautifulSoup:
        return self._page(self.client.get(url), _expected_status)

    def csrf_token(self, endpoint: str, **values: Any) -> str:
        page = self.get(endpoint, **values)
        field = page.select_one("input[name=csrf_token]")
        assert field is not None, "the form has no CSRF token"
        return field["value"]

    def post(self, endpoint: str, data: dict | None = None, _expected_status: int = 302,
             _form_endpoint: str | None = None, _follow: bool = False, **values: Any):
        """Post a form as a browser would: with the CSRF token from the page that shows it."""
        form_page = _form_endpoint or endpoint
        payload = {"csrf_token": self.csrf_token(form_page, **values), **(data or {})}
        response = self.client.post(self.url(endpoint, **values), data=payload, follow_redirects=_follow)
        assert response.status_code == _expected_status, (
            f"expected {_expected_status}, got {response.status_code}: {response.get_data(as_text=True)[:2000]}"
        )
        if response.mimetype == "text/html" and response.status_code != 302:
            return self._page(response, _expected_status)
        return response

    def _page(self, response, expected_status: int) -> BeautifulSoup:
        assert response.status_code == expected_status, (
            f"expected {expected_status}, got {response.status_code}: {response.get_data(as_text=True)[:2000]}"
        )
        self.last_statements = int(response.headers.get("X-SQL-Statements", "0"))
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        if response.mimetype == "text/html" and expected_status != 302:
            check_page(page, response.headers.get("Content-Security-Policy", ""))
        return page


def check_page(page: BeautifulSoup, csp: str) -> None:
    """What every HTML page must have: a title, unique ids, a CSRF token in every POST form, and
    the CSP nonce on every script."""
    title = page.title.string if page.title else None
    assert title and title.strip(), "the page has no title"
    ids = Counter(tag["id"] for tag in page.select("[id]"))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post":
            assert form.select_one("input[name=csrf_token]"), f"a POST form without a CSRF token: {form.get('action')}"
    nonce = re.search(r"'nonce-([^']+)'", csp)
    for script in page.find_all("script"):
        assert nonce and script.get("nonce") == nonce.group(1), f"script without the CSP nonce: {script}"


def error_messages(page: BeautifulSoup) -> list[str]:
    """The messages in the page's GOV.UK error summary, in order."""
    return [li.get_text(" ", strip=True) for li in page.select(".govuk-error-summary__list li")]


def text_of(page: BeautifulSoup, selector: str = "main") -> str:
    node = page.select_one(selector)
    return " ".join(node.get_text(" ").split()) if node else ""


def task_section(page: BeautifulSoup, heading_id: str) -> str:
    """The text of one part of the home page's task list: "to-do", "waiting" or "done"."""
    section = page.select_one(f"section[aria-labelledby={heading_id}]")
    assert section is not None, f"the page has no {heading_id!r} section"
    return " ".join(section.get_text(" ").split())


def task_links(page: BeautifulSoup, heading_id: str = "to-do") -> dict[str, str]:
    """The task list's links in one part of the home page: {task's words: address}."""
    return {a.get_text(" ", strip=True): a["href"]
            for a in page.select(f"section[aria-labelledby={heading_id}] a.govuk-task-list__link")}
