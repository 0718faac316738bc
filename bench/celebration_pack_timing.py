"""Time the celebration pack against scale data: loading its data, laying out its HTML, and rendering
the PDF, each rendering in a child process so its peak memory can be read on its own; the chunked
rendering (the default) against the whole pack as one WeasyPrint document.

    .venv/bin/python bench/celebration_pack_timing.py              # seeds 2000 schools in a temporary SQLite file
    .venv/bin/python bench/celebration_pack_timing.py --schools 25000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/send_triads_bench \\
        .venv/bin/python bench/celebration_pack_timing.py
"""
from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_child(work, queue) -> None:
    """Run `work` in this (forked) process and report its time, its pages and how much it grew."""
    before = _peak_mib()
    started = time.perf_counter()
    pdf = work()
    elapsed = time.perf_counter() - started
    from pypdf import PdfReader

    queue.put((elapsed, len(PdfReader(io.BytesIO(pdf)).pages), _peak_mib() - before, _peak_mib()))


def measure(label: str, work) -> None:
    queue = multiprocessing.get_context("fork").SimpleQueue()
    child = multiprocessing.get_context("fork").Process(target=_in_child, args=(work, queue))
    child.start()
    child.join()
    elapsed, pages, grew, peak = queue.get()
    print(f"  {label:<50} {elapsed:6.1f} s  {pages:4d} pages  {elapsed / pages * 1000:5.0f} ms/page  "
          f"peak memory +{grew:5.0f} MiB ({peak:5.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--whole", action="store_true", help="also render the pack as one document (slow)")
    args = parser.parse_args()

    from app.celebration.pack import celebration_pack, celebration_pack_pdf, join_pdfs, pack_html, render_pack
    from app.common.pdf import render_pdf
    from bench.scale_app import scale_app

    with scale_app(args.schools) as (_app, year, _triads):
        started = time.perf_counter()
        pack = celebration_pack(year)
        print(f"  {'load the data (celebration_pack)':<50} {time.perf_counter() - started:6.2f} s  "
              f"{pack.learnings} learnings from {pack.submitted} triads")
        started = time.perf_counter()
        html = [pack_html(pack, "front")] + [pack_html(pack, "triads", pack.triads[i:i + 25])
                                             for i in range(0, len(pack.triads), 25)]
        print(f"  {'lay out the HTML only (no PDF)':<50} {time.perf_counter() - started:6.2f} s  "
              f"{sum(len(h) for h in html) / 1e6:.1f} MB of HTML")
        measure("render the same HTML only (no data, no templates)",
                lambda: join_pdfs([render_pdf(part) for part in html], pack.title))
        measure("render the loaded pack (no data access)", lambda: render_pack(pack))
        measure("the whole thing: celebration_pack_pdf(year)", lambda: celebration_pack_pdf(year))
        if args.whole:
            measure("the loaded pack as ONE document (no chunks)", lambda: render_pack(pack, len(pack.triads)))


if __name__ == "__main__":
    main()
