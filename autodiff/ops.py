"""The primitive operations: each one's forward formula and local derivatives, written once.

An op maps its inputs ``x0, x1, ...`` to an output ``y`` and has a local partial derivative
``∂y/∂xᵢ`` for every input. Each op below writes both as two short methods:

- ``output(m, *xs)``: the forward formula, ``y`` as an expression in the inputs;
- ``derivatives(m, y, *xs)``: the local derivatives, one per input, as expressions in the
  inputs and the output.

They are ordinary Python arithmetic plus a few named functions of the *algebra* ``m``
(see ``formula.py``). Read with floats and :data:`FLOATS` they give the numbers the engine
stores at forward time (``forward`` below); ``Value.backward`` multiplies those numbers
into the chain rule, drawings print them on edges and the explainer multiplies them along
paths. Read with ``Value`` nodes they build a derivative graph (``autodiff.grad``), and
read with symbols they become the formula text of a drawing and the source code that
``autodiff.compile`` generates. So "where is the derivative of tanh?" has one answer:
``Tanh.derivatives``, three lines below ``Tanh.output``.

Every other operation (negation, the reflected operators, ``x ** -1`` ...) is composed
from these in ``value.py`` and needs no derivative code of its own.

Input checks live in :class:`Floats`, beside the float meaning of the functions they
protect: an op raises ``ValueError``, ``ZeroDivisionError`` or ``OverflowError`` with a
message naming itself and the offending number; ``Value`` adds the node's label.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .formula import SYMBOLS, Algebra, math_text, symbol

Partials = tuple[float, ...]


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
        """``1/x``, ``+inf`` at ``x = 0``: the slope of ``√x`` (or ``x^p``, ``p < 1``) there."""
        return 1.0 / x if x != 0.0 else math.inf


FLOATS = Floats()
"""The algebra the engine computes with: ``op.output(FLOATS, 2.0)`` is a number."""


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
        slopes = self.derivatives(SYMBOLS, symbol(output), *map(symbol, inputs))
        return [math_text(slope) for slope in slopes]

    def __repr__(self) -> str:
        return f"<op {self.name}>"


class UnaryOp(Op):
    """An op of one input ``x``: ``output(m, x)``, ``derivatives(m, y, x) -> (∂y/∂x,)``."""

    __slots__ = ()

    # Fixed arity instead of *xs: Python calls these through its fast path, which makes
    # building a node about a third cheaper.
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


class Add(BinaryOp):
    """``y = a + b``; ``∂y/∂a = 1``, ``∂y/∂b = 1``."""

    __slots__ = ()
    name = "+"

    def output(self, m: Algebra, a: Any, b: Any) -> Any:
        return a + b

    def derivatives(self, m: Algebra, y: Any, a: Any, b: Any) -> tuple[Any, ...]:
        return (1.0, 1.0)


class Sub(BinaryOp):
    """``y = a - b``; ``∂y/∂a = 1``, ``∂y/∂b = -1``: the lecture's error ``d - y`` in one step."""

    __slots__ = ()
    name = "-"

    def output(self, m: Algebra, a: Any, b: Any) -> Any:
        return a - b

    def derivatives(self, m: Algebra, y: Any, a: Any, b: Any) -> tuple[Any, ...]:
        return (1.0, -1.0)


class Mul(BinaryOp):
    """``y = a · b``; ``∂y/∂a = b``, ``∂y/∂b = a``."""

    __slots__ = ()
    name = "*"

    def output(self, m: Algebra, a: Any, b: Any) -> Any:
        return a * b

    def derivatives(self, m: Algebra, y: Any, a: Any, b: Any) -> tuple[Any, ...]:
        return (b, a)


class Div(BinaryOp):
    """``y = a / b`` for ``b ≠ 0``; ``∂y/∂a = 1/b``, ``∂y/∂b = -a/b² = -y/b``.

    A true division, not micrograd's ``a · b^-1``: ``x / x`` is exactly 1 and its
    derivative exactly 0. The price: ``a / b`` and ``a · (1/b)`` can differ in the last
    bit, so a quotient is not always bit-identical to micrograd's.
    """

    __slots__ = ()
    name = "/"

    def output(self, m: Algebra, a: Any, b: Any) -> Any:
        return a / b

    def derivatives(self, m: Algebra, y: Any, a: Any, b: Any) -> tuple[Any, ...]:
        return (1.0 / b, -y / b)


class Power(UnaryOp):
    """``y = x^p`` for a constant real ``p``; ``∂y/∂x = p · x^(p-1)``.

    Defined for ``x > 0`` and any ``p``, for ``x < 0`` only when ``p`` is a whole number,
    for ``x = 0`` only when ``p >= 0``. For ``0 < p < 1`` (a square root, say) the slope
    is infinite at ``x = 0``: it is written ``p · 1/x^(1-p)``, which is ``inf`` there
    rather than an error.
    """

    __slots__ = ("exponent",)

    def __init__(self, exponent: float) -> None:
        if exponent != exponent:  # NaN: x ** nan would be a silent NaN node
            raise ValueError("pow: the exponent is NaN")
        self.exponent = exponent

    @property
    def name(self) -> str:  # type: ignore[override]  # the exponent is part of the name
        return f"**{_short(self.exponent)}"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.power(x, self.exponent)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        p = self.exponent
        if p == 0.0:
            return (0.0,)
        if p == 2.0:
            return (2.0 * x,)  # 2·x^1, the same number as micrograd's, read as 2·x
        if 0.0 < p < 1.0:
            return (p * m.reciprocal(m.power(x, 1.0 - p)),)
        return (p * m.power(x, p - 1.0),)


