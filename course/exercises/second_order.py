"""Notebook 12's exercises: a second derivative, a Newton step, the best fixed learning rate.

Each check goes through ``verdict.run`` like every other: one line, ``correct``, ``not yet``
while the placeholder ``...`` is still there, ``close`` or ``wrong: <hint>``. The right answers
come from ``autodiff.grad`` and ``autodiff.hessian``, not from stored numbers, and a hint never
prints the right answer.

12.1 and 12.2 use ``g(x) = x³ − 3x`` at ``x = 2``; 12.3 the valley of notebook 03,
``y = x₀² + x₀x₁ + 3x₁² − 4x₀ − 2x₁``.
"""

from __future__ import annotations

import math

from autodiff import Value, grad, hessian

from . import verdict

__all__ = ["best_learning_rate", "newton_step", "second_derivative"]


@verdict.reference
def _slopes_of_g(at: float) -> tuple[float, float, float]:
    """``g(at)``, ``g'(at)``, ``g''(at)`` for ``g(x) = x³ − 3x``, from the engine."""
    x = Value(at, label="x")
    g = x**3 - 3 * x
    first = grad(g, x)
    return g.data, first.data, grad(first, x).data


@verdict.reference
def _curvatures() -> tuple[float, float]:
    """The smallest and largest eigenvalue of the valley's Hessian (the same everywhere)."""
    x0, x1 = Value(0.0, label="x0"), Value(0.0, label="x1")
    y = x0 * x0 + x0 * x1 + 3 * x1 * x1 - 4 * x0 - 2 * x1
    (a, b), (_, d) = ([h.data for h in row] for row in hessian(y, [x0, x1]))
    # eigenvalues of the symmetric [[a, b], [b, d]]: mean ± the half-gap
    mean, half_gap = (a + d) / 2, math.sqrt(((a - d) / 2) ** 2 + b * b)
    return mean - half_gap, mean + half_gap


def second_derivative(my_second_derivative: object) -> None:
    """Exercise 12.1: ``g''(2)`` for ``g(x) = x³ − 3x``."""

    def judge() -> str:
        answer = verdict.number(my_second_derivative, "my_second_derivative")
        g, slope, curvature = _slopes_of_g(2.0)
        verdict.expect(
            answer,
            curvature,
            "my_second_derivative",
            (slope, "that is g′(2), the slope; differentiate once more"),
            (g, "that is g(2), the height of the curve"),
            (3 * 2.0, "d/dx 3x² is 6x, not 3x"),
        )
        return f"g″(2) = {curvature:g}: g″(x) = 6x"

    verdict.run("12.1", judge)


def newton_step(my_newton_x: object) -> None:
    """Exercise 12.2: one Newton step ``x ← x − g'(x)/g''(x)`` from ``x = 2``."""

    def judge() -> str:
        answer = verdict.number(my_newton_x, "my_newton_x")
        _, slope, curvature = _slopes_of_g(2.0)
        expected = 2.0 - slope / curvature
        verdict.expect(
            answer,
            expected,
            "my_newton_x",
            (2.0 + slope / curvature, "that step goes uphill: subtract g′/g″"),
            (2.0 - curvature / slope, "the step is g′/g″ (slope over curvature), not g″/g′"),
            (
                2.0 - 0.1 * slope,
                "that is a gradient-descent step with η = 0.1; Newton uses η = 1/g″",
            ),
            (-slope / curvature, "that is the step alone: add it to x = 2"),
        )
        return f"x moves from 2 to {expected:g}; the minimum is at 1"

    verdict.run("12.2", judge)


def best_learning_rate(my_best_eta: object) -> None:
    """Exercise 12.3: the fixed η with the fastest worst direction on notebook 03's valley.

    Along an eigenvector of curvature λ an error shrinks by ``|1 − ηλ|`` per step; the best
    fixed η makes the larger of the two factors smallest, which is where they are equal:
    ``η = 2/(λmin + λmax)``.
    """

    def judge() -> str:
        answer = verdict.number(my_best_eta, "my_best_eta")
        low, high = _curvatures()
        expected = 2.0 / (low + high)
        factor = (high - low) / (high + low)
        verdict.expect(
            answer,
            expected,
            "my_best_eta",
            (
                1.0 / high,
                "1/λmax settles the steep direction in one step, but the flat one then "
                "shrinks very slowly; balance the two factors |1 − ηλ|",
            ),
            (1.0 / low, "1/λmin makes the steep direction diverge: |1 − ηλmax| > 1"),
            (2.0 / high, "2/λmax is the edge of stability: the steep direction never shrinks"),
        )
        return f"η = {expected:.4g}: both directions shrink by {factor:.3g} per step"

    verdict.run("12.3", judge)
