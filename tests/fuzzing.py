"""Helpers for fuzzing forms: read a page's form as a browser would send it, and hypothesis strategies
that replace each field's value with something hostile (control characters, a megabyte, unusual unicode,
HTML, impossible dates, wrong types, the field missing or sent twice)."""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag
from flask import current_app
from hypothesis import strategies as st
from sqlalchemy import func, select, table
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import SignInAttempt

TEXT_TYPES = {"text", "email", "number", "tel", "url", "search", "password", "hidden", "date", "time"}
DATE_PARTS = ("-day", "-month", "-year")
MEGABYTE = 1_000_000

# What a person would type into an empty box, so the other fields of an example are valid and the hostile
# value reaches the code behind the form (an empty required field would stop every example at "Enter ...").
FILLERS = {"email": "fuzz.person@example.org", "time": "10:00", "duration_minutes": "60", "start_year": "2031",
           "name": "Fuzz name", "password": "correct horse battery staple", "confirm": "correct horse battery staple",
           "working_days": "10", "urn": "123456", "search": "Fuzz", "q": "Fuzz"}
FILLER_DATE = ("14", "1", "2026")  # a Wednesday in term in the seeded academic year


@dataclass(frozen=True)
class FormField:
    """One named field: how it is entered, what the page would send for it, and the values it offers."""

    name: str
    # text, textarea, date, choice (radios, select), multi (checkboxes, multiple select), checkbox, file, submit
    kind: str
    value: tuple[str, ...]
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    action: str  # the path it posts to
    fields: tuple[FormField, ...]


def _path(url: str) -> str:
    return urlsplit(url).path


def _text_value(node: Tag) -> str:
    return node.get_text() if node.name == "textarea" else str(node.get("value") or "")


def _filled(name: str, kind: str, values: tuple[str, ...]) -> tuple[str, ...]:
    if kind == "date":
        return values if any(v.strip() for v in values) else FILLER_DATE
    if kind in ("text", "textarea") and not any(v.strip() for v in values):
        return (FILLERS.get(name, "Fuzz text"),)
    return values


def read_form(node: Tag, page_url: str) -> Form:
    """The fields of one <form>, each with the value a browser would send for it."""
    grouped: dict[str, list[Tag]] = {}
    for control in node.find_all(["input", "select", "textarea", "button"]):
        name = control.get("name")
        if not name or name == "csrf_token":
            continue
        grouped.setdefault(name, []).append(control)
    fields = []
    submitted = False
    for name, controls in grouped.items():
        first = controls[0]
        kind_of = (first.get("type") or "text").lower() if first.name == "input" else first.name
        if first.name == "button" or kind_of in ("submit", "image"):
            if not submitted:  # the first button is the one pressed
                fields.append(FormField(name, "submit", (str(first.get("value") or ""),)))
                submitted = True
            continue
        if kind_of == "radio":
            options = tuple(str(c.get("value") or "on") for c in controls)
            checked = tuple(str(c.get("value") or "on") for c in controls if c.has_attr("checked"))
            fields.append(FormField(name, "choice", checked or options[:1], options))
        elif kind_of == "checkbox":
            options = tuple(str(c.get("value") or "on") for c in controls)
            checked = tuple(str(c.get("value") or "on") for c in controls if c.has_attr("checked"))
            kind = "checkbox" if len(controls) == 1 else "multi"
            fields.append(FormField(name, kind, checked or options[:1], options))
        elif first.name == "select":
            options = tuple(str(o.get("value", o.get_text())) for o in first.find_all("option"))
            chosen = tuple(str(o.get("value", o.get_text())) for o in first.find_all("option")
                           if o.has_attr("selected"))
            real = tuple(o for o in options if o)
            kind = "multi" if first.has_attr("multiple") else "choice"
            fields.append(FormField(name, kind, chosen or real[:1] or options[:1], options))
        elif kind_of == "file":
            fields.append(FormField(name, "file", ()))
        elif first.name == "textarea" or kind_of in TEXT_TYPES:
            values = tuple(_text_value(c) for c in controls)
            is_date = len(controls) == 3 and all(str(c.get("id", "")).endswith(p)
                                                 for c, p in zip(controls, DATE_PARTS, strict=True))
            kind = "date" if is_date else ("textarea" if first.name == "textarea" else "text")
            if kind_of == "hidden":
                fields.append(FormField(name, "text", values))
            else:
                fields.append(FormField(name, kind, _filled(name, kind, values)))
    return Form(_path(node.get("action") or page_url), tuple(fields))


