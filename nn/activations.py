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
and is defined here as one more op written the same way, with the algebra ``m``, so that
``backward``, ``autodiff.grad``, ``autodiff.compile`` and the drawings all read it.
"""

from __future__ import annotations

from typing import Any, Literal

from autodiff import Value, apply
from autodiff.algebra import Algebra
from autodiff.ops import UnaryOp

Activation = Literal["relu", "tanh", "sigmoid", "linear", "step"]

ACTIVATIONS: tuple[Activation, ...] = ("relu", "tanh", "sigmoid", "linear", "step")


class Step(UnaryOp):
    """Heaviside step ``y = [z ≥ 0]``; ``∂y/∂z = 0`` (undefined at the kink ``z = 0``).

    Written with the algebra's ``step(x) = [x > 0]`` as ``y = 1 - [-z > 0]``, which is 1 at
    ``z = 0`` too. The local derivative is 0 wherever it exists, so no gradient flows
    through a step and gradient descent cannot train it: the perceptron learning rule
    (:func:`nn.perceptron.perceptron_rule`) uses ``∂z/∂wᵢ = xᵢ`` and the error ``d - y``
    instead. At the kink, where the step jumps, it is taken as 0 too (as relu's local
    derivative is taken as 0 at its kink), so that ``backward()`` stays defined.
    """

    __slots__ = ()
    name = "step"

    def output(self, m: Algebra, z: Any) -> Any:
        """``y = 1 - [-z > 0] = [z ≥ 0]``."""
        return 1.0 - m.step(-z)

    def derivatives(self, m: Algebra, y: Any, z: Any) -> tuple[Any, ...]:
        """``∂y/∂z = 0``: flat on both sides of the jump (and taken as 0 at it)."""
        return (0.0,)


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
