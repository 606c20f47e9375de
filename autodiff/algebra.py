"""The algebra ``m``: the ``math`` module, swapped.

Every op in ``ops.py`` writes its forward formula and its local derivatives once, as
ordinary arithmetic (``+ - * /``) plus a few named functions taken from ``m``:
``m.tanh(x)``, ``m.log(a)``, ``m.step(x)``. Think of ``m`` as the ``math`` module. What
the formula then means depends on which module is passed in as ``m``:

- :data:`FLOATS` (below): the functions compute, on floats, with the engine's domain
  checks. This is what every node stores when it is made (``Op.forward``).
- ``autodiff.derivative.VALUES``: the functions build a graph of ``Value`` nodes, a
  derivative that can itself be differentiated (``autodiff.grad``).
- ``autodiff.formula.SYMBOLS``: the functions build an expression tree, which is printed
  as source code (``autodiff.compile``) and as the formula on a drawing's edge.

The functions are named once, in :class:`Algebra`: :data:`FUNCTIONS` is read from it, the
symbolic reading and the compiler's table are derived from it, and a test checks that the
float and ``Value`` readings define exactly these names. An op of your own written with
them works with ``backward``, ``grad``, ``compile`` and the drawings alike.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

__all__ = ["FLOATS", "FUNCTIONS", "Algebra", "Floats"]


class Algebra(Protocol):
    """The named functions a formula may use besides ``+ - * /`` and number constants.

    This class is the one list of them: each reading of the algebra (floats, ``Value``
    nodes, symbols) defines exactly these, with the meaning stated here.
    """

    def exp(self, x: Any) -> Any:
        """``e^x``."""

    def log(self, x: Any) -> Any:
        """``ln x`` for ``x > 0``."""

    def sqrt(self, x: Any) -> Any:
        """``√x`` for ``x >= 0``."""

    def tanh(self, x: Any) -> Any:
        """``tanh x``."""

    def sigmoid(self, x: Any) -> Any:
        """``σ(x) = 1/(1 + e^-x)``."""

    def relu(self, x: Any) -> Any:
        """``max(0, x)``."""

    def abs(self, x: Any) -> Any:
        """``|x|``."""

    def sin(self, x: Any) -> Any:
        """``sin x`` (radians)."""

    def cos(self, x: Any) -> Any:
        """``cos x`` (radians)."""

    def step(self, x: Any) -> Any:
        """``[x > 0]``: 1 where ``x > 0``, else 0 (the local derivative of relu)."""

    def sign(self, x: Any) -> Any:
        """``sign x``: 1, -1, or 0 at 0 (the local derivative of ``|x|``)."""

    def power(self, x: Any, p: float) -> Any:
        """``x^p`` for a constant real ``p``."""

    def positive_power(self, a: Any, b: Any) -> Any:
        """``a^b`` with a variable exponent ``b``, for a base ``a > 0``."""

    def reciprocal(self, x: Any) -> Any:
        """``1/x``, taken as ``+∞`` at ``x = 0`` (local derivatives infinite there, √x's)."""


FUNCTIONS: tuple[str, ...] = tuple(
    name for name, member in vars(Algebra).items() if callable(member) and not name.startswith("_")
)
"""The names of the algebra's functions, in the order :class:`Algebra` states them."""


class Floats:
    """The float reading of the formulas: Python floats, with the engine's domain checks.

    Each function here is what the op of the same name computes; its error message names
    the op and the number that is out of its domain.
    """

    @staticmethod
    def exp(x: float) -> float:
        """``e^x``; raises ``OverflowError`` past ``x ≈ 709.78``."""
        try:
            return math.exp(x)
        except OverflowError:
            raise OverflowError(
                f"exp: exp({x!r}) overflows a float (the largest is exp(709.78))"
            ) from None

    @staticmethod
    def log(x: float) -> float:
        """``ln x``, for ``x > 0`` only."""
        if not x > 0.0:
            if x != x:
                return x  # NaN in, NaN out: nothing hides it
            raise ValueError(f"log: input must be > 0, got {x!r}")
        return math.log(x)

    @staticmethod
    def sqrt(x: float) -> float:
        """``√x``, for ``x >= 0`` only."""
        if x < 0.0:
            raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
        return math.sqrt(x)

    @staticmethod
    def tanh(x: float) -> float:
        """``tanh x``; ``math.tanh`` saturates to ±1 where ``(e^2x-1)/(e^2x+1)`` overflows."""
        return math.tanh(x)

    @staticmethod
    def sigmoid(x: float) -> float:
        """``σ(x) = 1/(1 + e^-x)``; for ``x < 0`` as ``e^x/(1 + e^x)``, so nothing overflows."""
        if x >= 0.0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def relu(x: float) -> float:
        """``max(0, x)``; a NaN stays NaN (it is not silently turned into 0)."""
        return x if x > 0.0 or x != x else 0.0

    @staticmethod
    def abs(x: float) -> float:
        """``|x|``; a NaN stays NaN."""
        return -x if x < 0.0 else x + 0.0  # + 0.0 turns -0.0 into 0.0

    @staticmethod
    def sin(x: float) -> float:
        """``sin x``; refuses ±inf, where it has no value."""
        if x in (math.inf, -math.inf):
            raise ValueError(f"sin: input must be finite, got {x!r}")
        return math.sin(x)

    @staticmethod
    def cos(x: float) -> float:
        """``cos x``; refuses ±inf, where it has no value."""
        if x in (math.inf, -math.inf):
            raise ValueError(f"cos: input must be finite, got {x!r}")
        return math.cos(x)

    @staticmethod
    def step(x: float) -> float:
        """``[x > 0]``: 1.0 where ``x > 0``, else 0.0 (also at the kink ``x = 0``, as micrograd)."""
        return 1.0 if x > 0.0 else 0.0

    @staticmethod
    def sign(x: float) -> float:
        """``sign x``: 1.0, -1.0, or the subgradient 0.0 at ``x = 0``; NaN for NaN."""
        if x > 0.0:
            return 1.0
        if x < 0.0:
            return -1.0
        return 0.0 if x == 0.0 else x

    @staticmethod
    def power(x: float, p: float) -> float:
        """``x^p`` for a constant real ``p``.

        Defined for ``x > 0`` and any ``p``, for ``x < 0`` only when ``p`` is a whole
        number (otherwise the result is complex), for ``x = 0`` only when ``p >= 0``.
        """
        if x == 0.0 and p < 0.0:
            raise ValueError(f"pow: 0 ** {_short(p)} is undefined (division by zero)")
        if x < 0.0 and not float(p).is_integer():
            raise ValueError(f"pow: {x!r} ** {_short(p)} is not a real number")
        try:
            y: float = x**p
        except OverflowError:
            raise OverflowError(f"pow: {x!r} ** {_short(p)} overflows a float") from None
        return y

    @staticmethod
    def positive_power(a: float, b: float) -> float:
        """``a^b`` with a variable exponent: the base must be > 0, since ``∂y/∂b = y·ln a``."""
        if not a > 0.0:
            raise ValueError(
                f"pow: base must be > 0 when the exponent is a Value "
                f"(∂y/∂exponent = y·ln(base)), got base {a!r}; "
                "use a plain number as the exponent for a constant power"
            )
        try:
            y: float = a**b
        except OverflowError:
            raise OverflowError(f"pow: {a!r} ** {b!r} overflows a float") from None
        return y

    @staticmethod
    def reciprocal(x: float) -> float:
        """``1/x``, ``+inf`` at ``x = 0`` (the local derivative of ``√x`` there)."""
        return 1.0 / x if x != 0.0 else math.inf


FLOATS = Floats()
"""The algebra the engine computes with: ``op.output(FLOATS, 2.0)`` is a number."""


def _short(number: float) -> str:
    """``2.0 -> '2'``, ``0.5 -> '0.5'``: exponents read like math, not like floats."""
    return f"{number:g}"
