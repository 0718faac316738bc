"""The celebration pack for a programme year, as a PDF: a cover, contents, the programme's figures
with charts, then a section per triad (in name order, its schools in alphabetical order, the coach
marked) with each learning and its evidence signals drawn as four-bar indicators.

A large programme is laid out in chunks of triads, each its own WeasyPrint document numbered on from
the last, and the chunks are joined; so memory stays bounded by the chunk, not the programme. The
contents page is laid out last, once every section's page is known.
"""
from __future__ import annotations

import io
import uuid
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup
from pypdf import PdfWriter

from app.extensions import db
from app.models import EVIDENCE_LEVELS, IMPACT_AREA_LABELS, ImpactArea, Programme, ProgrammeYear
from app.services import DomainError
from app.services.celebration import TriadCelebration, year_celebration
from app.services.charts import StackedBarChart, Series, stacked_bars
from app.services.dashboard import Dashboard, locality_dashboard
from app.services.programmes import parse_uuid
from app.services.reports import render_pdf, render_report

TRIADS_PER_CHUNK = 25
SIGNAL_FILLS = {1: ("#f47738", "#0b0c0c"), 2: ("#ffdd00", "#0b0c0c"), 3: ("#85994b", "#0b0c0c"),
                4: ("#00703c", "#ffffff")}


@dataclass
class Pack:
    year: ProgrammeYear
    triads: list[TriadCelebration]
    dashboard: Dashboard

    @property
    def submitted(self) -> int:
        return sum(t.is_submitted for t in self.triads)

    @property
    def learnings(self) -> int:
        return sum(len(t.learnings) for t in self.triads)

    @property
    def title(self) -> str:
        return f"Celebration of learning: {self.year.programme.name} {self.year.label}"

    def signals_chart(self) -> StackedBarChart:
        """How many learnings are at each level of each evidence signal."""
        strength = Counter(learning.strength for t in self.triads for learning in t.learnings)
        breadth = Counter(learning.breadth for t in self.triads for learning in t.learnings)
        series = [Series(level, f"{level} {label}", *SIGNAL_FILLS[level]) for level, label in EVIDENCE_LEVELS.items()]
        series.append(Series(0, "Not tagged yet", "#b1b4b6", "#0b0c0c"))
        rows = [(name, {**{level: counts.get(level, 0) for level in EVIDENCE_LEVELS}, 0: counts.get(None, 0)})
                for name, counts in (("Strength of evidence", strength), ("Breadth of impact", breadth))]
        return stacked_bars("signals", f"Evidence signals of the {self.learnings} learnings",
                            "How many learnings the programme lead has tagged at each level, for each signal.",
                            series, rows)

    def impact_counts(self) -> list[tuple[str, int]]:
        counts = Counter(area for t in self.triads for learning in t.learnings for area in learning.impact_areas)
        return [(IMPACT_AREA_LABELS[area], counts.get(area, 0)) for area in ImpactArea]


def celebration_pack(year: ProgrammeYear) -> Pack:
    """Everything the pack prints, in a fixed number of queries."""
    return Pack(year, year_celebration(year), locality_dashboard(year, may_name=False))


def pack_file_name(year: ProgrammeYear) -> str:
    return f"celebration-of-learning-{year.start_year}-{(year.start_year + 1) % 100:02d}.pdf"


def _chunks(triads: list[TriadCelebration], size: int) -> list[list[TriadCelebration]]:
    return [triads[start:start + size] for start in range(0, len(triads), size)] or [[]]


def pack_html(pack: Pack, part: str, triads: list[TriadCelebration] | None = None, first_page: int = 1,
              contents: dict[str, int] | None = None) -> str:
    """The HTML of one part of the pack: "front" (cover, contents, figures) or "triads" (a chunk of
    sections, numbered from `first_page`)."""
    return render_report("celebration_pack.html", pack=pack, part=part, chunk=triads or [], first_page=first_page,
                         contents=contents or {}, evidence_levels=EVIDENCE_LEVELS,
                         running_title=css_string(f"Celebration of learning: {pack.year.programme.name} "
                                                  f"{pack.year.label}"))


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element whatever it holds."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&' or ord(c) < 32 else c for c in text)
    return Markup(f'"{escaped}"')


def celebration_pack_pdf(year: ProgrammeYear, triads_per_chunk: int = TRIADS_PER_CHUNK) -> bytes:
    return render_pack(celebration_pack(year), triads_per_chunk)


def render_pack(pack: Pack, triads_per_chunk: int = TRIADS_PER_CHUNK) -> bytes:
    """Lay out the front with placeholder page numbers to learn its length, then each chunk of triads
    numbered on from it, then the front again with the real numbers, and join them."""
    placeholders = {f"triad-{t.triad.id}": 999 for t in pack.triads}
    layout: dict = {}
    render_pdf(pack_html(pack, "front", contents=placeholders), layout=layout)
    front_pages = layout["pages"]
    parts, contents, next_page = [], {"figures": layout["anchors"]["figures"]}, front_pages + 1
    for chunk in _chunks(pack.triads, triads_per_chunk):
        if not chunk:
            break
        layout = {}
        parts.append(render_pdf(pack_html(pack, "triads", chunk, first_page=next_page), layout=layout))
        contents.update({name: next_page + page - 1 for name, page in layout["anchors"].items()
                         if name.startswith("triad-")})
        next_page += layout["pages"]
    layout = {}
    front = render_pdf(pack_html(pack, "front", contents=contents), layout=layout)
    if layout["pages"] != front_pages:  # cannot happen while page numbers print in a fixed width
        raise RuntimeError("The pack's front pages changed length when numbered")
    return join_pdfs([front, *parts], pack.title)


def join_pdfs(parts: list[bytes], title: str) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
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
