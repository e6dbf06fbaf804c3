# Two commands matter: `make run` and `make test`. Both set everything up and are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development only: `make run` serves with DEBUG on and the development secret key.
DEV_ENV := DEBUG=1

.PHONY: install run setup test test-postgres lint format typecheck check bench bench-load bench-export clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_question_bank fixtures/question_banks
	$(DEV_ENV) $(BIN)/python manage.py load_demo

# Serves the site and, beside it, the background worker that builds exports and sends reminder
# e-mails (to the console in development); Ctrl-C stops both.
run: setup
	@echo ""
	@echo "  Open http://$(HOST):$(PORT)/ and log in as the demo user printed above."
	@echo ""
	@$(DEV_ENV) REMINDERS_IN_WORKER=1 $(BIN)/python manage.py schedule_reminders
	@$(DEV_ENV) REMINDERS_IN_WORKER=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

# ruff, then the import contracts of pyproject.toml (the layers of docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/python -m mypy

# System checks, missing migrations, and the production settings' deploy checks.
check: install
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=example.com $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(DEV_ENV) $(BIN)/python bench/run.py

# gunicorn (4 workers, production settings over plain HTTP) on PostgreSQL under concurrent load.
# Creates DATABASE_URL's database if missing (default maturity_load) and drops it afterwards;
# e.g. `make bench-load ARGS="--connections 32 --duration 5"`.
bench-load: install
	$(BIN)/python bench/load.py $(ARGS)

# An organisation export at scale (its reads with stand-in PDFs; real reports across 1 and 2
# db_worker processes) on PostgreSQL, in a database it creates and drops (maturity_bench_export);
# e.g. `make bench-export ARGS="--teams 200 --quarters 14 --pdf-teams 200"`.
bench-export: install
	$(BIN)/python bench/export.py $(ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
