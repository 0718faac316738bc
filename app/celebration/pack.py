"""The celebration pack for a programme year, as a PDF: a designed cover (the organisation's logo, the
programme and year), contents, the programme's figures with charts, then a section per triad that shared
its learning (in name order, its schools in alphabetical order, the coach marked) with each learning and
the evidence signals the lead has tagged drawn as four-bar indicators, and one page listing the triads
yet to share theirs.

A large programme is laid out in chunks of triads, each its own WeasyPrint document, and the chunks are
joined; so memory stays bounded by the chunk, not the programme. The contents page is laid out last,
once every section's page is known, and the running title and "Page N of M" are laid over the joined
pages from one more document of margins only, so every page counts the whole pack.
"""
from __future__ import annotations

import io
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult

from app.celebration.service import TriadCelebration, year_celebration
from app.common import clock, dates
from app.common.charts import Series, StackedBarChart, stacked_bars
from app.common.errors import DomainError
from app.common.ids import parse_uuid
from app.common.images import data_url
from app.common.pdf import render_pdf, render_report
from app.common.settings import setting
from app.dashboard.figures import Dashboard, locality_dashboard
from app.extensions import db
from app.models import (
    EVIDENCE_LEVELS,
    IMPACT_AREA_LABELS,
    ImpactArea,
    PackStatus,
    PreparedPack,
    Programme,
    ProgrammeYear,
    Triad,
    User,
)

TRIADS_PER_CHUNK = 25
SIGNAL_FILLS = {1: ("#f47738", "#0b0c0c"), 2: ("#ffdd00", "#0b0c0c"), 3: ("#85994b", "#0b0c0c"),
                4: ("#00703c", "#ffffff")}


@dataclass
class Pack:
    year: ProgrammeYear
    triads: list[TriadCelebration]
    dashboard: Dashboard
    logo: str = ""  # the organisation's logo as a data: URL, "" when it has none
    printed_on: str = ""

    @property
    def shared(self) -> list[TriadCelebration]:
        """The triads that submitted their learnings: a section each."""
        return [t for t in self.triads if t.is_submitted]

    @property
    def waiting(self) -> list[TriadCelebration]:
        """The triads yet to submit: listed together on one page."""
        return [t for t in self.triads if not t.is_submitted]

    @property
    def submitted(self) -> int:
        return len(self.shared)

    @property
    def learnings(self) -> int:
        return sum(len(t.learnings) for t in self.triads)

    @property
    def title(self) -> str:
        return f"Celebration of learning: {self.year.programme.name} {self.year.label}"

    def signals_chart(self) -> StackedBarChart | None:
        """How many learnings are at each level of each evidence signal, of those the lead has tagged
        (None while none is tagged): a learning not tagged yet is left out, not drawn as a level."""
        learnings = [learning for t in self.triads for learning in t.learnings]
        strength = Counter(learning.strength for learning in learnings if learning.strength)
        breadth = Counter(learning.breadth for learning in learnings if learning.breadth)
        if not strength and not breadth:
            return None
        series = [Series(level, f"{level} {label}", *SIGNAL_FILLS[level]) for level, label in EVIDENCE_LEVELS.items()]
        rows: list[tuple[str, dict[int, int | None]]] = [
            (name, {level: counts.get(level, 0) for level in EVIDENCE_LEVELS})
            for name, counts in (("Strength of evidence", strength), ("Breadth of impact", breadth))]
        return stacked_bars("signals", "Evidence signals of the learnings",
                            "How many learnings the programme lead has tagged at each level, for each signal.",
                            series, rows)

    def impact_counts(self) -> list[tuple[str, int]]:
        counts = Counter(area for t in self.triads for learning in t.learnings for area in learning.impact_areas)
        return [(IMPACT_AREA_LABELS[area], counts.get(area, 0)) for area in ImpactArea]


def celebration_pack(year: ProgrammeYear) -> Pack:
    """Everything the pack prints, in a fixed number of queries."""
    organisation = year.programme.organisation
    return Pack(year, year_celebration(year), locality_dashboard(year, may_name=False),
                data_url(organisation.logo_type, organisation.logo), dates.day(clock.today()))


