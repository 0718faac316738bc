"""The scheduler process (`flask --app wsgi scheduler`): APScheduler with its jobs in the database."""
from __future__ import annotations

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from app.extensions import db

JOBS = [
    # (id, function path, trigger and its settings); times are Europe/London
    ("deliver-email", "app.notifications.jobs:deliver_email", {"trigger": "interval", "seconds": 60}),
    ("send-reminders", "app.notifications.jobs:send_reminders", {"trigger": "interval", "seconds": 3600}),
    ("overdue-digest", "app.notifications.jobs:send_overdue_digest",
     {"trigger": "cron", "day_of_week": "mon", "hour": 7}),
    ("notice-summaries", "app.notifications.jobs:send_notice_summaries", {"trigger": "cron", "hour": 7}),
    ("request-chasers", "app.notifications.jobs:send_request_chasers", {"trigger": "cron", "hour": 8}),
    ("deadline-chasers", "app.notifications.jobs:send_deadline_chasers", {"trigger": "cron", "hour": 8}),
    ("celebration-packs", "app.notifications.jobs:prepare_celebration_packs", {"trigger": "interval", "seconds": 20}),
]


def build_scheduler(app: Flask) -> BlockingScheduler:
    with app.app_context():
        store = SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_job")
    scheduler = BlockingScheduler(jobstores={"default": store}, timezone="Europe/London",
                                  job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for job_id, function, trigger in JOBS:
        scheduler.add_job(function, id=job_id, replace_existing=True, **trigger)
    return scheduler
