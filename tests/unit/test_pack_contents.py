"""The celebration pack's contents page gives each triad the page its section starts on, also when
the section runs over several pages (read back from the PDF with pypdf)."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.celebration.pack import celebration_pack, render_pack
from app.celebration.service import submit_celebration
from app.models import Role
from tests.celebrations import add_learning, submitted
from tests.factories import enrol, make_programme_with_framework, make_school, make_triad, make_user, make_year

LONG = " ".join(["Class teachers completed a checklist before every referral, and the SENCo met them weekly."] * 30)


def test_the_contents_give_a_triad_that_runs_over_pages_its_first_page(session):
    year = make_year(make_programme_with_framework(name="Long Pack Triads"), 2025)
    lead = make_user(Role.PROGRAMME_LEAD, programme=year.programme)
    long_triad = make_triad(year, enrol(year, make_school("Ash School"), make_school("Oak School"),
                                        make_school("Yew School")), name="Triad Long")
    short_triad = make_triad(year, name="Triad Short")
    for title in ("Checklists", "Drop-ins", "Precision teaching"):
        add_learning(long_triad, title, what_we_did=LONG, impact=LONG)
    submit_celebration(long_triad, lead)
    submitted(short_triad, lead, "Parent drop-ins")

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_pack(celebration_pack(year)))).pages]
    starts = {name: next(number for number, page in enumerate(pages, start=1) if page.startswith(name))
              for name in ("Triad Long", "Triad Short")}
    assert starts["Triad Short"] - starts["Triad Long"] >= 3  # the long triad's section runs over 3 pages or more
    contents = next(page for page in pages if page.startswith("Contents"))
    listed = {name: int(re.search(rf"{name} (\d+)", contents).group(1)) for name in starts}
    assert listed == starts
