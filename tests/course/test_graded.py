"""Graded mode: a check that is not passed raises, and the course's references refuse to help.

Practice mode only prints (a student may read how a check works, even call its reference);
graded mode is what a teacher's test cell runs: the same line, then ``AssertionError``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from course.exercises import (
    backprop,
    batches,
    chain_rule,
    descent,
    losses,
    perceptron,
    second_order,
    stopping,
    verdict,
)


@pytest.fixture
def graded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This test runs in graded mode (the switch is one-way, so it is patched, not called)."""
    monkeypatch.setattr(verdict, "_graded", True)
    yield


def _right_mse() -> float:
    e = [d - y for d, y in zip(losses.DESIRED, losses.PREDICTIONS)]
    return sum(x * x for x in e) / len(e)


def test_practice_mode_prints_and_returns(capsys: pytest.CaptureFixture[str]) -> None:
    """In practice mode a wrong answer prints its line and raises nothing."""
    assert losses.mse_by_hand(0.5) is None  # type: ignore[func-returns-value]
    assert capsys.readouterr().out.startswith("exercise 1.1: wrong: ")


@pytest.mark.usefixtures("graded")
def test_graded_mode_raises_with_the_hint(capsys: pytest.CaptureFixture[str]) -> None:
    """Wrong, close and not yet raise AssertionError carrying the line; correct does not."""
    with pytest.raises(AssertionError, match=r"exercise 1.1: wrong: .*sum of the squares"):
        losses.mse_by_hand(sum((d - y) ** 2 for d, y in zip(losses.DESIRED, losses.PREDICTIONS)))
    with pytest.raises(AssertionError, match="close: keep more digits"):
        losses.mse_by_hand(0.043)
    with pytest.raises(AssertionError, match="not yet"):
        losses.mse_by_hand(...)
    losses.mse_by_hand(_right_mse())
    losses.mse_by_hand(0.0433)  # right to 3 digits: a pass
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "exercise 1.1: correct (MSE = 0.0433, as nn.mse says)",
        "exercise 1.1: correct, to 3 digits (MSE = 0.0433, as nn.mse says)",
    ]


def test_references_answer_in_practice_mode() -> None:
    """A curious student may call the reference in practice mode: it is the course's oracle."""
    _, grads, _ = backprop.engine()
    assert grads["L2.N1.z"] > 0
    assert stopping.rule([1.0, 0.5, 0.6, 0.7], 2) == (2, 4)


@pytest.mark.usefixtures("graded")
def test_references_refuse_the_student_in_graded_mode(capsys: pytest.CaptureFixture[str]) -> None:
    """engine() and rule raise for code outside the course; the checks still use them."""
    with pytest.raises(verdict.ReferenceHidden):
        backprop.engine()
    with pytest.raises(verdict.ReferenceHidden):
        stopping.rule([1.0, 0.5], 1)
    assert not hasattr(backprop.engine, "__wrapped__")
    # the check itself may call the reference
    with pytest.raises(AssertionError, match="wrong"):
        backprop.output_delta(0.5)


@pytest.mark.usefixtures("graded")
def test_returning_the_reference_function_fails_in_graded_mode(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """9.1 given stopping.rule itself, or a lambda calling it, is wrong in graded mode."""
    with pytest.raises(AssertionError, match="course's own function"):
        stopping.stop_epoch(stopping.rule)
    with pytest.raises(AssertionError, match="reference answer"):
        stopping.stop_epoch(lambda v, p: stopping.rule(v, p))


def test_returning_the_reference_function_passes_in_practice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In practice mode the same shortcut works: practice is for learning, not for marks."""
    stopping.stop_epoch(stopping.rule)
    assert capsys.readouterr().out.startswith("exercise 9.1: correct")


def test_second_problem_has_other_answers(capsys: pytest.CaptureFixture[str]) -> None:
    """Inside second_problem the checks judge other numbers: the first network's δ is wrong."""
    _, grads, _ = backprop.engine()
    first = grads["L2.N1.z"]
    with verdict.second_problem():
        _, grads2, _ = backprop.engine()
        backprop.output_delta(first)
        backprop.output_delta(grads2["L2.N1.z"])
        stopping.stop_epoch(lambda v, p: (1, len(v)))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("exercise 7.1: wrong")
    assert lines[1].startswith("exercise 7.1: correct")
    assert lines[2].startswith("exercise 9.1: wrong")
    assert verdict.problem() == 1
    descent.slope_at_2(9)
    assert capsys.readouterr().out.startswith("exercise 2.1: correct")


def test_environment_variable_starts_graded_mode() -> None:
    """BACKPROP_LAB_MODE=graded starts a process in graded mode, and nothing turns it off."""
    code = (
        "from course.exercises import verdict, losses\n"
        "assert verdict.is_graded()\n"
        "try:\n    losses.mse_by_hand(1.0)\nexcept AssertionError:\n    print('raised')\n"
    )
    env = {**os.environ, "BACKPROP_LAB_MODE": "graded"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "raised"


REFERENCES = [
    (backprop.engine, ()),
    (stopping.rule, ([1.0, 0.5], 1)),
    (chain_rule._engine, ()),
    (descent._g_slope, (2.0,)),
    (descent._gradient, (1.0, -1.0)),
    (descent._distance_after, (0.25,)),
    (perceptron._gradient, ()),
    (batches._updates_in_one_epoch, (8,)),
    (second_order._slopes_of_g, (2.0,)),
    (second_order._curvatures, ()),
]


@pytest.mark.usefixtures("graded")
@pytest.mark.parametrize(
    ("reference", "args"), REFERENCES, ids=lambda r: getattr(r, "__qualname__", "")
)
def test_no_reference_answer_is_importable_in_graded_mode(
    reference: Callable[..., object], args: tuple[object, ...]
) -> None:
    """Every function that works out an answer, public or not, refuses the student's code."""
    with pytest.raises(verdict.ReferenceHidden):
        reference(*args)
