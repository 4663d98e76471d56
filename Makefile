# Two commands for a fresh machine (Python 3.11+; Debian for the browser tests):
#   make serve   set everything up and serve the site on http://127.0.0.1:8000
#   make test    set everything up and run the whole test suite
# Everything is installed into .venv (pip, from pyproject.toml with constraints.txt) and
# node_modules (npm: citeproc-js, which renders the citations; axe-core and Lighthouse for the
# accessibility tests); nothing outside the project changes, except Debian's packages: Node.js where
# it is missing, Pango for the PDF, chromium for the browser tests (installed with apt-get as root).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CFF    := .venv-cff
PROPERDOCS := .venv-properdocs
ZENSICAL := .venv-zensical
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: setup system serve build serve-properdocs build-properdocs check generate lint test test-quick benchmark benchmark-smoke lighthouse browser clean

setup: $(STAMP) system node_modules/.citeproc

# The whole brief's PDF (WeasyPrint) needs Pango, a system library most Linux desktops and CI images
# have: installed with apt-get when missing, as root or with password-less sudo (a CI runner); otherwise
# said (the preview goes on without the PDF, with a warning; a strict build stops and says the same)
system:
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "The citations need Node.js 18 or newer and npm: sudo apt-get install nodejs npm"; exit 1; \
	  fi; \
	fi
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else \
	    echo "The whole brief's PDF needs Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	  fi; \
	fi

# citeproc-js, which renders the citations' styles: every build needs it (npm, from package-lock.json;
# the tests' node_modules/.installed holds it too)
node_modules/.citeproc: package.json package-lock.json
	@if [ -f node_modules/.installed ] && [ node_modules/.installed -nt package-lock.json ]; then :; \
	else npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
	touch $@

# axe-core and Lighthouse beside it, for the accessibility tests only
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@ node_modules/.citeproc

# cffconvert validates CITATION.cff; it needs jsonschema 3, so it has an environment of its own
$(CFF)/.installed: tests/requirements-cffconvert.txt
	$(PYTHON) -m venv $(CFF)
	$(CFF)/bin/python -m pip install --quiet -r tests/requirements-cffconvert.txt
	touch $@

# ProperDocs, the maintained fork of MkDocs 1.6, builds the same site (README, Engines). Its environment
# holds no MkDocs, which Material and mkdocs-redirects list: every package is pinned, installed without
# its dependencies.
$(PROPERDOCS)/.installed: tests/requirements-properdocs.txt
	$(PYTHON) -m venv $(PROPERDOCS)
	$(PROPERDOCS)/bin/python -m pip install --quiet --no-deps -r tests/requirements-properdocs.txt
	touch $@

# Zensical builds the export (atlante export) with no hooks, as the test of the export does; it pins
# its own Markdown stack, so it has an environment of its own too
$(ZENSICAL)/.installed: tests/requirements-zensical.txt
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet -r tests/requirements-zensical.txt
	touch $@

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Both editions: mkdocs.yml (Italian, at /) builds mkdocs.en.yml into /en/ as well.
serve: setup
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

# The same with ProperDocs instead of MkDocs
serve-properdocs: $(PROPERDOCS)/.installed
	$(PROPERDOCS)/bin/properdocs serve -f mkdocs.yml --dirty --no-strict --dev-addr 127.0.0.1:8000

build-properdocs: $(PROPERDOCS)/.installed
	$(PROPERDOCS)/bin/properdocs build -f mkdocs.yml --strict

check: setup
	$(BIN)/atlante check

# Rewrite the schemas' relation and language blocks and the README's relation table.
generate: setup
	$(BIN)/atlante generate

lint: setup
	$(BIN)/ruff check hooks tests benchmarks
	$(BIN)/mypy
	$(BIN)/yamllint -c .yamllint.yml data

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

# The types first (mypy --strict on hooks/, as pyproject.toml's [tool.mypy] says: seconds), then the
# tests: one worker per core (pytest-xdist), each taking the next test as it finishes one; the real
# builds the tests share are made once for all workers (tests/helpers.py, shared)
test: setup browser node_modules/.installed $(CFF)/.installed $(PROPERDOCS)/.installed $(ZENSICAL)/.installed
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist worksteal

# The inner loop: the tests that need neither a real build nor Chromium, nor long (markers in pyproject.toml)
test-quick: setup $(CFF)/.installed
	$(BIN)/python -m pytest -m "not build and not browser and not slow"

# Build times at 100, 1 000 and 5 000 entries against plain MkDocs (benchmarks/README.md); about an hour.
benchmark: setup
	$(BIN)/python benchmarks/benchmark.py

# The benchmark at N = 20, once: every step runs (CI runs this after the tests).
benchmark-smoke: setup
	$(BIN)/python benchmarks/benchmark.py --smoke

# Lighthouse scores (mobile, gzip-served) of the home page, a city page and the concept map, both editions.
lighthouse: setup browser node_modules/.installed
	$(BIN)/python tests/lighthouse.py --english

clean:
	rm -rf site $(VENV) $(CFF) $(PROPERDOCS) $(ZENSICAL) .pytest_cache node_modules
