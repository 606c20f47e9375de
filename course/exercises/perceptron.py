"""Notebook 05's exercises: ∇_w Z of a weighted sum, and one step w − η∇Z.

Inputs x = (2, −1, 0.5), weights w = (0.3, 0.8, −1.0), η = 0.5; Z = Σᵢ xᵢwᵢ, so
∂Z/∂wᵢ = xᵢ. The right answers come from ``autodiff.dot`` and ``backward()``.
"""

from __future__ import annotations

from autodiff import Value, dot

from . import verdict

INPUTS = (2.0, -1.0, 0.5)
WEIGHTS = (0.3, 0.8, -1.0)
ETA = 0.5


@verdict.reference
def _gradient() -> list[float]:
    w = [Value(v) for v in WEIGHTS]
    dot(w, list(INPUTS)).backward()
    return [wi.grad for wi in w]


def gradient(my_grad: object) -> None:
    """Exercise 5.1: ∇_w Z = (∂Z/∂w₀, ∂Z/∂w₁, ∂Z/∂w₂)."""

    def judge() -> str:
        answer = verdict.numbers(my_grad, "my_grad", 3)
        expected = _gradient()
        if all(verdict.same(a, w) for a, w in zip(answer, WEIGHTS)):
            raise verdict.Wrong("those are the weights; ∂Z/∂wᵢ is what wᵢ multiplies")
        for i, (a, e) in enumerate(zip(answer, expected)):
            verdict.expect(a, e, f"∂Z/∂w{i} (my_grad[{i}])")
        return f"∇_w Z = {expected}: the inputs"

    verdict.run("5.1", judge)


def new_weights(my_new_w: object) -> None:
    """Exercise 5.2: the weights after one step w − η∇_w Z."""

    def judge() -> str:
        answer = verdict.numbers(my_new_w, "my_new_w", 3)
        g = _gradient()
        expected = [w - ETA * gi for w, gi in zip(WEIGHTS, g)]
        if all(verdict.same(a, w + ETA * gi) for a, w, gi in zip(answer, WEIGHTS, g)):
            raise verdict.Wrong("that step goes up (w + η∇Z): subtract η∇Z to lower Z")
        if all(verdict.same(a, w) for a, w in zip(answer, WEIGHTS)):
            raise verdict.Wrong("those are the old weights: every wᵢ moves by −η·xᵢ")
        for i, (a, e) in enumerate(zip(answer, expected)):
            verdict.expect(
                a, e, f"the new w{i} (my_new_w[{i}])", (WEIGHTS[i] - g[i], "forgot η = 0.5")
            )
        z_old = sum(w * x for w, x in zip(WEIGHTS, INPUTS))
        z_new = sum(w * x for w, x in zip(expected, INPUTS))
        return f"Z drops from {z_old:g} to {z_new:g}, by η·Σxᵢ²"

    verdict.run("5.2", judge)
