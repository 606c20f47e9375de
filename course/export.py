"""Graded assignments made from the notebooks: for otter-grader, for nbgrader, and a student copy.

Everything comes from the sources the practice notebooks are built from: a notebook's jupytext
file ``notebooks/NN_slug.py`` (its student cells carry ``exercise="<id>"``, the next code cell
is the practice check) and the teachers' ``notebooks/solutions/NN_slug.py`` (one
``solution="<id>"`` cell per exercise).

* ``otter`` writes a master notebook in otter-grader's assignment format: per exercise a question
  whose solution is the teachers' cell (the student sees the placeholder), a public test (the
  practice check in graded mode, 0 points) and a hidden test worth the point
  (``course.hidden.rerun``: the student's work re-run on a second problem). Then
  ``otter assign NN_slug.ipynb dist`` makes the student notebook and the autograder.
* ``nbgrader`` writes a source notebook for ``nbgrader generate_assignment``: the solution
  cells, one locked test cell per exercise (public check, hidden re-run), and an
  ``nbgrader_config.py`` whose code stub keeps the placeholder readable.
* ``student`` writes the notebook with its placeholders, no outputs and no solutions, whose
  first cell switches graded mode on: the checks raise, and the course's reference answers
  refuse to run for the student.

Every graded notebook starts with a cell calling ``exercises.graded_mode()``. Only exercise ids
(checked against ``course.hidden.RERUNS``) are written into generated code; the notebooks'
own cells are copied as cells, never pasted into code.

    python -m course.export otter 07 --out dist/ps7       # or nbgrader, student
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .hidden import RERUNS

__all__ = ["Exercise", "main", "nbgrader_source", "otter_master", "student_copy"]

GRADED_CELL = "# graded mode: the checks raise, the reference answers stay hidden\n" + (
    "from course import exercises\nexercises.graded_mode()"
)
NBGRADER_CONFIG = """\
# Written by python -m course.export nbgrader: the student sees the exercise's placeholder,
# followed by this line where the solution was.
c = get_config()  # noqa: F821 (nbgrader's config loader provides get_config)
c.ClearSolutions.code_stub = {"python": "# your answer here"}
"""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a notebook: its id, its cells' positions, its solution code."""

    key: str
    prompt: int | None  # the markdown cell just above the student cell, if any
    student: int
    check: int
    solution: str


def _jupytext() -> Any:
    try:
        import jupytext
    except ImportError:  # pragma: no cover - the grading extra installs it
        sys.exit("course.export needs jupytext: pip install 'backprop-lab[grading]'")
    return jupytext


def source_of(stem: str, notebooks: Path) -> Path:
    """The jupytext source whose name starts with ``stem`` (``07`` or ``07_backprop_by_hand``)."""
    found = sorted(notebooks.glob(f"{stem}*.py"))
    found = [p for p in found if re.fullmatch(r"\d\d_\w+", p.stem)]
    if len(found) != 1:
        raise SystemExit(f"{stem!r} names {len(found)} notebooks in {notebooks}, not one")
    return found[0]


def read(source: Path) -> tuple[Any, list[Exercise]]:
    """The notebook of ``source`` (no outputs) and its exercises with their solutions."""
    jupytext = _jupytext()
    notebook = jupytext.read(source)
    solutions: dict[str, str] = {}
    solution_file = source.parent / "solutions" / source.name
    for cell in jupytext.read(solution_file).cells:
        if "solution" in cell.metadata:
            solutions[str(cell.metadata["solution"])] = cell.source
    cells = notebook.cells
    found = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "exercise" not in cell.metadata:
            continue
        key = str(cell.metadata["exercise"])
        if key not in RERUNS or key not in solutions:
            raise SystemExit(f"exercise {key} of {source.name} has no hidden test or solution")
        check = next(j for j in range(i + 1, len(cells)) if cells[j].cell_type == "code")
        prompt = i - 1 if i > 0 and cells[i - 1].cell_type == "markdown" else None
        found.append(Exercise(key, prompt, i, check, solutions[key]))
    return notebook, found


def _cell(kind: str, source: str, **metadata: Any) -> Any:
    from nbformat import v4

    make = {"code": v4.new_code_cell, "markdown": v4.new_markdown_cell, "raw": v4.new_raw_cell}
    cell = make[kind](source)  # type: ignore[no-untyped-call]  # nbformat is not annotated
    cell.metadata.update(metadata)
    return cell


def _new_notebook(notebook: Any, cells: list[Any]) -> Any:
    from nbformat import v4

    out = v4.new_notebook(cells=cells)  # type: ignore[no-untyped-call]  # nbformat: no annotations
    out.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}  # fmt: skip
    return out


def _plain(cell: Any) -> Any:
    """A copy of a notebook cell without outputs and without the exercise metadata."""
    kind = cell.cell_type
    return _cell(kind, cell.source)


def _name(key: str) -> str:
    """A question name graders accept: ``7.1`` → ``ex7_1``."""
    return "ex" + key.replace(".", "_")


def _test(function: str, key: str, hidden: bool) -> str:
    """A test function for otter-grader's exception-based format; ``key`` is a checked id."""
    assert key in RERUNS  # only known ids reach generated code
    config = '""" # BEGIN TEST CONFIG\nhidden: true\npoints: 1\n""" # END TEST CONFIG\n'
    public = '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n'
    call = "rerun" if hidden else "check"
    return (config if hidden else public) + (
        f"def {function}(env):\n    from course import hidden\n\n    hidden.{call}({key!r}, env)\n"
    )


