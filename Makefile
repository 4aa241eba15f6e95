# The README's two commands are `make site` and `make test`; CI (.ci/run) runs `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: site test validate serve clean

site: $(VENV)/.installed
	$(BIN)/kb build

test: $(VENV)/.installed-test
	$(BIN)/pytest

validate: $(VENV)/.installed
	$(BIN)/kb validate

serve: site
	$(BIN)/kb serve

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
