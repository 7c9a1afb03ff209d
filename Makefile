# Awda: `make run` starts the app on the embedded SQLite database with demo data;
# `make test` runs the whole suite (set DATABASE_URL to run it on PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 3
DEMO_CASES ?= 2500
export AWDA_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test setup setup-dev browser lint check migrate seed lock clean messages diagram bench

$(BIN)/.base: requirements/base.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/base.lock
	@touch $@

$(BIN)/.dev: $(BIN)/.base requirements/dev.lock
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	@touch $@

setup: $(BIN)/.base messages
setup-dev: $(BIN)/.dev messages browser

# Compiled translations are build output (not in git).
messages: $(BIN)/.base
	@command -v msgfmt >/dev/null || ./scripts/apt-install gettext
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v0

# The browser tests drive Debian's Chromium through Playwright.
browser:
	@test -x /usr/bin/chromium || ./scripts/apt-install chromium

migrate: setup
	$(BIN)/python manage.py migrate --noinput -v0

run: setup
	@AWDA_DEMO_MODE=$${AWDA_DEMO_MODE:-1} ./scripts/run-embedded

test: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run -v0
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=ci-check-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ DATABASE_URL=sqlite:////tmp/awda-deploy-check.sqlite3 ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark on its own PostgreSQL database (see bench/README.md), e.g.
# make bench BENCH_ARGS="--persons 1000000 --json var/bench.json"
bench: setup-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Export benchmark (bench/README.md, "Exports"), e.g. make bench-exports BENCH_EXPORTS_ARGS="--rows 50000"
.PHONY: bench-exports
bench-exports: setup-dev
	$(BIN)/python bench/exports.py $(BENCH_EXPORTS_ARGS)

# Duplicate detection engine, batch (bench/README.md, "Duplicate detection"), no database, e.g.
# make bench-dedup BENCH_DEDUP_ARGS="--people 20000 --only large"
.PHONY: bench-dedup
bench-dedup: setup-dev
	$(BIN)/python bench/dedup.py $(BENCH_DEDUP_ARGS)

# Duplicate check lookup benchmark (bench/README.md, "Duplicate check while registering"), e.g.
# make bench-dedup-lookup BENCH_DEDUP_LOOKUP_ARGS="--persons 100000"
.PHONY: bench-dedup-lookup
bench-dedup-lookup: setup-dev
	$(BIN)/python bench/dedup_lookup.py $(BENCH_DEDUP_LOOKUP_ARGS)

# Import benchmark (bench/README.md, "Imports"), e.g. make bench-import BENCH_IMPORT_ARGS="--rows 100000"
.PHONY: bench-import
bench-import: setup-dev
	$(BIN)/python bench/import.py $(BENCH_IMPORT_ARGS)

lint: $(BIN)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

diagram: setup
	$(BIN)/python manage.py workflow_diagram --output docs/workflow.md

# Regenerate the locked requirements after changing pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml -o requirements/base.lock --python-version 3.11 --no-header -q
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev -o requirements/dev.lock --python-version 3.11 --no-header -q

clean:
	rm -rf $(VENV) var/staticfiles
