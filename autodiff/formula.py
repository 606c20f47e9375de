"""The symbolic reading of the algebra ``m``: a formula as an expression tree, printed two ways.

Every op in ``ops.py`` writes its forward formula and its local derivatives exactly once,
with arithmetic and the functions of the algebra ``m`` (``algebra.py``: ``m`` is the
``math`` module, swapped). Read with floats (``algebra.FLOATS``) a formula computes; read
with ``Value`` nodes (``derivative.VALUES``) it builds a graph; read here, with
:class:`Symbol` s and :data:`SYMBOLS`, it builds an expression tree, which :func:`python`
prints as source code (the compiler) and :func:`math_text` as the formula printed on a
drawing's edge (``1-y²`` for tanh).

Because all four readings run the same lines of ``ops.py``, a derivative can never say one
thing to ``backward()`` and another to a drawing or to generated code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .algebra import FUNCTIONS, Algebra

__all__ = [
    "SYMBOLS",
    "Algebra",
    "Call",
    "Expr",
    "Number",
    "Symbol",
    "Symbols",
    "math_text",
    "python",
    "symbol",
]


# --- the symbolic reading: an expression tree ---------------------------------------------

# Binding strength, as in Python: a higher number binds tighter.
_SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4
_STRENGTH = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT}


class Expr:
    """A node of a symbolic formula; arithmetic on it builds a bigger formula.

    Subclasses: :class:`Symbol` (a named input or output), :class:`Number`, :class:`Binary`
    (``+ - * /``), :class:`Negative` and :class:`Call` (a named function of the algebra).
    """

    __slots__ = ()

    def __add__(self, other: object) -> Expr:
        return Binary("+", self, _expr(other))

    def __radd__(self, other: object) -> Expr:
        return Binary("+", _expr(other), self)

    def __sub__(self, other: object) -> Expr:
        return Binary("-", self, _expr(other))

    def __rsub__(self, other: object) -> Expr:
        return Binary("-", _expr(other), self)

    def __mul__(self, other: object) -> Expr:
        return Binary("*", self, _expr(other))

    def __rmul__(self, other: object) -> Expr:
        return Binary("*", _expr(other), self)

    def __truediv__(self, other: object) -> Expr:
        return Binary("/", self, _expr(other))

    def __rtruediv__(self, other: object) -> Expr:
        return Binary("/", _expr(other), self)

    def __neg__(self) -> Expr:
        return Negative(self)

    def __pow__(self, exponent: object) -> Expr:
        # x ** 3 in a formula means the algebra's power with a constant exponent, as it
        # does for floats and Values (a Value exponent would be positive_power)
        if isinstance(exponent, (int, float)):
            return Call("power", (self, Number(exponent)))
        return Call("positive_power", (self, _expr(exponent)))

    def __repr__(self) -> str:
        return f"<formula {python(self)}>"


class Symbol(Expr):
    """A name standing for a number: one of the op's inputs, or its output."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class Number(Expr):
    """A constant in a formula, such as the ``1`` in ``1 - y·y``."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = float(value)


class Binary(Expr):
    """``left op right`` for ``op`` one of ``+ - * /``."""

    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        self.op, self.left, self.right = op, left, right


class Negative(Expr):
    """``-operand``."""

    __slots__ = ("operand",)

    def __init__(self, operand: Expr) -> None:
        self.operand = operand


class Call(Expr):
    """A function of the algebra applied to formulas: ``tanh(x)``, ``power(x, 2.0)``."""

    __slots__ = ("function", "args")

    def __init__(self, function: str, args: tuple[Expr, ...]) -> None:
        self.function, self.args = function, args


def _expr(x: object) -> Expr:
    if isinstance(x, Expr):
        return x
    if isinstance(x, (int, float)):
        return Number(x)
    raise TypeError(f"formula: cannot use {type(x).__name__} {x!r} in a formula")


def symbol(name: str) -> Symbol:
    """The symbol ``name``, to read a formula symbolically: ``op.derivatives(SYMBOLS, ...)``."""
    return Symbol(name)


class Symbols:
    """The symbolic algebra: each function of ``algebra.Algebra`` returns a :class:`Call`.

    Derived from the one list (``algebra.FUNCTIONS``), so a function added there is
    readable here at once: ``SYMBOLS.tanh(x)`` is ``Call("tanh", (x,))``.
    """

    def __getattr__(self, name: str) -> Callable[..., Expr]:
        if name not in FUNCTIONS:
            raise AttributeError(
                f"the algebra m has no function {name!r}; it has {', '.join(FUNCTIONS)}"
            )

        def call(*args: Any) -> Expr:
            return Call(name, tuple(_expr(a) for a in args))

        call.__name__ = name
        return call


SYMBOLS: Algebra = Symbols()
"""The algebra that turns a formula into an expression tree (see :func:`python`)."""


# --- printing a formula ---------------------------------------------------------------------


def python(expr: Expr | float) -> str:
    """``expr`` as Python source, evaluating in exactly the formula's order.

    Names of the algebra's functions (``tanh``, ``power`` ...) are left as calls: code
    that runs the source binds them to ``ops.FLOATS``' functions, domain checks included.
    Parentheses are added wherever Python would otherwise group differently, also for
    ``a + (b + c)``, since float addition is not associative.
    """
    return _python(_expr(expr))[0]


def _python(expr: Expr) -> tuple[str, int]:
    if isinstance(expr, Symbol):
        return expr.name, _ATOM
    if isinstance(expr, Number):
        text = repr(expr.value)
        return (f"({text})", _ATOM) if expr.value < 0 else (text, _ATOM)
    if isinstance(expr, Negative):
        inner, strength = _python(expr.operand)
        return f"-{_wrap(inner, strength, _UNARY)}", _UNARY
    if isinstance(expr, Binary):
        strength = _STRENGTH[expr.op]
        left, left_strength = _python(expr.left)
        right, right_strength = _python(expr.right)
        # the right operand is wrapped even at equal strength: a - (b - c), a + (b + c)
        right = _wrap(right, right_strength, strength + 1)
        return f"{_wrap(left, left_strength, strength)} {expr.op} {right}", strength
    if isinstance(expr, Call):
        args = ", ".join(_python(a)[0] for a in expr.args)
        return f"{expr.function}({args})", _ATOM
    raise TypeError(f"formula: unknown node {expr!r}")


def math_text(expr: Expr | float) -> str:
    """``expr`` as the compact math a drawing prints on an edge: ``1-y²``, ``y(1-y)``, ``2·x``.

    Products are written ``a·b``, a name times a bracket by juxtaposition (``y(1-y)``), a
    square as ``²``, ``log`` as ``ln``, ``step(x)`` as ``[x>0]``, powers with ``^``.
    """
    return _math(_expr(expr))[0]


def _math(expr: Expr) -> tuple[str, int]:
    if isinstance(expr, Symbol):
        return expr.name, _ATOM
    if isinstance(expr, Number):
        text = _short(expr.value)
        return text, _ATOM if expr.value >= 0 else _UNARY
    if isinstance(expr, Negative):
        inner, strength = _math(expr.operand)
        return f"-{_wrap(inner, strength, _UNARY)}", _UNARY
    if isinstance(expr, Binary):
        strength = _STRENGTH[expr.op]
        if expr.op == "*" and _same_symbol(expr.left, expr.right):
            return f"{_math(expr.left)[0]}²", _ATOM
        left, left_strength = _math(expr.left)
        right, right_strength = _math(expr.right)
        left = _wrap(left, left_strength, strength)
        right = _wrap(right, right_strength, strength + 1)
        if expr.op == "*":
            # y(1-y): a name or number followed by a bracket reads as a product
            joiner = "" if right.startswith("(") and left_strength == _ATOM else "·"
            return f"{left}{joiner}{right}", strength
        return f"{left}{expr.op}{right}", strength
    if isinstance(expr, Call):
        return _math_call(expr)
    raise TypeError(f"formula: unknown node {expr!r}")


def _math_call(call: Call) -> tuple[str, int]:
    name, args = call.function, call.args
    if name == "reciprocal" and isinstance(args[0], Call) and args[0].function == "power":
        inner, exponent = args[0].args
        assert isinstance(exponent, Number)  # power's exponent is a constant by construction
        return _math_call(Call("power", (inner, Number(-exponent.value))))
    texts = [_math(a) for a in args]
    if name in ("power", "positive_power"):
        (base_text, base_strength), (power, power_strength) = texts
        base_text = _wrap(base_text, base_strength, _ATOM)
        return f"{base_text}^{_wrap(power, power_strength, _UNARY)}", _UNARY
    if name == "reciprocal":
        return f"1/{_wrap(*texts[0], _ATOM)}", _PRODUCT
    if name == "step":
        return f"[{texts[0][0]}>0]", _ATOM
    if name == "log":
        return f"ln {_wrap(*texts[0], _ATOM)}", _UNARY
    return f"{name}({', '.join(t for t, _ in texts)})", _ATOM


def _wrap(text: str, strength: int, needed: int) -> str:
    return f"({text})" if strength < needed else text


def _same_symbol(a: Expr, b: Expr) -> bool:
    return isinstance(a, Symbol) and isinstance(b, Symbol) and a.name == b.name


def _short(number: float) -> str:
    """``2.0 -> '2'``, ``0.5 -> '0.5'``: numbers in formulas read like math, not like floats."""
    return f"{number:g}"
