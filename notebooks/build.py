"""Build the teaching notebooks from their jupytext sources: read, execute, save with outputs.

Each notebook's source is ``notebooks/NN_slug.py`` in jupytext's percent format, paired
with ``notebooks/NN_slug.ipynb`` (``formats: ipynb,py:percent`` in its header, so JupyterLab
with jupytext keeps both in step). Building reads the source with jupytext, executes it with
nbclient in ``notebooks/`` and writes the ``.ipynb`` with its outputs, made stable so that
rebuilding an unchanged notebook changes no byte of it:

- consecutive prints to one stream are merged (the kernel splits them at random points);
- object addresses in plain-text fallbacks (``<... at 0x7f...>``) are dropped;
- no timing or execution metadata is recorded.

    .venv/bin/python notebooks/build.py            # all of them (make notebooks-build)
    .venv/bin/python notebooks/build.py 07 11      # only those whose name starts so

``tests/test_notebooks.py`` imports ``read``, ``stable_outputs`` and ``NOTEBOOKS`` from here.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def sources() -> list[Path]:
    """Every notebook source, ``NN_slug.py``, in teaching order."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.py"))


def read(source: Path) -> Any:
    """The notebook a source describes (cells and metadata, no outputs), via jupytext."""
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = KERNEL
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"{source.stem[:2]}-{i:02d}"  # stable ids keep diffs small
    return notebook


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def stable_outputs(outputs: list[Any]) -> list[Any]:
    """The outputs with consecutive same-stream prints merged and object addresses removed."""
    merged: list[Any] = []
    for output in outputs:
        if (
            output.output_type == "stream"
            and merged
            and merged[-1].output_type == "stream"
            and merged[-1].name == output.name
        ):
            merged[-1].text += output.text
            continue
        plain = output.get("data", {}).get("text/plain")
        if isinstance(plain, str):
            output.data["text/plain"] = _ADDRESS.sub(">", plain)
        merged.append(output)
    return merged


def build(source: Path) -> float:
    """Execute ``source`` and write its ``.ipynb`` next to it (atomically); return the seconds."""
    notebook = read(source)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = stable_outputs(cell.outputs)
            cell.metadata.pop("execution", None)
    target = source.with_suffix(".ipynb")
    fd, temporary = tempfile.mkstemp(dir=NOTEBOOKS, suffix=".ipynb.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        nbformat.write(notebook, stream)
    os.replace(temporary, target)
    return seconds


def _build_one(source: Path) -> tuple[str, float | str]:
    try:
        return source.stem, build(source)
    except CellExecutionError as error:
        return source.stem, f"FAILED\n{str(error)[-3000:]}"


def main(argv: list[str]) -> None:
    prefixes = [a for a in argv if not a.startswith("-")]
    chosen = [s for s in sources() if not prefixes or any(s.stem.startswith(p) for p in prefixes)]
    if not chosen:
        sys.exit(f"no notebook source matches {prefixes}")
    failed = []
    # One kernel per notebook, two at a time: the machine has two cores.
    with ProcessPoolExecutor(max_workers=2) as pool:
        for stem, result in pool.map(_build_one, chosen):
            if isinstance(result, str):
                failed.append(stem)
                print(f"{stem}: {result}")
            else:
                print(f"{stem}: {result:.1f} s")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
