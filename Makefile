# Koers: `make run` sets everything up and starts the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := KOERS_DEMO=true KOERS_REQUIRE_2FA=false
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format migrations-check messages compilemessages vendor clean demo-reset bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(DEMO_ENV) $(MANAGE) migrate --no-input
	$(DEMO_ENV) $(MANAGE) demo_data --if-empty
	$(DEMO_ENV) $(MANAGE) demo_logins
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

demo-reset:
	rm -f var/koers.sqlite3 var/koers.sqlite3-wal var/koers.sqlite3-shm

test: $(STAMP)
	test -x /usr/bin/chromium || { echo "Browser tests need Debian's chromium: apt-get install chromium (or run .ci/run)"; exit 1; }
	$(BIN)/pytest -n 2 --dist loadfile -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP)
	KOERS_TESTING=true $(MANAGE) makemigrations --check --dry-run

messages: $(STAMP)
	$(BIN)/python scripts/translations.py

compilemessages: $(STAMP)
	cd src/koers && KOERS_TESTING=true ../../$(BIN)/django-admin compilemessages --settings=koers.conf.settings --pythonpath=..

vendor:
	bash scripts/vendor-static.sh

# Production settings (DEBUG off, every middleware, audit on) on cached benchmark datasets; see
# docs/performance.md. Runs SQLite and PostgreSQL both, and fails when a target is missed.
BENCH_ENV := DEBUG=false KOERS_DEMO=false KOERS_HTTPS=false KOERS_REQUIRE_2FA=true \
	SECRET_KEY=koers-bench-not-a-secret-key-0123456789 ALLOWED_HOSTS=testserver LOG_LEVEL=WARNING \
	KOERS_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/koers_bench

bench: $(STAMP)
	mkdir -p var/bench
	$(BENCH_ENV) DATABASE_URL=sqlite:///$(CURDIR)/var/bench/small.sqlite3 $(MANAGE) bench; \
	sqlite=$$?; \
	$(BENCH_ENV) DATABASE_URL=$(BENCH_PG) $(MANAGE) bench; \
	postgresql=$$?; \
	test $$sqlite -eq 0 && test $$postgresql -eq 0

clean:
	rm -rf $(VENV) var
