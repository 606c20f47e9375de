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

import math
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
    "inlined",
    "math_text",
    "python",
    "python_statements",
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
    ``a + (b + c)``, since float addition is not associative. Every float a formula can
    hold reads back as itself: ``inf`` as ``float('inf')``, ``-0.0`` as ``(-0.0)``.
    The walk is iterative, so a 10,000-term sum prints (Python's own compiler then needs
    it cut into statements: see :func:`python_statements`).
    """
    return _print(_expr(expr), _python_node)[0]


def inlined(expr: Expr | float, inline: dict[str, str]) -> str:
    """Like :func:`python`, with some calls written out in place: ``inline`` maps a
    function's name to its body over ``{x}`` (``relu``: ``({x} if {x} > 0.0 or {x} != {x}
    else 0.0)``). Only a call on a name or a number is written out, so nothing is computed
    twice; it saves a Python function call where a formula is run millions of times."""

    def node(e: Expr, parts: list[tuple[str, int]]) -> tuple[str, int]:
        if (
            isinstance(e, Call)
            and e.function in inline
            and len(e.args) == 1
            and isinstance(e.args[0], (Symbol, Number))
        ):
            return inline[e.function].replace("{x}", parts[0][0]), _ATOM
        return _python_node(e, parts)

    return _print(_expr(expr), node)[0]


def python_statements(
    expr: Expr | float, temporary: str, depth: int = 50, inline: dict[str, str] | None = None
) -> tuple[list[str], str]:
    """``expr`` as ``(assignments, final)``: Python that no subexpression makes too deep.

    CPython's compiler recurses once per level of an expression and gives up near a
    thousand (a ``dot`` of 10,000 inputs is a sum 10,000 levels deep). Every subformula
    that reaches ``depth`` levels is computed first into a variable
    ``{temporary}0``, ``{temporary}1`` ... (``assignments``, in evaluation order), and
    ``final`` uses them. The arithmetic is the same, in the same order. ``inline``: as
    for :func:`inlined`.
    """
    write: Callable[[Expr], str] = python if not inline else (lambda e: inlined(e, inline))
    root = _expr(expr)
    assignments: list[str] = []
    done: list[tuple[Expr, int]] = []
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        kids = _children(node)
        if not kids:
            done.append((node, 1))
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(kids))
            continue
        parts = done[len(done) - len(kids) :]
        del done[len(done) - len(kids) :]
        new = _rebuilt(node, tuple(part for part, _ in parts))
        level = 1 + max(d for _, d in parts)
        if level >= depth and node is not root:
            name = f"{temporary}{len(assignments)}"
            assignments.append(f"{name} = {write(new)}")
            new, level = Symbol(name), 1
        done.append((new, level))
    return assignments, write(done[0][0])


def _children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, Binary):
        return (expr.left, expr.right)
    if isinstance(expr, Negative):
        return (expr.operand,)
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, (Symbol, Number)):
        return ()
    raise TypeError(f"formula: unknown node {expr!r}")


def _rebuilt(expr: Expr, kids: tuple[Expr, ...]) -> Expr:
    """``expr`` with its children replaced by ``kids``."""
    if isinstance(expr, Binary):
        return Binary(expr.op, kids[0], kids[1])
    if isinstance(expr, Negative):
        return Negative(kids[0])
    if isinstance(expr, Call):
        return Call(expr.function, kids)
    return expr


def _print(
    root: Expr, combine: Callable[[Expr, list[tuple[str, int]]], tuple[str, int]]
) -> tuple[str, int]:
    """Print ``root`` bottom-up without recursion: ``combine`` turns a node and its
    children's ``(text, binding strength)`` into its own (a leaf has no children)."""
    done: list[tuple[str, int]] = []
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        expr, ready = stack.pop()
        if not ready:
            expr = _readable(expr) if combine is _math_node else expr
            kids = _children(expr)
            if kids:
                stack.append((expr, True))
                stack.extend((kid, False) for kid in reversed(kids))
                continue
            done.append(combine(expr, []))
            continue
        n = len(_children(expr))
        parts = done[len(done) - n :]
        del done[len(done) - n :]
        done.append(combine(expr, parts))
    return done[0]


def _python_node(expr: Expr, parts: list[tuple[str, int]]) -> tuple[str, int]:
    if isinstance(expr, Symbol):
        return expr.name, _ATOM
    if isinstance(expr, Number):
        return _python_number(expr.value), _ATOM
    if isinstance(expr, Negative):
        return f"-{_wrap(*parts[0], _UNARY)}", _UNARY
    if isinstance(expr, Binary):
        strength = _STRENGTH[expr.op]
        # the right operand is wrapped even at equal strength: a - (b - c), a + (b + c)
        right = _wrap(*parts[1], strength + 1)
        return f"{_wrap(*parts[0], strength)} {expr.op} {right}", strength
    if isinstance(expr, Call):
        return f"{expr.function}({', '.join(text for text, _ in parts)})", _ATOM
    raise TypeError(f"formula: unknown node {expr!r}")


def _python_number(value: float) -> str:
    """A float as source that reads back as the very same float, sign of zero and NaN too."""
    if value != value:
        return "float('nan')" if math.copysign(1.0, value) > 0 else "(-float('nan'))"
    if math.isinf(value):
        return "float('inf')" if value > 0 else "(-float('inf'))"
    text = repr(value)
    return f"({text})" if math.copysign(1.0, value) < 0 else text


def math_text(expr: Expr | float) -> str:
    """``expr`` as the compact math a drawing prints on an edge: ``1-y²``, ``y(1-y)``, ``2·x``.

    Products are written ``a·b``, a name times a bracket by juxtaposition (``y(1-y)``), a
    square as ``²``, ``log`` as ``ln``, ``step(x)`` as ``[x>0]``, powers with ``^``.
    """
    return _print(_expr(expr), _math_node)[0]


def _readable(expr: Expr) -> Expr:
    """``1/x^p`` is written ``x^-p``: the rewrite made before printing a node as math."""
    if isinstance(expr, Call) and expr.function == "reciprocal":
        inner = expr.args[0]
        if isinstance(inner, Call) and inner.function == "power":
            base, exponent = inner.args
            assert isinstance(exponent, Number)  # power's exponent is a constant by construction
            return Call("power", (base, Number(-exponent.value)))
    return expr


def _math_node(expr: Expr, parts: list[tuple[str, int]]) -> tuple[str, int]:
    if isinstance(expr, Symbol):
        return expr.name, _ATOM
    if isinstance(expr, Number):
        return _short(expr.value), _ATOM if expr.value >= 0 else _UNARY
    if isinstance(expr, Negative):
        return f"-{_wrap(*parts[0], _UNARY)}", _UNARY
    if isinstance(expr, Binary):
        strength = _STRENGTH[expr.op]
        if expr.op == "*" and _same_symbol(expr.left, expr.right):
            return f"{parts[0][0]}²", _ATOM
        (left, left_strength), right_part = parts
        left = _wrap(left, left_strength, strength)
        right = _wrap(*right_part, strength + 1)
        if expr.op == "*":
            # y(1-y): a name or number followed by a bracket reads as a product
            joiner = "" if right.startswith("(") and left_strength == _ATOM else "·"
            return f"{left}{joiner}{right}", strength
        return f"{left}{expr.op}{right}", strength
    if isinstance(expr, Call):
        return _math_call(expr.function, parts)
    raise TypeError(f"formula: unknown node {expr!r}")


def _math_call(name: str, texts: list[tuple[str, int]]) -> tuple[str, int]:
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