def pack_file_name(year: ProgrammeYear) -> str:
    return f"celebration-of-learning-{year.start_year}-{(year.start_year + 1) % 100:02d}.pdf"


def _chunks(triads: list[TriadCelebration], size: int) -> list[list[TriadCelebration]]:
    return [triads[start:start + size] for start in range(0, len(triads), size)] or [[]]


def pack_html(pack: Pack, part: str, triads: list[TriadCelebration] | None = None,
              contents: dict[str, int] | None = None, pages: int = 0) -> str:
    """The HTML of one part of the pack: "front" (cover, contents, figures), "triads" (a chunk of
    sections), "waiting" (the triads yet to share their learning) or "furniture" (`pages` pages of
    running title and page numbers only, laid over the others)."""
    return render_report("celebration_pack.html", pack=pack, part=part, chunk=triads or [], pages=pages,
                         contents=contents or {}, evidence_levels=EVIDENCE_LEVELS,
                         running_title=css_string(pack.title),
                         organisation_name=css_string(pack.year.programme.organisation.name))


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element whatever it holds."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&' or ord(c) < 32 else c for c in text)
    return Markup(f'"{escaped}"')


def celebration_pack_pdf(year: ProgrammeYear, triads_per_chunk: int = TRIADS_PER_CHUNK) -> bytes:
    return render_pack(celebration_pack(year), triads_per_chunk)


def _laid_out(html: str, first_page: int, contents: dict[str, int]) -> tuple[bytes, int]:
    """A part of the pack starting on `first_page`: its PDF, with the page each of its sections starts
    on added to `contents`, and the page after its last."""
    layout: dict = {}
    body = render_pdf(html, layout=layout)
    contents.update({name: first_page + page - 1 for name, page in layout["anchors"].items()})
    return body, first_page + layout["pages"]


def render_pack(pack: Pack, triads_per_chunk: int = TRIADS_PER_CHUNK) -> bytes:
    """Lay out the front with placeholder page numbers to learn its length, then each chunk of triads
    and the page of those yet to share numbered on from it, then the front again with the real numbers;
    join them, and lay the running title and "Page N of M" over every page but the cover."""
    placeholders = {name: 999 for name in ("figures", "waiting", *(f"triad-{t.triad.id}" for t in pack.triads))}
    layout: dict = {}
    render_pdf(pack_html(pack, "front", contents=placeholders), layout=layout)
    front_pages = layout["pages"]
    contents = {"figures": layout["anchors"]["figures"]}
    parts, next_page = [], front_pages + 1
    for chunk in _chunks(pack.shared, triads_per_chunk):
        if chunk:
            body, next_page = _laid_out(pack_html(pack, "triads", chunk), next_page, contents)
            parts.append(body)
    if pack.waiting:
        body, next_page = _laid_out(pack_html(pack, "waiting"), next_page, contents)
        parts.append(body)
    layout = {}
    front = render_pdf(pack_html(pack, "front", contents=contents), layout=layout)
    if layout["pages"] != front_pages:  # cannot happen while page numbers print in a fixed width
        raise RuntimeError("The pack's front pages changed length when numbered")
    furniture = render_pdf(pack_html(pack, "furniture", pages=next_page - 1))
    return join_pdfs([front, *parts], pack.title, furniture)


def join_pdfs(parts: list[bytes], title: str, furniture: bytes | None = None) -> bytes:
    """The parts as one PDF, each page with the same page of `furniture` (margins only) laid over it."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    if furniture is not None:
        for page, margins in zip(writer.pages, PdfReader(io.BytesIO(furniture)).pages, strict=True):
            page.merge_page(margins)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def programme_year_for(programme_reference: str, year_label: str) -> ProgrammeYear:
    """A programme's year by the programme's id and the year's label ("2025/26"), for the command line."""
    programme = db.session.get(Programme, parse_uuid((programme_reference or "").strip()) or uuid.UUID(int=0))
    if programme is None:
        raise DomainError(f"No programme has the id {programme_reference!r}. "
                          "Copy the id from the address of the programme's page")
    label = (year_label or "").strip().replace("-", "/")
    year = next((y for y in programme.years if y.label == label), None)
    if year is None:
        taken = ", ".join(y.label for y in programme.years) or "none yet"
        raise DomainError(f"{programme.name} has no academic year {label or '(none given)'}. "
                          f"Enter one of its years, like 2025/26 (its years: {taken})")
    return year