def _prompt_block(placeholder: str) -> str:
    """The student's placeholder inside otter's PROMPT markers (a string the solution ignores)."""
    quote = "'''" if '"""' in placeholder else '"""'
    if quote in placeholder:
        raise SystemExit("a placeholder holds both kinds of triple quotes")
    return f"{quote} # BEGIN PROMPT\n{placeholder.rstrip()}\n{quote}; # END PROMPT"


def otter_master(source: Path) -> Any:
    """The otter-grader master notebook (assignment format v1) of the notebook ``source``."""
    notebook, exercises = read(source)
    config = {
        "name": source.stem,
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": False,
        "generate": {"pdf": False, "show_stdout": True, "show_hidden": True},
        "tests": {"files": False, "ok_format": False},
    }
    cells: list[Any] = [
        _cell("raw", "# ASSIGNMENT CONFIG\n" + json.dumps(config, indent=2)),
        _cell("code", GRADED_CELL),
    ]
    by_student = {e.student: e for e in exercises}
    skip = {e.check for e in exercises} | {e.prompt for e in exercises if e.prompt is not None}
    for i, cell in enumerate(notebook.cells):
        if i in skip:
            continue
        exercise = by_student.get(i)
        if exercise is None:
            cells.append(_plain(cell))
            continue
        cells.append(_cell("raw", f"# BEGIN QUESTION\nname: {_name(exercise.key)}\npoints: 1"))
        if exercise.prompt is not None:
            cells.append(_plain(notebook.cells[exercise.prompt]))
        cells += [
            _cell("raw", "# BEGIN SOLUTION"),
            _cell(
                "code",
                "# BEGIN SOLUTION NO PROMPT\n"
                + exercise.solution.rstrip()
                + "\n# END SOLUTION\n"
                + _prompt_block(cell.source),
            ),
            _cell("raw", "# END SOLUTION"),
            _cell("raw", "# BEGIN TESTS"),
            _cell("code", _test("test_on_this_problem", exercise.key, hidden=False)),
            _cell("code", _test("test_rerun_on_a_second_problem", exercise.key, hidden=True)),
            _cell("raw", "# END TESTS"),
            _cell("raw", "# END QUESTION"),
        ]
    return _new_notebook(notebook, cells)


def nbgrader_source(source: Path) -> Any:
    """The nbgrader source notebook of ``source``: solutions and locked test cells."""
    notebook, exercises = read(source)

    def meta(grade_id: str, **flags: Any) -> dict[str, Any]:
        base = {"grade": False, "solution": False, "locked": False, "schema_version": 3}
        return {"nbgrader": {**base, "grade_id": grade_id, **flags}}

    cells: list[Any] = [_cell("code", GRADED_CELL, **meta("graded_mode", locked=True))]
    by_student = {e.student: e for e in exercises}
    checks = {e.check: e for e in exercises}
    for i, cell in enumerate(notebook.cells):
        exercise = by_student.get(i)
        if exercise is not None:
            code = (
                cell.source.rstrip()
                + "\n### BEGIN SOLUTION\n"
                + exercise.solution.rstrip()
                + "\n### END SOLUTION"
            )
            cells.append(_cell("code", code, **meta(_name(exercise.key), solution=True)))
        elif i in checks:
            key = checks[i].key
            assert key in RERUNS  # only known ids reach generated code
            test = (
                "from course import hidden\n\n"
                f"hidden.check({key!r}, globals())\n"
                "### BEGIN HIDDEN TESTS\n"
                f"hidden.rerun({key!r}, globals())\n"
                "### END HIDDEN TESTS"
            )
            grade = meta(f"test_{_name(key)}", grade=True, locked=True, points=1)
            cells.append(_cell("code", test, **grade))
        else:
            cells.append(_plain(cell))
    return _new_notebook(notebook, cells)


def student_copy(source: Path) -> Any:
    """The notebook as a student gets it for marks: placeholders, no outputs, graded mode on."""
    notebook, _ = read(source)
    return _new_notebook(
        notebook, [_cell("code", GRADED_CELL)] + [_plain(c) for c in notebook.cells]
    )


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m course.export {otter,nbgrader,student} NN ... --out DIR``."""
    import nbformat

    parser = argparse.ArgumentParser(
        prog="python -m course.export", description=__doc__.split("\n")[0]
    )
    parser.add_argument("kind", choices=["otter", "nbgrader", "student"])
    parser.add_argument("notebooks", nargs="+", help="notebook numbers or names, e.g. 07")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write into")
    parser.add_argument("--sources", type=Path, default=Path("notebooks"),
                        help="the folder of the jupytext sources (default: notebooks)")  # fmt: skip
    args = parser.parse_args(argv)
    make = {"otter": otter_master, "nbgrader": nbgrader_source, "student": student_copy}
    args.out.mkdir(parents=True, exist_ok=True)
    for stem in args.notebooks:
        source = source_of(stem, args.sources)
        target = args.out / f"{source.stem}.ipynb"
        nbformat.write(make[args.kind](source), target)  # type: ignore[no-untyped-call]
        print(f"wrote {target}")
    if args.kind == "nbgrader":
        (args.out / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
        print(f"wrote {args.out / 'nbgrader_config.py'}")


if __name__ == "__main__":
    main()
