"""The teaching notebooks: in sync with their sources, self-contained, saved with figures.

Each notebook's source is a jupytext percent-format file ``notebooks/NN_slug.py``, paired with
the committed ``notebooks/NN_slug.ipynb`` that ``make notebooks-build`` executes and saves.
These tests check that every ``.ipynb`` holds exactly its source's cells (so nobody edits one
and forgets the other) and that the notebooks follow the notebook rules.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
ALLOWED_IMPORTS = {"autodiff", "nn", "matplotlib", "math", "random"}


def _builder() -> Any:
    path = NOTEBOOKS / "build.py"
    spec = importlib.util.spec_from_file_location("build_notebooks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(source: Path) -> dict[str, Any]:
    return json.loads((ROOT / "notebooks" / f"{source.stem}.ipynb").read_text(encoding="utf-8"))


def _text(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else str(source)


def _code(cell: dict[str, Any]) -> str:
    text = _text(cell)
    # IPython magics are not Python: blank them out before parsing
    return "\n".join("" if line.lstrip().startswith("%") else line for line in text.splitlines())


def test_notebooks_are_numbered_in_order() -> None:
    """Sources are numbered 01, 02, ... without gaps, each with its built notebook beside it."""
    assert len(SOURCES) >= 10
    assert [s.stem[:2] for s in SOURCES] == [f"{i:02d}" for i in range(1, len(SOURCES) + 1)]
    for source in SOURCES:
        assert (ROOT / "notebooks" / f"{source.stem}.ipynb").is_file(), source.stem


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_notebook_matches_its_source(source: Path) -> None:
    """Every cell of the committed notebook is the cell its source file describes, in order."""
    wanted = [(c.cell_type, c.source, dict(c.metadata)) for c in _builder().read(source).cells]
    saved = [
        (c["cell_type"], _text(c), {k: v for k, v in c["metadata"].items() if k != "execution"})
        for c in _notebook(source)["cells"]
    ]
    assert saved == wanted, f"{source.stem}: rebuild it with make notebooks-build"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_notebook_imports_only_the_packages(source: Path) -> None:
    """Code cells import only autodiff, nn, matplotlib, math and random."""
    for cell in _notebook(source)["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse(_code(cell))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= ALLOWED_IMPORTS, f"{source.stem} imports {roots - ALLOWED_IMPORTS}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_notebook_is_saved_with_figures_and_no_errors(source: Path) -> None:
    """Every code cell ran (has an execution count), none failed, at least one figure is saved."""
    notebook = _notebook(source)
    images = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["execution_count"] is not None, f"{source.stem}: a cell was not executed"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{source.stem}: {output.get('ename')}"
            data = output.get("data", {})
            images += "image/png" in data or "image/svg+xml" in data
    assert images >= 1, f"{source.stem} shows no figure"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_notebook_ends_with_a_checked_exercise(source: Path) -> None:
    """The last heading is the exercise; the last code cell asserts and prints its success."""
    cells = _notebook(source)["cells"]
    headings = [
        line
        for c in cells
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert headings[-1] == "## Exercise", source.stem
    last = next(c for c in reversed(cells) if c["cell_type"] == "code")
    tree = ast.parse(_code(last))
    assert any(isinstance(n, ast.Assert) for n in ast.walk(tree)), f"{source.stem}: no check"
    printed = "".join(
        "".join(o.get("text", "")) for o in last["outputs"] if o["output_type"] == "stream"
    )
    assert printed.strip(), f"{source.stem}: the exercise check printed nothing"


def test_notebooks_stay_small() -> None:
    """All notebooks together, figures included, stay under 3 MB so the repository stays light."""
    total = sum(p.stat().st_size for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert total < 3_000_000, f"notebooks take {total / 1e6:.1f} MB"
