"""The scheduler process (`flask --app wsgi scheduler`): APScheduler with its jobs in the database."""
from __future__ import annotations

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app.extensions import db

JOBS = [
    # (id, function path, interval in seconds)
    ("deliver-email", "app.jobs:deliver_email", 60),
]


def build_scheduler(app: Flask) -> BlockingScheduler:
    with app.app_context():
        store = SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_job")
    scheduler = BlockingScheduler(jobstores={"default": store}, timezone="Europe/London",
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for job_id, function, seconds in JOBS:
        scheduler.add_job(function, "interval", seconds=seconds, id=job_id, replace_existing=True)
    return scheduler
