"""The perceptron: one neuron, ``Z = b + Σᵢ xᵢwᵢ``, then a threshold or a smooth activation.

Its weighted sum is one ``dot`` node whose local derivatives are the lecture's
``∂Z/∂wᵢ = xᵢ`` (and ``∂Z/∂b = 1``). With the classic ``'step'`` activation the output
``y`` is 0 or 1 and has no useful slope, so it learns by the perceptron rule
(:func:`perceptron_rule`), ``wᵢ ← wᵢ + η(d - y)·∂Z/∂wᵢ``. With ``'sigmoid'`` (or
``'tanh'``, ``'linear'``, ``'relu'``) it is a smooth neuron and learns by gradient
descent with :func:`nn.train.fit` like any other model.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .module import Input, Neuron


class Perceptron(Neuron):
    """A single neuron named ``P``: labels ``P.w0, P.w1, ..., P.b, P.z, P.out``.

    ``activation`` defaults to ``'step'`` (1 if ``Z ≥ 0`` else 0); ``init``, ``seed``
    and ``rng`` choose the initial weights as for :class:`nn.Neuron`.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "step",
        *,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(nin, activation=activation, init=init, seed=seed, rng=rng, name="P")

    def __repr__(self) -> str:
        return f"Perceptron({len(self.w)}, activation={self.activation!r})"


def perceptron_rule(p: Perceptron, x: Input, d: float, lr: float = 1.0) -> float:
    """One step of the perceptron learning rule on example ``(x, d)``; returns the error ``d - y``.

    ``Z = p.weighted_sum(x)``, ``y = p.apply_activation(Z)``; then ``Z.backward()`` fills
    ``∂Z/∂wᵢ = xᵢ`` and ``∂Z/∂b = 1`` (the derivatives of the weighted sum, read off the
    graph), and every parameter moves by ``η(d - y)`` times its derivative. A correct
    output (``d = y``) changes nothing.
    """
    z = p.weighted_sum(x)
    out = p.apply_activation(z)
    error = d - out.data
    if error:
        p.zero_grad()
        z.backward()
        for param in p.parameters():
            param.data += lr * error * param.grad
        p.zero_grad()
    return error


def train_perceptron(
    p: Perceptron,
    X: Sequence[Input],
    y: Sequence[float],
    lr: float = 1.0,
    max_epochs: int = 100,
) -> list[int]:
    """Apply :func:`perceptron_rule` to each example in order, epoch after epoch.

    Returns the number of mistakes per epoch; stops after the first epoch without one.
    On linearly separable data this is guaranteed to happen (the perceptron
    convergence theorem); on other data (XOR) it runs all ``max_epochs``.
    """
    if len(X) != len(y):
        raise ValueError(f"train_perceptron: {len(X)} examples but {len(y)} targets")
    mistakes: list[int] = []
    for _ in range(max_epochs):
        wrong = sum(perceptron_rule(p, x, d, lr) != 0.0 for x, d in zip(X, y))
        mistakes.append(wrong)
        if wrong == 0:
            break
    return mistakes
