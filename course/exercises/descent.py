"""Notebooks 02 and 03's exercises: slopes, one gradient-descent step, a learning rate that works.

02 uses g(x) = x³ − 3x at x = 2 with η = 0.1. 03 uses the notebook's surface
y = x₀² + x₀x₁ + 3x₁² − 4x₀ − 2x₁ (minimum at (2, 0)). The right answers come from the
engine's ``backward()``.
"""

from __future__ import annotations

import math

from autodiff import Value

from . import verdict

ETA = 0.1


@verdict.reference
def _g_slope(x0: float) -> float:
    x = Value(x0)
    (x**3 - 3 * x).backward()
    return x.grad


def slope_at_2(my_slope_at_2: object) -> None:
    """Exercise 2.1: g′(2) for g(x) = x³ − 3x."""

    def judge() -> str:
        answer = verdict.number(my_slope_at_2, "my_slope_at_2")
        expected = _g_slope(2.0)
        verdict.expect(
            answer,
            expected,
            "my_slope_at_2",
            (2.0**3 - 3 * 2.0, "that is g(2), the height of the curve; the slope is g′(2)"),
            (3 * 2.0**2, "the −3x term has a slope too: d/dx(−3x) = −3"),
            (2.0**2 - 3, "d/dx x³ = 3x², not x²"),
        )
        return f"g′(2) = {expected:g}"

    verdict.run("2.1", judge)


def one_step(my_next_x: object) -> None:
    """Exercise 2.2: one step of x ← x − η g′(x) from x = 2 with η = 0.1."""

    def judge() -> str:
        answer = verdict.number(my_next_x, "my_next_x")
        slope = _g_slope(2.0)
        expected = 2.0 - ETA * slope
        verdict.expect(
            answer,
            expected,
            "my_next_x",
            (2.0 + ETA * slope, "that step goes uphill: subtract η·g′(x), do not add it"),
            (2.0 - slope, "the step is η·g′(x): multiply the slope by η = 0.1"),
            (-ETA * slope, "that is the step −η·g′(x) alone: add it to x = 2"),
        )
        return f"x moves from 2 to {expected:g}, downhill"

    verdict.run("2.2", judge)


def surface(x0: Value | float, x1: Value | float) -> Value | float:
    """The notebook-03 valley y = x₀² + x₀x₁ + 3x₁² − 4x₀ − 2x₁."""
    return x0 * x0 + x0 * x1 + 3 * x1 * x1 - 4 * x0 - 2 * x1


@verdict.reference
def _gradient(a: float, b: float) -> tuple[float, float]:
    p, q = Value(a), Value(b)
    out = surface(p, q)
    assert isinstance(out, Value)
    out.backward()
    return p.grad, q.grad


def gradient_at(my_gradient: object) -> None:
    """Exercise 3.1: ∇y = (∂y/∂x₀, ∂y/∂x₁) at (x₀, x₁) = (1, −1)."""

    def judge() -> str:
        g0, g1 = verdict.numbers(my_gradient, "my_gradient", 2)
        e0, e1 = _gradient(1.0, -1.0)
        if verdict.same(g0, e1) and verdict.same(g1, e0):
            raise verdict.Wrong("the two partials are swapped: ∂y/∂x₀ comes first")
        verdict.expect(
            g0, e0, "∂y/∂x₀ (my_gradient[0])", (2 * 1.0 - 4, "∂(x₀x₁)/∂x₀ = x₁ is missing")
        )
        verdict.expect(
            g1, e1, "∂y/∂x₁ (my_gradient[1])", (6 * -1.0 - 2, "∂(x₀x₁)/∂x₁ = x₀ is missing")
        )
        return f"∇y(1, −1) = ({e0:g}, {e1:g})"

    verdict.run("3.1", judge)


def next_point(my_next_point: object) -> None:
    """Exercise 3.2: the point after one step (x₀, x₁) − η∇y from (1, −1), η = 0.1."""

    def judge() -> str:
        n0, n1 = verdict.numbers(my_next_point, "my_next_point", 2)
        e0, e1 = _gradient(1.0, -1.0)
        want = (1.0 - ETA * e0, -1.0 - ETA * e1)
        uphill = (1.0 + ETA * e0, -1.0 + ETA * e1)
        if verdict.same(n0, uphill[0]) and verdict.same(n1, uphill[1]):
            raise verdict.Wrong("that step goes uphill: subtract η∇y from the point")
        verdict.expect(n0, want[0], "the new x₀ (my_next_point[0])")
        verdict.expect(n1, want[1], "the new x₁ (my_next_point[1])")
        return f"the step lands at ({want[0]:g}, {want[1]:g}), lower on the surface"

    verdict.run("3.2", judge)


START = (-1.5, 1.6)
MINIMUM = (2.0, 0.0)
STEPS = 15
CLOSE = 0.01


@verdict.reference
def _distance_after(eta: float) -> float:
    """Distance from the minimum after ``STEPS`` steps from ``START`` (inf if it blew up)."""
    p, q = Value(START[0]), Value(START[1])
    for _ in range(STEPS):
        p.grad = q.grad = 0.0
        out = surface(p, q)
        assert isinstance(out, Value)
        out.backward()
        p.data -= eta * p.grad
        q.data -= eta * q.grad
        if not (math.isfinite(p.data) and math.isfinite(q.data)) or abs(p.data) > 1e12:
            return math.inf
    return math.hypot(p.data - MINIMUM[0], q.data - MINIMUM[1])


def learning_rate(my_eta: object) -> None:
    """Exercise 3.3: an η with which 15 steps from (−1.5, 1.6) end within 0.01 of (2, 0)."""

    def judge() -> str:
        eta = verdict.number(my_eta, "my_eta")
        if eta <= 0:
            raise verdict.Wrong(
                f"η = {eta:g} {'never moves' if eta == 0 else 'walks uphill'}: it must be positive"
            )
        start = math.hypot(START[0] - MINIMUM[0], START[1] - MINIMUM[1])
        end = _distance_after(eta)
        if end <= CLOSE:
            return f"η = {eta:g} ends {end:.1e} from the minimum after {STEPS} steps"
        if not math.isfinite(end) or end > start:
            raise verdict.Wrong(
                f"η = {eta:g} diverges: every step overshoots the steep x₁ direction by more "
                "than it corrects; take a smaller η"
            )
        # Which way to move: whichever neighbour of η ends nearer the minimum.
        direction = (
            "larger" if _distance_after(eta * 1.1) < _distance_after(eta / 1.1) else "smaller"
        )
        why = (
            "the steps are too short to cross the flat floor of the valley"
            if direction == "larger"
            else "it zig-zags across the narrow x₁ direction"
        )
        raise verdict.Wrong(
            f"after {STEPS} steps η = {eta:g} is still {end:.2g} from the minimum ({why}); "
            f"try a {direction} η"
        )

    verdict.run("3.3", judge)
