"""Every op's value and gradients against SymPy's exact derivative, and against central differences.

SymPy differentiates each expression symbolically and evaluates the derivative with 30
significant digits; our float gradients must agree to ``REL`` relative error. Points stay
where float64 keeps that precision (tanh and sigmoid within |x| <= 4: for large |x| the
slope 1 - y² is a difference of nearly equal numbers, and loses relative digits in any
float implementation, not only ours).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sympy

from autodiff import Value, apply, dot, gradcheck, ops

REL = 1e-12
POINTS = 20


@dataclass(frozen=True)
class Case:
    """An operation on Values, the same operation in SymPy, and where to sample its inputs."""

    name: str
    ours: Callable[..., Value]
    exact: Callable[..., sympy.Expr]
    domains: tuple[tuple[float, float], ...]


def _sigmoid(x: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-x))


def _relu(x: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise((x, x > 0), (0, True))


ANY = (-3.0, 3.0)
POSITIVE = (0.05, 4.0)
NEGATIVE = (-4.0, -0.05)

CASES = [
    Case("add", lambda a, b: a + b, lambda a, b: a + b, (ANY, ANY)),
    Case("mul", lambda a, b: a * b, lambda a, b: a * b, (ANY, ANY)),
    Case("pow 2", lambda a: a**2, lambda a: a**2, (ANY,)),
    Case("pow 3", lambda a: a**3, lambda a: a**3, (ANY,)),
    Case("pow -1", lambda a: a**-1, lambda a: a**-1, (POSITIVE,)),
    Case("pow -1 negative base", lambda a: a**-1, lambda a: a**-1, (NEGATIVE,)),
    Case("pow -2 negative base", lambda a: a**-2, lambda a: a**-2, (NEGATIVE,)),
    Case("pow 0.5", lambda a: a**0.5, lambda a: a ** sympy.Rational(1, 2), (POSITIVE,)),
    Case("pow 1.5", lambda a: a**1.5, lambda a: a ** sympy.Rational(3, 2), (POSITIVE,)),
    Case("pow -2.5", lambda a: a**-2.5, lambda a: a ** sympy.Rational(-5, 2), (POSITIVE,)),
    Case("pow Value exponent", lambda a, b: a**b, lambda a, b: a**b, (POSITIVE, ANY)),
    Case("exp", lambda a: a.exp(), sympy.exp, (ANY,)),
    Case("log", lambda a: a.log(), sympy.log, (POSITIVE,)),
    Case("tanh", lambda a: a.tanh(), sympy.tanh, ((-4.0, 4.0),)),
    Case("sigmoid", lambda a: a.sigmoid(), _sigmoid, ((-4.0, 4.0),)),
    Case("relu", lambda a: a.relu(), _relu, (ANY,)),
    Case("abs", lambda a: abs(a), sympy.Abs, (ANY,)),
    Case("sqrt", lambda a: a.sqrt(), sympy.sqrt, (POSITIVE,)),
    # made by derivative graphs only (the slope of √x), never by a Value method
    Case("reciprocal", lambda a: apply(ops.RECIPROCAL, a), lambda a: 1 / a, (NEGATIVE,)),
    # the algebra's m.sin and m.cos, read with Values (a formula of your own can use them)
    Case("sin", lambda a: apply(ops.SIN, a), sympy.sin, ((-7.0, 7.0),)),
    Case("cos", lambda a: apply(ops.COS, a), sympy.cos, ((-7.0, 7.0),)),
    Case(
        "dot with bias",
        lambda w0, w1, w2, x0, x1, x2, b: dot([w0, w1, w2], [x0, x1, x2], b),
        lambda w0, w1, w2, x0, x1, x2, b: w0 * x0 + w1 * x1 + w2 * x2 + b,
        (ANY,) * 7,
    ),
    Case(
        "dot without bias",
        lambda w0, w1, x0, x1: dot([w0, w1], [x0, x1]),
        lambda w0, w1, x0, x1: w0 * x0 + w1 * x1,
        (ANY,) * 4,
    ),
    Case("sub", lambda a, b: a - b, lambda a, b: a - b, (ANY, ANY)),
    Case("div", lambda a, b: a / b, lambda a, b: a / b, (ANY, POSITIVE)),
    Case("neg", lambda a: -a, lambda a: -a, (ANY,)),
    Case("rsub", lambda a: 2.5 - a, lambda a: sympy.Float(2.5) - a, (ANY,)),
    Case("rtruediv", lambda a: 2.5 / a, lambda a: sympy.Float(2.5) / a, (NEGATIVE,)),
    Case("rpow", lambda a: 2.5**a, lambda a: sympy.Rational(5, 2) ** a, (ANY,)),
    Case("radd", lambda a: 2.5 + a, lambda a: sympy.Float(2.5) + a, (ANY,)),
    Case("rmul", lambda a: 2.5 * a, lambda a: sympy.Float(2.5) * a, (ANY,)),
]


def _points(case: Case) -> list[list[float]]:
    """POINTS input tuples drawn from the case's domains, the same on every run."""
    rng = random.Random(case.name)
    return [[rng.uniform(lo, hi) for lo, hi in case.domains] for _ in range(POINTS)]


def _exact(case: Case) -> tuple[sympy.Expr, list[sympy.Expr], list[sympy.Symbol]]:
    """The SymPy expression, its derivative in each input, and the input symbols."""
    symbols = [sympy.Symbol(f"s{i}", real=True) for i in range(len(case.domains))]
    expression = case.exact(*symbols)
    return expression, [sympy.diff(expression, s) for s in symbols], symbols


def _evaluate(expression: sympy.Expr, symbols: list[sympy.Symbol], point: list[float]) -> float:
    exact = {s: sympy.Float(x, 30) for s, x in zip(symbols, point)}
    return float(expression.evalf(30, subs=exact))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_value_and_gradients_match_sympy(case: Case) -> None:
    """data and every input's grad equal SymPy's exact value and derivative to 1e-12."""
    expression, derivatives, symbols = _exact(case)
    for point in _points(case):
        leaves = [Value(x) for x in point]
        out = case.ours(*leaves)
        out.backward()
        assert out.data == pytest.approx(_evaluate(expression, symbols, point), rel=REL, abs=0)
        for leaf, derivative in zip(leaves, derivatives):
            expected = _evaluate(derivative, symbols, point)
            assert leaf.grad == pytest.approx(expected, rel=REL, abs=1e-300), (case.name, point)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_gradients_match_central_differences(case: Case) -> None:
    """gradcheck finds every input's grad and every local rule in agreement."""
    for point in _points(case)[:5]:
        report = gradcheck(case.ours, point, inner=True)
        assert report.ok, str(report)


def test_every_primitive_is_covered() -> None:
    """Each primitive op in ops.py appears in the cases above (a new op needs a case)."""
    from autodiff import ops

    covered = set()
    for case in CASES:
        for point in _points(case)[:1]:
            out = case.ours(*[Value(x) for x in point])
            node_ops = [out._op, *(p._op for p in out._parents)]
            covered |= {type(op) for op in node_ops if op is not None}
    primitives = {
        cls
        for cls in vars(ops).values()
        if isinstance(cls, type)
        and issubclass(cls, ops.Op)
        and cls not in (ops.Op, ops.UnaryOp, ops.BinaryOp)
    }
    assert primitives <= covered, primitives - covered
