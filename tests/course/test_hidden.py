"""Hidden tests re-run the student's work on a second problem: shortcuts fail, real work passes.

The notebook's kernel is imitated by a namespace holding the notebook's variables and ``In``,
the input history a Jupyter kernel keeps; the answer cells are the teachers' solutions.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jupytext
import pytest

from course import exercises, hidden
from course.exercises import backprop, stopping, verdict
from nn.module import MLP
from nn.train import History

SOLUTIONS = Path(__file__).resolve().parents[2] / "notebooks" / "solutions"


@pytest.fixture(autouse=True)
def practice_again(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """rerun() switches graded mode on for good: undo it after each test."""
    monkeypatch.setattr(verdict, "_graded", False)
    yield


def _solution(stem: str, key: str, kind: str = "solution") -> str:
    for cell in jupytext.read(SOLUTIONS / f"{stem}.py").cells:
        if str(cell.metadata.get(kind)) == key:
            return str(cell.source)
    raise KeyError(key)


def _kernel(*cells: str, **variables: Any) -> dict[str, Any]:
    """A notebook namespace after running ``cells`` in order, with ``In`` as a kernel keeps it."""
    env: dict[str, Any] = {"math": math, "exercises": exercises, **variables}
    env["In"] = ["", *cells]
    for source in cells:
        exec(source, env)
    return env


def _network_one() -> dict[str, Any]:
    return {"W_ex": dict(backprop.WEIGHTS), "x_ex": backprop.X, "d_ex": backprop.D,
            "alpha_ex": backprop.ALPHA}  # fmt: skip


@pytest.mark.parametrize("key", ["7.1", "7.2", "7.3"])
def test_backprop_by_hand_passes_on_the_second_network(key: str) -> None:
    """The teachers' solution cell, re-run on the second network, is right there too."""
    env = _kernel(_solution("07_backprop_by_hand", key), **_network_one())
    hidden.rerun(key, env)


@pytest.mark.parametrize("key", ["7.1", "7.2", "7.3"])
def test_the_typical_mistake_fails_the_hidden_test(key: str) -> None:
    """The typical mistake of each exercise is still wrong on the second network."""
    env = _kernel(_solution("07_backprop_by_hand", key, "wrong"), **_network_one())
    with pytest.raises(AssertionError, match=f"exercise {key}: wrong"):
        hidden.rerun(key, env)


def test_numbers_typed_in_fail_the_hidden_test() -> None:
    """The right δ of the notebook's network, typed in as a number, is wrong on the second."""
    with verdict.second_problem():
        pass
    _, grads, _ = backprop.engine()
    env = _kernel(f"delta_out = {grads['L2.N1.z']!r}", **_network_one())
    with pytest.raises(AssertionError, match="second problem"):
        hidden.rerun("7.1", env)


def test_importing_the_reference_fails_the_hidden_test() -> None:
    """delta_out read off exercises.backprop.engine() works in practice, not in the hidden test."""
    cell = 'delta_out = exercises.backprop.engine()[1]["L2.N1.z"]'
    env = _kernel(cell, **_network_one())
    exercises.backprop.output_delta(env["delta_out"])  # practice mode: the shortcut passes
    with pytest.raises(AssertionError, match="reference answer"):
        hidden.rerun("7.1", env)


def test_the_patience_rule_is_run_on_other_curves() -> None:
    """9.1: the student's function passes; the course's own rule does not."""
    hidden.rerun("9.1", _kernel(_solution("09_when_to_stop", "9.1")))
    with pytest.raises(AssertionError, match="course's own function"):
        hidden.rerun("9.1", {"stop_epoch": stopping.rule})


def test_reading_the_stopped_run_fails_the_hidden_test() -> None:
    """9.2: counting on full.val_loss passes on the second run; reading `impatient` fails."""
    curve = [1.0, 0.5] + [0.6] * 20 + [0.2]
    full = History(loss=curve, val_loss=curve)
    impatient = History(loss=curve[:22], val_loss=curve[:22], best_epoch=2)
    notebook = {"full": full, "impatient": impatient}
    hidden.rerun("9.2", _kernel(_solution("09_when_to_stop", "9.2"), **notebook))
    cheat = "my_prediction = (impatient.best_epoch, impatient.epochs)"
    with pytest.raises(AssertionError, match=r"exercise 9.2: wrong"):
        hidden.rerun("9.2", _kernel(cheat, **notebook))


def test_counting_the_notebooks_model_fails_the_hidden_test() -> None:
    """10.1: the count by hand passes; len(model.parameters()) does not carry over."""
    model = MLP(2, [16, 16, 1], seed=0)
    hidden.rerun("10.1", _kernel(_solution("10_mlp_two_moons", "10.1"), model=model))
    with pytest.raises(AssertionError, match=r"exercise 10.1: wrong"):
        hidden.rerun("10.1", _kernel("my_count = len(model.parameters())", model=model))


def test_without_history_the_hidden_test_says_why() -> None:
    """Outside a Jupyter kernel there is no `In`: the test fails with the reason."""
    with pytest.raises(AssertionError, match="Jupyter kernel"):
        hidden.rerun("7.1", {"delta_out": 0.1})


def test_every_exercise_has_a_rerun() -> None:
    """Every exercise id of the notebooks has its hidden test."""
    ids = set()
    for source in sorted((SOLUTIONS.parent).glob("[0-9][0-9]_*.py")):
        for cell in jupytext.read(source).cells:
            if "exercise" in cell.metadata:
                ids.add(str(cell.metadata["exercise"]))
    assert ids == set(hidden.RERUNS)
