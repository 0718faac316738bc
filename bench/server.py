"""What bench/pages.py and bench/autosave_load.py share: a migrated, seeded PostgreSQL database, gunicorn
servers on loopback (started, and stopped by their PIDs), the server CPU they spend read from /proc, and
the tables the benchmarks write into bench/README.md."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from app.demo.scale import SCALE_URN_FLOOR

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
BIN = Path(sys.executable).parent  # the venv's flask and gunicorn, beside the Python running this
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/send_triads"
SCALE_PROGRAMME_SCHOOLS = 100  # the small programme seeded beside the scale data
WORKERS = 2
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the database ------------------------------------------------------------------------------

def libpq_url(database_url: str) -> str:
    """SQLAlchemy's postgresql+psycopg:// URL as psycopg itself takes it."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def _flask(database_url: str, *args: str) -> None:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": database_url}
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    print(f"  flask {' '.join(args)}: {time.perf_counter() - started:.1f}s", flush=True)


def has_organisations(database_url: str) -> bool:
    with psycopg.connect(libpq_url(database_url)) as connection:
        return connection.execute("SELECT EXISTS (SELECT 1 FROM organisation)").fetchone()[0]


def seed(database_url: str, schools: int) -> None:
    """The demo, `schools` scale schools (organisations of 500) and one more programme of 100 schools,
    then VACUUM ANALYZE: statistics for the planner and a visibility map for index-only scans, as a
    long-running database has (the local server runs without autovacuum)."""
    _flask(database_url, "seed-demo", "--if-empty")
    _flask(database_url, "seed-demo", "--schools", str(schools))
    _flask(database_url, "seed-demo", "--schools", str(SCALE_PROGRAMME_SCHOOLS))
    with psycopg.connect(libpq_url(database_url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def describe(database_url: str) -> str:
    """What the database holds, for the README: how many schools, and how many of them scale data."""
    with psycopg.connect(libpq_url(database_url)) as connection:
        schools, scale = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE urn > %s) FROM school", (SCALE_URN_FLOOR,)).fetchone()
    return f"PostgreSQL, {schools:,} schools ({scale:,} of them scale data, the rest the demo's)"


@contextmanager
def bench_database(label: str, database_url: str | None, schools: int) -> Iterator[str]:
    """The URL of a migrated, seeded database: `database_url` if given (seeded only when it has no
    organisations, so repeated runs can reuse it), else a new one on the local server, dropped afterwards."""
    if database_url:
        print(f"Database {database_url}", flush=True)
        _flask(database_url, "db", "upgrade")
        if not has_organisations(database_url):
            seed(database_url, schools)
        yield database_url
        return
    from app.database import scratch_database

    with scratch_database(label, POSTGRES_SERVER) as url:
        print(f"Database {url} (dropped afterwards)", flush=True)
        _flask(url, "db", "upgrade")
        seed(url, schools)
        yield url


# --- servers -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(database_url: str) -> dict[str, str]:
    """The app as in production (config.Config), except plain HTTP on loopback: no HTTPS redirect.
    Its session cookie is still Secure; the benchmarks' clients send it back themselves."""
    return {"APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url,
            "FORCE_HTTPS": "0"}


def ceiling_environment(database_url: str) -> dict[str, str]:
    return {"CEILING_DATABASE_URL": libpq_url(database_url)}


def process_ticks(pid: int) -> int | None:
    """User plus system CPU of a process so far, in clock ticks; None once it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # after the name, which may hold spaces: state is field 3
    return int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15


def parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def children_of(pid: int) -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and parent_of(int(entry.name)) == pid]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        return children_of(self.process.pid)


def _wait_until_ready(server: Server, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: {server.log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as connection:
                connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
                status = connection.recv(64).split(b" ", 2)[1:2]
                if status == [b"200"] and len(server.workers()) == WORKERS:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} with 200 in {seconds:.0f}s: "
                       f"{server.log.read_text()[-2000:]}")


def _stop(server: Server) -> None:
    """Stop the gunicorn we started and its workers, by their PIDs: TERM, then KILL if need be."""
    workers = server.workers()
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    for pid in workers:  # a worker outliving its master (it would exit by itself soon after)
        if _is_gunicorn(pid):
            os.kill(pid, signal.SIGKILL)


def _is_gunicorn(pid: int) -> bool:
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@contextmanager
def gunicorn(name: str, app: str, environment: dict[str, str], ready_path: str = "/healthz") -> Iterator[Server]:
    """`app` (e.g. "wsgi:app") under gunicorn with WORKERS sync workers on a free loopback port."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
    command = [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment}, stdout=output,
                                   stderr=subprocess.STDOUT)
    server = Server(name, process, port, log)
    try:
        _wait_until_ready(server, ready_path)
        print(f"{name}: gunicorn {process.pid}, workers {server.workers()}, {server.url}", flush=True)
        yield server
    finally:
        _stop(server)
        log.unlink(missing_ok=True)


