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


def _slopes(
    function: object, name: str, engine: Callable[[Value], Value]
) -> list[tuple[float, float, float]]:
    """(z, the student's slope, the engine's slope) at every point."""
    student = verdict.student_function(function, name)
    rows = []
    for z0 in POINTS:
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


def sigmoid_slope(function: object) -> None:
    """Exercise 6.1: ``function(z)`` returns σ′(z) = σ(z)(1 − σ(z))."""

    def judge() -> str:
        rows = _slopes(function, "sigmoid_slope", lambda z: z.sigmoid())

        def s(z: float) -> float:
            return 1 / (1 + math.exp(-z))

        _judge_slopes(
            rows,
            "sigmoid_slope",
            {
                "that is σ(z) itself; its slope is σ(z)(1 − σ(z))": s,
                "the formula uses the output σ(z), not z: σ(z)(1 − σ(z))": lambda z: z * (1 - z),
                "(1 − σ) is missing: σ′ = σ(z)(1 − σ(z))": lambda z: s(z) * s(z),
            },
        )
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
