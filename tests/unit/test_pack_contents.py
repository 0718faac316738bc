"""The celebration pack as a document, read back from the PDF with pypdf as a person reads it: the contents
give each section the page it starts on, every page after the cover says "Page N of M" for the whole pack
(laid out in chunks), no page ends on a heading, the triads yet to share their learning are listed on one
page together, learnings not tagged yet show no signals, and the organisation's logo is on the cover."""
from __future__ import annotations

import io
import logging
import re
from types import SimpleNamespace

import pytest
from PIL import Image
from pypdf import PdfReader

from app.celebration.pack import celebration_pack, pack_html, render_pack
from app.celebration.service import submit_celebration, tag_learning
from app.extensions import db
from app.models import Learning, Role
from app.programmes.organisations import set_logo
from tests.celebrations import add_learning, submitted
from tests.conftest import RaiseOnFailedLoad, bound_session
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year
from tests.pdfs import body, heading_ending, headings, page_lines, page_numbers, squeezed

SENTENCE = "Class teachers completed a checklist before every referral, and the SENCo met them weekly."
TREES = ("Ash", "Birch", "Cedar", "Damson", "Elder", "Fir", "Gorse", "Hazel", "Ivy", "Juniper", "Larch", "Maple")
WAITING = "Triads yet to share their learning"


def make_triads(year, count: int) -> list:
    """Triads "Triad 1"... each of three schools named without digits ("Ash Lane School", coach first)."""
    triads = []
    for number in range(1, count + 1):
        tree = TREES[number - 1]
        schools = enrol(year, *(make_school(f"{tree} {place} School") for place in ("Lane", "Park", "Vale")))
        triads.append(make_triad(year, schools, name=f"Triad {number}"))
    return triads


def section_starts(pages: list[list[str]], header: str, names: list[str]) -> dict[str, int]:
    """The page (from 1) each section starts on: the first whose text begins with its heading."""
    return {name: next(number for number, lines in enumerate(pages, start=1) if body(lines, header)[:1] == [name])
            for name in names}


def listed_pages(pages: list[list[str]], header: str, names: list[str]) -> dict[str, int]:
    """The page number the contents page gives each entry, read from the entry's line."""
    contents = body(next(lines for lines in pages if body(lines, header)[:1] == ["Contents"]), header)
    found = {}
    for name in names:
        line = next(line for line in contents if re.fullmatch(rf"{re.escape(name)} \d+", line))
        found[name] = int(line.rsplit(" ", 1)[1])
    return found


@pytest.fixture(scope="module")
def varied(app):
    """Seven triads laid out two to a chunk, two of which did not submit. Each of the others has a first learning
    of a different length (one runs over pages) and short ones after it, so each page ends somewhere among
    the short learnings' headings and one-line answers, where a page that breaks anywhere would end on one."""
    handler = RaiseOnFailedLoad(logging.WARNING)
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        with bound_session(app):
            year = make_year(make_programme_with_framework(name="Varied Pack Triads"), 2025)
            lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
            triads = make_triads(year, 7)
            shared = {1: (30, 1, 1), 2: (70, 1), 4: (33, 1, 1), 5: (36, 1, 2), 6: (26, 2, 1)}
            for number, lengths in shared.items():
                triad = triads[number - 1]
                for position, sentences in enumerate(lengths, start=1):
                    add_learning(triad, f"Practice {number}.{position}", what_we_did=" ".join([SENTENCE] * sentences),
                                 impact=SENTENCE, next_steps="Share it with the cluster.")
                submit_celebration(triad, lead)
            for learning in db.session.query(Learning).all()[::2]:
                tag_learning(learning, 3, 2, lead)
            db.session.commit()
            pack = celebration_pack(year)
            pdf = render_pack(pack, triads_per_chunk=2)
            html = [pack_html(pack, "front"), pack_html(pack, "triads", pack.shared), pack_html(pack, "waiting")]
            return SimpleNamespace(pages=page_lines(pdf), header=pack.title, headings=headings(*html),
                                   shared=[t.triad.name for t in pack.shared],
                                   waiting=[t.triad.name for t in pack.waiting])
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)


def test_the_contents_give_each_section_the_page_it_starts_on(varied):
    sections = ["Programme figures", *varied.shared, WAITING]
    starts = section_starts(varied.pages, varied.header, sections)
    assert starts["Triad 2"] - starts["Triad 1"] >= 2  # sections run over pages...
    assert starts["Triad 5"] > starts["Triad 4"] > starts["Triad 2"]  # ...and across chunks of two triads
    assert listed_pages(varied.pages, varied.header, sections) == starts


