# dxtalent — two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys' 2>/dev/null && echo python3.13 || (command -v python3.12 >/dev/null 2>&1 && python3.12 -c 'import sys' 2>/dev/null && echo python3.12) || echo python3)
UV ?= $(shell uv --version >/dev/null 2>&1 && echo uv || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install assets db demo run test test-fast test-e2e lint format bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/.built: node_modules/.installed scripts/build_assets.mjs
	node scripts/build_assets.mjs
	touch $@

install: .venv/.synced static_build/.built  ## install Python and front-end dependencies

assets: static_build/.built

db: install  ## create or migrate the SQLite database
	mkdir -p var
	$(MANAGE) migrate --noinput

demo: db  ## load the policy pack and the demo data (idempotent)
	$(MANAGE) load_policy_pack policy_packs/sapporo-r8
	$(MANAGE) load_demo

run: demo  ## run the system with demo data at http://127.0.0.1:8000
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) demo_logins
	$(PY) -m gunicorn config.wsgi --no-control-socket --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
		--env DJANGO_SETTINGS_MODULE=config.settings.local

test: install  ## run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	mkdir -p var
	$(PY) -m pytest

test-fast: install  ## tests without the browser
	$(PY) -m pytest -m "not e2e"

lint: install  ## ruff, formatting, migrations up to date, deploy check
	mkdir -p var
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SECRET_KEY=lint-only-$$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9') \
	DJANGO_ALLOWED_HOSTS=dxtalent.example.lg.jp \
		$(MANAGE) check --deploy --fail-level WARNING --settings=config.settings.production

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install  ## benchmarks at city scale (see benchmarks/README.md)
	bash benchmarks/run.sh

clean:
	rm -rf .venv .tools node_modules static_build var
