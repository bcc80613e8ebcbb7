# rls_iron: two commands for a new machine — `make serve` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
SECRET_FILE := .secret_key
CHROMIUM ?= /usr/bin/chromium
# `make fuzz FUZZ_SEEDS=1..20` runs 20 seeds against one server, fewer requests each.
FUZZ_SEEDS ?=
FUZZ_REQUESTS ?= $(if $(FUZZ_SEEDS),500,5000)
# make bench runs the ten-times content set too (500 sections, 10,000 FAQ answers; each of the
# three processes that load it takes about 20 s here); BENCH_10X=0 leaves it out.
BENCH_10X ?= 1
# Lighthouse 13 needs Node 22; this machine has Node 20. Installed once, outside the tracked files.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE_DIR := bench/.lighthouse-node
# Performance runs a page in make audit (at most; fewer once the median is settled).
AUDIT_RUNS ?= 5
# nginx serves Brotli copies in make bench with Debian's module (the app itself needs none).
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so

# Django 6 needs Python 3.12 or newer. PYTHON=... overrides the search; otherwise try the
# usual names, then pyenv's versions (whose shims refuse versions that are not active).
define find_python
for candidate in $(PYTHON) python3.14 python3.13 python3.12 python3 \
    $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3; do \
  if command -v "$$candidate" >/dev/null 2>&1 && \
     "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help
help:  ## List the commands.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@python_bin="$$($(find_python))" || { \
	  echo "error: rls_iron needs Python 3.12 or newer, and none was found."; \
	  echo "Install Python 3.12+ (for example 'apt-get install python3.12' or 'pyenv install 3.13')"; \
	  echo "or name one with: make $(MAKECMDGOALS) PYTHON=/path/to/python3.12"; exit 1; }; \
	echo "Creating $(VENV) with $$python_bin"; \
	"$$python_bin" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

.PHONY: install
install: $(VENV)/.installed  ## Create .venv and install everything.

$(SECRET_FILE): | $(BIN)/python
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@echo "Generated a secret key in $@ (git-ignored; set DJANGO_SECRET_KEY to use your own)."

.PHONY: static
static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# The Spanish interface strings (locale/es/LC_MESSAGES/django.po) compile to .mo files with
# GNU gettext's msgfmt; as root we install it like Chromium below, otherwise we say how.
.PHONY: messages
messages: install $(SECRET_FILE)  ## Compile the interface translations in locale/.
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing GNU gettext for the translations"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "error: compiling the translations needs GNU gettext (sudo apt-get install gettext)"; exit 1; \
	  fi; }
	$(BIN)/python manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=staticfiles --ignore=export

.PHONY: check-content
check-content: install  ## Check every content file; list words, reading grade and review dates.
	$(BIN)/python manage.py check_content

# One printable document per language for a clinician; a PDF too where Chromium is installed.
.PHONY: review-packet
review-packet: install $(SECRET_FILE) messages content-ok  ## Write the clinical review packet to review-packet/ (HTML and PDF).
	CHROMIUM=$(CHROMIUM) $(BIN)/python manage.py review_packet --output review-packet

.PHONY: migrate
migrate: install $(SECRET_FILE)
	$(BIN)/python manage.py migrate --noinput --verbosity 0

.PHONY: editor
editor: migrate  ## Create an editor account for /editor/ (asks for a name and a strong password).
	$(BIN)/python manage.py addeditor

# Refuse to start with broken content rather than serve half a site.
.PHONY: content-ok
content-ok: install
	@$(BIN)/python manage.py check_content --quiet

# nginx in front of gunicorn (deploy/serve.py, deploy/nginx.conf): nginx reads every request
# whole before gunicorn sees it, so slow clients cannot tie up the workers, and keeps each
# public page for a second. Its access log keeps the path only: no query string (FAQ
# searches), no referrer, no browser.
.PHONY: serve
serve: install $(SECRET_FILE) messages content-ok static migrate nginx  ## Serve the site (nginx + gunicorn) on 127.0.0.1:$PORT (default 8000).
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl+C stops)"
	$(BIN)/python deploy/serve.py --host $(HOST) --port $(PORT) --workers $(WORKERS)

