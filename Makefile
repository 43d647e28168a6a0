# Lokalnie — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint system-deps check-python messages clean-db worker bench

check-python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 12), "Python 3.12 is required, found " + sys.version.split()[0]'

$(STAMP): pyproject.toml | check-python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the app and the tests need: WeasyPrint's Pango, fonts, gettext for the
# translation check, Chromium for the browser tests. Installed only when missing and
# only when we may (root); otherwise it says what is missing.
system-deps:
	@bash scripts/system-deps.sh test

run: venv
	@bash scripts/system-deps.sh run
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Lokalnie: http://$(HOST):$(PORT)/  (Ctrl+C stops the server and the task worker)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: venv
	$(MANAGE) db_worker --queue-name '*'

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: venv system-deps lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check_translations
	$(BIN)/pytest $(PYTEST_ARGS)

messages: venv
	$(MANAGE) makemessages --locale pl --locale en --no-obsolete --add-location file --ignore '.venv/*' --ignore 'bench/*'
	$(MANAGE) compilemessages --ignore '.venv/*'

# The performance harness (bench/, docs/performance.md): never part of `make test`. Needs
# PostgreSQL and Redis on 127.0.0.1 (and root to install wrk); regenerates the database
# lokalnie_bench and rewrites docs/performance.md. About 10 minutes.
bench: venv
	@bash scripts/system-deps.sh run
	$(BIN)/python -m bench.run
