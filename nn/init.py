"""Initial weights: where training starts, drawn from a seedable source of randomness.

Every scheme draws a neuron's ``nin`` weights uniformly from ``[-a, a]``; they differ in
the half-width ``a``, and so in the variance ``a²/3`` of each weight:

- ``"uniform"``: ``a = 1`` (micrograd's choice). Simple, but the weighted sum of ``nin``
  inputs then has variance ``nin/3``, which grows with the layer's width.
- ``"xavier"``: ``a = √(3/nin)``, so ``Var(w) = 1/nin`` and the weighted sum keeps the
  variance of its inputs (LeCun / Xavier fan-in scaling; suits tanh and sigmoid).
- ``"he"``: ``a = √(6/nin)``, so ``Var(w) = 2/nin``, which makes up for ReLU zeroing half
  of its inputs (He scaling).

Biases always start at 0. The randomness comes from ``rng`` (a ``random.Random``); when
it is ``None`` the module-level ``random`` functions are used, so ``random.seed(1337)``
reproduces micrograd's weights exactly.
"""

from __future__ import annotations

import math
import random
from typing import Literal

Scheme = Literal["uniform", "xavier", "he"]

SCHEMES: tuple[Scheme, ...] = ("uniform", "xavier", "he")


def half_width(scheme: str, nin: int) -> float:
    """The bound ``a`` of ``U(-a, a)`` for ``scheme``: 1, √(3/nin) or √(6/nin)."""
    if scheme == "uniform":
        return 1.0
    if scheme == "xavier":
        return math.sqrt(3.0 / nin)
    if scheme == "he":
        return math.sqrt(6.0 / nin)
    raise ValueError(f"init: unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")


def initial_weights(
    nin: int, scheme: str = "uniform", rng: random.Random | None = None
) -> list[float]:
    """``nin`` weights drawn from ``U(-a, a)`` (``a`` from :func:`half_width`), in order.

    The draws are ``rng.uniform(-1, 1)`` scaled by ``a``, one call per weight, so the
    ``"uniform"`` scheme consumes the random stream exactly as micrograd's ``Neuron`` does.
    """
    if nin < 1:
        raise ValueError(f"init: a neuron needs at least one input, got nin={nin!r}")
    a = half_width(scheme, nin)
    draw = random.uniform if rng is None else rng.uniform
    if a == 1.0:
        return [draw(-1, 1) for _ in range(nin)]
    return [a * draw(-1, 1) for _ in range(nin)]


def make_rng(seed: int | None = None, rng: random.Random | None = None) -> random.Random | None:
    """The generator a model draws from: ``rng``, a new one from ``seed``, or ``None`` (global).

    ``None`` means the module-level ``random`` functions, micrograd's behaviour. Passing
    both ``seed`` and ``rng`` is ambiguous and raises ``ValueError``.
    """
    if seed is not None and rng is not None:
        raise ValueError("init: pass either seed= or rng=, not both")
    if seed is not None:
        return random.Random(seed)
    return rng
