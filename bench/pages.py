"""Pages against the ceiling, in one run: the server CPU each page costs per request beside what a bare
Flask + psycopg + Jinja page (bench/ceiling.py) costs on the same machine at the same moment.

    .venv/bin/python bench/pages.py                       # a new database: demo + 2,000 + 100 schools
    .venv/bin/python bench/pages.py --schools 25000 --seconds 5 --only dashboard
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1/send_triads_bench

Both servers run under gunicorn with 2 sync workers on loopback; each page is loaded with wrk (2
connections) after a warm-up. Server CPU is user + system time from /proc of the gunicorn workers and
of the PostgreSQL processes serving the database, over the requests wrk completed. Needs wrk
(`apt-get install -y wrk`). Writes its table into bench/README.md. Not part of the test run.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.client import Browser, heading  # noqa: E402
from bench.server import (  # noqa: E402
    SCALE_PROGRAMME_SCHOOLS,
    CpuMeter,
    Server,
    app_environment,
    bench_database,
    ceiling_environment,
    describe,
    gunicorn,
    libpq_url,
    machine,
    publish,
)

# wrk counts a 3xx as a success: this counts every answer that is not a 200. It also counts the requests
# sent: those still on their way when wrk stops are served all the same, and their CPU is measured.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; sent = 0 end
function request() sent = sent + 1; return wrk.format() end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad, sent = 0, 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("bad"); sent = sent + thread:get("sent") end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d sent=%d duration_us=%d non200=%d errors=%d\\n",
    summary.requests, sent, summary.duration, bad, e.connect + e.read + e.write + e.timeout))
end
"""
DEMO_PROGRAMME = "Northbrook SEND Triads"
# (the demo's people the pages are opened as) the SENCo of a draft self-evaluation, the head of the
# school with a finalised action plan with progress, and the SENCo of another triad's coach school
DRAFT_SCHOOL, DRAFT_SENCO = 700103, "senco.catkinhill@northbrook.example"
PLAN_SCHOOL, HEAD = 700101, "head.aldergrove@northbrook.example"
COACH_SENCO = "senco.damsonhill@northbrook.example"
LEAD, QA, CLUSTER_LEAD = ("lead@northbrook.example", "qa@northbrook.example",
                          "clusterlead.north@northbrook.example")
PAGE_GOAL, SMALL_DASHBOARD_GOAL, LARGE_DASHBOARD_GOAL = 3, 6, 12


@dataclass(frozen=True)
class Page:
    name: str
    email: str | None  # who it is opened as (None: no one)
    path: str
    heading: str  # the page's <h1> starts with this
    goal: float | None = None  # at most this many times the ceiling's server CPU per request
    server: str = "app"  # or "ceiling"


@dataclass
class Result:
    page: Page
    requests: int = 0  # answered while wrk ran
    served: int = 0  # sent, so served: with those wrk left on their way at the end
    seconds: float = 0
    cpu_seconds: float = 0
    database_seconds: float = 0  # of cpu_seconds, PostgreSQL's
    kilobytes: float = 0
    failure: str = ""
    ceiling_ms: float | None = None  # the ceiling's, measured just before and after

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.served

    @property
    def database_share(self) -> str:
        return f"{100 * self.database_seconds / self.cpu_seconds:.0f}%" if self.cpu_seconds else ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _one(connection: psycopg.Connection, sql: str, *values) -> object:
    row = connection.execute(sql, values).fetchone()
    if row is None:
        raise LookupError(f"nothing found for {sql} {values}")
    return row[0]


def _programme_leads(connection: psycopg.Connection) -> list[tuple[str, object, int]]:
    """(lead's email, open year id, schools enrolled) of every scale programme, largest first."""
    return connection.execute(
        "SELECT u.email, y.id, count(*) FROM programme_year y"
        " JOIN enrolment e ON e.year_id = y.id"
        " JOIN role_assignment r ON r.programme_id = y.programme_id AND r.role = 'programme_lead'"
        " JOIN user_account u ON u.id = r.user_id"
        " WHERE NOT y.is_closed AND u.email LIKE '%%@scale.example'"
        " GROUP BY u.email, y.id ORDER BY count(*) DESC, u.email").fetchall()


