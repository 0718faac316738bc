"""SEND Triads: the Flask application factory."""
from __future__ import annotations

import logging

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config, config_for


def create_app(config: type[Config] | str | None = None, **overrides) -> Flask:
    """Build the app. `config` is a settings class or a name (production when unset)."""
    config_class = config if isinstance(config, type) else config_for(config)
    config_class.check()

    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "app" / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1, x_host=1)
    logging.basicConfig(level=logging.INFO)

    from app import audit  # noqa: F401  (registers the audit listener)
    from app.database import init_database
    from app.extensions import csrf, db, login_manager, migrate
    from app.security import init_security
    from app.templating import init_templates

    init_templates(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)
    init_database(app)
    init_security(app)

    from app.action_plans.views import bp as action_plans_bp
    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.celebration.views import bp as celebration_bp
    from app.clusters.views import bp as clusters_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.deadlines.views import bp as deadlines_bp
    from app.errors import bp as errors_bp
    from app.frameworks.views import bp as frameworks_bp
    from app.home.views import bp as main_bp
    from app.information_requests.views import bp as requests_bp
    from app.meetings.calendar_views import bp as calendars_bp
    from app.meetings.views import bp as scheduling_bp
    from app.notifications.views import bp as notices_bp
    from app.people.views import bp as people_bp
    from app.programmes.views import bp as programmes_bp
    from app.reports.views import bp as reports_bp
    from app.self_evaluations.views import bp as self_evaluations_bp
    from app.years.views import bp as years_bp

    for blueprint in (errors_bp, main_bp, auth_bp, programmes_bp, frameworks_bp, self_evaluations_bp, action_plans_bp,
                      scheduling_bp, calendars_bp, requests_bp, clusters_bp, dashboard_bp, celebration_bp, reports_bp,
                      admin_bp, notices_bp, deadlines_bp, years_bp, people_bp):
        app.register_blueprint(blueprint)

    from app.cli import register_commands

    register_commands(app)
    return app
