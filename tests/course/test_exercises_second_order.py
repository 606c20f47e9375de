"""Notebook 12's exercise checks print one verdict line each, and can say wrong."""

from __future__ import annotations

import pytest

from course.exercises import second_order


@pytest.mark.parametrize(
    ("check", "right", "mistakes"),
    [
        (second_order.second_derivative, 12.0, [9.0, 2.0, 6.0, 0.0]),
        (second_order.newton_step, 1.25, [2.75, 2 - 12 / 9, 1.1, 0.0]),
        (second_order.best_learning_rate, 0.25, [0.3, 0.1, 0.0]),
    ],
)
def test_verdicts(
    check: object, right: float, mistakes: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    """The right number is correct, the placeholder not yet, each typical mistake wrong."""
    answers = [right, ..., "twelve", *mistakes]
    for answer in answers:
        check(answer)  # type: ignore[operator]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(answers)
    assert ": correct" in lines[0]
    assert ": not yet" in lines[1]
    assert all(": wrong: " in line for line in lines[2:]), lines
    assert all(line.startswith("exercise 12.") for line in lines)