# --- server CPU --------------------------------------------------------------------------------

class CpuMeter:
    """Server CPU: the gunicorn workers of one server, plus the PostgreSQL processes that serve the
    benchmark's database and the server's own (postmaster, WAL writer, checkpointer, ...). Backends of
    other databases on the same server (another run's tests) are left out."""

    def __init__(self, database_url: str, server: Server):
        self.connection = psycopg.connect(libpq_url(database_url), autocommit=True)  # one, not one a reading
        self.server = server
        self.started: dict[int, int] = {}
        self.database_seconds = 0.0  # of the last seconds(), what PostgreSQL spent

    def close(self) -> None:
        self.connection.close()

    def _postgres_pids(self, background: bool = True) -> set[int]:
        """The backends serving the database, and (with `background`) the server's own processes."""
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            " AND (datname = current_database() OR (%s AND datname IS NULL))", (background,)).fetchall()
        pids = {pid for (pid,) in rows}
        postmasters = {parent_of(pid) for pid in pids} - {None, 0, 1} if background else set()
        return pids | {pid for pid in postmasters if pid is not None}

    def _read(self, background: bool = True) -> dict[int, int]:
        pids = self._postgres_pids(background) | set(self.server.workers())
        ticks = {pid: process_ticks(pid) for pid in pids}
        return {pid: tick for pid, tick in ticks.items() if tick is not None}

    def wait_until_idle(self, quiet: float = 0.3, seconds: float = 120) -> None:
        """Until the workers and the database's backends have spent no CPU for `quiet` seconds: every
        request sent has been served (the server's background processes may be busy with others' work)."""
        deadline = time.monotonic() + seconds
        last = self._read(background=False)
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self._read(background=False)
            if now == last:
                return
            last = now
        raise RuntimeError(f"{self.server.name} was still busy after {seconds:.0f}s")

    def start(self) -> None:
        self.started = self._read()

    def seconds(self) -> float:
        """CPU seconds since start(); a process started since counts from zero."""
        ended = self._read()
        gone = set(self.started) - set(ended)
        if gone:
            print(f"  note: {len(gone)} measured process(es) ended during the run; their CPU is not counted")
        spent = {pid: tick - self.started.get(pid, 0) for pid, tick in ended.items()}
        workers = set(self.server.workers())
        self.database_seconds = sum(t for pid, t in spent.items() if pid not in workers) / CLOCK_TICKS
        return sum(spent.values()) / CLOCK_TICKS


# --- bench/README.md ---------------------------------------------------------------------------

def machine() -> str:
    """When, and how busy the machine was: the load average `uptime` shows and `nproc`."""
    one, five, fifteen = os.getloadavg()
    return (f"{time.strftime('%Y-%m-%d %H:%M %Z')}, nproc {os.cpu_count()}, "
            f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}")


def markdown_table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right if right is not None else set(range(1, len(header)))
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in [header, rule, *rows])


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                   strict=True)))
             for row in [header, *rows]]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def publish(section: str, started: str, notes: list[str], header: list[str], rows: list[list[str]],
            right: set[int] | None = None) -> None:
    """Print the table, and write it with when the run started and ended, and the machine's load then,
    into `section` of bench/README.md."""
    print()
    print(plain_table(header, rows))
    body = "\n".join([f"Last run: started {started}; ended {machine()}.", *notes, "",
                      markdown_table(header, rows, right)])
    write_readme_section(section, body)


def write_readme_section(name: str, body: str) -> None:
    """Replace what lies between `name`'s markers in bench/README.md (added at the end the first time)."""
    begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
    text = README.read_text()
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        tail = rest.partition(end)[2]
        text = f"{head}{begin}\n{body}\n{end}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{begin}\n{body}\n{end}\n"
    README.write_text(text)
    print(f"Wrote the table to {README.relative_to(ROOT)} ({name})")
