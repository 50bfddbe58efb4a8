# waterdesk: `make run` serves the embedded demo, `make test` runs the whole test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run test install lint format messages

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The embedded default: SQLite under var/ (or $WATERDESK_DATA_DIR), tasks in-process, demo accounts.
run: export WATERDESK_DEMO = 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_preset
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

# Runs every test. PostgreSQL tests need DATABASE_URL=postgres://...; Redis tests need REDIS_URL.
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Apps with a catalogue of their own keep it; the rest of the project shares locale/.
APP_CATALOGUES := replies notifications hotline12345 open311 public web

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-location --ignore '.venv/*' \
		--ignore 'tests/*' --ignore 'bench/*' $(foreach app,$(APP_CATALOGUES),--ignore 'waterdesk/$(app)/*')
	for app in $(APP_CATALOGUES); do \
		(cd waterdesk/$$app && env -u DJANGO_SETTINGS_MODULE ../../$(BIN)/django-admin makemessages --locale zh_Hans --no-location) || exit 1; \
	done
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'
