"""The primitive operations: each one's forward formula and local derivatives, side by side.

An op maps its input numbers ``x0, x1, ...`` to an output number ``y`` *and* to the
local partial derivatives ``∂y/∂x0, ∂y/∂x1, ...``, all as plain floats, computed once
at forward time. Those numbers are the single source of truth for everything that
follows: ``Value.backward`` multiplies them into the chain rule, drawings print them on
edges, the chain-rule explainer multiplies them along paths, and a recorded tape
re-runs ``forward`` to refresh them.

The one primitive with any number of inputs, the weighted sum ``b + Σ wᵢxᵢ``, has its
own module, ``weighted_sum.py``. Every other operation (subtraction, division, negation,
the reflected operators) is composed from these in ``value.py`` and needs no derivative
code of its own.

Input checks live here too, beside the formula they protect. An op raises
``ValueError``, ``ZeroDivisionError`` or ``OverflowError`` with a message naming
itself and the offending number; ``Value`` adds the node's label to that message.
"""

from __future__ import annotations

import math

Partials = tuple[float, ...]


class Op:
    """A primitive: ``forward(*inputs) -> (output, partials)``.

    ``name`` is how the op is shown in drawings and messages. ``formulas`` returns,
    for each input, the local derivative as text (``"∂c/∂a = b"``), built from the
    names of the inputs and of the output; it only ever *describes* the number that
    ``forward`` computed.
    """

    __slots__ = ()
    name = "op"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        """Return the output and ``∂output/∂input`` for every input."""
        raise NotImplementedError

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        """Each input's local derivative as a formula in the given names."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<op {self.name}>"


class Add(Op):
    """``y = a + b``; ``∂y/∂a = 1``, ``∂y/∂b = 1``."""

    __slots__ = ()
    name = "+"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        a, b = inputs
        return a + b, (1.0, 1.0)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return ["1", "1"]


class Mul(Op):
    """``y = a · b``; ``∂y/∂a = b``, ``∂y/∂b = a``."""

    __slots__ = ()
    name = "*"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        a, b = inputs
        return a * b, (b, a)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [inputs[1], inputs[0]]


class Power(Op):
    """``y = x ** p`` for a constant real ``p``; ``∂y/∂x = p · x ** (p - 1)``.

    Defined for ``x > 0`` and any ``p``, for ``x < 0`` only when ``p`` is a whole
    number (otherwise the result is complex), and for ``x = 0`` only when ``p >= 0``.
    At ``x = 0`` with ``0 < p < 1`` (a square root, say) the slope is infinite and
    the partial is ``inf``.
    """

    __slots__ = ("exponent",)

    def __init__(self, exponent: float) -> None:
        if exponent != exponent:  # NaN: x ** nan would be a silent NaN node
            raise ValueError("pow: the exponent is NaN")
        self.exponent = exponent

    @property
    def name(self) -> str:  # type: ignore[override]  # the exponent is part of the name
        return f"**{_short(self.exponent)}"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        p = self.exponent
        if x == 0.0 and p < 0.0:
            raise ValueError(f"pow: 0 ** {_short(p)} is undefined (division by zero)")
        if x < 0.0 and not float(p).is_integer():
            raise ValueError(f"pow: {x!r} ** {_short(p)} is not a real number")
        try:
            y = x**p
            if p == 0.0:
                slope = 0.0
            elif x == 0.0 and p < 1.0:
                slope = math.inf
            else:
                # the same expression as micrograd, so results stay bit-identical
                slope = p * x ** (p - 1)
        except OverflowError:
            raise OverflowError(f"pow: {x!r} ** {_short(p)} overflows a float") from None
        return y, (slope,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        p, x = self.exponent, inputs[0]
        if p == 2:
            return [f"2·{x}"]
        if p == 0:
            return ["0"]
        return [f"{_short(p)}·{x}^{_short(p - 1)}"]


class Pow(Op):
    """``y = a ** b`` with both inputs variable; ``∂y/∂a = b · a ** (b - 1)``, ``∂y/∂b = y · ln a``.

    The exponent's partial needs ``ln a``, so the base must be positive.
    """

    __slots__ = ()
    name = "**"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        a, b = inputs
        if a <= 0.0:
            raise ValueError(
                f"pow: base must be > 0 when the exponent is a Value "
                f"(∂y/∂exponent = y·ln(base)), got base {a!r}; "
                "use a plain number as the exponent for a constant power"
            )
        try:
            y = a**b
            return y, (b * a ** (b - 1.0), y * math.log(a))
        except OverflowError:
            raise OverflowError(f"pow: {a!r} ** {b!r} overflows a float") from None

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        a, b = inputs
        return [f"{b}·{a}^({b}-1)", f"{output}·ln {a}"]


class Exp(Op):
    """``y = e ** x``; ``∂y/∂x = e ** x = y``."""

    __slots__ = ()
    name = "exp"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        try:
            y = math.exp(x)
        except OverflowError:
            raise OverflowError(
                f"exp: exp({x!r}) overflows a float (the largest is exp(709.78))"
            ) from None
        return y, (y,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [output]


class Log(Op):
    """``y = ln x`` for ``x > 0``; ``∂y/∂x = 1 / x``."""

    __slots__ = ()
    name = "log"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        if x <= 0.0:
            raise ValueError(f"log: input must be > 0, got {x!r}")
        return math.log(x), (1.0 / x,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"1/{inputs[0]}"]


class Sqrt(Op):
    """``y = √x`` for ``x >= 0``; ``∂y/∂x = 1 / (2√x)``, infinite at ``x = 0``."""

    __slots__ = ()
    name = "sqrt"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        if x < 0.0:
            raise ValueError(f"sqrt: input must be >= 0, got {x!r}")
        y = math.sqrt(x)
        return y, (0.5 / y if y > 0.0 else math.inf,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"1/(2·{output})"]


class Tanh(Op):
    """``y = tanh x``; ``∂y/∂x = 1 - y²``.

    ``math.tanh`` saturates to ±1 for large ``|x|`` instead of overflowing the way
    ``(e^2x - 1)/(e^2x + 1)`` would.
    """

    __slots__ = ()
    name = "tanh"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        y = math.tanh(x)
        return y, (1.0 - y * y,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"1-{output}²"]


class Sigmoid(Op):
    """``y = σ(x) = 1 / (1 + e^-x)``; ``∂y/∂x = σ(x)(1 - σ(x)) = y(1 - y)``.

    For negative ``x`` the equal form ``e^x / (1 + e^x)`` is used, so ``e^-x`` never
    overflows: both branches stay finite at ``x = ±1000``.
    """

    __slots__ = ()
    name = "sigmoid"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        if x >= 0.0:
            y = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            y = e / (1.0 + e)
        return y, (y * (1.0 - y),)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"{output}(1-{output})"]


class ReLU(Op):
    """``y = max(0, x)``; ``∂y/∂x = 1`` for ``x > 0``, else ``0`` (0 at the kink, as micrograd)."""

    __slots__ = ()
    name = "relu"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        if x > 0.0:
            return x, (1.0,)
        return 0.0, (0.0,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"[{inputs[0]}>0]"]


class Abs(Op):
    """``y = |x|``; ``∂y/∂x = sign(x)``, taking the subgradient ``0`` at ``x = 0``."""

    __slots__ = ()
    name = "abs"

    def forward(self, *inputs: float) -> tuple[float, Partials]:
        (x,) = inputs
        if x > 0.0:
            return x, (1.0,)
        if x < 0.0:
            return -x, (-1.0,)
        return 0.0, (0.0,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"sign({inputs[0]})"]


def _short(number: float) -> str:
    """``2.0 -> '2'``, ``0.5 -> '0.5'``: exponents read like math, not like floats."""
    return f"{number:g}"


ADD = Add()
MUL = Mul()
POW = Pow()
EXP = Exp()
LOG = Log()
SQRT = Sqrt()
TANH = Tanh()
SIGMOID = Sigmoid()
RELU = ReLU()
ABS = Abs()
