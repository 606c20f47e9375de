"""Graded assignments exported from the notebooks, and graded by the real otter-grader and nbgrader.

The fast tests read the exported notebooks. The slow ones install nothing: they run when the
``grading`` extra (otter-grader, nbgrader) is installed and skip otherwise. They grade notebook
07 three times, answered right, with one typical mistake, and with every answer read off the
course's reference: full marks, partial, none. otter-grader takes about 3 minutes (assign, then
three ``otter run``), nbgrader about 1.5 (generate, then one ``autograde`` of the three).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jupytext
import pytest

from course import export, hidden

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCE = NOTEBOOKS / "07_backprop_by_hand.py"
BIN = Path(sys.executable).parent
CHEATS = [
    'delta_out = exercises.backprop.engine()[1]["L2.N1.z"]',
    'g = exercises.backprop.engine()[1]\ndelta_hidden = [g["L1.N1.z"], g["L1.N2.z"]]',
    "delta_w = {k: -0.5 * v for k, v in exercises.backprop.engine()[2].items()}",
]


def _solutions(kind: str) -> dict[str, str]:
    cells = jupytext.read(NOTEBOOKS / "solutions" / SOURCE.name).cells
    return {str(c.metadata[kind]): c.source for c in cells if kind in c.metadata}


def _three_submissions() -> dict[str, list[str]]:
    """The answers (7.1, 7.2, 7.3) of the three students: right, one mistake, the reference."""
    right, wrong = _solutions("solution"), _solutions("wrong")
    return {
        "right": [right["7.1"], right["7.2"], right["7.3"]],
        "wrong": [wrong["7.1"], right["7.2"], right["7.3"]],
        "cheat": CHEATS,
    }


def _code(notebook: Any) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def test_student_copy_has_no_solution_and_starts_graded() -> None:
    """The student copy holds the placeholders, none of the solutions, and turns graded mode on."""
    copy = export.student_copy(SOURCE)
    assert copy.cells[0].source == export.GRADED_CELL
    code = _code(copy)
    assert "delta_out = ...\n" in code + "\n"
    for solution in _solutions("solution").values():
        assert solution.strip() not in code
    assert all(not c.get("outputs") for c in copy.cells if c.cell_type == "code")


def test_otter_master_has_a_question_per_exercise() -> None:
    """One question per exercise, each with its solution, a public and a hidden test."""
    master = export.otter_master(SOURCE)
    raw = [c.source for c in master.cells if c.cell_type == "raw"]
    assert raw[0].startswith("# ASSIGNMENT CONFIG")
    assert [r for r in raw if r.startswith("# BEGIN QUESTION")] == [
        f"# BEGIN QUESTION\nname: ex7_{n}\npoints: 1" for n in (1, 2, 3)
    ]
    code = _code(master)
    assert code.count("hidden.rerun(") == 3 and code.count("hidden.check(") == 3
    assert "exercises.backprop.output_delta(delta_out)" not in code  # the practice check is gone


def test_nbgrader_source_locks_its_tests() -> None:
    """nbgrader's metadata: solution cells, locked grade cells with a hidden part."""
    source = export.nbgrader_source(SOURCE)
    grades = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.metadata["nbgrader"]["grade_id"] for c in grades] == [
        "test_ex7_1",
        "test_ex7_2",
        "test_ex7_3",
    ]
    assert all(c.metadata["nbgrader"]["locked"] for c in grades)
    assert all("### BEGIN HIDDEN TESTS" in c.source for c in grades)


def test_only_known_ids_reach_generated_code() -> None:
    """An exercise id outside the hidden tests' table is refused before any code is written."""
    with pytest.raises(AssertionError):
        export._test("test_x", "7.1'); import os; ('", hidden=True)
    assert set(hidden.RERUNS) >= {"7.1", "7.2", "7.3"}


