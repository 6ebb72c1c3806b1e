# The learning journal: `make html` builds the site, `make test` runs every test.
# Both create .venv from the pinned requirements when it is missing or stale.
# Bring your own environment (as Read the Docs does) with SPHINXBUILD=sphinx-build.

PYTHON      ?= python3
VENV        ?= .venv
BUILDDIR    ?= _build
SPHINXOPTS  ?= -W --keep-going -n -j auto
SPHINXBUILD ?= $(VENV)/bin/sphinx-build
PYTEST_ARGS ?= -n auto
N           ?= 200

# DRAFTS=1 previews drafts and future posts (never publish such a build).
ifeq ($(DRAFTS),1)
  DRAFT_OPTS := -D journal_show_drafts=1
endif

SITE_STAMP := $(VENV)/.site-installed
TEST_STAMP := $(VENV)/.test-installed
# Only build the environment when we are the ones who will use it.
ifeq ($(SPHINXBUILD),$(VENV)/bin/sphinx-build)
  SITE_ENV := $(SITE_STAMP)
endif

.PHONY: html test lint format clean distclean livehtml bench bench-web post import-jekyll init help

help:
	@echo "make html            build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "make test            run the whole test suite (lint, unit, build, browser)"
	@echo "make livehtml        rebuild and reload on every save"
	@echo "make init            make this your own journal (asks; or TITLE= AUTHOR_NAME= AUTHOR_ID= RTD_PROJECT= ...; FROM_JEKYLL=../blog)"
	@echo "make post TITLE=...  start a new post (TAGS=a,b CATEGORY=c)"
	@echo "make import-jekyll SRC=path/to/jekyll-site"
	@echo "make bench [N=200]   measure build times"
	@echo "make bench-web [N=1000]  measure what readers download (Lighthouse, page and feed sizes)"
	@echo "make clean           remove the build output"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $(SITE_STAMP) $@

html: $(SITE_ENV)
	$(SPHINXBUILD) -b html $(SPHINXOPTS) $(DRAFT_OPTS) . $(BUILDDIR)/html -d $(BUILDDIR)/doctrees

livehtml: $(TEST_STAMP)
	$(VENV)/bin/sphinx-autobuild -b html -j auto $(DRAFT_OPTS) . $(BUILDDIR)/html -d $(BUILDDIR)/doctrees \
		--watch journal --watch _templates --watch _static \
		--ignore "$(abspath $(BUILDDIR))/*" --ignore "*/.venv/*" --ignore "*/tests/*"

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(TEST_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# axe-core for the browser tests, pinned by package-lock.json (node_modules/ is not committed).
NODE_STAMP := node_modules/.journal-installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests will skip (install Node.js and npm)"; fi

test: lint $(NODE_STAMP)
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# What the user types in TITLE, TAGS, CATEGORY, SRC and ARGS reaches Python untouched: never
# through a shell, and never expanded by make ($(value ...) keeps `$HOME`, `$(shell ...)`, quotes
# and backticks as typed). make would export a command-line variable expanded (running any
# $(shell ...) in it), hence the unexport; `python -m journal --from-env` reads JOURNAL_*.
unexport TITLE TAGS CATEGORY SRC ARGS
INIT_VARIABLES := TITLE DESCRIPTION AUTHOR_NAME AUTHOR_ID LANG_CODE TIMEZONE RTD_PROJECT REPOSITORY KEEP_SAMPLES YES \
	FROM_JEKYLL
unexport $(INIT_VARIABLES)

post: export JOURNAL_TITLE = $(value TITLE)
post: export JOURNAL_TAGS = $(value TAGS)
post: export JOURNAL_CATEGORY = $(value CATEGORY)
post: $(SITE_STAMP)
	$(if $(value TITLE),,@echo 'usage: make post TITLE="오픈스택 SDK 첫 리뷰" [TAGS=openstack,review] [CATEGORY=기여]'; exit 2)
	$(VENV)/bin/python -m journal --from-env new

import-jekyll: export JOURNAL_SRC = $(value SRC)
import-jekyll: export JOURNAL_ARGS = $(value ARGS)
import-jekyll: $(SITE_STAMP)
	$(if $(value SRC),,@echo "usage: make import-jekyll SRC=path/to/jekyll-site [ARGS=--dry-run]"; exit 2)
	$(VENV)/bin/python -m journal --from-env import-jekyll

# make init [TITLE=...] [DESCRIPTION=...] [AUTHOR_NAME=...] [AUTHOR_ID=...] [LANG_CODE=ko]
#   [TIMEZONE=Asia/Seoul] [RTD_PROJECT=...] [REPOSITORY=https://...] [KEEP_SAMPLES=1] [YES=1]
#   [FROM_JEKYLL=../blog] (title, description, author and time zone from a Jekyll site as defaults)
# (LANG_CODE, not LANGUAGE: make would take the locale's LANGUAGE from the environment.)
init: export JOURNAL_TITLE = $(value TITLE)
init: export JOURNAL_DESCRIPTION = $(value DESCRIPTION)
init: export JOURNAL_AUTHOR_NAME = $(value AUTHOR_NAME)
init: export JOURNAL_AUTHOR_ID = $(value AUTHOR_ID)
init: export JOURNAL_LANG_CODE = $(value LANG_CODE)
init: export JOURNAL_TIMEZONE = $(value TIMEZONE)
init: export JOURNAL_RTD_PROJECT = $(value RTD_PROJECT)
init: export JOURNAL_REPOSITORY = $(value REPOSITORY)
init: export JOURNAL_FROM_JEKYLL = $(value FROM_JEKYLL)
init: export JOURNAL_KEEP_SAMPLES = $(value KEEP_SAMPLES)
init: export JOURNAL_YES = $(value YES)
init: $(SITE_STAMP)
	$(VENV)/bin/python -m journal --from-env init

bench: $(TEST_STAMP)
	$(VENV)/bin/python -m journal.commands.bench --posts $(N)

# N posts as given on the command line, else 1,000 (the size the issue's targets are set for).
bench-web: $(TEST_STAMP) $(NODE_STAMP)
	$(VENV)/bin/python -m journal.commands.benchweb --posts $(if $(filter command line,$(origin N)),$(N),1000)

clean:
	rm -rf $(BUILDDIR)

distclean: clean
	rm -rf $(VENV) .pytest_cache .ruff_cache