HEAD_OF_MANY, MANY_SCHOOLS = "head.of.50@scale.example", 50


def _head_of_many_schools(connection: psycopg.Connection, lead_email: str, year_id: object) -> str:
    """A person who is head of 50 of the year's schools (the task list at its biggest), made once: their
    password is the lead's."""
    if connection.execute("SELECT 1 FROM user_account WHERE email = %s", (HEAD_OF_MANY,)).fetchone() is None:
        person = uuid.uuid4()
        connection.execute(
            "INSERT INTO user_account (id, email, name, password_hash, active, session_version, created_at,"
            " updated_at) SELECT %s, %s, 'Hal Headofmany', password_hash, true, 1, now(), now()"
            " FROM user_account WHERE email = %s", (person, HEAD_OF_MANY, lead_email))
        connection.execute(
            "INSERT INTO role_assignment (id, user_id, role, school_id, created_at, updated_at)"
            " SELECT gen_random_uuid(), %s, 'head', e.school_id, now(), now() FROM enrolment e"
            " JOIN school s ON s.id = e.school_id WHERE e.year_id = %s ORDER BY s.urn LIMIT %s",
            (person, year_id, MANY_SCHOOLS))
        connection.commit()
    return HEAD_OF_MANY


def _demo_pages(connection: psycopg.Connection) -> list[Page]:
    year = _one(connection, "SELECT y.id FROM programme_year y JOIN programme p ON p.id = y.programme_id"
                " WHERE p.name = %s AND NOT y.is_closed", DEMO_PROGRAMME)
    draft_school = _one(connection, "SELECT id FROM school WHERE urn = %s", DRAFT_SCHOOL)
    evaluation, status = connection.execute("SELECT id, status FROM self_evaluation WHERE school_id = %s"
                                            " AND year_id = %s", (draft_school, year)).fetchone()
    if status != "draft":
        raise LookupError(f"the demo's self-evaluation for {DRAFT_SCHOOL} is {status}, not a draft")
    plan = _one(connection, "SELECT a.id FROM action_plan a JOIN school s ON s.id = a.school_id"
                " WHERE s.urn = %s AND a.year_id = %s", PLAN_SCHOOL, year)
    triad, triad_name = connection.execute("SELECT t.id, t.name FROM triad t JOIN triad_member m"
                                           " ON m.triad_id = t.id WHERE m.school_id = %s AND t.year_id = %s",
                                           (draft_school, year)).fetchone()
    return [
        # no goal: what any page costs before its own work (the app's floor beside the ceiling)
        Page("floor: sign-in page, no one signed in", None, "/sign-in", "Sign in"),
        Page("floor: signed in, one query (Your calendar)", LEAD, "/account/calendar", "Your calendar"),
        Page("self-evaluation overview", DRAFT_SENCO, f"/self-evaluations/{evaluation}", "Self-evaluation", PAGE_GOAL),
        Page("self-evaluation area", DRAFT_SENCO, f"/self-evaluations/{evaluation}/areas/1", "1.", PAGE_GOAL),
        Page("action plan (head)", HEAD, f"/action-plans/{plan}", "Action plan", PAGE_GOAL),
        Page("triad (SENCo)", DRAFT_SENCO, f"/triads/{triad}", triad_name, PAGE_GOAL),
        *(Page(f"home: {who}", email, "/", "Hello,", PAGE_GOAL) for who, email in (
            ("SENCo", DRAFT_SENCO), ("head", HEAD), ("programme lead", LEAD), ("QA expert", QA),
            ("cluster lead", CLUSTER_LEAD), ("coach school's SENCo", COACH_SENCO))),
    ]


