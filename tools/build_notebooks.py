"""Build the teaching notebooks in ``notebooks/`` from their plain-text sources and run them.

Each source in ``tools/notebook_sources/NN_name.nbsrc`` is a list of cells. A line
``%% markdown`` or ``%% code`` starts a new cell; everything up to the next marker is
its text. Building writes ``notebooks/NN_name.ipynb`` and executes it in place with
nbclient (working directory ``notebooks/``), so the saved file carries its figures.

    .venv/bin/python tools/build_notebooks.py            # all of them
    .venv/bin/python tools/build_notebooks.py 03 07      # only those whose name starts so
    .venv/bin/python tools/build_notebooks.py --no-run   # write without executing
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "notebook_sources"
TARGET = ROOT / "notebooks"


def parse(text: str) -> list[tuple[str, str]]:
    """The (kind, source) cells of one source file, surrounding blank lines trimmed."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.strip() in ("%% markdown", "%% code"):
            cells.append((line.strip()[3:], []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip():
            raise ValueError(f"text before the first cell marker: {line!r}")
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in cells]


def build(source: Path, run: bool = True) -> float:
    """Write (and execute) the notebook for ``source``; return the seconds it took."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python"
    }
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in parse(source.read_text(encoding="utf-8")):
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(text))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{source.stem[:2]}-{i:02d}"  # stable ids keep diffs small
    start = time.perf_counter()
    if run:
        NotebookClient(
            nb, timeout=120, kernel_name="python3", record_timing=False,
            resources={"metadata": {"path": str(TARGET)}},
        ).execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _stable(cell.outputs)
    nbformat.write(nb, TARGET / f"{source.stem}.ipynb")
    return seconds


_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def _stable(outputs: list) -> list:  # type: ignore[type-arg]
    """Outputs that do not change between identical runs, so rebuilt notebooks diff cleanly.

    Consecutive prints to the same stream are merged (the kernel splits them at random
    points), and object addresses in plain-text fallbacks (``<... at 0x7f...>``) are dropped.
    """
    merged: list = []  # type: ignore[type-arg]
    for output in outputs:
        if output.output_type == "stream" and merged and merged[-1].output_type == "stream" \
                and merged[-1].name == output.name:
            merged[-1].text += output.text
            continue
        plain = output.get("data", {}).get("text/plain")
        if isinstance(plain, str):
            output.data["text/plain"] = _ADDRESS.sub(">", plain)
        merged.append(output)
    return merged


def main(argv: list[str]) -> None:
    run = "--no-run" not in argv
    prefixes = [a for a in argv if not a.startswith("--")]
    failed = []
    for source in sorted(SOURCES.glob("*.nbsrc")):
        if prefixes and not any(source.stem.startswith(p) for p in prefixes):
            continue
        try:
            seconds = build(source, run)
        except CellExecutionError as error:
            failed.append(source.stem)
            print(f"{source.stem}: FAILED\n{str(error)[-3000:]}")
            continue
        print(f"{source.stem}: {seconds:.1f} s")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
