"""What an op is: two formulas over the algebra ``m``, and how the engine reads them on floats.

An op (``ops.py``) states ``output(m, *xs)`` and ``derivatives(m, y, *xs)``. :class:`Op`
turns them into what a node stores when it is made: :meth:`Op.forward` reads both with
``algebra.FLOATS`` and returns the output and its partials; :meth:`Op.formulas` reads the
derivatives with symbols, for the text on a drawing's edge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .algebra import FLOATS
from .formula import SYMBOLS, math_text, symbol

__all__ = ["BinaryOp", "Op", "Partials", "UnaryOp"]

Partials = tuple[float, ...]
"""The local derivatives of a node as numbers, one per input: what ``backward()`` multiplies."""


class Op:
    """A primitive with ``output(m, *xs)`` and ``derivatives(m, y, *xs)``, written over an algebra.

    ``name`` is how the op is shown in drawings and messages. :meth:`forward` evaluates
    both formulas on floats; :meth:`formulas` prints the derivatives as text. An op of
    your own (see ``autodiff.apply``) defines ``output`` and ``derivatives`` the same
    way (subclass :class:`UnaryOp` or :class:`BinaryOp` for one or two inputs), or, if
    it cannot be written with the algebra's functions, overrides :meth:`forward`
    directly; then ``autodiff.grad`` and ``autodiff.compile`` cannot read it, and say so.
    """

    __slots__ = ()
    name = "op"

    # The two formulas every op states (see the module docstring). Declared, not
    # defined: their parameters depend on how many inputs the op takes.
    output: Callable[..., Any]
    derivatives: Callable[..., tuple[Any, ...]]

    def forward(self, *xs: float) -> tuple[float, Partials]:
        """Return the output and ``∂output/∂input`` for every input, as floats."""
        y = self.output(FLOATS, *xs)
        return y, self.derivatives(FLOATS, y, *xs)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        """Each input's local derivative as math text in the given names (``*``: ``["b", "a"]``)."""
        if not hasattr(self, "derivatives"):
            raise NotImplementedError(
                f"{self.name}: this op computes its derivatives in forward() and states no "
                "formula; define derivatives(m, y, ...) (or formulas()) to show one"
            )
        derivatives = self.derivatives(SYMBOLS, symbol(output), *map(symbol, inputs))
        return [math_text(derivative) for derivative in derivatives]

    def __repr__(self) -> str:
        return f"<op {self.name}>"


class UnaryOp(Op):
    """An op of one input ``x``: ``output(m, x)``, ``derivatives(m, y, x) -> (∂y/∂x,)``."""

    __slots__ = ()

    # Fixed arity instead of *xs: Python then calls forward without packing a tuple of
    # arguments (its fast path for plain positional calls), which makes building a node
    # about a third cheaper (`python -m bench`, workload "moons MLP training step", whose
    # relu and square nodes are unary: bench/moons.py).
    def forward(self, x: float) -> tuple[float, Partials]:  # type: ignore[override]
        """Return ``y`` and ``(∂y/∂x,)`` as floats."""
        y = self.output(FLOATS, x)
        return y, self.derivatives(FLOATS, y, x)


class BinaryOp(Op):
    """An op of two inputs ``a, b``: ``output(m, a, b)``, ``derivatives(m, y, a, b)``."""

    __slots__ = ()

    def forward(self, a: float, b: float) -> tuple[float, Partials]:  # type: ignore[override]
        """Return ``y`` and ``(∂y/∂a, ∂y/∂b)`` as floats."""
        y = self.output(FLOATS, a, b)
        return y, self.derivatives(FLOATS, y, a, b)