def find_pages(database_url: str) -> tuple[Page, list[Page]]:
    """The ceiling's page and the app's pages to measure, their ids read from the database."""
    with psycopg.connect(libpq_url(database_url)) as connection:
        school = _one(connection, "SELECT id FROM school WHERE urn = %s", DRAFT_SCHOOL)
        school_name = _one(connection, "SELECT name FROM school WHERE id = %s", school)
        pages = _demo_pages(connection)
        leads = _programme_leads(connection)
        if leads:
            pages.append(Page(f"home: head of {MANY_SCHOOLS} schools", _head_of_many_schools(connection, *leads[0][:2]),
                              "/", "Hello,", PAGE_GOAL))
    small = next((lead for lead in leads if lead[2] == SCALE_PROGRAMME_SCHOOLS), None)
    large = next((lead for lead in leads if lead[2] > SCALE_PROGRAMME_SCHOOLS), None)
    for lead, goal in ((small, SMALL_DASHBOARD_GOAL), (large, LARGE_DASHBOARD_GOAL)):
        if lead is None:
            print("  note: no scale programme of that size; seed-demo --schools adds them")
            continue
        email, year, schools = lead
        pages.append(Page(f"home: lead of {schools} schools", email, "/", "Hello,", PAGE_GOAL))
        pages.append(Page(f"dashboard, {schools}-school programme", email, f"/years/{year}/dashboard",
                          "Locality dashboard", goal))
    return Page("ceiling", None, f"/schools/{school}", str(school_name), server="ceiling"), pages


def run_wrk(url: str, cookie: str, seconds: int, connections: int, script: Path) -> dict[str, int]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"BENCH (.*)", output)
    if match is None:
        raise RuntimeError(f"wrk gave no result: {output}")
    return {key: int(value) for key, value in (item.split("=") for item in match.group(1).split())}


class Run:
    """The ceiling and the app, a CPU meter on each, a signed-in browser for each person, and how pages
    are loaded (the command line's options)."""

    def __init__(self, ceiling: Server, app: Server, database_url: str, args, script: Path):
        self.servers = {"ceiling": ceiling, "app": app}
        self.meters = {name: CpuMeter(database_url, server) for name, server in self.servers.items()}
        self.browsers: dict[tuple[str, str | None], Browser] = {}
        self.args = args
        self.script = script

    def close(self) -> None:
        for meter in self.meters.values():
            meter.close()

    def browser(self, server: str, email: str | None) -> Browser:
        if (server, email) not in self.browsers:
            self.browsers[server, email] = Browser(self.servers[server].port)
            if email:
                self.browsers[server, email].sign_in(email)
        return self.browsers[server, email]

    def measure(self, page: Page, seconds: int) -> Result:
        """Check the page is the one expected, warm up, then load it and count the server CPU it took."""
        server, meter, browser = (self.servers[page.server], self.meters[page.server],
                                  self.browser(page.server, page.email))
        result = Result(page)
        reply = browser.get(page.path)
        if reply.status != 200 or not heading(reply.text).startswith(page.heading):
            result.failure = f"{reply.status} {heading(reply.text)!r}, expected {page.heading!r}"
            return result
        result.kilobytes = len(reply.body) / 1024
        url, cookie = f"{server.url}{page.path}", browser.cookie_header()
        run_wrk(url, cookie, self.args.warmup, self.args.connections, self.script)
        meter.wait_until_idle()  # the warm-up's last requests are served before the meter starts
        meter.start()
        outcome = run_wrk(url, cookie, seconds, self.args.connections, self.script)
        meter.wait_until_idle()  # and the run's last ones before it stops
        result.cpu_seconds = meter.seconds()
        result.database_seconds = meter.database_seconds
        result.requests, result.served = outcome["requests"], outcome["sent"]
        result.seconds = outcome["duration_us"] / 1e6
        if outcome["non200"] or outcome["errors"] or not outcome["requests"]:
            result.failure = f"{outcome['non200']} answers not 200, {outcome['errors']} socket errors"
        print(f"  {page.name}: " + (f"FAILED {result.failure}" if result.failure else
                                      f"{result.cpu_ms:.1f} ms CPU a request, {result.rate:.1f}/s"), flush=True)
        return result


