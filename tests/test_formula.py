"""One formula, several readings: the symbolic one prints what the float one computes."""

from __future__ import annotations

import math
import random
import struct

import pytest

from autodiff import formula, ops
from autodiff.formula import SYMBOLS, math_text, python, symbol

TEXTS = [
    (ops.ADD, ["1", "1"]),
    (ops.SUB, ["1", "-1"]),
    (ops.MUL, ["b", "a"]),
    (ops.DIV, ["1/b", "-y/b"]),
    (ops.Power(2), ["2·a"]),
    (ops.Power(3), ["3·a^2"]),
    (ops.Power(0.5), ["0.5·a^-0.5"]),
    (ops.Power(-1), ["-1·a^-2"]),
    (ops.POW, ["b·a^(b-1)", "y·ln a"]),
    (ops.EXP, ["y"]),
    (ops.LOG, ["1/a"]),
    (ops.SQRT, ["1/(2·y)"]),
    (ops.TANH, ["1-y²"]),
    (ops.SIGMOID, ["y(1-y)"]),
    (ops.RELU, ["[a>0]"]),
    (ops.ABS, ["sign(a)"]),
]


@pytest.mark.parametrize(("op", "expected"), TEXTS, ids=lambda x: getattr(x, "name", ""))
def test_edge_texts_come_from_the_derivative_formulas(op: ops.Op, expected: list[str]) -> None:
    """The text a drawing prints on an edge is the op's derivatives, read symbolically."""
    names = ["a", "b"][: len(expected)]
    assert op.formulas(names, "y") == expected


def test_python_source_keeps_the_order_of_float_operations() -> None:
    """a + (b + c) keeps its brackets: float addition is not associative."""
    a, b, c = symbol("a"), symbol("b"), symbol("c")
    assert python(a + (b + c)) == "a + (b + c)"
    assert python((a + b) + c) == "a + b + c"
    assert python(a - (b - c)) == "a - (b - c)"
    assert python(-a / b) == "-a / b"
    assert python(a * -1.0) == "a * (-1.0)"
    assert python(SYMBOLS.tanh(a) * 2.0) == "tanh(a) * 2.0"


@pytest.mark.parametrize("op", [op for op, _ in TEXTS], ids=lambda op: op.name)
def test_the_printed_source_computes_the_floats_bit_for_bit(op: ops.Op) -> None:
    """Evaluating the printed derivatives with FLOATS' functions gives op.forward's numbers."""
    rng = random.Random(7)
    arity = 2 if isinstance(op, ops.BinaryOp) else 1
    names = ["a", "b"][:arity]
    source = [python(d) for d in op.derivatives(SYMBOLS, symbol("y"), *map(symbol, names))]
    functions = {name: getattr(ops.FLOATS, name) for name in dir(ops.FLOATS) if name[0] != "_"}
    for _ in range(200):
        xs = [
            rng.uniform(0.1, 3.0) * rng.choice((1, -1) if op is not ops.POW else (1,))
            for _ in range(arity)
        ]
        if op in (ops.LOG, ops.SQRT) or (isinstance(op, ops.Power) and op.exponent == 0.5):
            xs = [abs(x) for x in xs]
        y, partials = op.forward(*xs)
        scope = dict(zip(names, xs), y=y, **functions)
        printed = tuple(float(eval(text, scope)) for text in source)
        assert printed == partials or all(math.isnan(p) for p in partials), (op.name, xs)


def test_a_power_in_a_formula_reads_as_the_algebras_power() -> None:
    """x ** 3 in a user's derivative works symbolically too: power(x, 3.0), shown x^3."""
    x = symbol("x")
    assert python(3.0 * x**2) == "3.0 * power(x, 2.0)"
    assert math_text(3.0 * x**2) == "3·x^2"


def test_an_op_with_only_forward_says_it_has_no_formula_text() -> None:
    """An op overriding forward() alone gets NotImplementedError from formulas, naming it."""

    class Twice(ops.Op):
        name = "twice"

        def forward(self, *xs: float) -> tuple[float, ops.Partials]:
            return 2 * xs[0], (2.0,)

    with pytest.raises(NotImplementedError, match="twice: this op computes its derivatives"):
        Twice().formulas(["x"], "y")


@pytest.mark.parametrize(
    "number", [math.inf, -math.inf, math.nan, -math.nan, -0.0, 0.0, 5e-324, -5e-324, 1e308]
)
def test_python_writes_every_float_so_it_reads_back_as_itself(number: float) -> None:
    """±inf, both NaN signs, -0.0, 5e-324, 1e308: the printed source evaluates to the same bits."""
    text = formula.python(formula.Number(number))
    back = eval(text, {})  # our own printer's output for a number, nothing else
    assert struct.pack("<d", back) == struct.pack("<d", number), text
    assert struct.pack("<d", eval(formula.python(formula.symbol("x") * number), {"x": 1.0})) == (
        struct.pack("<d", 1.0 * number)
    )


def test_printers_are_iterative() -> None:
    """A 10,000-term sum prints as Python and as math text without recursion."""
    xs = [formula.symbol(f"x{i}") for i in range(10_000)]
    total: formula.Expr = formula.Number(0.0)
    for x in xs:
        total = total + x * x
    text = formula.python(total)
    assert text.startswith("0.0 + x0 * x0 + x1 * x1") and text.endswith("x9999 * x9999")
    assert formula.math_text(total).startswith("0+x0²+x1²")


def test_python_statements_cut_a_deep_formula_and_keep_its_order() -> None:
    """A sum 10,000 deep becomes statements Python compiles, computing the same number."""
    total: formula.Expr = formula.Number(0.0)
    values = {f"x{i}": 1.0 / (i + 1) for i in range(10_000)}
    for name in values:
        total = total + formula.symbol(name) * 3.0
    before, final = formula.python_statements(total, "t", depth=50)
    assert len(before) > 100 and all(line.startswith("t") for line in before)
    namespace = dict(values)
    exec(compile("\n".join([*before, f"result = {final}"]), "<test>", "exec"), namespace)
    expected = 0.0
    for v in values.values():
        expected = expected + v * 3.0
    assert namespace["result"] == expected
