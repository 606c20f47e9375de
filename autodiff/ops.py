"""The primitive operations: each one's forward formula and local derivatives, written once.

An op maps its inputs ``x0, x1, ...`` to an output ``y``. Each op below states two formulas,
the forward one a few lines above its local derivatives ``∂y/∂xᵢ``:

- ``output(m, *xs)``: ``y`` as an expression in the inputs;
- ``derivatives(m, y, *xs)``: one local derivative per input, in the inputs and the output.

``m`` is the ``math`` module, swapped (``algebra.py``): read with floats the formulas give
the numbers a node stores when it is made (its ``partials``, which ``backward()``
multiplies); read with ``Value`` nodes they build a derivative graph (``autodiff.grad``);
read with symbols they become a drawing's formula text and the code ``autodiff.compile``
writes. So "where is the derivative of tanh?" has one answer: ``Tanh.derivatives``, three
lines below ``Tanh.output``.

The ops come in the order of ``Value``'s methods (``value.py``); every other operation
(negation, the reflected operators, ``x ** -1`` ...) is composed from them there and needs
no derivative of its own. What an op is (the classes ``Op``, ``UnaryOp``, ``BinaryOp``)
is in ``primitive.py``; the domain checks (``log`` of a negative number ...) are in the
float reading of the algebra, ``algebra.Floats``.
"""

from __future__ import annotations

from typing import Any

from .algebra import FLOATS as FLOATS  # re-exported: ops.FLOATS is the float reading
from .algebra import Algebra

# re-exported (the "as"), so that ops.Op, ops.UnaryOp ... are where a user looks for them
from .primitive import BinaryOp as BinaryOp
from .primitive import Op as Op
from .primitive import Partials as Partials
from .primitive import UnaryOp as UnaryOp


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
    for ``x = 0`` only when ``p >= 0``. For ``0 < p < 1`` (a square root, say) the local derivative
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


# --- ops with no Value method: the algebra's Value reading builds them -------------------


class Sin(UnaryOp):
    """``y = sin x``; ``∂y/∂x = cos x``. Made by ``m.sin`` in a formula read with Values."""

    __slots__ = ()
    name = "sin"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.sin(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (m.cos(x),)


class Cos(UnaryOp):
    """``y = cos x``; ``∂y/∂x = -sin x``. Made by ``m.cos`` in a formula read with Values."""

    __slots__ = ()
    name = "cos"

    def output(self, m: Algebra, x: Any) -> Any:
        return m.cos(x)

    def derivatives(self, m: Algebra, y: Any, x: Any) -> tuple[Any, ...]:
        return (-m.sin(x),)


class Reciprocal(UnaryOp):
    """``y = 1/x``, taken as ``+inf`` at ``x = 0``; ``∂y/∂x = -1/x² = -y²``, ``-inf`` at 0.

    No ``Value`` method makes it: derivative graphs do, where a formula says
    ``m.reciprocal`` (the local derivative of ``√x`` is ``1/(2√x)``). As a node of its
    own, the infinite local derivative of ``√x`` at 0 has an infinite derivative again
    (``-inf``, as PyTorch gives), never a silent 0.
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
DOT = Dot(has_bias=False)
DOT_BIAS = Dot(has_bias=True)
SIN = Sin()
COS = Cos()
RECIPROCAL = Reciprocal()