def find_form(page: BeautifulSoup, page_url: str, post_url: str) -> Form | None:
    """The POST form on the page that posts (or autosaves) to `post_url`."""
    target = _path(post_url)
    for node in page.find_all("form"):
        if (node.get("method") or "get").lower() != "post":
            continue
        action = _path(node.get("action") or page_url)
        autosave = node.get("data-autosave-url")
        if action == target or (autosave and _path(autosave) == target):
            return read_form(node, page_url)
    return None


def form_from_class(form_class: type, action: str) -> Form:
    """When no page shows the form (it is only reached by posting another), its WTForms class's fields."""
    with current_app.test_request_context():
        instance = form_class(meta={"csrf": False}, formdata=None)
    fields = []
    for item in instance:
        kind = {"SubmitField": "submit", "FileField": "file", "TextAreaField": "textarea", "BooleanField": "checkbox",
                "DayMonthYearField": "date"}.get(type(item).__name__, "text")
        value = (item.label.text,) if kind == "submit" else ()
        fields.append(FormField(item.name, kind, _filled(item.name, kind, value) if kind != "checkbox" else ("y",)))
    return Form(action, tuple(fields))


# --- Hostile values ---------------------------------------------------------------------------------------

CONTROL_CHARACTERS = [chr(c) for c in (0, *range(1, 9), 11, 12, *range(14, 32), 127)]
UNICODE_SAMPLES = [
    "\u202eevil\u202c",  # right-to-left override
    "\u200fشكرا\u200f",  # right-to-left mark and Arabic
    "🏫👩🏽‍🏫✨",  # emoji with a skin tone and a zero-width joiner
    "e\u0301\u0301\u0301 Z̵̡̛a̶l̷g̸o̴",  # combining marks
    "\ufeffbyte order mark",
    "\u2028line\u2029separators",
    "ｆｕｌｌｗｉｄｔｈ",
    "\U0010fffd private use",
    "İıß ﬃ",  # case mapping that changes length
]
HTML_SAMPLES = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{ 7 * 7 }}{% raw %}",
    "javascript:alert(1)",
    "'; DROP TABLE schools; --",
    "<!--",
    "&lt;&amp;&#0;",
]
WRONG_TYPES = ["abc", "-1", "0", "-99999999999999999999999", "99999999999999999999999", "1e309", "NaN", "1.5",
               "0x10", " ", "", "true", "null", "[]", "00000000-0000-0000-0000-000000000000", "not-a-uuid"]
IMPOSSIBLE_DATES = [("31", "2", "2026"), ("29", "2", "2025"), ("1", "13", "2026"), ("0", "1", "2026"),
                    ("1", "1", "0"), ("aa", "bb", "cccc"), ("-1", "-1", "-1"), ("1", "1", "99999999999999999999"),
                    ("1.5", "1", "2026"), ("", "1", "2026"), ("32", "12", "10000")]
