# The README's two commands are `make site` and `make test`; CI (.ci/run) runs `make test` with
# KB_SOURCES set. `make validate` is the whole content check (and rewrites data/schema/).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" -ne 0 ] && echo sudo)

.PHONY: site test lint validate serve preview clean

site: $(VENV)/.installed
	$(BIN)/kb build

test: lint /usr/bin/chromium
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks

# The browser tests drive Debian's Chromium; Playwright's own download cannot reach its host.
/usr/bin/chromium:
	$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# FORMAT=github: the problems as annotations on the pull request's lines (.github/workflows/pr.yml)
FORMAT ?= text
validate: $(VENV)/.installed
	$(BIN)/kb validate --format $(FORMAT)

serve: site
	$(BIN)/kb serve

# Rebuilds on every save into _build/preview and reloads the open page (kb.preview).
preview: $(VENV)/.installed
	$(BIN)/kb serve --watch

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

clean:
	rm -rf _build book/generated
