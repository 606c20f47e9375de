"""The array reading of the formulas: the ops' own formulas, evaluated on NumPy arrays.

``ops.py`` writes each op's forward formula and local derivatives once, over an algebra
``m``. Read with :data:`ARRAYS` (below) the same lines compute on whole arrays at once:
one entry per training example, or a matrix whose rows are the neurons of a layer and
whose columns are the examples. The functions keep the engine's rules, so the batched
engine gives the scalar engine's numbers:

- the same domain checks as ``algebra.Floats``, with the same messages, and the example that
  broke them (``log: input must be > 0, got -0.5 (example 37)``);
- the same kinks (``relu``'s slope at 0 is 0, ``abs`` and ``sign`` give the subgradient 0);
- a NaN goes through as a NaN, never turned into a number.

NumPy is an optional dependency (the ``batched`` extra, or ``pip install numpy``): importing this
module without it raises an ``ImportError`` that says so. The engine itself never imports it.
"""

from __future__ import annotations

import math
from typing import Any

try:
    import numpy as np
except ImportError as error:  # pragma: no cover - exercised by a subprocess test
    raise ImportError(
        "the batched engine needs NumPy: pip install numpy (in a clone of backprop-lab: "
        "pip install '.[batched]'); the scalar engine works without it"
    ) from error

__all__ = ["ARRAYS", "Arrays", "example_of", "np"]

Array = Any  # numpy.ndarray; the formulas mix arrays and Python floats freely


def example_of(bad: Array) -> int:
    """The first example where the boolean array ``bad`` is true.

    Examples are the last axis: entries of a vector, columns of a layer's matrix.
    """
    where = np.argwhere(np.atleast_1d(bad))[0]
    return int(where[-1])


def _refuse(kind: type[Exception], message: str, x: Array, bad: Array) -> None:
    """Raise ``kind`` with ``message`` (which holds ``{x}``) for the first bad example."""
    i = np.argwhere(np.atleast_1d(bad))[0]
    number = float(np.atleast_1d(x)[tuple(i)])
    raise kind(f"{message.format(x=repr(number))} (example {int(i[-1])})")


class Arrays:
    """The array algebra: each function is ``algebra.Floats``' function, applied entrywise.

    Every function takes arrays (or floats, broadcast against them) and returns an array;
    the checks look at every entry and name the first example that fails.
    """

    @staticmethod
    def exp(x: Array) -> Array:
        """``e^x``; ``OverflowError`` where a finite ``x`` overflows (past ``x ≈ 709.78``)."""
        y = np.exp(x)
        bad = np.isinf(y) & np.isfinite(x)
        if bad.any():
            _refuse(
                OverflowError,
                "exp: exp({x}) overflows a float (the largest is exp(709.78))",
                x,
                bad,
            )
        return y

    @staticmethod
    def log(x: Array) -> Array:
        """``ln x`` for ``x > 0``; a NaN stays NaN."""
        bad = ~(x > 0.0) & (x == x)
        if np.any(bad):
            _refuse(ValueError, "log: input must be > 0, got {x}", x, bad)
        return np.log(x)

    @staticmethod
    def sqrt(x: Array) -> Array:
        """``√x`` for ``x >= 0``; a NaN stays NaN."""
        bad = x < 0.0
        if np.any(bad):
            _refuse(ValueError, "sqrt: input must be >= 0, got {x}", x, bad)
        return np.sqrt(x)

    @staticmethod
    def tanh(x: Array) -> Array:
        """``tanh x``, saturating to ±1."""
        return np.tanh(x)

    @staticmethod
    def sigmoid(x: Array) -> Array:
        """``σ(x)``, as ``1/(1 + e^-x)`` for ``x >= 0`` and ``e^x/(1 + e^x)`` below: no overflow."""
        e = np.exp(-np.abs(x))
        return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def relu(x: Array) -> Array:
        """``max(0, x)``; NaN stays NaN and ``-0.0`` becomes ``0.0``, as for floats."""
        y = np.maximum(x, 0.0)  # NaN propagates; max(-0.0, 0.0) may be -0.0, so:
        y += 0.0
        return y

    @staticmethod
    def abs(x: Array) -> Array:
        """``|x|``, with ``|-0.0| = 0.0``."""
        return np.abs(x) + 0.0

    @staticmethod
    def sin(x: Array) -> Array:
        """``sin x``; refuses ±inf, as ``Floats.sin`` does."""
        bad = np.isinf(x)
        if np.any(bad):
            _refuse(ValueError, "sin: input must be finite, got {x}", x, bad)
        return np.sin(x)

    @staticmethod
    def cos(x: Array) -> Array:
        """``cos x``; refuses ±inf, as ``Floats.cos`` does."""
        bad = np.isinf(x)
        if np.any(bad):
            _refuse(ValueError, "cos: input must be finite, got {x}", x, bad)
        return np.cos(x)

    @staticmethod
    def step(x: Array) -> Array:
        """``[x > 0]``: 1.0 where ``x > 0``, else 0.0 (the kink ``x = 0`` and NaN included)."""
        return (np.asarray(x) > 0.0).astype(float)

    @staticmethod
    def sign(x: Array) -> Array:
        """``sign x`` with the subgradient 0.0 at ``x = 0``; NaN for NaN."""
        return np.sign(x) + 0.0

    @staticmethod
    def power(x: Array, p: float) -> Array:
        """``x^p`` for a constant ``p``, with ``Floats.power``'s domain and overflow checks."""
        if p < 0.0:
            bad = x == 0.0
            if np.any(bad):
                _refuse(
                    ValueError, "pow: 0 ** " + f"{p:g}" + " is undefined (division by zero)", x, bad
                )
        if not float(p).is_integer():
            bad = x < 0.0
            if np.any(bad):
                _refuse(ValueError, "pow: {x} ** " + f"{p:g}" + " is not a real number", x, bad)
        y = np.power(x, p)
        bad = np.isinf(y) & np.isfinite(x) & (x != 0.0)
        if np.any(bad):
            _refuse(OverflowError, "pow: {x} ** " + f"{p:g}" + " overflows a float", x, bad)
        return y

    @staticmethod
    def positive_power(a: Array, b: Array) -> Array:
        """``a^b`` with a variable exponent: the base must be ``> 0`` (``∂y/∂b = y·ln a``)."""
        bad = ~(a > 0.0)
        if np.any(bad):
            _refuse(
                ValueError,
                "pow: base must be > 0 when the exponent is a Value "
                "(∂y/∂exponent = y·ln(base)), got base {x}",
                a + 0.0 * np.asarray(b),
                bad,
            )
        y = np.power(a, b)
        bad = np.isinf(y) & np.isfinite(a) & np.isfinite(b)
        if np.any(bad):
            _refuse(
                OverflowError, "pow: base {x} overflows a float with its exponent", a + 0.0 * y, bad
            )
        return y

    @staticmethod
    def reciprocal(x: Array) -> Array:
        """``1/x``, ``+inf`` at ``x = 0`` (the infinite slope of ``√x`` there)."""
        safe = np.where(x != 0.0, x, 1.0)
        return np.where(x != 0.0, 1.0 / safe, math.inf)

    @staticmethod
    def divide(a: Array, b: Array) -> Array:
        """``a / b``; ``ZeroDivisionError`` naming the example where ``b = 0``, as for floats."""
        bad = np.asarray(b) == 0.0
        if np.any(bad):
            i = example_of(bad)
            raise ZeroDivisionError(f"/: division by zero (example {i})")
        return np.divide(a, b)


ARRAYS = Arrays()
"""The algebra the batched engine computes with: ``op.output(ARRAYS, x)`` is an array."""
