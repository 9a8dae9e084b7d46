# Two commands for a newcomer: `make run` (the app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TRANSLATIONS := contactbook/translations

.PHONY: run test lint format translations extract-messages

$(BIN)/.installed: requirements.txt plugins/contactbook-dispatch/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e plugins/contactbook-dispatch
	touch $@

translations: $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)
	for catalogues in $(wildcard plugins/*/*/translations); do \
		$(BIN)/pybabel compile --statistics -d $$catalogues || exit 1; \
	done

run: $(BIN)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) push vapid
	$(FLASK) demo
	CONTACTBOOK_RUN_WORKERS=1 $(FLASK) run --debug --host 127.0.0.1 --port 5000

test: $(BIN)/.installed translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing strings on screen: refresh the catalogues, then translate the new entries.
extract-messages: $(BIN)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