class Pow(BinaryOp):
    """``y = a^b`` with both inputs variable; ``∂y/∂a = b · a^(b-1)``, ``∂y/∂b = y · ln a``.

    The exponent's partial needs ``ln a``, so the base must be positive.
    """

    __slots__ = ()
    name = "**"

    def output(self, m: Algebra, a: Any, b: Any) -> Any:
        return m.positive_power(a, b)

    def derivatives(self, m: Algebra, y: Any, a: Any, b: Any) -> tuple[Any, ...]:
        return (b * m.positive_power(a, b - 1.0), y * m.log(a))


class Exp(UnaryOp):
    """``y = e^x``; ``∂y/∂x = e^x = y``."""

    __slots__ = ()
    name = "exp"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.exp(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (y,)


class Log(UnaryOp):
    """``y = ln x`` for ``x > 0``; ``∂y/∂x = 1/x``."""

    __slots__ = ()
    name = "log"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.log(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (1.0 / x,)


class Sqrt(UnaryOp):
    """``y = √x`` for ``x >= 0``; ``∂y/∂x = 1/(2√x) = 1/(2y)``, infinite at ``x = 0``."""

    __slots__ = ()
    name = "sqrt"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.sqrt(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (m.reciprocal(2.0 * y),)


class Tanh(UnaryOp):
    """``y = tanh x``; ``∂y/∂x = 1 - tanh²x = 1 - y²``."""

    __slots__ = ()
    name = "tanh"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.tanh(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (1.0 - y * y,)


class Sigmoid(UnaryOp):
    """``y = σ(x) = 1/(1 + e^-x)``; ``∂y/∂x = σ(x)(1 - σ(x)) = y(1 - y)``."""

    __slots__ = ()
    name = "sigmoid"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.sigmoid(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (y * (1.0 - y),)


class ReLU(UnaryOp):
    """``y = max(0, x)``; ``∂y/∂x = [x > 0]``: 1 for ``x > 0``, else 0 (kink too, as micrograd).

    Its second derivative is 0 everywhere it exists; at the kink it does not, and the
    engine takes 0 there too (the derivative graph treats ``[x > 0]`` as a constant).
    """

    __slots__ = ()
    name = "relu"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.relu(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (m.step(x),)


class Abs(UnaryOp):
    """``y = |x|``; ``∂y/∂x = sign x``, taking the subgradient 0 at ``x = 0``.

    As with relu, the second derivative is taken as 0 everywhere, the kink included.
    """

    __slots__ = ()
    name = "abs"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.abs(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (m.sign(x),)


class Dot(Op):
    """``z = b + Σᵢ wᵢ·xᵢ`` (bias optional); ``∂z/∂wᵢ = xᵢ``, ``∂z/∂xᵢ = wᵢ``, ``∂z/∂b = 1``.

    The perceptron's weighted sum as one node instead of ``2n``, with exactly the
    lecture's local derivatives. Inputs are laid out as ``w0..wn-1, x0..xn-1[, b]``.
    The sum starts at ``b`` and adds ``wᵢ·xᵢ`` left to right, the order of micrograd's
    neuron, so the result is bit-identical to it.
    """

    __slots__ = ("has_bias",)

    def __init__(self, has_bias: bool) -> None:
        self.has_bias = has_bias

    @property
    def name(self) -> str:  # type: ignore[override]  # says whether a bias is present
        return "dot+b" if self.has_bias else "dot"

    def output(self, m: Algebra, *xs: Any) -> Any:
        n = len(xs) // 2
        total = xs[2 * n] if self.has_bias else 0.0
        for w, x in zip(xs[:n], xs[n : 2 * n]):
            total = total + w * x
        return total

    def derivatives(self, m: Algebra, y: Any, *xs: Any) -> tuple[Any, ...]:
        n = len(xs) // 2
        return xs[n : 2 * n] + xs[:n] + ((1.0,) if self.has_bias else ())


class Reciprocal(UnaryOp):
    """``y = 1/x``, taken as ``+inf`` at ``x = 0``; ``∂y/∂x = -1/x² = -y²``, ``-inf`` at 0.

    No ``Value`` method makes it: derivative graphs do, where a formula says
    ``m.reciprocal`` (the slope of ``√x`` is ``1/(2√x)``). As a node of its own, the
    infinite slope of ``√x`` at 0 has an infinite slope again (``-inf``, as PyTorch
    gives), never a silent 0.
    """

    __slots__ = ()
    name = "1/x"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.reciprocal(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (-y * y,)


def _short(number: float) -> str:
    """``2.0 -> '2'``, ``0.5 -> '0.5'``: exponents read like math, not like floats."""
    return f"{number:g}"


ADD = Add()
SUB = Sub()
MUL = Mul()
DIV = Div()
POW = Pow()
EXP = Exp()
LOG = Log()
SQRT = Sqrt()
TANH = Tanh()
SIGMOID = Sigmoid()
RELU = ReLU()
ABS = Abs()
RECIPROCAL = Reciprocal()
DOT = Dot(has_bias=False)
DOT_BIAS = Dot(has_bias=True)
