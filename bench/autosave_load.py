"""The autosave goal under load: N SENCos, each signed in to a draft self-evaluation of their own school,
each autosaving one area as the page's script does (static/src/autosave.mjs: the form as multipart
FormData with its CSRF token and the version last acknowledged), together at a target rate, against the
app under gunicorn with 2 sync workers on PostgreSQL. Afterwards every client's last acknowledged text
must be the one stored: none lost.

    .venv/bin/python bench/autosave_load.py                        # 100 SENCos, 100 saves/s, 30 s
    .venv/bin/python bench/autosave_load.py --clients 50 --rate 50 --seconds 10
    .venv/bin/python bench/autosave_load.py --database-url postgresql+psycopg://postgres@127.0.0.1/send_triads_bench

The SENCos are the scale data's (senco.<urn>@scale.example); when too few of their schools have a draft
in the open year, drafts are started as a SENCo would, with the school page's Start button. Writes its
table into bench/README.md. Not part of the test run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import server  # noqa: E402
from bench.client import Browser, checked_value, heading, hidden_value, textarea  # noqa: E402

OTHER_TEXTS = ("not_evaluated_reason", "strengths", "development")
GOAL_RATE, GOAL_SECONDS, GOAL_P95 = 100, 30, 0.2
FILLER = ("Seen in the provision map, pupil progress meetings and learning walks this half term; the "
          "graduated approach checklist is used in every year group and reviewed with class teachers.")


@dataclass
class Saver:
    """One SENCo's autosaving page: what it last sent, and what the server last acknowledged."""

    number: int
    email: str
    evaluation: str
    position: int
    browser: Browser | None = None
    csrf_token: str = ""
    version: str = ""
    level: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    page: str = ""  # the area's page as last loaded
    acknowledged: str = ""  # the evidence the server last said it saved
    latencies: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    lost: int = 0
    sent: int = 0

    @property
    def path(self) -> str:
        return f"/self-evaluations/{self.evaluation}/areas/{self.position}"

    def open(self, port: int) -> Saver:
        """Sign in and open the area's page, as the person would before typing."""
        self.browser = Browser(port)
        self.browser.sign_in(self.email)
        self.csrf_token = self.reload()
        self.acknowledged = textarea(self.page, "evidence")
        self.level = checked_value(self.page, "level")
        self.texts = {name: textarea(self.page, name) for name in OTHER_TEXTS}
        return self

    def reload(self) -> str:
        """The page as it is stored now (after a failure, to carry on from the version saved)."""
        assert self.browser is not None
        reply = self.browser.get(self.path)
        if reply.status != 200:
            raise RuntimeError(f"{self.email}: {self.path} answered {reply.status} {heading(reply.text)!r}")
        self.page = reply.text
        self.version = hidden_value(self.page, "version")
        return hidden_value(self.page, "csrf_token")

    def fields(self, evidence: str) -> list[tuple[str, str]]:
        """What new FormData(form) holds: every named input, in the page's order, no button."""
        chosen = [("level", self.level)] if self.level is not None else []
        return [("csrf_token", self.csrf_token), ("version", self.version), *chosen,
                ("not_evaluated_reason", self.texts["not_evaluated_reason"]), ("evidence", evidence),
                ("strengths", self.texts["strengths"]), ("development", self.texts["development"])]

    def save(self, evidence: str) -> None:
        assert self.browser is not None
        self.sent += 1
        started = time.perf_counter()
        try:
            reply = self.browser.post_multipart(f"{self.path}/autosave", self.fields(evidence))
        except (OSError, http.client.HTTPException) as error:  # no answer: the save may or may not have been stored
            self.failures[type(error).__name__] += 1
            self.resynchronise(evidence)
            return
        if reply.status == 200:
            self.latencies.append(time.perf_counter() - started)
            self.version = str(json.loads(reply.body)["version"])
            self.acknowledged = evidence
            return
        self.failures["conflict" if reply.status == 409 else str(reply.status)] += 1
        self.resynchronise(None)

    def resynchronise(self, unanswered: str | None) -> None:
        """Reload the page; what it shows must be the text last acknowledged (or the unanswered one)."""
        self.reload()
        stored = textarea(self.page, "evidence")
        if stored == unanswered:
            self.acknowledged = stored
        elif stored != self.acknowledged:
            self.lost += 1
            self.acknowledged = stored

    def run(self, start_at: float, stop_at: float, interval: float) -> float:
        """Save every `interval` seconds from `start_at` until `stop_at`; a save that falls more than an
        interval behind is not made up. Returns when the last save was answered."""
        next_at = start_at
        while next_at < stop_at:
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)
            elif now - next_at > interval:
                next_at = now
            self.save(f"Client {self.number}, save {self.sent + 1}. {FILLER}")
            next_at += interval
        return time.monotonic()


