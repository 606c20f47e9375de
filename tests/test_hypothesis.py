"""Random expression graphs from hypothesis, with reused subexpressions, against SymPy.

A graph is a small program: three leaves, then steps that each apply an op to earlier
nodes (chosen as the k-th most recent, so chains grow deep and a node is often used more
than once: fan-out), and the output is the sum of every node the steps made, so each op
reaches the gradient. The same program
builds our ``Value`` graph and a SymPy expression; SymPy differentiates the expression and
evaluates it with 30 digits. Steps keep every op in its domain: ``log``, ``sqrt`` and the
base of a Value power only see ``u·u + 1``; ``exp`` only sees ``tanh(u)``; a node whose size
passes 10 is scaled by 1/64 (exact in binary). Constants enter SymPy as exact rationals
of the float our engine uses. ``relu`` and ``abs`` appear too, as the branch their
input's sign selects; an example whose kinked input is within 1e-9 of 0 is discarded.
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autodiff import Value
from tests import expressions

Node = tuple[Value, sympy.Expr]
LEAVES = 3

ONE = sympy.Integer(1)


def _positive(u: Node) -> Node:
    """u·u + 1, which is >= 1."""
    value, expr = u
    return value * value + 1, expr * expr + ONE


UNARY: dict[str, Callable[[Node], Node]] = {
    "neg": lambda u: (-u[0], -u[1]),
    "square": lambda u: (u[0] * u[0], u[1] * u[1]),
    "cube": lambda u: (u[0] ** 3, u[1] ** 3),
    "tanh": lambda u: (u[0].tanh(), sympy.tanh(u[1])),
    "sigmoid": lambda u: (u[0].sigmoid(), 1 / (1 + sympy.exp(-u[1]))),
    "exp_tanh": lambda u: (u[0].tanh().exp(), sympy.exp(sympy.tanh(u[1]))),
    "log": lambda u: (_positive(u)[0].log(), sympy.log(_positive(u)[1])),
    "sqrt": lambda u: (_positive(u)[0].sqrt(), sympy.sqrt(_positive(u)[1])),
    "rsqrt": lambda u: (_positive(u)[0] ** -0.5, _positive(u)[1] ** sympy.Rational(-1, 2)),
    # A derivative is local, and build() keeps kinked inputs away from 0, so near the
    # point relu(u) is u or 0 and |u| is u or -u: the branch taken is exact there, and
    # SymPy never sees a Piecewise or Abs (nested ones blow up its expressions).
    "relu": lambda u: (u[0].relu(), u[1] if u[0].data > 0 else sympy.Integer(0)),
    "abs": lambda u: (abs(u[0]), u[1] if u[0].data > 0 else -u[1]),
}

BINARY: dict[str, Callable[[Node, Node], Node]] = {
    "add": lambda u, v: (u[0] + v[0], u[1] + v[1]),
    "sub": lambda u, v: (u[0] - v[0], u[1] - v[1]),
    "mul": lambda u, v: (u[0] * v[0], u[1] * v[1]),
    "div": lambda u, v: (u[0] / _positive(v)[0], u[1] / _positive(v)[1]),
    "rdiv": lambda u, v: (
        2.5 / _positive(v)[0] + u[0],
        sympy.Rational(5, 2) / _positive(v)[1] + u[1],
    ),
    "pow": lambda u, v: (
        _positive(u)[0] ** v[0].tanh(),
        _positive(u)[1] ** sympy.tanh(v[1]),
    ),
}

KINKED = {"relu", "abs"}

# i, j count back from the newest node (0 is the newest): a step reads one of the last four
programs = expressions.programs(
    sorted(BINARY), unary=sorted(UNARY), reach=3, min_size=2, max_size=8
)
leaf = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


def build(xs: list[float], program: list[tuple[str, int, int]]) -> tuple[list[Node], Node]:
    """Run ``program`` on leaves ``xs``; return the leaves and the sum of the nodes it made."""
    symbols = [sympy.Symbol(f"x{i}", real=True) for i in range(len(xs))]
    leaves = [(Value(x), s) for x, s in zip(xs, symbols)]
    nodes: list[Node] = list(leaves)
    for name, i, j in program:
        u, v = nodes[-1 - i % len(nodes)], nodes[-1 - j % len(nodes)]
        if name in KINKED:
            assume(abs(u[0].data) > 1e-9)
        node = UNARY[name](u) if name in UNARY else BINARY[name](u, v)
        if abs(node[0].data) > 10.0:
            node = (node[0] * 0.015625, node[1] * sympy.Rational(1, 64))
        nodes.append(node)
    made = nodes[len(leaves) :]
    total = sum((value for value, _ in made[1:]), made[0][0])
    return leaves, (total, sympy.Add(*(expr for _, expr in made)))


def exact_gradient(leaves: list[Node], out: Node) -> list[float]:
    """d(out)/d(leaf) for each leaf, from SymPy, evaluated with 30 significant digits."""
    symbols = [s for _, s in leaves]
    point = [sympy.Rational(v.data) for v, _ in leaves]
    grads = []
    with mpmath.workdps(30):
        for s in symbols:
            derivative = sympy.lambdify(symbols, sympy.diff(out[1], s), modules="mpmath")
            grads.append(float(derivative(*[mpmath.mpf(p) for p in point])))
    return grads


@settings(max_examples=120, deadline=None)
@given(st.lists(leaf, min_size=LEAVES, max_size=LEAVES), programs)
def test_random_graphs_match_sympy(xs: list[float], program: list[tuple[str, int, int]]) -> None:
    """backward() on a random graph (with fan-out) gives SymPy's exact gradient to 1e-9."""
    leaves, out = build(xs, program)
    out[0].backward()
    expected = exact_gradient(leaves, out)
    for (value, _), exact in zip(leaves, expected):
        # float rounding through a few dozen ops, amplified by cancellation in sub and add
        assert abs(value.grad - exact) <= 1e-9 * max(1.0, abs(exact)), (program, xs)


@settings(max_examples=40, deadline=None)
@given(st.floats(-2.0, 2.0), st.integers(1, 6))
def test_fan_out_power_of_sums(x: float, uses: int) -> None:
    """A node used ``uses`` times in one sum gets d/dx (uses·x)² = 2·uses²·x."""
    a = Value(x)
    s = sum((a for _ in range(uses)), Value(0.0))
    out = s * s
    out.backward()
    assert abs(a.grad - 2 * uses**2 * x) <= 1e-12 * max(1.0, abs(2 * uses**2 * x))
