"""Optimizers: turn each parameter's gradient into a step, ``p ← p - (step size)``.

Both follow PyTorch's update rules (``torch.optim.SGD`` with dampening 0, and
``torch.optim.Adam``), so the same gradients give the same parameters. Call
``zero_grad()`` before ``backward()`` (leaf grads accumulate), then ``step()``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable

from autodiff import Value

Schedule = Callable[[int], float]


class Optimizer:
    """Holds the parameters and the step count; ``lr`` is a number or a schedule ``k -> ηₖ``."""

    def __init__(self, params: Iterable[Value], lr: float | Schedule) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: no parameters to optimize")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameters must be Values, got {type(p).__name__}"
                )
        if not callable(lr):
            if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
                raise TypeError(
                    f"{type(self).__name__}: lr must be a number or a function of the step, "
                    f"got {type(lr).__name__} {lr!r}"
                )
            if not lr >= 0.0:  # also rejects NaN
                raise ValueError(f"{type(self).__name__}: lr must be >= 0, got {lr!r}")
        self.lr = lr
        self.steps = 0

    @property
    def current_lr(self) -> float:
        """The learning rate the next ``step()`` will use: ``lr(steps)`` for a schedule."""
        return self.lr(self.steps) if callable(self.lr) else self.lr

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its ``grad``, then count the step."""
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, ``p ← p - η·g``, with optional momentum ``μ``.

    With momentum a velocity keeps a running sum of past gradients,
    ``v ← μ·v + g`` (``v = g`` on the first step), and the step is ``p ← p - η·v``.
    ``lr`` may be a schedule: a function of the step number ``k = 0, 1, 2, ...``,
    e.g. micrograd's demo ``lambda k: 1.0 - 0.9 * k / 100``.
    """

    def __init__(
        self, params: Iterable[Value], lr: float | Schedule = 0.01, momentum: float = 0.0
    ) -> None:
        super().__init__(params, lr)
        if momentum < 0.0:
            raise ValueError(f"SGD: momentum must be >= 0, got {momentum!r}")
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        """One update: ``p.data -= η·g`` (or ``η·v`` with momentum)."""
        lr = self.current_lr
        if self.momentum == 0.0:
            for p in self.params:
                p.data -= lr * p.grad
        else:
            mu, velocity = self.momentum, self.velocity
            for i, p in enumerate(self.params):
                v = mu * velocity[i] + p.grad if self.steps else p.grad
                velocity[i] = v
                p.data -= lr * v
        self.steps += 1


class Adam(Optimizer):
    """Adam: steps scaled per parameter by running averages of ``g`` and ``g²``.

    At step ``t = 1, 2, ...``: ``m ← β₁m + (1-β₁)g``, ``v ← β₂v + (1-β₂)g²``, then
    ``p ← p - η·m̂/(√v̂ + ε)`` with the bias corrections ``m̂ = m/(1-β₁ᵗ)``,
    ``v̂ = v/(1-β₂ᵗ)`` (both averages start at 0, which the corrections undo).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float | Schedule = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        beta1, beta2 = betas
        if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas!r}")
        self.betas = betas
        self.eps = eps
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every parameter."""
        lr = self.current_lr
        beta1, beta2 = self.betas
        t = self.steps + 1
        correction1 = 1.0 - beta1**t
        root_correction2 = math.sqrt(1.0 - beta2**t)
        m, v, eps = self.m, self.v, self.eps
        for i, p in enumerate(self.params):
            g = p.grad
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            p.data -= (lr / correction1) * m[i] / (math.sqrt(v[i]) / root_correction2 + eps)
        self.steps += 1
