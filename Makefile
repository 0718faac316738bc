# The front door: `make run` serves the app with demo data, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
PORT ?= 5000
export PORT
export FLASK_APP := wsgi

.PHONY: run test lint install install-test assets migrate seed scheduler clean help

help:
	@echo "make run    set everything up and serve on http://127.0.0.1:$(PORT) with demo data"
	@echo "make test   set everything up and run the whole test suite"
	@echo "make lint   ruff, the import-linter contracts, mypy, the shape rule and the migrations (CI runs it first)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMPS)/install: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/install-test: pyproject.toml $(STAMPS)/install
	$(BIN)/pip install --quiet -e '.[test]'
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/install
install-test: $(STAMPS)/install-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend's assets and script are copied; the Sass is compiled without the GDS font.
app/static/dist/app.css: app/static/src/app.scss node_modules/.package-lock.json
	@mkdir -p app/static/govuk app/static/dist
	cp -R node_modules/govuk-frontend/dist/govuk/assets app/static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js app/static/govuk/
	npx --no-install sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		app/static/src/app.scss app/static/dist/app.css

assets: app/static/dist/app.css

# Lets plain `flask --app wsgi ...` commands in this checkout use the development settings.
.env:
	@echo "APP_ENV=development" > $@

migrate: install .env
	APP_ENV=development $(BIN)/flask db upgrade

seed: migrate
	APP_ENV=development $(BIN)/flask seed-demo --if-empty

# The scheduler runs beside the web server and is stopped (by its PID) when the server stops.
run: install assets seed
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	@APP_ENV=development $(BIN)/flask scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

scheduler: install
	APP_ENV=development $(BIN)/flask scheduler

# The suite runs in one worker process per core (pytest-xdist), each with its own database, live server and
# browser; a module's tests stay together in one worker, so its module-scoped data is built once.
PYTEST_WORKERS ?= auto
test: install-test assets
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The checks that hold the house's shape: style and bugs (ruff), the layers (import-linter), types
# (app/common strictly, the models and every service module the layers contract names), the size of
# files and functions, and the migrations (they match the models, and go down and up, on SQLite and
# PostgreSQL: TEST_DATABASE_URL's server, else 127.0.0.1:5432). Each step fails the target.
lint: install-test
	$(BIN)/ruff check app tests bench scripts config.py wsgi.py
	$(BIN)/lint-imports
	typed="$$($(BIN)/python scripts/typed_modules.py)" && $(BIN)/mypy $$typed
	$(BIN)/python scripts/check_shape.py
	$(BIN)/python scripts/check_migrations.py

clean:
	rm -rf $(STAMPS) app/static/dist app/static/govuk
