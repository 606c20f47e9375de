# Every target bootstraps .venv from pyproject.toml when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-quick lint notebooks notebooks-build clean site serve docs pictures

# The interpreter the venv has or will have; checked before anything is installed, because an
# older Python sends pip into a long, silent search for package versions that fit it.
SETUP_PYTHON = $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON))
PYTHON_OK    = $(shell $(SETUP_PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 10)))' 2>/dev/null)
PYTHON_IS    = $(or $(shell $(SETUP_PYTHON) --version 2>&1),not found)

# A stamp per set of extras: the demo installs only what it needs (the train extra: tqdm and
# matplotlib); the docs their builder; everything else the developer tools (the dev extra).
DEMO_STAMP := $(VENV)/.installed-demo
DOCS_STAMP := $(VENV)/.installed-docs

# $(call setup,extras,what it installs,how long): check the Python, make .venv, install quietly
# (after saying what and how long, so the quiet minute is not a surprise), touch the stamp.
define setup
	$(if $(filter 1,$(PYTHON_OK)),,$(error backprop-lab needs Python 3.10 or newer, but $(SETUP_PYTHON) is $(PYTHON_IS): run make with PYTHON=python3.12 (any 3.10+), after make clean if .venv exists))
	@if test -x $(BIN)/python; then echo "updating .venv: installing backprop-lab with $(2) ($(3)) ..."; \
	else echo "creating .venv and installing backprop-lab with $(2) ($(3)) ..."; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(1)]'
	@touch $@
endef

$(STAMP): pyproject.toml
	$(call setup,dev,its dev tools,a .venv of about 800 MB$(comma) 2 to 4 minutes)

$(DEMO_STAMP): pyproject.toml
	$(call setup,train,what the demo needs: tqdm and matplotlib,about 200 MB$(comma) 1 to 2 minutes)

$(DOCS_STAMP): pyproject.toml
	$(call setup,viz$(comma)docs,the documentation builder: MkDocs$(comma) Material$(comma) mkdocstrings,about 140 MB$(comma) about a minute)

comma := ,

demo: $(DEMO_STAMP)
	$(BIN)/python -m nn demo

test: $(STAMP)
	# tests/test_notebooks.py executes every notebook (as shipped, solved and wrong): no --nbmake
	$(BIN)/python -m pytest tests -q

# The scalar engines (bench/results/latest.md), then the batched engine (bench/results/batched.md);
# each reports its targets met or not. bench-quick: a smoke test of both, not for quoting.
bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.batched

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick
	$(BIN)/python -m bench.batched --quick

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

# The pictures the docs show (docs/*.svg, the players docs/backward_*.html and, with Chromium,
# their screenshots), redrawn by this checkout's code (PYTHONPATH: not whichever tree .venv was
# installed from); tests/test_docs.py fails when they differ from it.
pictures: $(DOCS_STAMP)
	@if command -v dot >/dev/null 2>&1; then \
	  PYTHONPATH=$(CURDIR) $(BIN)/python docs/draw_pictures.py \
	  && PYTHONPATH=$(CURDIR) $(BIN)/python docs/make_player.py; \
	else echo "pictures: the Graphviz dot program is missing, so the committed pictures stay"; fi

# The documentation as a website in site-docs/ (MkDocs + Material + mkdocstrings, offline).
docs: $(DOCS_STAMP) pictures
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site-docs