.PHONY: dev
dev: install messages migrate  ## Run Django's development server with DEBUG on; the page reloads on edits.
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

.PHONY: export
export: install $(SECRET_FILE) messages content-ok  ## Write the whole site as static files to export/ (any static host).
	$(BIN)/python manage.py export_site --output export
	@echo "Preview: $(BIN)/python -m http.server --directory export 8001"

.PHONY: bench
bench: install $(SECRET_FILE) messages nginx  ## Benchmark make serve against nginx serving the same bytes; fails on any wrong answer.
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@if ! command -v wrk >/dev/null || [ ! -e $(NGINX_BROTLI) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk libnginx-mod-http-brotli-static >/dev/null; \
	  else echo "error: make bench needs wrk and nginx's Brotli module (sudo apt-get install wrk libnginx-mod-http-brotli-static)"; exit 1; fi; fi
	BENCH_10X=$(BENCH_10X) $(BIN)/python bench/bench.py

# wrk drives load in make bench and in the test of the benchmark's own checks.
.PHONY: wrk
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing wrk for the benchmark's tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "error: the benchmark's tests need wrk: sudo apt-get install wrk"; exit 1; \
	  fi; }

.PHONY: nginx
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing nginx for make serve"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "error: make serve runs nginx in front of gunicorn: sudo apt-get install nginx"; exit 1; \
	  fi; }

.PHONY: chromium
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's Chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "error: the browser tests need Chromium at $(CHROMIUM)."; \
	    echo "Install it with: sudo apt-get install chromium (or set CHROMIUM=/path/to/chromium)"; exit 1; \
	  fi; \
	fi

# The feedback and editor tests also run on a throw-away PostgreSQL server (tests/databases.py).
.PHONY: postgresql
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's PostgreSQL for the database tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "error: the database tests need PostgreSQL (sudo apt-get install postgresql)"; exit 1; \
	  fi; \
	fi

.PHONY: lint
lint: install  ## Check code style with ruff.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: test
test: install $(SECRET_FILE) chromium postgresql nginx wrk messages lint check-content  ## Run ruff, the content check and every test.
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n 2

# The edit-test loop: the client and unit tests, without a browser, a real server or the export.
.PHONY: test-fast
test-fast: install $(SECRET_FILE) messages  ## Run the quick tests (no browser, no real server): under a minute.
	$(BIN)/python -m pytest -n 2 -q -m "not browser and not slow"

.PHONY: fuzz
fuzz: install  ## Fire 5,000 odd requests (or FUZZ_SEEDS=1..20) at the production server; fails on a server error.
	$(BIN)/python bench/fuzz.py --requests $(FUZZ_REQUESTS) $(if $(FUZZ_SEEDS),--seeds $(FUZZ_SEEDS))

# The stamp carries the version, so changing the pin reinstalls; otherwise npm runs only once.
$(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION):
	@command -v npm >/dev/null || { \
	  echo "error: make audit needs Node.js 20 or newer with npm (sudo apt-get install nodejs npm)"; exit 1; }
	npm install --prefix $(LIGHTHOUSE_DIR) --no-save --no-audit --no-fund \
	  lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

.PHONY: audit
audit: install $(SECRET_FILE) chromium messages content-ok $(LIGHTHOUSE_DIR)/.installed-$(LIGHTHOUSE_VERSION)  ## Lighthouse on the production server; fails below 100 in accessibility, best practices or SEO.
	CHROMIUM=$(CHROMIUM) $(BIN)/python bench/audit.py --runs $(AUDIT_RUNS) \
	  --lighthouse $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

.PHONY: clean
clean:  ## Remove the virtual environment and generated files.
	rm -rf $(VENV) staticfiles .serve .pytest_cache .ruff_cache *.egg-info bench/lighthouse $(LIGHTHOUSE_DIR)
