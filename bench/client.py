"""A person's HTTP client for the benchmarks: http.client on loopback, keeping its own cookies (the app's
session cookie is Secure, which a browser would only send back over HTTPS), signing in as a browser does,
and reading the few things the benchmarks need from a page."""
from __future__ import annotations

import html
import http.client
import re
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from app.demo.northbrook import DEMO_PASSWORD

INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
HEADING = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """One signed-in person: a keep-alive connection (gunicorn's sync workers close it after each
    response; http.client opens the next) and a cookie jar. Follows no redirects."""

    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for line in headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Reply:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        except (http.client.HTTPException, OSError):
            self.reconnect()
            raise
        if response.will_close:
            self.connection.close()
        self._keep_cookies(reply.headers)
        return reply

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Reply:
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path: str, fields: list[tuple[str, str]], accept: str = "application/json") -> Reply:
        """What fetch() sends for a FormData body."""
        body, content_type = multipart(fields)
        return self.request("POST", path, body, {"Content-Type": content_type, "Accept": accept})

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        form = self.get("/sign-in")
        reply = self.post_form("/sign-in", {"csrf_token": hidden_value(form.text, "csrf_token"), "email": email,
                                            "password": password})
        if reply.status != 302 or "/sign-in" in reply.location:
            raise RuntimeError(f"{email} could not sign in: {reply.status} {heading(reply.text)!r}")


def multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = f"----bench{uuid.uuid4().hex}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields]
    return f"{''.join(parts)}--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def inputs(page: str) -> list[dict[str, str]]:
    """Every <input>'s attributes (a bare attribute such as `checked` maps to "")."""
    found = []
    for tag in INPUT.findall(page):
        found.append({name.lower(): html.unescape(value or "") for name, value in ATTRIBUTE.findall(tag[6:-1])})
    return found


def hidden_value(page: str, name: str) -> str:
    for attributes in inputs(page):
        if attributes.get("name") == name:
            return attributes.get("value", "")
    raise LookupError(f"no input named {name!r} on the page (heading {heading(page)!r})")


def checked_value(page: str, name: str) -> str | None:
    """The value of the radio named `name` that is checked, if one is."""
    for attributes in inputs(page):
        if attributes.get("name") == name and "checked" in attributes:
            return attributes.get("value", "")
    return None


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea\b[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    if match is None:
        raise LookupError(f"no text area named {name!r} on the page")
    return html.unescape(match.group(1)).strip()


def heading(page: str) -> str:
    """The page's <h1>, as text."""
    match = HEADING.search(page)
    return " ".join(html.unescape(TAG.sub("", match.group(1))).split()) if match else ""
