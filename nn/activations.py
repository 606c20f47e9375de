"""Activation functions by name: what a neuron applies to its weighted sum ``z``.

=========  ======================  ==========================
name       ``out = f(z)``          local derivative ``f'(z)``
=========  ======================  ==========================
relu       ``max(0, z)``           ``1`` if ``z > 0`` else ``0``
tanh       ``tanh z``              ``1 - out²``
sigmoid    ``1 / (1 + e^-z)``      ``out(1 - out)``
linear     ``z``                   ``1`` (no node is added)
step       ``1`` if ``z ≥ 0``      ``0`` (see :class:`Step`)
=========  ======================  ==========================

The first three are engine primitives (``Value.relu``, ``.tanh``, ``.sigmoid``); their
derivatives live in ``autodiff/ops.py``. ``step`` is the classic perceptron's threshold
and is defined here as one more op in the same ``forward -> (output, partials)`` form.
"""

from __future__ import annotations

from typing import Literal

from autodiff import Value, apply
from autodiff.ops import Op, Partials

Activation = Literal["relu", "tanh", "sigmoid", "linear", "step"]

ACTIVATIONS: tuple[Activation, ...] = ("relu", "tanh", "sigmoid", "linear", "step")


class Step(Op):
    """Heaviside step ``y = 1 if z ≥ 0 else 0``; ``∂y/∂z = 0`` (undefined at ``z = 0``).

    The slope is zero wherever it exists, so no gradient flows through a step and
    gradient descent cannot train it: the perceptron learning rule
    (:func:`nn.perceptron.perceptron_rule`) uses ``∂z/∂wᵢ = xᵢ`` and the error ``d - y``
    instead. The partial is reported as 0.0 so that ``backward()`` stays defined.
    """

    __slots__ = ()
    name = "step"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (z,) = inputs
        return (1.0 if z >= 0.0 else 0.0), (0.0,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return ["0"]


STEP = Step()


def step(z: Value) -> Value:
    """The threshold unit: 1.0 where ``z ≥ 0``, else 0.0, as a graph node (gradient 0)."""
    return apply(STEP, z)


def check_activation(name: str, where: str) -> Activation:
    """``name`` if it is a known activation, else a ``ValueError`` naming ``where`` it was asked."""
    for known in ACTIVATIONS:
        if name == known:
            return known
    raise ValueError(
        f"{where}: unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
    )
