# The README's two commands are `make site` and `make test`; CI (.ci/run) runs `make test` with
# KB_SOURCES set. `make validate` is the whole content check (and rewrites data/schema/).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Exact versions of everything installed (`make lock` writes them from pyproject.toml): the site's
# packages, and the site's plus the tests' (the same versions of the site's).
SITE_LOCK := requirements/site.txt
TEST_LOCK := requirements/test.txt
PIP_TOOLS := pip-tools==7.6.2
SUDO   := $(shell [ "$$(id -u)" -ne 0 ] && echo sudo)

.PHONY: site test check lint validate serve preview lock clean

site: $(VENV)/.installed
	$(BIN)/kb build

# Everything, on every core (each worker builds the sites its tests need once).
test: lint /usr/bin/chromium /usr/bin/rsync
	$(BIN)/pytest -n auto

# The quick loop before pushing: lint, the records, the unit and golden tests; no site build, no browser.
check: lint
	$(BIN)/kb validate
	$(BIN)/pytest -m "not slow" -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks

# The browser tests drive Debian's Chromium (Playwright's own download cannot reach its host); the
# publishing tests copy the site with rsync as a deployment would.
/usr/bin/chromium /usr/bin/rsync:
	$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(@F) >/dev/null

# FORMAT=github: the problems as annotations on the pull request's lines (.github/workflows/pr.yml)
FORMAT ?= text
validate: $(VENV)/.installed
	$(BIN)/kb validate --format $(FORMAT)

serve: site
	$(BIN)/kb serve

# Rebuilds on every save into _build/preview and reloads the open page (kb.preview).
preview: $(VENV)/.installed
	$(BIN)/kb serve --watch

# The lock holds setuptools too, so kb itself installs without fetching a build backend.
$(VENV)/.installed: $(SITE_LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r $(SITE_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) $(VENV)/.installed
	$(BIN)/pip install --quiet -r $(TEST_LOCK)
	touch $@

# Write the lock files again from pyproject.toml with pip-tools, in a venv of its own. Versions
# already locked are kept where pyproject.toml allows them; UPGRADE=1 takes the newest of everything.
# Review the diff, then run `make site test`.
LOCK_VENV := $(VENV)/pip-tools
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --strip-extras \
	--allow-unsafe --all-build-deps --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	[ -x $(LOCK_VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(PIP_COMPILE) --output-file $(SITE_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test --constraint $(SITE_LOCK) --output-file $(TEST_LOCK) pyproject.toml

clean:
	rm -rf _build book/generated