def draft_evaluations(database_url: str, count: int) -> list[tuple[str, str]]:
    """(SENCo's email, self-evaluation id) of scale schools with a draft in an open year, one each."""
    with psycopg.connect(server.libpq_url(database_url)) as connection:
        return [(email, str(evaluation)) for email, evaluation in connection.execute(
            "SELECT min(u.email), min(se.id::text) FROM self_evaluation se"
            " JOIN programme_year y ON y.id = se.year_id AND NOT y.is_closed"
            " JOIN role_assignment r ON r.school_id = se.school_id AND r.role = 'senco'"
            " JOIN user_account u ON u.id = r.user_id"
            " WHERE se.status = 'draft' AND u.email LIKE 'senco.%%@scale.example'"
            " GROUP BY se.school_id ORDER BY min(u.email) LIMIT %s", (count,))]


def start_drafts(database_url: str, port: int, count: int) -> None:
    """Start drafts, as a SENCo does, for schools enrolled in an open year without a self-evaluation."""
    with psycopg.connect(server.libpq_url(database_url)) as connection:
        schools = connection.execute(
            "SELECT min(u.email), e.school_id, e.year_id FROM enrolment e"
            " JOIN programme_year y ON y.id = e.year_id AND NOT y.is_closed"
            " JOIN role_assignment r ON r.school_id = e.school_id AND r.role = 'senco'"
            " JOIN user_account u ON u.id = r.user_id"
            " WHERE u.email LIKE 'senco.%%@scale.example' AND NOT EXISTS (SELECT 1 FROM self_evaluation se"
            "   WHERE se.school_id = e.school_id AND se.year_id = e.year_id)"
            " GROUP BY e.school_id, e.year_id ORDER BY min(u.email) LIMIT %s", (count,)).fetchall()
    for email, school, year in schools:
        browser = Browser(port)
        browser.sign_in(email)
        token = hidden_value(browser.get(f"/schools/{school}").text, "csrf_token")
        reply = browser.post_form(f"/schools/{school}/years/{year}/self-evaluation", {"csrf_token": token})
        if reply.status != 302 or "/self-evaluations/" not in reply.location:
            raise RuntimeError(f"{email} could not start a self-evaluation: {reply.status} {reply.location}")
    print(f"  started {len(schools)} drafts", flush=True)