def measure_pages(run: Run, ceiling_page: Page, pages: list[Page]) -> tuple[list[Result], list[Result]]:
    """The ceiling before the first page and after each, so each page is compared with the ceiling
    measured just before and just after it, whatever else the machine was doing meanwhile."""
    ceilings = [run.measure(ceiling_page, run.args.ceiling_seconds)]
    results = []
    for page in pages:
        results.append(run.measure(page, run.args.seconds))
        ceilings.append(run.measure(ceiling_page, run.args.ceiling_seconds))
        beside = [c.cpu_ms for c in ceilings[-2:] if not c.failure]
        results[-1].ceiling_ms = sum(beside) / len(beside) if beside else None
    return ceilings, results


def table(ceilings: list[Result], results: list[Result]) -> tuple[list[str], list[list[str]]]:
    header = ["page", "server CPU ms/request", "PostgreSQL's share", "req/s", "× ceiling", "goal", "KB"]
    measured = [c for c in ceilings if not c.failure]
    if not measured:
        sys.exit(f"The ceiling could not be measured: {ceilings[0].failure}")
    costs = sorted(c.cpu_ms for c in measured)
    database_share = sum(c.database_seconds for c in measured) / sum(c.cpu_seconds for c in measured)
    rows = [[f"ceiling ({len(measured)} runs, {costs[0]:.1f}–{costs[-1]:.1f} ms)", f"{sum(costs) / len(costs):.1f}",
             f"{100 * database_share:.0f}%", f"{sum(c.rate for c in measured) / len(measured):.1f}", "1.0", "",
             f"{measured[0].kilobytes:.1f}"]]
    for result in results:
        if result.failure or result.ceiling_ms is None:
            rows.append([result.page.name, "failed", "", "", "", "", result.failure])
            continue
        ratio = result.cpu_ms / result.ceiling_ms
        goal = result.page.goal
        verdict = "" if goal is None else f"≤ {goal}× {'met' if ratio <= goal else 'NOT met'}"
        rows.append([result.page.name, f"{result.cpu_ms:.1f}", result.database_share, f"{result.rate:.1f}",
                     f"{ratio:.1f}", verdict, f"{result.kilobytes:.1f}"])
    return header, rows


def report(ceilings: list[Result], results: list[Result], args, started: str, database: str) -> None:
    header, rows = table(ceilings, results)
    publish("bench/pages.py", started, [
        f"{database}; gunicorn 2 sync workers; wrk {args.connections} connections, {args.seconds} s a page and"
        f" {args.ceiling_seconds} s for the ceiling before and after each, each after {args.warmup} s warm-up."
        " × ceiling: against the mean of the ceiling's runs just before and after the page."],
        header, rows, right={1, 2, 3, 4, 6})


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=2000, help="scale schools to seed (default 2000)")
    parser.add_argument("--database-url", help="use this database, seeded only if it has no organisations")
    parser.add_argument("--only", action="append", default=[], metavar="PAGE",
                        help="measure only pages whose name contains PAGE (repeatable); the ceiling always")
    parser.add_argument("--seconds", type=int, default=10, help="load per page (default 10)")
    parser.add_argument("--ceiling-seconds", type=int, default=5,
                        help="load of the ceiling before and after each page (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up per page (default 2)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections (default 2)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = machine()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-pages-") as script, \
            bench_database("bench_pages", args.database_url, args.schools) as url:
        script.write(WRK_SCRIPT)
        script.flush()
        ceiling_page, pages = find_pages(url)
        pages = [p for p in pages if not args.only or any(word in p.name for word in args.only)]
        with gunicorn("ceiling", "bench.ceiling:app", ceiling_environment(url)) as ceiling, \
                gunicorn("app", "wsgi:app", app_environment(url)) as app, \
                closing(Run(ceiling, app, url, args, Path(script.name))) as run:
            print(f"Measuring {len(pages)} pages, {args.seconds} s each, and the ceiling between them", flush=True)
            ceilings, results = measure_pages(run, ceiling_page, pages)
        database = describe(url)
    report(ceilings, results, args, started, database)


if __name__ == "__main__":
    main()
