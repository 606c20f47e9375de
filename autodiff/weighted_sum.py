"""The perceptron's weighted sum ``z = b + Σᵢ wᵢ·xᵢ`` as one node: the ``Dot`` op and ``dot()``.

Built from ``*`` and ``+`` it would take ``2n`` nodes; as one primitive it is one node
whose local derivatives are exactly the lecture's: ``∂z/∂wᵢ = xᵢ``, ``∂z/∂xᵢ = wᵢ``,
``∂z/∂b = 1``. Neurons in ``nn`` are built on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ops import Op, Partials
from .value import Operand, Value, _apply, _as_value


class Dot(Op):
    """``z = b + Σᵢ wᵢ·xᵢ`` (bias optional); ``∂z/∂wᵢ = xᵢ``, ``∂z/∂xᵢ = wᵢ``, ``∂z/∂b = 1``.

    Inputs are laid out as ``w0..wn-1, x0..xn-1[, b]``. The sum starts at ``b`` and
    adds ``wᵢ·xᵢ`` left to right, the order of micrograd's neuron, so the result is
    bit-identical to it while one node replaces ``2n`` of micrograd's.
    """

    __slots__ = ("has_bias",)

    def __init__(self, has_bias: bool) -> None:
        self.has_bias = has_bias

    @property
    def name(self) -> str:  # type: ignore[override]  # says whether a bias is present
        return "dot+b" if self.has_bias else "dot"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        n = len(inputs) // 2
        weights, xs = inputs[:n], inputs[n : 2 * n]
        total = inputs[2 * n] if self.has_bias else 0.0
        for w, x in zip(weights, xs):
            total += w * x
        return total, xs + weights + ((1.0,) if self.has_bias else ())

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        n = len(inputs) // 2
        return inputs[n : 2 * n] + inputs[:n] + (["1"] if self.has_bias else [])


DOT = Dot(has_bias=False)
DOT_BIAS = Dot(has_bias=True)


def dot(weights: Sequence[Value], inputs: Sequence[Operand], bias: Value | None = None) -> Value:
    """One node for ``z = bias + Σᵢ weights[i]·inputs[i]``: the perceptron's weighted sum.

    Local derivatives: ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂bias = 1. It equals micrograd's
    ``sum((w*x for w, x in zip(weights, inputs)), bias)`` to the last bit, in one node
    instead of 2n. Plain numbers among ``inputs`` become constant leaves.
    """
    if len(weights) != len(inputs):
        raise ValueError(
            f"dot: {len(weights)} weights but {len(inputs)} inputs; they must pair up"
        )
    ws = _as_values(weights)
    xs = _as_values(inputs)
    if bias is None:
        return _apply(DOT, ws + xs)
    return _apply(DOT_BIAS, (*ws, *xs, _as_value(bias, "dot", None)))


def _as_values(items: Sequence[Operand]) -> tuple[Value, ...]:
    """``items`` as a tuple of ``Value``s, numbers becoming constant leaves (for ``dot``)."""
    values = tuple(items)
    for item in values:
        if not isinstance(item, Value):
            # rare: only now pay for a conversion call per item
            return tuple(_as_value(x, "dot", None) for x in values)
    return values  # type: ignore[return-value]  # the loop checked every item
