# The one entry point. `make run` for a local demo, `make test` for the suite (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
LOCAL := DJANGO_SETTINGS_MODULE=labimpact.settings.local
TESTING := DJANGO_SETTINGS_MODULE=labimpact.settings.test
HOST ?= 127.0.0.1:8000
LANGS := it en fr es ar sq zh_Hans uk ur bn

.PHONY: totp run test ci lint format messages translations clean bench chromium

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	$(LOCAL) $(PY) manage.py compiletranslations

run: $(VENV)/.installed translations
	@$(PY) tools/check_port.py $(HOST)
	$(LOCAL) $(PY) manage.py migrate --no-input
	$(LOCAL) $(PY) manage.py load_reference
	$(LOCAL) $(PY) manage.py load_demo
	$(LOCAL) $(PY) manage.py demo_totp
	@echo "Serving http://$(HOST)/ — back office at http://$(HOST)/admin/"
	$(LOCAL) $(PY) manage.py runserver $(HOST)

# The demo coordinator's current second-step code (make run sets up its demo authenticator).
totp: $(VENV)/.installed
	@$(LOCAL) $(PY) manage.py demo_totp

# PostgreSQL and Redis: DATABASE_URL/REDIS_URL, else the default addresses, else throwaway servers
# (tools/testenv.py). PYTEST_ARGS="-n 2 tests/test_x.py" passes arguments to pytest.
# exec: a SIGTERM that make passes on reaches the wrapper itself, which then stops the servers.
test: $(VENV)/.installed-dev translations chromium
	$(TESTING) exec $(PY) -m tools.testenv -- $(PY) -m pytest $(PYTEST_ARGS)

# Browser tests drive Debian's chromium (tests/conftest.py): installed when missing if we may.
CHROMIUM_PACKAGES := chromium chromium-driver fonts-noto-core
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CHROMIUM_PACKAGES) >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium. Run: sudo apt-get update && sudo apt-get install -y $(CHROMIUM_PACKAGES)" >&2; exit 1; \
	  fi; }

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci: lint test

# Desk search page vs a bare view on one gunicorn (benchmarks/README.md); BENCH_ARGS="--seconds 5 --no-fail".
bench: $(VENV)/.installed-dev
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Needs GNU gettext (xgettext). Source strings are Italian; the Italian catalogue mirrors them.
messages: $(VENV)/.installed
	$(LOCAL) $(PY) manage.py makemessages $(addprefix -l ,$(LANGS)) -i ".venv/*" -i "staticfiles/*" -i "tools/*" -i "tests/*" --no-obsolete
	$(LOCAL) $(PY) tools/mirror_source_catalogue.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
