# Every target bootstraps .venv from pyproject.toml when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint notebooks clean site serve

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m nn demo

test: $(STAMP)
	$(BIN)/python -m pytest tests --nbmake notebooks -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks

# The browser playground (web/): build it into site/ (npm ci from the lock file, the wheel of
# this repository), then serve it on 127.0.0.1 (PORT=8000 make serve; default: a free port).
site: $(STAMP)
	$(BIN)/python web/build.py

PORT ?= 0
serve: site
	$(BIN)/python web/serve.py --port $(PORT) site

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
