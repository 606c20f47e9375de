"""The teaching notebooks: in sync with their sources, self-contained, saved with figures.

Each notebook's source is a jupytext percent-format file ``notebooks/NN_slug.py``, paired with
the committed ``notebooks/NN_slug.ipynb`` that ``make notebooks-build`` executes and saves.
These tests check that every ``.ipynb`` holds exactly its source's cells (so nobody edits one
and forgets the other) and that the notebooks follow the notebook rules.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import itertools
import json
import multiprocessing
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
ALLOWED_IMPORTS = {"autodiff", "nn", "course", "matplotlib", "math", "random"}
# The PyTorch tour is read, not practised: its point is the side-by-side comparison, and it
# may import torch (guarded: it says how to install it when torch is missing).
WITHOUT_EXERCISES = {"13_same_network_in_pytorch"}
EXTRA_IMPORTS = {"13_same_network_in_pytorch": {"torch"}}
EXERCISED = [s for s in SOURCES if s.stem not in WITHOUT_EXERCISES]


@functools.cache
def _builder() -> Any:
    """notebooks/build.py, imported by path (notebooks/ is not a package)."""
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
    """Code cells import only autodiff, nn, course, matplotlib, math and random."""
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
            allowed = ALLOWED_IMPORTS | EXTRA_IMPORTS.get(source.stem, set())
            assert roots <= allowed, f"{source.stem} imports {roots - allowed}"


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


# --- exercises ---------------------------------------------------------------------------
#
# A student cell carries the cell metadata ``exercise="<id>"`` (``# %% exercise="7.2"`` in the
# source) and holds a placeholder; the next code cell calls its check in ``course.exercises``. The
# teachers' file ``notebooks/solutions/NN_slug.py`` has, per id, a cell ``solution="<id>"`` and a
# cell ``wrong="<id>"`` (a typical mistake). Each notebook runs once, in one kernel: after a
# check has run on the shipped placeholder, the wrong answer and then the solution are run in
# the student cell's place, each followed by the check again, and the placeholder is put back
# before the notebook goes on. So one execution tests all three ways, and every cell after an
# exercise still runs with the placeholder in place, as a student's first run would.

SOLUTIONS = NOTEBOOKS / "solutions"
PLACEHOLDER_HINT = "a student cell holds `...` or a function body raising NotImplementedError"


def _exercise_cells(source: Path) -> list[tuple[str, str, str]]:
    """(id, student cell, check cell) for every exercise of a source, in order."""
    cells = [c for c in _builder().read(source).cells if c.cell_type == "code"]
    found = []
    for cell, following in itertools.pairwise(cells):
        if "exercise" in cell.metadata:
            found.append((str(cell.metadata["exercise"]), cell.source, following.source))
    return found


def _variants(stem: str) -> dict[str, dict[str, str]]:
    """``{"solution": {id: code}, "wrong": {id: code}}`` from the teachers' file."""
    variants: dict[str, dict[str, str]] = {"solution": {}, "wrong": {}}
    if stem in WITHOUT_EXERCISES:
        return variants
    for cell in jupytext.read(SOLUTIONS / f"{stem}.py").cells:
        for kind, codes in variants.items():
            if kind in cell.metadata:
                key = str(cell.metadata[kind])
                assert key not in codes, f"{stem}: two {kind} cells for exercise {key}"
                codes[key] = cell.source
    return variants


