"""Notebook 12's exercises: a second derivative, a Newton step, the best fixed learning rate.

Each check prints exactly one line: ``exercise <id>: correct``, ``exercise <id>: not yet``
while the placeholder ``...`` is still there, or ``exercise <id>: wrong: <hint>``. The right
answers come from ``autodiff.grad`` and ``autodiff.hessian``, not from stored numbers, and a
hint never prints the right answer.

12.1 and 12.2 use ``g(x) = x³ − 3x`` at ``x = 2``; 12.3 the valley of notebook 03,
``y = x₀² + x₀x₁ + 3x₁² − 4x₀ − 2x₁``.
"""

from __future__ import annotations

import math

from autodiff import Value, grad, hessian

__all__ = ["best_learning_rate", "newton_step", "second_derivative"]


def _slopes_of_g(at: float) -> tuple[float, float, float]:
    """``g(at)``, ``g'(at)``, ``g''(at)`` for ``g(x) = x³ − 3x``, from the engine."""
    x = Value(at, label="x")
    g = x**3 - 3 * x
    first = grad(g, x)
    return g.data, first.data, grad(first, x).data


def _curvatures() -> tuple[float, float]:
    """The smallest and largest eigenvalue of the valley's Hessian (the same everywhere)."""
    x0, x1 = Value(0.0, label="x0"), Value(0.0, label="x1")
    y = x0 * x0 + x0 * x1 + 3 * x1 * x1 - 4 * x0 - 2 * x1
    (a, b), (_, d) = ([h.data for h in row] for row in hessian(y, [x0, x1]))
    # eigenvalues of the symmetric [[a, b], [b, d]]: mean ± the half-gap
    mean, half_gap = (a + d) / 2, math.sqrt(((a - d) / 2) ** 2 + b * b)
    return mean - half_gap, mean + half_gap


def _number(answer: object, exercise: str, name: str) -> float | None:
    """``answer`` as a float, or ``None`` after printing why it is not one yet."""
    if answer is Ellipsis:
        print(f"exercise {exercise}: not yet (replace the ... in {name} with your answer)")
        return None
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        extra = " (use .data for a Value)" if isinstance(answer, Value) else ""
        print(
            f"exercise {exercise}: wrong: {name} should be a number, got "
            f"{type(answer).__name__}{extra}"
        )
        return None
    if not math.isfinite(answer):
        print(f"exercise {exercise}: wrong: {name} is {answer}, not a finite number")
        return None
    return float(answer)


def _judge(
    exercise: str, answer: float, expected: float, note: str, mistakes: list[tuple[float, str]]
) -> None:
    """Print the one verdict line: correct, a known mistake's hint, or how far off it is."""
    if math.isclose(answer, expected, rel_tol=1e-6, abs_tol=1e-9):
        print(f"exercise {exercise}: correct ({note})")
        return
    for value, hint in mistakes:
        if math.isclose(answer, value, rel_tol=1e-6, abs_tol=1e-9):
            print(f"exercise {exercise}: wrong: {hint}")
            return
    direction = "large" if answer > expected else "small"
    print(f"exercise {exercise}: wrong: your number is too {direction}")


def second_derivative(my_second_derivative: object) -> None:
    """Exercise 12.1: ``g''(2)`` for ``g(x) = x³ − 3x``."""
    answer = _number(my_second_derivative, "12.1", "my_second_derivative")
    if answer is None:
        return
    g, slope, curvature = _slopes_of_g(2.0)
    _judge(
        "12.1",
        answer,
        curvature,
        f"g″(2) = {curvature:g}: g″(x) = 6x",
        [
            (slope, "that is g′(2), the slope; differentiate once more"),
            (g, "that is g(2), the height of the curve"),
            (3 * 2.0, "d/dx 3x² is 6x, not 3x"),
        ],
    )


def newton_step(my_newton_x: object) -> None:
    """Exercise 12.2: one Newton step ``x ← x − g'(x)/g''(x)`` from ``x = 2``."""
    answer = _number(my_newton_x, "12.2", "my_newton_x")
    if answer is None:
        return
    _, slope, curvature = _slopes_of_g(2.0)
    expected = 2.0 - slope / curvature
    _judge(
        "12.2",
        answer,
        expected,
        f"x moves from 2 to {expected:g}; the minimum is at 1",
        [
            (2.0 + slope / curvature, "that step goes uphill: subtract g′/g″"),
            (2.0 - curvature / slope, "the step is g′/g″ (slope over curvature), not g″/g′"),
            (
                2.0 - 0.1 * slope,
                "that is a gradient-descent step with η = 0.1; Newton uses η = 1/g″",
            ),
            (-slope / curvature, "that is the step alone: add it to x = 2"),
        ],
    )


def best_learning_rate(my_best_eta: object) -> None:
    """Exercise 12.3: the fixed η with the fastest worst direction on notebook 03's valley.

    Along an eigenvector of curvature λ an error shrinks by ``|1 − ηλ|`` per step; the best
    fixed η makes the larger of the two factors smallest, which is where they are equal:
    ``η = 2/(λmin + λmax)``.
    """
    answer = _number(my_best_eta, "12.3", "my_best_eta")
    if answer is None:
        return
    low, high = _curvatures()
    expected = 2.0 / (low + high)
    factor = (high - low) / (high + low)
    _judge(
        "12.3",
        answer,
        expected,
        f"η = {expected:.4g}: both directions shrink by {factor:.3g} per step",
        [
            (
                1.0 / high,
                "1/λmax settles the steep direction in one step, but the flat one then "
                "shrinks very slowly; balance the two factors |1 − ηλ|",
            ),
            (1.0 / low, "1/λmin makes the steep direction diverge: |1 − ηλmax| > 1"),
            (2.0 / high, "2/λmax is the edge of stability: the steep direction never shrinks"),
        ],
    )