def celebration_pack_pdf_for(programme_reference: str, year_label: str) -> tuple[bytes, str]:
    """The command line's celebration pack: the PDF and a file name for it."""
    year = programme_year_for(programme_reference, year_label)
    return celebration_pack_pdf(year), pack_file_name(year)


# --- Large packs, prepared by the scheduler ------------------------------------------------------------

# A pack still "being prepared" this long after it started is taken to have died with its process.
STALE_AFTER = timedelta(minutes=30)


def is_large(year: ProgrammeYear) -> bool:
    """Too many triads to lay the pack out within a web request: the scheduler prepares it."""
    triads = db.session.scalar(select(func.count()).select_from(Triad).where(Triad.year_id == year.id)) or 0
    return triads > setting("PACK_INLINE_TRIADS")


def latest_prepared(year: ProgrammeYear) -> PreparedPack | None:
    return db.session.scalar(select(PreparedPack).where(PreparedPack.year_id == year.id)
                             .order_by(PreparedPack.created_at.desc()).limit(1))


def request_pack(year: ProgrammeYear, by: User, now: datetime | None = None) -> PreparedPack:
    """Ask the scheduler for the year's pack; asking again while one is on its way adds nothing."""
    now = now or clock.now()
    latest = latest_prepared(year)
    if latest is not None and (latest.status == PackStatus.QUEUED or (
            latest.status == PackStatus.WORKING and latest.started_at is not None
            and latest.started_at > now - STALE_AFTER)):
        return latest
    pack = PreparedPack(year_id=year.id, requested_by=by, status=PackStatus.QUEUED)
    db.session.add(pack)
    db.session.flush()
    return pack


def _claim(pack_id: uuid.UUID, now: datetime) -> bool:
    """Take a waiting (or abandoned) pack for this process; another scheduler's claim wins only once."""
    claimed = cast(CursorResult[Any], db.session.execute(
        update(PreparedPack)
        .where(PreparedPack.id == pack_id,
               (PreparedPack.status == PackStatus.QUEUED)
               | ((PreparedPack.status == PackStatus.WORKING) & (PreparedPack.started_at < now - STALE_AFTER)))
        .values(status=PackStatus.WORKING, started_at=now, updated_at=now)))
    db.session.commit()
    return claimed.rowcount == 1


def prepare_packs(now: datetime | None = None, limit: int = 2) -> int:
    """Prepare waiting packs, each claimed in the database first so two schedulers never both make
    one. Commits as it goes (this is the scheduler's job, not a request). Returns how many it made."""
    now = now or clock.now()
    waiting = list(db.session.scalars(
        select(PreparedPack.id)
        .where((PreparedPack.status == PackStatus.QUEUED)
               | ((PreparedPack.status == PackStatus.WORKING) & (PreparedPack.started_at < now - STALE_AFTER)))
        .order_by(PreparedPack.created_at).limit(limit)))
    db.session.commit()
    made = 0
    for pack_id in waiting:
        if not _claim(pack_id, now):
            continue
        pack = db.session.get_one(PreparedPack, pack_id)
        try:
            content = celebration_pack_pdf(pack.year)
        except Exception as error:  # noqa: BLE001 (whatever went wrong, the lead is told and can ask again)
            db.session.rollback()
            pack = db.session.get_one(PreparedPack, pack_id)
            pack.status, pack.error = PackStatus.FAILED, f"{type(error).__name__}: {error}"[:500]
        else:
            pack.status, pack.content = PackStatus.READY, content
            pack.pages = len(PdfReader(io.BytesIO(content)).pages)
            made += 1
        pack.finished_at = clock.now()
        db.session.commit()
    return made


def prepared_file(pack: PreparedPack) -> bytes | None:
    """The prepared pack's PDF (loaded only now)."""
    return pack.content if pack.status == PackStatus.READY else None
