"""Command-line entry points: thin shells over service functions."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from app.celebration.pack import celebration_pack_pdf_for
from app.common.errors import DomainError
from app.demo import northbrook, programme, scale
from app.extensions import db
from app.reports import readers as school_reports


@click.command("seed-demo")
@click.option("--schools", type=click.IntRange(1, scale.MAX_SCALE_SCHOOLS), default=None,
              help="Add this many fictional schools for benchmarks instead of the demo programme.")
@click.option("--if-empty", is_flag=True, help="Add nothing when the database already has organisations.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed for the scale data's random choices.")
@with_appcontext
def seed_demo(schools: int | None, if_empty: bool, seed: int) -> None:
    """Load the fictional demo programme, or (with --schools) a large fictional data set."""
    if schools is not None:
        _seed_scale(schools, if_empty, seed)
    elif programme.is_demo_loaded():
        click.echo("Demo data already loaded.")
        _echo_logins(northbrook.demo_logins())
    elif if_empty and not programme.database_is_empty():
        click.echo("The database already has organisations, so the demo programme was not loaded.")
    else:
        logins = programme.load_demo_programme()
        db.session.commit()
        click.echo(f"Demo data loaded: {northbrook.DEMO_DESCRIPTION}.")
        _echo_logins(logins)


def _seed_scale(schools: int, if_empty: bool, seed: int) -> None:
    if if_empty and not programme.database_is_empty():
        click.echo("The database already has organisations, so no scale data was added.")
        return
    started = time.perf_counter()
    rows = scale.generate_scale_data(schools, seed=seed)
    db.session.commit()
    scale.analyse()
    click.echo(f"Added scale data and analysed the tables in {time.perf_counter() - started:.1f}s:")
    for table, count in rows.items():
        click.echo(f"  {table:<16} {count:>9,}")
    click.echo(f"Every account's password is {northbrook.DEMO_PASSWORD}")


def _echo_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo(f"Sign in with any of these accounts. The password for all of them is: {northbrook.DEMO_PASSWORD}")
    width = max(len(email) for _role, _name, email in logins)
    for role, name, email in logins:
        click.echo(f"  {email:<{width}}  {name}, {role}")


@click.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run the scheduled jobs (email delivery, reminders) until stopped."""
    from flask import current_app

    from app.notifications.scheduler import JOBS, build_scheduler

    click.echo(f"Scheduler running {len(JOBS)} jobs; stop with Ctrl+C.")
    build_scheduler(current_app._get_current_object()).start()  # type: ignore[attr-defined]  # the proxy's app


@click.group("report")
def report() -> None:
    """Print reports as PDFs, each as a named person would see it (for batch printing)."""


def _write_pdf(make: Callable[[], tuple[bytes, str]], output: str | None) -> None:
    """Run a service that makes a PDF (DomainError: the message and exit code 1) and write the file."""
    try:
        body, filename = make()
    except DomainError as error:
        raise click.ClickException(error.message) from None
    path = Path(output or filename)
    try:
        path.write_bytes(body)
    except OSError as error:
        raise click.ClickException(f"Could not write {path}: {error.strerror}") from None
    click.echo(f"Wrote {path} ({len(body):,} bytes).")


AS_OPTION = click.option("--as", "email", required=True, metavar="EMAIL",
                         help="The account whose view the report takes: it shows only what they may see.")
OUTPUT_OPTION = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                             help="Where to write the PDF (a name made from the report's subject when left out).")


@report.command("school")
@click.option("--school", "school_reference", required=True, metavar="URN_OR_ID", help="The school's URN or id.")
@click.option("--year", "year_label", required=True, metavar="YEAR", help="The academic year, like 2025/26.")
@AS_OPTION
@OUTPUT_OPTION
@with_appcontext
def school_report(school_reference: str, year_label: str, email: str, output: str | None) -> None:
    """A school's report for its governing body: ratings, action plan and progress."""
    _write_pdf(lambda: school_reports.school_report_pdf_for(school_reference, year_label, email), output)


@report.command("triad")
@click.option("--triad", "triad_reference", required=True, metavar="ID", help="The triad's id (from its page address).")
@AS_OPTION
@OUTPUT_OPTION
@with_appcontext
def triad_report(triad_reference: str, email: str, output: str | None) -> None:
    """A triad's three schools side by side."""
    _write_pdf(lambda: school_reports.triad_report_pdf_for(triad_reference, email), output)


@report.command("celebration-pack")
@click.option("--programme", "programme_reference", required=True, metavar="ID",
              help="The programme's id (from its page address).")
@click.option("--year", "year_label", required=True, metavar="YEAR", help="The academic year, like 2025/26.")
@OUTPUT_OPTION
@with_appcontext
def celebration_pack(programme_reference: str, year_label: str, output: str | None) -> None:
    """The year's celebration of learning pack: every triad's submitted learnings and the programme's figures."""
    _write_pdf(lambda: celebration_pack_pdf_for(programme_reference, year_label), output)


COMMANDS = (seed_demo, scheduler, report)


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
