# Praxis: `make run` installs and starts the app with a demo; `make test` installs and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The PostgreSQL half of the suite runs against this database (see README, "Tests").
SURVEY_TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export SURVEY_TEST_DATABASE_URL

CATALOGS := $(patsubst %.po,%.mo,$(wildcard survey/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test test-fast install install-test translations extract-messages lint clean

run: install
	$(BIN)/flask --app survey db upgrade
	$(BIN)/flask --app survey demo
	@echo "Praxis runs at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/flask --app survey run --host $(HOST) --port $(PORT)

# Everything, both databases: most tests on every core, then the browser, gunicorn and
# lock-timeout tests one at a time (they measure time and hold ports).
SERIAL_TESTS := tests/browser tests/test_gunicorn.py tests/test_timeouts.py

test: install-test
	$(BIN)/pytest -n auto $(addprefix --ignore=,$(SERIAL_TESTS))
	$(BIN)/pytest $(SERIAL_TESTS)

# While you work: SQLite only, no browser, no gunicorn; one pytest worker per core.
test-fast: install-test
	SURVEY_TEST_DATABASE_URL= $(BIN)/pytest -m "not browser" --deselect tests/test_gunicorn.py -q -n auto

install: $(VENV)/.installed $(CATALOGS)

install-test: install $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Praxis needs Python 3.11 or newer; set PYTHON=python3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

translations: $(CATALOGS)

# After changing user-facing text: refresh the template and catalogues, translate, then `make translations`.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project Praxis -o survey/translations/messages.pot .
	$(BIN)/pybabel update -i survey/translations/messages.pot -d survey/translations \
		--width 100 --ignore-obsolete

lint: install-test
	$(BIN)/ruff check survey tests bench
	$(BIN)/ruff format --check survey tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(CATALOGS)