# A megabyte (a form's fields are read up to the 5 MB request limit), and 400 kB. Mostly ASCII: a megabyte of
# percent-escapes takes seconds to encode and decode in the test client, and finds nothing more.
HUGE = ["x" * MEGABYTE, ("é" + "x" * 999) * (MEGABYTE // 1000), "y" * 400_000]


def _control_text(valid: str) -> st.SearchStrategy[str]:
    """The valid value with control characters (NUL first, so hypothesis shrinks to it) inside."""
    controls = st.text(st.sampled_from(CONTROL_CHARACTERS), min_size=1, max_size=3)
    return st.builds(lambda head, bad, tail: head + bad + tail, st.sampled_from([valid[:3], ""]), controls,
                     st.sampled_from([valid[3:], "", "tail"]))


_unicode = st.one_of(st.sampled_from(UNICODE_SAMPLES),
                     st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40))


def hostile_text(valid: str) -> st.SearchStrategy[str]:
    return st.one_of(_control_text(valid), st.sampled_from(HUGE), _unicode, st.sampled_from(HTML_SAMPLES),
                     st.sampled_from(WRONG_TYPES))


@dataclass(frozen=True)
class Entry:
    """What is sent for one field: a list of values (empty: the field is missing)."""

    name: str
    values: tuple[str, ...]
    upload: bytes | None = None


def _one(value: str) -> tuple[str, ...]:
    return (value,)


def field_values(form_field: FormField) -> st.SearchStrategy[tuple[str, ...]]:
    """The control (what the page sends) first, then the ways to break the field."""
    valid = form_field.value
    first = valid[0] if valid else ""
    missing = st.just(())
    repeated = st.builds(lambda other: (first, other), st.one_of(st.sampled_from(form_field.options or ("",)),
                                                                 hostile_text(first)))
    if form_field.kind == "date":
        parts = st.sampled_from(IMPOSSIBLE_DATES)
        wrong_count = st.sampled_from([valid[:2], (*valid, "2026"), valid[:1]])
        text_in_part = st.builds(lambda i, bad: tuple(bad if n == i else v for n, v in enumerate(valid)),
                                 st.integers(0, 2), hostile_text(valid[0]))
        return st.one_of(st.just(valid), parts, text_in_part, wrong_count, missing)
    if form_field.kind in ("choice", "multi", "checkbox"):
        return st.one_of(st.just(valid), st.sampled_from(form_field.options or ("",)).map(_one),
                         hostile_text(first).map(_one), missing, repeated, st.just(tuple(form_field.options)))
    if form_field.kind == "submit":
        return st.one_of(st.just(valid), hostile_text(first).map(_one), missing, repeated)
    return st.one_of(st.just(valid), hostile_text(first).map(_one), missing, repeated)


UPLOADS = [b"", b"\x00" * 64, b"MZ\x90\x00\x03 not really a program", "<script>alert(1)</script>".encode(),
           "urn,name\n1,\u202eevil\n".encode(), b"PK\x03\x04 truncated zip", b"\xff\xfe\xfa invalid utf-8",
           b"x" * MEGABYTE]


class Payload(tuple):
    """A form submission; its repr (shown by hypothesis for a failing example) keeps long values short."""

    def __repr__(self) -> str:
        def short(value: object) -> str:
            text = repr(value)
            return text if len(text) <= 80 else f"{text[:60]}...<{len(text)} chars>"

        shown = []
        for entry in self:
            if entry.upload is not None:
                shown.append(f"{entry.name}=upload({short(entry.upload)})")
            elif not entry.values:
                shown.append(f"{entry.name}=[missing]")
            else:
                shown.append(f"{entry.name}=" + " & ".join(map(short, entry.values)))
        shown = ", ".join(shown)
        return f"Payload({shown})"

    def _repr_pretty_(self, printer, cycle) -> None:  # how hypothesis shows a failing example
        printer.text(repr(self))

    def items(self, csrf_token: str) -> Iterator[tuple[str, object]]:
        """(name, value) pairs for the test client, the valid CSRF token first."""
        yield "csrf_token", csrf_token
        for entry in self:
            if entry.upload is not None:
                yield entry.name, (io.BytesIO(entry.upload), "upload.csv")
            for value in entry.values:
                yield entry.name, value


def _entry(form_field: FormField) -> st.SearchStrategy[Entry]:
    if form_field.kind == "file":
        return st.one_of(st.sampled_from(UPLOADS).map(lambda data: Entry(form_field.name, (), data)),
                         st.just(Entry(form_field.name, ())))
    return field_values(form_field).map(lambda values: Entry(form_field.name, values))


def payloads(form: Form) -> st.SearchStrategy[Payload]:
    """Every field of the form, each valid or broken in one of the ways above."""
    return st.tuples(*(_entry(f) for f in form.fields)).map(Payload)


def _everywhere(form: Form, text: str | None = None, date: tuple[str, ...] | None = None,
                upload: bytes | None = None) -> Payload:
    """The form with `text` in place of every value (or around it, when it contains "{}"), `date` in every date."""
    entries = []
    for item in form.fields:
        if item.kind == "file":
            entries.append(Entry(item.name, (), upload))
        elif item.kind == "date":
            entries.append(Entry(item.name, date or item.value))
        elif text is None:
            entries.append(Entry(item.name, item.value))
        else:
            entries.append(Entry(item.name, tuple(text.format(v) if "{}" in text else text
                                                  for v in item.value or ("",))))
    return Payload(entries)


def explicit_payloads(form: Form) -> list[Payload]:
    """One submission for each kind of hostile input, in every field at once, so each kind is always tried
    whatever hypothesis draws: NUL and other control characters, unicode, HTML, letters for numbers, huge and
    negative numbers, impossible dates, every field missing, every field sent twice, and a megabyte (in at
    most four fields per submission, to stay under the 5 MB request limit)."""
    if not form.fields:
        return []
    texts = [f for f in form.fields if f.kind in ("text", "textarea")]
    dates = [f for f in form.fields if f.kind == "date"]
    chosen = [
        _everywhere(form),
        _everywhere(form, "{}\x00", ("1\x00", "1", "2026"), b"\x00" * 64),
        _everywhere(form, "a\x01\x08\x0b\x1b[31m\x7f{}", ("\x1b1", "1", "2026")),
        _everywhere(form, "\u202e{}\u202c \u200f\u0634\u0643\u0631\u0627 🏫👩🏽‍🏫 e\u0301\u0301 \ufeff\u2028"),
        _everywhere(form, "<script>alert(1)</script>\"><img src=x onerror=alert(1)>{}", None,
                    b"<script>alert(1)</script>"),
        _everywhere(form, "abc", ("aa", "bb", "cccc"), b"MZ\x90\x00 not a program"),
        _everywhere(form, "99999999999999999999999", ("1", "1", "99999999999999999999")),
        _everywhere(form, "-1", ("-1", "-1", "-1")),
        Payload(Entry(f.name, ()) for f in form.fields),
        Payload(Entry(f.name, (*f.value[:1], next((o for o in f.options if o not in f.value[:1]), "other")))
                if f.kind not in ("file", "date") else Entry(f.name, (*f.value, *f.value)) for f in form.fields),
    ]
    if dates:
        chosen += [_everywhere(form, date=d) for d in (("31", "2", "2026"), ("1", "13", "2026"), ("1", "1", "0"))]
    for start in range(0, len(texts), 4):
        huge = {f.name for f in texts[start:start + 4]}
        chosen.append(Payload(Entry(f.name, ("x" * MEGABYTE,)) if f.name in huge else Entry(f.name, f.value)
                              for f in form.fields))
    if any(f.kind == "file" for f in form.fields):
        chosen.append(_everywhere(form, upload=b"x" * MEGABYTE))
    return chosen


# --- What changed -----------------------------------------------------------------------------------------

# Rows some refused forms write on purpose: a failed sign-in is counted so the limit can work.
WRITTEN_WHEN_REFUSED = frozenset({SignInAttempt.__table__.name})


def row_counts(session: Session) -> dict[str, int]:
    """The number of rows in every table, in one statement."""
    names = sorted(t for t in db.metadata.tables if t not in WRITTEN_WHEN_REFUSED)
    row = session.execute(select(*(select(func.count()).select_from(table(n)).scalar_subquery().label(n)
                                   for n in names))).one()
    return dict(zip(names, row, strict=True))