def prepare(database_url: str, port: int, clients: int, position: int) -> list[Saver]:
    drafts = draft_evaluations(database_url, clients)
    if len(drafts) < clients:
        start_drafts(database_url, port, clients - len(drafts))
        drafts = draft_evaluations(database_url, clients)
    if len(drafts) < clients:
        print(f"  note: only {len(drafts)} SENCos have a draft; running {len(drafts)} clients")
    savers = [Saver(number, email, evaluation, position) for number, (email, evaluation) in enumerate(drafts, 1)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        savers = list(pool.map(lambda saver: saver.open(port), savers))
    print(f"  {len(savers)} SENCos signed in and opened area {position} in {time.perf_counter() - started:.0f}s",
          flush=True)
    return savers


def drive(savers: list[Saver], rate: float, seconds: float) -> float:
    """All savers together at `rate` saves a second in all, spread evenly; the seconds it took."""
    interval = len(savers) / rate
    start_at = time.monotonic() + 1
    stop_at = start_at + seconds
    finished: list[float] = []
    threads = [threading.Thread(target=lambda s=saver, i=index: finished.append(
        s.run(start_at + i * interval / len(savers), stop_at, interval))) for index, saver in enumerate(savers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return max(finished) - start_at


def stored_texts(database_url: str, savers: list[Saver]) -> dict[str, str]:
    """The evidence stored for each saver's area, by self-evaluation id."""
    with psycopg.connect(server.libpq_url(database_url)) as connection:
        rows = connection.execute(
            "SELECT r.self_evaluation_id::text, r.evidence FROM area_rating r"
            " JOIN framework_area a ON a.id = r.area_id"
            " WHERE r.self_evaluation_id::text = ANY(%s) AND a.position = %s",
            ([s.evaluation for s in savers], savers[0].position)).fetchall()
    return dict(rows)


def audit_records(database_url: str, savers: list[Saver], since: float) -> int:
    """Audit records written for the savers' area ratings since `since` (a Unix time)."""
    with psycopg.connect(server.libpq_url(database_url)) as connection:
        return connection.execute(
            "SELECT count(*) FROM audit_event e JOIN area_rating r ON r.id = e.entity_id"
            " JOIN framework_area a ON a.id = r.area_id"
            " WHERE r.self_evaluation_id::text = ANY(%s) AND a.position = %s AND e.at >= to_timestamp(%s)",
            ([s.evaluation for s in savers], savers[0].position, since)).fetchone()[0]


@dataclass
class Outcome:
    seconds: float
    cpu_seconds: float
    database_seconds: float  # of cpu_seconds, PostgreSQL's
    audit_records: int
    lost: int
    database: str
    client_cpu_seconds: float  # what the clients themselves took, on the same machine


def verdict(args, outcome: Outcome, latencies: list[float], cuts: list[float]) -> str:
    if args.rate < GOAL_RATE or args.seconds < GOAL_SECONDS:
        return "not judged, this run's load is below it"
    reached = len(latencies) / outcome.seconds >= 0.98 * GOAL_RATE
    return "met" if reached and cuts[94] < GOAL_P95 and not outcome.lost else "NOT met"


def report(savers: list[Saver], outcome: Outcome, args, started: str) -> None:
    latencies = sorted(latency for saver in savers for latency in saver.latencies)
    failures = sum((saver.failures for saver in savers), Counter())
    sent = sum(saver.sent for saver in savers)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    header = ["clients", "target/s", "achieved/s", "saves", "p50 ms", "p95 ms", "p99 ms", "errors", "conflicts",
              "lost", "audit records", "server CPU ms/save", "PostgreSQL's share"]
    errors = sum(count for name, count in failures.items() if name != "conflict")
    rows = [[str(len(savers)), f"{args.rate:g}", f"{len(latencies) / outcome.seconds:.1f}", f"{len(latencies)}",
             f"{cuts[49] * 1000:.0f}", f"{cuts[94] * 1000:.0f}", f"{cuts[98] * 1000:.0f}", str(errors),
             str(failures["conflict"]), str(outcome.lost), str(outcome.audit_records),
             f"{1000 * outcome.cpu_seconds / max(sent, 1):.1f}",
             f"{100 * outcome.database_seconds / outcome.cpu_seconds:.0f}%" if outcome.cpu_seconds else ""]]
    if errors:
        print(f"errors: {dict(failures)}")
    server.publish("bench/autosave_load.py", started, [
        f"{outcome.database}; the app under gunicorn with 2 sync workers;"
        f" {len(savers)} SENCos autosaving area {args.area} for {args.seconds:g} s (the clients themselves took"
        f" {100 * outcome.client_cpu_seconds / outcome.seconds:.0f}% of a core)."
        f" The goal (100 saves/s for 30 s, p95 under 200 ms, 0 lost): {verdict(args, outcome, latencies, cuts)}."],
        header, rows)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="SENCos saving at once (default 100)")
    parser.add_argument("--rate", type=float, default=100, help="saves a second, all clients together (100)")
    parser.add_argument("--seconds", type=float, default=30, help="how long (default 30)")
    parser.add_argument("--area", type=int, default=1, help="the area each SENCo edits (default 1)")
    parser.add_argument("--schools", type=int, default=2000, help="scale schools to seed (default 2000)")
    parser.add_argument("--database-url", help="use this database, seeded only if it has no organisations")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = server.machine()
    with server.bench_database("bench_autosave", args.database_url, args.schools) as url, \
            server.gunicorn("app", "wsgi:app", server.app_environment(url)) as app, \
            closing(server.CpuMeter(url, app)) as meter:
        savers = prepare(url, app.port, args.clients, args.area)
        print(f"Saving at {args.rate:g}/s for {args.seconds:g} s", flush=True)
        since = time.time()
        meter.wait_until_idle()
        meter.start()
        client_cpu = time.process_time()
        seconds = drive(savers, args.rate, args.seconds)
        client_cpu = time.process_time() - client_cpu
        meter.wait_until_idle()
        cpu_seconds = meter.seconds()
        stored = stored_texts(url, savers)
        lost = sum(saver.lost for saver in savers) + sum(stored.get(s.evaluation) != s.acknowledged for s in savers)
        outcome = Outcome(seconds, cpu_seconds, meter.database_seconds, audit_records(url, savers, since), lost,
                          server.describe(url), client_cpu)
    report(savers, outcome, args, started)


if __name__ == "__main__":
    main()