def test_command_line_writes_the_three_kinds(tmp_path: Path) -> None:
    """python -m course.export writes one notebook per kind (nbgrader: its config too)."""
    for kind in ("otter", "nbgrader", "student"):
        export.main([kind, "07", "--out", str(tmp_path / kind), "--sources", str(NOTEBOOKS)])
        assert (tmp_path / kind / "07_backprop_by_hand.ipynb").is_file()
    assert (tmp_path / "nbgrader" / "nbgrader_config.py").is_file()


# --- the real tools ------------------------------------------------------------------------


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _environment(tmp_path: Path) -> dict[str, str]:
    """The tools' environment: this venv first on PATH, every Jupyter folder in ``tmp_path``."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("TMPDIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR",
                 "IPYTHONDIR"):  # fmt: skip
        folder = tmp_path / name.lower()
        folder.mkdir(exist_ok=True)
        env[name] = str(folder)
    env.pop("BACKPROP_LAB_MODE", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def _fill(notebook_path: Path, answers: list[str], is_answer: Any, target: Path) -> None:
    """A copy of the handed-out notebook with the answer cells replaced by ``answers``."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if is_answer(c)]
    assert len(cells) == len(answers)
    for cell, answer in zip(cells, answers):
        cell["source"] = answer
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook), encoding="utf-8")


@pytest.mark.skipif(
    not (_installed("otter") and shutil.which("otter", path=str(BIN))),
    reason="otter-grader is not installed (pip install 'backprop-lab[grading]')",
)
def test_otter_grader_gives_full_partial_and_no_marks(tmp_path: Path) -> None:
    """otter assign, then otter run on three submissions: 3/3, 2/3 and 0/3 points."""
    env = _environment(tmp_path)
    master = tmp_path / "07_backprop_by_hand.ipynb"
    export.main(["otter", "07", "--out", str(tmp_path), "--sources", str(NOTEBOOKS)])
    _run([str(BIN / "otter"), "assign", master.name, "dist"], tmp_path, env)
    student = tmp_path / "dist" / "student" / master.name
    (autograder,) = (tmp_path / "dist" / "autograder").glob("*.zip")

    def is_answer(cell: dict[str, Any]) -> bool:
        return "otter_answer_cell" in cell["metadata"].get("tags", [])

    scores = {}
    for who, answers in _three_submissions().items():
        submission = tmp_path / who / master.name
        _fill(student, answers, is_answer, submission)
        out = tmp_path / who / "results"
        out.mkdir()
        _run([str(BIN / "otter"), "run", "-a", str(autograder), "-o", str(out), str(submission)],
             tmp_path, env)  # fmt: skip
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        scores[who] = sum(t.get("score") or 0 for t in results["tests"])
    assert scores == {"right": 3, "wrong": 2, "cheat": 0}


@pytest.mark.skipif(
    not (_installed("nbgrader") and shutil.which("nbgrader", path=str(BIN))),
    reason="nbgrader is not installed (pip install 'backprop-lab[grading]')",
)
def test_nbgrader_gives_full_partial_and_no_marks(tmp_path: Path) -> None:
    """nbgrader generate_assignment, then autograde of three submissions: 3, 2 and 0 points."""
    from nbgrader.api import Gradebook

    env = _environment(tmp_path)
    course = tmp_path / "course"
    export.main(["nbgrader", "07", "--out", str(course / "source" / "ps7"),
                 "--sources", str(NOTEBOOKS)])  # fmt: skip
    shutil.move(course / "source" / "ps7" / "nbgrader_config.py", course / "nbgrader_config.py")
    _run([str(BIN / "nbgrader"), "generate_assignment", "ps7"], course, env)
    released = course / "release" / "ps7" / "07_backprop_by_hand.ipynb"

    def is_answer(cell: dict[str, Any]) -> bool:
        return bool((cell["metadata"].get("nbgrader") or {}).get("solution"))

    for who, answers in _three_submissions().items():
        _fill(released, answers, is_answer, course / "submitted" / who / "ps7" / released.name)
    _run([str(BIN / "nbgrader"), "autograde", "ps7", "--create"], course, env)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {who: gradebook.find_submission("ps7", who).score for who in _three_submissions()}
    assert scores == {"right": 3.0, "wrong": 2.0, "cheat": 0.0}
