# Quick start:  make run   (install what is needed, then start the kiosk)
#               make test  (install what is needed, then run every test)
# Both create the virtual environment .venv on first use.

VENV   := .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: run test screenshots bench clean

run: $(VENV)/.installed
	$(BIN)/kiosk run $(ARGS)

test: $(VENV)/.installed-test
	$(BIN)/lint-imports --no-cache
	scripts/with-display $(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: $(VENV)/.installed
	scripts/with-display $(BIN)/kiosk screenshots --out screenshots --lang nl,fr,en

bench: $(VENV)/.installed-test
	scripts/with-display $(BIN)/python tests/bench/run.py

$(VENV)/.installed: pyproject.toml
	scripts/install-system-packages run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	scripts/install-system-packages test
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache screenshots
