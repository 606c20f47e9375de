"""Notebook 06's exercises: the slopes of the sigmoid and of tanh, as functions of z.

The student writes ``sigmoid_slope(z)`` and ``tanh_slope(z)`` from the output-based
formulas σ′ = σ(1 − σ) and tanh′ = 1 − tanh²; the checks compare them with the engine's
``backward()`` at several points.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from autodiff import Value

from . import verdict

POINTS = (-3.0, -0.5, 0.0, 0.5, 1.7)
SECOND_POINTS = (-2.2, -1.0, 0.3, 0.9, 2.6)


def _slopes(
    function: object, name: str, engine: Callable[[Value], Value]
) -> list[tuple[float, float, float]]:
    """(z, the student's slope, the engine's slope) at every point."""
    student = verdict.student_function(function, name)
    rows = []
    for z0 in verdict.pick(POINTS, SECOND_POINTS):
        answer = verdict.number(student(z0), f"{name}({z0:g})")
        z = Value(z0)
        engine(z).backward()
        rows.append((z0, answer, z.grad))
    return rows


def _judge_slopes(
    rows: list[tuple[float, float, float]], name: str, known: dict[str, Callable[[float], float]]
) -> None:
    for z0, answer, expected in rows:
        if verdict.same(answer, expected):
            continue
        for hint, mistake in known.items():
            if all(verdict.same(a, mistake(z)) for z, a, _ in rows):
                raise verdict.Wrong(hint)
        raise verdict.Wrong(f"{name}({z0:g}) {verdict.how_far(answer, expected)}")


def _sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _judge_sigmoid(function: object) -> None:
    """The student's σ(z) against the engine's; the exponent's sign is the mistake to catch.

    With e⁺ᶻ in place of e⁻ᶻ one gets σ(−z) = 1 − σ(z), whose slope σ(−z)(1 − σ(−z)) has
    exactly the same values as σ′(z): only σ itself shows the mistake.
    """
    student = verdict.student_function(function, "sigmoid")
    for z0 in verdict.pick(POINTS, SECOND_POINTS):
        answer = verdict.number(student(z0), f"sigmoid({z0:g})")
        z = Value(z0)
        expected = z.sigmoid().data
        if verdict.same(answer, expected):
            continue
        if all(verdict.same(student(t), _sigma(-t)) for t in verdict.pick(POINTS, SECOND_POINTS)):
            raise verdict.Wrong(
                "sigmoid: the exponent has the wrong sign: σ(z) = 1 / (1 + e⁻ᶻ); yours is "
                "σ(−z) = 1 − σ(z), which falls as z grows (its slope formula gives the same "
                "numbers, which is why the slope alone cannot show it)"
            )
        raise verdict.Wrong(f"sigmoid({z0:g}) {verdict.how_far(answer, expected)}")


def sigmoid_slope(function: object, sigmoid: object) -> None:
    """Exercise 6.1: ``sigmoid(z)`` returns σ(z) and ``function(z)`` σ′(z) = σ(z)(1 − σ(z))."""

    def judge() -> str:
        rows = _slopes(function, "sigmoid_slope", lambda z: z.sigmoid())
        _judge_slopes(
            rows,
            "sigmoid_slope",
            {
                "that is σ(z) itself; its slope is σ(z)(1 − σ(z))": _sigma,
                "the formula uses the output σ(z), not z: σ(z)(1 − σ(z))": lambda z: z * (1 - z),
                "(1 − σ) is missing: σ′ = σ(z)(1 − σ(z))": lambda z: _sigma(z) ** 2,
                "the exponent has the wrong sign: σ(z) = 1 / (1 + e⁻ᶻ), and 1 / (1 + eᶻ) is "
                "1 − σ(z)": lambda z: _sigma(-z),
            },
        )
        _judge_sigmoid(sigmoid)
        return "σ′(z) = σ(z)(1 − σ(z)) at all five test points; largest (1/4) at z = 0"

    verdict.run("6.1", judge)


def tanh_slope(function: object) -> None:
    """Exercise 6.2: ``function(z)`` returns tanh′(z) = 1 − tanh²(z)."""

    def judge() -> str:
        rows = _slopes(function, "tanh_slope", lambda z: z.tanh())
        _judge_slopes(
            rows,
            "tanh_slope",
            {
                "that is tanh(z) itself; its slope is 1 − tanh²(z)": math.tanh,
                "the formula uses the output tanh(z), not z: 1 − tanh(z)²": lambda z: 1 - z * z,
                "square tanh(z): 1 − tanh(z)², not 1 − tanh(z)": lambda z: 1 - math.tanh(z),
            },
        )
        return "tanh′(z) = 1 − tanh²(z) at all five test points; largest (1) at z = 0"

    verdict.run("6.2", judge)