def test_every_page_after_the_cover_says_page_n_of_m_for_the_whole_pack(varied):
    total = len(varied.pages)
    assert total >= 12
    assert page_numbers(varied.pages[0]) is None and not any("Page" in line for line in varied.pages[0])
    assert [page_numbers(lines) for lines in varied.pages[1:]] == [(n, total) for n in range(2, total + 1)]
    assert all(lines[0] == "Celebration of learning: Varied Pack Triads 2025/26" for lines in varied.pages[1:])


def test_no_page_ends_on_a_heading(varied):
    assert {squeezed(h) for h in ("Programme figures", "Triad 1", "What we did", WAITING)} <= varied.headings
    ends = {number: heading_ending(body(lines, varied.header), varied.headings)
            for number, lines in enumerate(varied.pages[1:], start=2)}
    assert {number: heading for number, heading in ends.items() if heading} == {}


def test_the_triads_yet_to_share_their_learning_have_one_page_together(session):
    year = make_year(make_programme_with_framework(name="Half Shared Triads"), 2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    triads = make_triads(year, 6)
    for triad in triads[::2]:
        submitted(triad, lead, f"Shared by {triad.name}")
    add_learning(triads[1], "Written but not submitted")
    pack = celebration_pack(year)
    pages = page_lines(render_pack(pack, triads_per_chunk=2))
    header = pack.title
    summary = [number for number, lines in enumerate(pages, start=1) if body(lines, header)[:1] == [WAITING]]
    assert len(summary) == 1
    [page] = summary
    waiting = {"Triad 2", "Triad 4", "Triad 6"}
    named = {number: {found[1] for line in body(lines, header) if (found := re.match(r"(Triad \d+)\b", line))}
             for number, lines in enumerate(pages, start=1)}
    assert named[page] == waiting
    # no section of its own for a triad that did not submit, nor anything it wrote, nor a "Not submitted"
    assert not any(named[number] & waiting for number in named if number != page)
    assert not any("Not submitted" in line or "Written but not submitted" in line for lines in pages for line in lines)
    assert page == len(pages)  # the last page, after the three triads that shared
    assert listed_pages(pages, header, [WAITING]) == {WAITING: page}


def test_learnings_not_tagged_yet_show_no_signals(session):
    year = make_year(make_programme_with_framework(name="Tagging Triads"), 2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    tagged, untagged = make_triads(year, 2)
    submitted(tagged, lead, "Tagged practice")
    submitted(untagged, lead, "Untagged practice")
    tag_learning(db.session.query(Learning).filter_by(title="Tagged practice").one(), 3, 2, lead)
    pack = celebration_pack(year)
    pages = ["\n".join(body(lines, pack.title)) for lines in page_lines(render_pack(pack))]
    assert not any("not tagged" in page.lower() for page in pages)
    [tagged_page] = [page for page in pages if page.startswith("Triad 1")]
    [untagged_page] = [page for page in pages if page.startswith("Triad 2")]
    assert "Strength of evidence: Good" in tagged_page and "Breadth of impact: Promising" in tagged_page
    assert "Untagged practice" in untagged_page
    assert "Strength of evidence" not in untagged_page and "Breadth of impact" not in untagged_page


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#00703c").save(out, "PNG")
    return out.getvalue()


def test_the_organisation_s_logo_is_on_the_cover_and_a_pack_without_one_has_none(session):
    year = make_year(make_programme_with_framework(name="Logo Triads"), 2025)
    submitted(make_triads(year, 1)[0], make_user(Role.PROGRAMME_LEAD, programme=year.programme))
    without = PdfReader(io.BytesIO(render_pack(celebration_pack(year))))
    assert len(without.pages[0].images) == 0
    assert year.programme.organisation.name in without.pages[0].extract_text()  # its name stands alone
    set_logo(year.programme.organisation, "crest.png", png(400, 120))
    db.session.commit()
    cover = PdfReader(io.BytesIO(render_pack(celebration_pack(year)))).pages[0]
    [logo] = cover.images
    assert logo.image.size == (400, 120)


def test_an_svg_logo_is_drawn_on_the_cover(session):
    year = make_year(make_programme_with_framework(name="Drawn Logo Triads"), 2025)
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 60"><rect width="60" height="60" '
           b'fill="#1d70b8"/><text x="70" y="40" font-size="30" font-family="Arial">Wordmark</text></svg>')
    set_logo(year.programme.organisation, "wordmark.svg", svg)
    db.session.commit()
    cover = PdfReader(io.BytesIO(render_pack(celebration_pack(year)))).pages[0].extract_text()
    assert "Wordmark" in cover and squeezed("Celebration of learning") in squeezed(cover)
