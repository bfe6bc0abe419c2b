# askdesk: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 2
TASK_WORKERS ?= 1

.PHONY: run setup test test-setup test-sqlite test-postgres lint bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# One stamp per requirements set, so a changed requirements file reinstalls.
$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements/test.txt
	touch $@ $(VENV)/.base-installed

setup: $(VENV)/.base-installed
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	# The int8 ONNX export of the embedding model, made once from the packaged weights,
	# so that workers do not each make it on their first question.
	$(PY) -m askdesk.nlp.embed

run: setup
	DJANGO_DEBUG=0 HOST=$(HOST) PORT=$(PORT) WEB_WORKERS=$(WEB_WORKERS) TASK_WORKERS=$(TASK_WORKERS) PY=$(PY) scripts/serve

test-setup: $(VENV)/.test-installed
	scripts/ensure-chromium
	scripts/ensure-axe-core

# SQLite then PostgreSQL (a throwaway server this run starts and stops): see scripts/test.
test: test-setup
	PY=$(PY) scripts/test

test-sqlite: test-setup
	$(PY) -m pytest --import-mode=importlib

test-postgres: $(VENV)/.test-installed
	PG_FSYNC=off scripts/with-postgres scripts/with-redis $(PY) -m pytest --import-mode=importlib -p no:cacheprovider --ignore=tests/browser --ignore=tests/nlp --ignore=tests/bench

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.base-installed
	$(PY) -m pip install --quiet -r requirements/bench.txt
	@echo "Benchmarks: see docs/benchmarks.md for each command."

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
