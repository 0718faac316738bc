"""Command-line entry points: thin shells over service functions."""
from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import with_appcontext

from app.extensions import db
from app.services import demo_data


@click.command("seed-demo")
@click.option("--schools", type=click.IntRange(1, demo_data.MAX_SCALE_SCHOOLS), default=None,
              help="Add this many fictional schools for benchmarks instead of the demo programme.")
@click.option("--if-empty", is_flag=True, help="Add nothing when the database already has organisations.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed for the scale data's random choices.")
@with_appcontext
def seed_demo(schools: int | None, if_empty: bool, seed: int) -> None:
    """Load the fictional demo programme, or (with --schools) a large fictional data set."""
    if schools is not None:
        _seed_scale(schools, if_empty, seed)
    elif demo_data.is_demo_loaded():
        click.echo("Demo data already loaded.")
        _echo_logins(demo_data.demo_logins())
    elif if_empty and not demo_data.database_is_empty():
        click.echo("The database already has organisations, so the demo programme was not loaded.")
    else:
        logins = demo_data.load_demo_programme()
        db.session.commit()
        click.echo(f"Demo data loaded: {demo_data.DEMO_DESCRIPTION}.")
        _echo_logins(logins)


def _seed_scale(schools: int, if_empty: bool, seed: int) -> None:
    if if_empty and not demo_data.database_is_empty():
        click.echo("The database already has organisations, so no scale data was added.")
        return
    started = time.perf_counter()
    rows = demo_data.generate_scale_data(schools, seed=seed)
    db.session.commit()
    click.echo(f"Added scale data in {time.perf_counter() - started:.1f}s:")
    for table, count in rows.items():
        click.echo(f"  {table:<16} {count:>9,}")
    click.echo(f"Every account's password is {demo_data.DEMO_PASSWORD}")


def _echo_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo(f"Sign in with any of these accounts. The password for all of them is: {demo_data.DEMO_PASSWORD}")
    width = max(len(email) for _role, _name, email in logins)
    for role, name, email in logins:
        click.echo(f"  {email:<{width}}  {name}, {role}")


@click.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run the scheduled jobs (email delivery, reminders) until stopped."""
    from flask import current_app

    from app.scheduler import JOBS, build_scheduler

    click.echo(f"Scheduler running {len(JOBS)} jobs; stop with Ctrl+C.")
    build_scheduler(current_app._get_current_object()).start()


COMMANDS = (seed_demo, scheduler)


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