def _printed(cell: Any) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _run_three_ways(stem: str) -> dict[str, Any]:
    """Execute one notebook with every exercise as shipped, wrong and solved (see above)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbformat.v4 import new_code_cell

    start = time.perf_counter()
    notebook = _builder().read(NOTEBOOKS / f"{stem}.py")
    variants = _variants(stem)
    printed: dict[str, dict[str, str]] = {"shipped": {}, "wrong": {}, "solution": {}}
    errors: list[str] = []
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    with client.setup_kernel():
        student: Any = None
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                errors.append(f"cell {index} as shipped: {str(error)[-1500:]}")
                break
            if "exercise" in cell.metadata:
                student = cell
                continue
            if student is None:
                continue
            key = str(student.metadata["exercise"])
            printed["shipped"][key] = _printed(cell)
            for kind in ("wrong", "solution"):
                if key not in variants[kind]:
                    continue
                answer, check = new_code_cell(variants[kind][key]), new_code_cell(cell.source)
                try:
                    client.execute_cell(answer, index, store_history=False)
                    client.execute_cell(check, index, store_history=False)
                except CellExecutionError as error:
                    errors.append(f"exercise {key}, {kind} answer: {str(error)[-1500:]}")
                printed[kind][key] = _printed(check)
            # the placeholder goes back, so the rest runs as the student's first run would
            client.execute_cell(new_code_cell(student.source), index, store_history=False)
            student = None
    return {"printed": printed, "errors": errors, "seconds": time.perf_counter() - start}


@pytest.fixture(scope="session")
def three_way_runs() -> dict[str, dict[str, Any]]:
    """Every notebook run three ways, two notebooks at a time (one kernel each, two cores)."""
    stems = [s.stem for s in SOURCES]
    # fork: the workers inherit this already-imported module, so nothing is re-imported
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        return dict(zip(stems, pool.map(_run_three_ways, stems)))


def _verdict(text: str, key: str) -> str:
    """What the one line a check printed says after ``exercise <id>:``."""
    lines = text.splitlines()
    assert len(lines) == 1, f"exercise {key}: the check printed {len(lines)} lines: {text!r}"
    prefix = f"exercise {key}: "
    assert lines[0].startswith(prefix), f"exercise {key}: the check printed {lines[0]!r}"
    return lines[0][len(prefix) :]


@pytest.mark.parametrize("source", EXERCISED, ids=lambda s: s.stem)
def test_notebook_has_two_to_four_exercises_with_placeholders(source: Path) -> None:
    """2-4 exercises, ids <notebook>.<n>, each a placeholder, then a course.exercises check."""
    found = _exercise_cells(source)
    assert 2 <= len(found) <= 4, f"{source.stem} has {len(found)} exercises"
    number = int(source.stem[:2])
    assert [key for key, _, _ in found] == [f"{number}.{n}" for n in range(1, len(found) + 1)]
    for key, student, check in found:
        tree = ast.parse(_code({"source": student}))
        placeholder = any(
            isinstance(node, ast.Constant) and node.value is Ellipsis for node in ast.walk(tree)
        ) or any(
            isinstance(node, ast.Raise)
            and "NotImplementedError" in ast.unparse(node.exc or ast.Constant(None))
            for node in ast.walk(tree)
        )
        assert placeholder, f"exercise {key}: {PLACEHOLDER_HINT}"
        assert check.strip().startswith("exercises."), f"exercise {key}: the check cell {check!r}"


@pytest.mark.parametrize("source", EXERCISED, ids=lambda s: s.stem)
def test_every_exercise_has_a_solution_and_a_wrong_answer(source: Path) -> None:
    """The teachers' file has exactly one solution and one wrong answer per exercise, no others."""
    keys = {key for key, _, _ in _exercise_cells(source)}
    variants = _variants(source.stem)
    assert set(variants["solution"]) == keys, source.stem
    assert set(variants["wrong"]) == keys, source.stem


# What verdict.how_far says about a number it does not recognise as a known mistake.
GENERIC_HINT = re.compile(
    r"(the right (value|size)$|by about [\d.e+-]+%$|has the wrong sign( \(its size|: it should)|"
    r"but it should be 0$|but it is not 0$)"
)


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.stem)
def test_notebook_runs_three_ways(source: Path, three_way_runs: dict[str, Any]) -> None:
    """Shipped, each check says `not yet`; with the solution `correct`; with the mistake `wrong`."""
    run = three_way_runs[source.stem]
    assert not run["errors"], "\n".join(run["errors"])
    printed = run["printed"]
    keys = [key for key, _, _ in _exercise_cells(source)]
    assert list(printed["shipped"]) == keys, f"{source.stem}: not every check ran"
    for key in keys:
        assert _verdict(printed["shipped"][key], key).startswith("not yet"), key
        assert _verdict(printed["solution"][key], key).startswith("correct"), key
        said = _verdict(printed["wrong"][key], key)
        assert said.startswith("wrong: ") and len(said) > len("wrong: ") + 10, (key, said)
        # the typical mistake is recognised: its own hint, not only how far off the number is
        assert not GENERIC_HINT.search(said), (key, said)


def test_saved_notebooks_show_not_yet() -> None:
    """The committed notebooks were saved as shipped: every check's saved output says `not yet`."""
    for source in SOURCES:
        cells = _notebook(source)["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        for cell, following in itertools.pairwise(code):
            key = cell["metadata"].get("exercise")
            if key is None:
                continue
            text = "".join("".join(o.get("text", "")) for o in following["outputs"])
            assert _verdict(text, key).startswith("not yet"), (source.stem, key)


def test_notebooks_stay_small() -> None:
    """All notebooks together, figures included, stay under 3 MB so the repository stays light."""
    total = sum(p.stat().st_size for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert total < 3_000_000, f"notebooks take {total / 1e6:.1f} MB"
