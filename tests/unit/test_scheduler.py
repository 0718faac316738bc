"""The scheduler keeps its jobs in the database table made by the migrations."""
from sqlalchemy import inspect

from app.extensions import db
from app.notifications.scheduler import JOBS, build_scheduler


def test_the_migrations_make_the_job_store_table(app):
    with app.app_context():
        assert "apscheduler_job" in inspect(db.engine).get_table_names()


def test_the_scheduler_is_built_with_every_job(app):
    scheduler = build_scheduler(app)
    store = scheduler._jobstores["default"]
    assert store.jobs_t.name == "apscheduler_job"
    pending = {job.id for job, _store, _replace in scheduler._pending_jobs}
    assert pending == {job_id for job_id, _path, _trigger in JOBS} == {
        "deliver-email", "send-reminders", "overdue-digest", "notice-summaries", "request-chasers",
        "deadline-chasers", "celebration-packs"}
