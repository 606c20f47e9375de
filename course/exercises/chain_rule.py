"""Notebook 04's exercises: ∂F/∂x and ∂F/∂y of F = (x·y + y)² at x = 2, y = −1, by hand.

With q = x·y + y: F = q², ∂F/∂q = 2q, ∂q/∂x = y, and y reaches q along two paths
(through x·y and directly), so ∂q/∂y = x + 1. The right answers come from ``backward()``.
"""

from __future__ import annotations

from autodiff import Value

from . import verdict

X, Y = 2.0, -1.0


@verdict.reference
def _engine() -> tuple[float, float]:
    x, y = Value(X), Value(Y)
    ((x * y + y) ** 2).backward()
    return x.grad, y.grad


def d_by_dx(my_dF_dx: object) -> None:
    """Exercise 4.1: ∂F/∂x = ∂F/∂q · ∂q/∂x."""

    def judge() -> str:
        answer = verdict.number(my_dF_dx, "my_dF_dx")
        expected, _ = _engine()
        q = X * Y + Y
        verdict.expect(
            answer,
            expected,
            "my_dF_dx",
            (2 * q, "that is ∂F/∂q alone; multiply by ∂q/∂x = y"),
            (q * Y, "∂(q²)/∂q = 2q, not q"),
            (2 * q * X, "∂q/∂x is y (the factor next to x), not x"),
        )
        return f"∂F/∂x = {expected:g}"

    verdict.run("4.1", judge)


def d_by_dy(my_dF_dy: object) -> None:
    """Exercise 4.2: ∂F/∂y, summed over both paths from y into q."""

    def judge() -> str:
        answer = verdict.number(my_dF_dy, "my_dF_dy")
        _, expected = _engine()
        q = X * Y + Y
        verdict.expect(
            answer,
            expected,
            "my_dF_dy",
            (
                2 * q * X,
                "only the path through x·y; y also enters q directly (the + y): add that path",
            ),
            (
                2 * q,
                "you followed only the direct path (+y); y also enters q through x·y: add 2q·x",
            ),
            (2 * q * Y, "∂(x·y)/∂y is x, not y"),
        )
        return f"∂F/∂y = {expected:g}: the two paths through y add up"

    verdict.run("4.2", judge)
