# Every target bootstraps .venv from pyproject.toml when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint notebooks notebooks-build clean site serve

# The interpreter the venv has or will have; checked before anything is installed, because an
# older Python sends pip into a long, silent search for package versions that fit it.
SETUP_PYTHON = $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON))
PYTHON_OK    = $(shell $(SETUP_PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 10)))' 2>/dev/null)
PYTHON_IS    = $(or $(shell $(SETUP_PYTHON) --version 2>&1),not found)

$(STAMP): pyproject.toml
	$(if $(filter 1,$(PYTHON_OK)),,$(error backprop-lab needs Python 3.10 or newer, but $(SETUP_PYTHON) is $(PYTHON_IS): run make with PYTHON=python3.12 (any 3.10+), after make clean if .venv exists))
	@if test -x $(BIN)/python; then echo "updating .venv: pyproject.toml changed, reinstalling backprop-lab with its dev tools ..."; \
	else echo "creating .venv and installing backprop-lab with its dev tools (about a minute) ..."; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m nn demo

test: $(STAMP)
	# tests/test_notebooks.py executes every notebook (as shipped, solved and wrong): no --nbmake
	$(BIN)/python -m pytest tests -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks

# Execute every notebook source (notebooks/NN_slug.py, jupytext percent format) and save its
# paired .ipynb with outputs; `make notebooks-build NB="07 11"` builds only those.
notebooks-build: $(STAMP)
	$(BIN)/python notebooks/build.py $(NB)

# The course's static site (web/build.py): landing page, the two labs, the notebooks in
# JupyterLite, the docs when built; npm ci from the lock file, the pinned `site` extra and
# web/pyodide-wheels.txt from the package index. Then serve it on 127.0.0.1
# (PORT=8000 make serve; default: a free port).
site: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[site]'
	$(BIN)/python web/build.py

PORT ?= 0
serve: site
	$(BIN)/python web/serve.py --port $(PORT) site

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
