# The commands a maintainer needs. Each sets itself up: the first run creates .venv
# from requirements.lock (pinned, with hashes); a changed lock file recreates it.
#   make serve   build the diagrams and serve the site with live reload on http://127.0.0.1:8000
#   make test    every test: unit, build, browser (system Chromium), links
#   make build   strict, reproducible build into site/
#   make check   everything a maintainer must fix, in plain words (specs, build, links, content)
#   make bench   build time, diagram time and page weight, as one table
#   make lock    re-pin requirements.lock from requirements.in (and the Zensical and LinkChecker locks)
#   make build-zensical   the same site built by Zensical (Material's successor) into site-zensical/
#   make test-zensical    the browser smoke tests (-m smoke) on that build

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000
export SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export PYTHONDONTWRITEBYTECODE := 1
# MkDocs 1.6 prints a banner about MkDocs 2 on every run; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test test-unit test-browser build build-zensical test-zensical check bench lock chromium clean

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))."; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@# make the repository's own package (generators) importable without installing it
	@echo "$(CURDIR)" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/bmo-site.pth"
	touch $(STAMP)

# test tools from npm (the Nu Html Checker), pinned in package-lock.json; a changed lock file reinstalls
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

# Zensical, pinned in its own lock (requirements-zensical.lock: the site's packages plus Zensical), in its own venv
ZENSICAL := .venv-zensical
$(ZENSICAL)/.installed: requirements-zensical.lock
	rm -rf $(ZENSICAL)
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-zensical.lock
	@echo "$(CURDIR)" > "$$($(ZENSICAL)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/bmo-site.pth"
	touch $@

serve: $(STAMP)
	$(BIN)/python -m generators check
	$(BIN)/python -m generators search-data
	$(BIN)/python -m generators explainer-data
	BMO_DEV_RELOAD=1 $(BIN)/mkdocs serve --livereload --dev-addr $(HOST) -w diagrams -w generators -w data

build: $(STAMP)
	$(BIN)/python -m generators check
	$(BIN)/python -m generators search-data
	$(BIN)/python -m generators explainer-data
	rm -rf site.tmp
	$(BIN)/mkdocs build --strict -d site.tmp
	$(BIN)/python -m generators.maintainer.sitecheck site.tmp
	rm -rf site && mv site.tmp site
	@chmod -R a+rX site
	@echo "Built site/ (SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH))."

# Zensical has no --site-dir option and wants site_dir inside the project: a copy of mkdocs.yml says where.
build-zensical: $(ZENSICAL)/.installed
	$(ZENSICAL)/bin/python -m generators check
	rm -rf site-zensical.tmp
	sed 's|^site_dir: .*|site_dir: site-zensical.tmp|' mkdocs.yml > .zensical.yml
	$(ZENSICAL)/bin/zensical build --clean --strict -f .zensical.yml; s=$$?; rm -f .zensical.yml; exit $$s
	rm -rf site-zensical && mv site-zensical.tmp site-zensical
	@echo "Built site-zensical/ with $$($(ZENSICAL)/bin/zensical --version)."

# the browser smoke tests on the Zensical build
test-zensical: $(STAMP) chromium build-zensical
	BMO_SITE_DIR=$(CURDIR)/site-zensical $(BIN)/python -m pytest -p no:xdist -m smoke

chromium:
	@GIVEN="$${CHROMIUM:-}"; CHROMIUM="$${CHROMIUM:-$$(command -v chromium || true)}"; \
	if [ -z "$$CHROMIUM" ] || [ ! -x "$$CHROMIUM" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "No Chromium found: installing Debian's chromium package."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "No Chromium found. Install Chromium (Debian: apt-get install chromium), or point the"; \
	    echo "tests at a Chrome or Chromium binary: make test CHROMIUM=/path/to/chrome"; exit 1; \
	  fi; \
	fi; \
	if [ -z "$$GIVEN$$(command -v chromium-headless-shell || true)" ] && [ "$$(id -u)" = 0 ] \
	   && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium-headless-shell (the same Chromium, lighter for tests)."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
	    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1; } \
	    || echo "(not available: the tests use chromium)"; \
	fi

# one worker per core; tests that share a costly fixture stay on one worker (--dist loadgroup,
# groups set in tests/conftest.py), so it is set up once. More pytest options: PYTEST_ARGS=...
# (e.g. --durations=30 to see where the time goes)
test: $(STAMP) $(NODE_STAMP) chromium build
	BMO_SITE_DIR=$(CURDIR)/site $(BIN)/python -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

test-unit: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not site and not slow"

check: $(STAMP)
	$(BIN)/python -m generators.maintainer.maintainer_check

bench: $(STAMP) $(NODE_STAMP) chromium
	$(BIN)/python -m generators.maintainer.bench

lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	for n in zensical external-links; do $(PYTHON) -m uv pip compile --quiet --python-version 3.11 --generate-hashes \
	  -c requirements.lock requirements-$$n.in -o requirements-$$n.lock || exit 1; done

clean:
	rm -rf site site.tmp site-zensical site-zensical.tmp .pytest_cache
