"""The ceiling bench/pages.py measures pages against: what Flask itself can do on this machine. Per request
it reads one school by primary key with psycopg (one connection per worker process, opened on its first
request and kept) and renders a small Jinja template. bench/pages.py serves it as the app is served:

    CEILING_DATABASE_URL=postgresql://postgres@127.0.0.1/<seeded database> \\
        .venv/bin/gunicorn --workers 2 --bind 127.0.0.1:8001 bench.ceiling:app
    # then GET /schools/<a school's id>
"""
from __future__ import annotations

import os
import uuid
from functools import cache

import psycopg
from flask import Flask, abort, render_template
from jinja2 import DictLoader
from psycopg.rows import dict_row

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ school.name }}</title></head>
<body>
<main>
<h1>{{ school.name }}</h1>
<dl>
  <dt>URN</dt><dd>{{ school.urn }}</dd>
  <dt>Phase</dt><dd>{{ school.phase }}</dd>
  <dt>Local authority</dt><dd>{{ school.local_authority }}</dd>
</dl>
</main>
</body>
</html>
"""

app = Flask(__name__)
app.jinja_loader = DictLoader({"school.html": PAGE})  # compiled once per worker, then cached


@cache
def connection() -> psycopg.Connection:
    """This worker's connection (gunicorn forks the workers first, so each opens its own)."""
    return psycopg.connect(os.environ["CEILING_DATABASE_URL"], autocommit=True, row_factory=dict_row)


@app.get("/schools/<uuid:school_id>")
def school(school_id: uuid.UUID):
    row = connection().execute("SELECT name, urn, phase, local_authority FROM school WHERE id = %s",
                               (school_id,)).fetchone()
    if row is None:
        abort(404)
    return render_template("school.html", school=row)


@app.get("/healthz")
def healthz():
    return "ok"
