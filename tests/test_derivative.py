"""``autodiff.grad``: derivatives as graphs, against SymPy, PyTorch and ``backward()``.

The random expressions are small programs: two leaves ``x, y``, then steps that each
apply an op to earlier nodes picked at random (so a node is often used more than once:
fan-out), the output being the last node. The same program builds a ``Value`` graph, a
SymPy expression and (when torch is installed) a float64 torch graph. Steps keep every op
in its domain: ``log``, ``sqrt`` and the base of a variable power only see ``u·u + 1``,
``exp`` only ``tanh(u)``, a divisor is ``u·u + 1``.
"""

from __future__ import annotations

import importlib.util
import math
import random
from collections.abc import Callable
from typing import Any

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autodiff import Constant, Value, apply, ops, to_text, topological_order
from autodiff.derivative import VALUES, grad, hessian
from tests import expressions

# --- one recipe, three engines ------------------------------------------------------------

Recipe = list[tuple[str, int, int]]


class ValueKit:
    """The recipe's functions on ``Value`` nodes."""

    tanh = staticmethod(lambda u: u.tanh())
    sigmoid = staticmethod(lambda u: u.sigmoid())
    exp = staticmethod(lambda u: u.exp())
    log = staticmethod(lambda u: u.log())
    sqrt = staticmethod(lambda u: u.sqrt())


class SympyKit:
    """The recipe's functions on SymPy expressions."""

    tanh = staticmethod(sympy.tanh)
    sigmoid = staticmethod(lambda u: 1 / (1 + sympy.exp(-u)))
    exp = staticmethod(sympy.exp)
    log = staticmethod(sympy.log)
    sqrt = staticmethod(sympy.sqrt)


STEPS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "add": lambda k, a, b: a + b,
    "sub": lambda k, a, b: a - b,
    "mul": lambda k, a, b: a * b,
    "div": lambda k, a, b: a / (b * b + 1),
    "tanh": lambda k, a, b: k.tanh(a),
    "sigmoid": lambda k, a, b: k.sigmoid(a),
    "exp": lambda k, a, b: k.exp(k.tanh(a)),
    "log": lambda k, a, b: k.log(a * a + 1),
    "sqrt": lambda k, a, b: k.sqrt(a * a + 1),
    "cube": lambda k, a, b: a**3,
    "inverse": lambda k, a, b: (a * a + 1) ** -1,
    "root": lambda k, a, b: (a * a + 1) ** 0.5,
    "power": lambda k, a, b: (a * a + 1) ** k.tanh(b),
}


def build(recipe: Recipe, leaves: list[Any], kit: Any) -> Any:
    """Run ``recipe`` on ``leaves`` with ``kit``'s functions; the last node is the output."""
    return expressions.run(recipe, leaves, lambda name, a, b: STEPS[name](kit, a, b))[-1]


recipes = expressions.programs(sorted(STEPS), max_size=7)
points = st.floats(-1.5, 1.5, allow_nan=False)


def close(ours: float, exact: float) -> float:
    """The error of ``ours`` relative to ``max(1, |exact|)``."""
    return abs(ours - exact) / max(1.0, abs(exact))


SX, SY = sympy.symbols("x y")


def sympy_derivatives(recipe: Recipe, x0: float, y0: float) -> dict[str, float]:
    """SymPy's first, mixed and second derivatives of the recipe at ``(x0, y0)``."""
    f = build(recipe, [SX, SY], SympyKit)
    f = sympy.sympify(f)
    at = {SX: sympy.Float(x0, 30), SY: sympy.Float(y0, 30)}
    wanted = {
        "x": (SX,),
        "y": (SY,),
        "xx": (SX, SX),
        "xy": (SX, SY),
        "yx": (SY, SX),
        "yy": (SY, SY),
        "xxx": (SX, SX, SX),
    }
    return {k: float(sympy.diff(f, *v).evalf(30, subs=at)) for k, v in wanted.items()}


def our_derivatives(recipe: Recipe, x0: float, y0: float) -> dict[str, float]:
    """``grad``'s derivatives, each a grad of a grad: ``xy`` is ∂/∂y (∂f/∂x)."""
    x, y = Value(x0, label="x"), Value(y0, label="y")
    f = build(recipe, [x, y], ValueKit)
    if not isinstance(f, Value):
        f = Value(f)
    dx, dy = grad(f, [x, y])
    dxx, dxy = grad(dx, [x, y])
    dyx, dyy = grad(dy, [x, y])
    dxxx = grad(dxx, x)
    return {
        "x": dx.data,
        "y": dy.data,
        "xx": dxx.data,
        "xy": dxy.data,
        "yx": dyx.data,
        "yy": dyy.data,
        "xxx": dxxx.data,
    }


# --- the float partials and the Value partials come from one formula ---------------------


def _cases() -> list[tuple[ops.Op, list[float]]]:
    """Every primitive with random inputs in its domain, and its kinks."""
    rng = random.Random(15)
    unary = [ops.EXP, ops.TANH, ops.SIGMOID, ops.RELU, ops.ABS]
    cases: list[tuple[ops.Op, list[float]]] = []
    for _ in range(40):
        u, v, w = (rng.uniform(-3, 3) for _ in range(3))
        pos = rng.uniform(0.01, 4)
        cases += [(op, [u]) for op in unary]
        cases += [(op, [u, v]) for op in (ops.ADD, ops.SUB, ops.MUL)]
        cases += [(ops.DIV, [u, v]), (ops.POW, [pos, v]), (ops.LOG, [pos]), (ops.SQRT, [pos])]
        cases += [(ops.Power(p), [u]) for p in (0.0, 1.0, 2.0, 3.0, -1.0, -2.0)]
        cases += [(ops.Power(p), [pos]) for p in (0.5, 1.5, -0.5, 2.7)]
        cases += [(ops.DOT, [u, v, w, pos]), (ops.DOT_BIAS, [u, v, w, pos, v])]
        cases += [(ops.RECIPROCAL, [u]), (ops.SIN, [u]), (ops.COS, [u])]
    kinks = [(ops.RELU, [0.0]), (ops.ABS, [0.0]), (ops.SQRT, [0.0]), (ops.RECIPROCAL, [0.0])]
    kinks += [(ops.Power(p), [0.0]) for p in (0.5, 0.25, 1.0, 2.0, 3.0, 1.5)]
    return cases + kinks


def _as_number(partial: Any) -> float:
    return partial.data if isinstance(partial, Value) else float(partial)


def test_float_and_value_partials_agree_on_every_op() -> None:
    """Float partials equal ``op.derivatives(VALUES, ...)`` bit for bit, kinks included."""
    cases = _cases()
    covered = {type(op) for op, _ in cases}
    builtin = {type(v) for v in vars(ops).values() if isinstance(v, ops.Op)}
    assert builtin <= covered, f"ops without a case: {builtin - covered}"
    for op, inputs in cases:
        node = apply(op, *[Value(x) for x in inputs])
        as_values = [_as_number(d) for d in op.derivatives(VALUES, node, *node.parents)]
        assert as_values == list(node.partials), (op, inputs)


@pytest.mark.parametrize("op", ["relu", "abs"])
@pytest.mark.parametrize("x0", [-1.3, 0.0, 0.7])
def test_kinked_slopes_are_constants(op: str, x0: float) -> None:
    """relu's and abs's slopes are constants read from x: second derivative 0, also at 0."""
    x = Value(x0, label="x")
    f = getattr(x, op)() * 3.0
    df = grad(f, x)
    expected = {"relu": float(x0 > 0), "abs": math.copysign(1.0, x0) if x0 else 0.0}[op]
    assert df.data == 3.0 * expected
    d2 = grad(df, x)
    assert isinstance(d2, Constant)
    assert d2.data == 0.0


def test_infinite_slope_is_inf() -> None:
    """√x at 0 has slope +inf, as ``backward()`` stores it, rather than an error."""
    x = Value(0.0, label="x")
    assert grad(x.sqrt(), x).data == math.inf
    x.sqrt().backward()
    assert x.grad == math.inf


_AT_ZERO = [("sqrt", None), ("pow", 0.5), ("pow", 0.25), ("pow", 1.5), ("pow", 2.5), ("pow", 1.0)]


@pytest.mark.parametrize(("kind", "p"), _AT_ZERO)
def test_derivatives_at_zero_match_sympy_limits(kind: str, p: float | None) -> None:
    """At x = 0, the first three derivatives of √x and x^p are SymPy's one-sided limits.

    The second derivative of √x at 0 was a finite 0 (the slope +inf was held as a
    constant); it is -inf, as SymPy's limit and PyTorch say.
    """
    x = Value(0.0, label="x")
    f = x.sqrt() if kind == "sqrt" else x**p
    exact = sympy.sqrt(SX) if kind == "sqrt" else SX ** sympy.Rational(str(p))
    ours = [f]
    for _ in range(3):
        ours.append(grad(ours[-1], x))
    for order in (1, 2, 3):
        limit = sympy.limit(sympy.diff(exact, SX, order), SX, 0, "+")
        assert ours[order].data == float(limit), (order, ours[order].data, limit)


def test_an_infinite_second_derivative_is_named_by_anomaly_mode() -> None:
    """Differentiating √x's slope at 0 inside detect_anomaly stops at the infinite number."""
    from autodiff import detect_anomaly

    x = Value(0.0, label="x")
    slope = grad(x.sqrt(), x)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"non-finite.*'∂f/∂x' = inf"):
        grad(slope, x)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_second_derivative_of_sqrt_at_zero_is_torchs() -> None:
    """torch.autograd.grad(create_graph=True) gives -inf for (√x)'' at 0; so do we."""
    import torch

    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(t.sqrt(), t, create_graph=True)
    (second,) = torch.autograd.grad(first, t)
    x = Value(0.0)
    assert grad(grad(x.sqrt(), x), x).data == second.item() == -math.inf


def test_grad_and_hessian_are_right_inside_no_grad() -> None:
    """Asking for a derivative inside no_grad() records its graph: second derivatives stay right.

    They were 0 there (the first derivative was a leaf, so its derivative was 0).
    """
    from autodiff import no_grad

    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    f = x * x * y + (x * y).tanh()
    outside = grad(grad(f, x), x).data
    H_outside = [[h.data for h in row] for row in hessian(f, [x, y])]
    assert outside != 0.0
    with no_grad():
        inside = grad(grad(f, x), x).data
        H_inside = [[h.data for h in row] for row in hessian(f, [x, y])]
        after = x * y  # the mode is still on for ordinary operations
    assert inside == outside
    assert H_inside == H_outside
    assert not after.parents


# --- against SymPy --------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(recipes, points, points)
def test_against_sympy(recipe: Recipe, x0: float, y0: float) -> None:
    """First, mixed, second and third derivatives of random expressions match SymPy to 1e-9."""
    exact = sympy_derivatives(recipe, x0, y0)
    ours = our_derivatives(recipe, x0, y0)
    for key, value in exact.items():
        assert close(ours[key], value) < 1e-9, (key, ours[key], value)


@settings(max_examples=60, deadline=None)
@given(recipes, points, points)
def test_backward_of_a_derivative_gives_second_derivatives(
    recipe: Recipe, x0: float, y0: float
) -> None:
    """``grad(f, x).backward()`` leaves ∂²f/∂x² and ∂²f/∂y∂x in the leaves' grads."""
    x, y = Value(x0, label="x"), Value(y0, label="y")
    f = build(recipe, [x, y], ValueKit)
    dx = grad(f, x)
    dxx, dxy = grad(dx, [x, y])
    dx.backward()
    assert close(x.grad, dxx.data) < 1e-12
    assert close(y.grad, dxy.data) < 1e-12


@settings(max_examples=60, deadline=None)
@given(recipes, points, points)
def test_grad_equals_backward(recipe: Recipe, x0: float, y0: float) -> None:
    """The derivative graph's numbers are the numbers ``backward()`` computes."""
    x, y = Value(x0), Value(y0)
    f = build(recipe, [x, y], ValueKit)
    dx, dy = grad(f, [x, y])
    f.backward()
    assert close(dx.data, x.grad) < 1e-12
    assert close(dy.data, y.grad) < 1e-12


# --- the contract ---------------------------------------------------------------------------


def test_grads_are_left_as_they_were() -> None:
    """``grad`` reads and writes no ``.grad``: not of leaves, not of inner nodes."""
    x, y = Value(2.0, label="x"), Value(-1.0, label="y")
    h = (x * y).tanh()
    f = h * h + x
    f.backward()
    before = [(n, n.grad) for n in (x, y, h, f)]
    grad(grad(f, x), [x, y])
    assert [(n, n.grad) for n, _ in before] == before


def test_shapes_zero_and_labels() -> None:
    """One input gives a Value, a list gives a list; an unrelated input gets the Constant 0."""
    x, y, z = Value(2.0, label="x"), Value(3.0, label="y"), Value(5.0, label="z")
    f = x * y
    f.label = "f"
    one = grad(f, x)
    assert isinstance(one, Value) and one.data == 3.0 and one.label == "∂f/∂x"
    assert one is not y  # a new node, even though ∂(x·y)/∂x is y
    many = grad(f, [x, y, z])
    assert [d.data for d in many] == [3.0, 2.0, 0.0]
    assert [d.label for d in many] == ["∂f/∂x", "∂f/∂y", "∂f/∂z"]
    assert isinstance(many[2], Constant)
    assert grad(many[2], x).data == 0.0
    assert y.label == "y"  # no label of f was touched
    assert grad(grad(f, x), y).label == "∂²f/∂y∂x"
    unnamed = Value(1.0)
    assert grad(unnamed * unnamed, unnamed).label == "∂f/∂x"


def test_hessian_of_a_quadratic() -> None:
    """The Hessian of ``x²y + y²`` is ``[[2y, 2x], [2x, 2]]`` and symmetric."""
    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    H = hessian(x * x * y + y * y, [x, y])
    assert [[h.data for h in row] for row in H] == [[-4.0, 3.0], [3.0, 2.0]]
    with pytest.raises(TypeError, match="list of Values"):
        hessian(x * y, x)  # type: ignore[arg-type]


def test_forward_only_op_is_named() -> None:
    """An op with only ``forward`` cannot be differentiated as a graph: the error names it."""

    class Cube(ops.UnaryOp):
        name = "cube"

        def forward(self, x: float) -> tuple[float, tuple[float, ...]]:  # type: ignore[override]
            return x**3, (3 * x * x,)

    x = Value(2.0)
    y = apply(Cube(), x)
    y.backward()
    assert x.grad == 12.0
    with pytest.raises(TypeError, match=r"'cube' \(Cube\).*derivatives"):
        grad(y, x)


def test_bad_arguments() -> None:
    """A number where a Value belongs is named in the error."""
    x = Value(1.0)
    with pytest.raises(TypeError, match="output must be a Value"):
        grad(3.0, x)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="input 1 must be a Value"):
        grad(x * x, [x, 2.0])  # type: ignore[list-item]


def test_a_neuron_loss_matches_backward() -> None:
    """For a small network, ``grad(E, parameters)`` equals what ``backward()`` leaves in them."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3, 1], seed=3)
    out = model([0.5, -1.2])
    E = (out - 0.3) ** 2
    params = model.parameters()
    first = grad(E, params)
    E.backward()
    assert all(close(d.data, p.grad) < 1e-12 for d, p in zip(first, params))
    curvature = grad(first[0], params[0])  # ∂²E/∂w²: a number, not yet checked
    h = 1e-5
    w = params[0]
    w0 = w.data

    def slope(at: float) -> float:
        w.data = at
        fresh = (model([0.5, -1.2]) - 0.3) ** 2
        return grad(fresh, w).data

    numeric = (slope(w0 + h) - slope(w0 - h)) / (2 * h)
    w.data = w0
    assert close(curvature.data, numeric) < 1e-6


def test_a_derivative_graph_draws_with_f_and_f_prime_apart() -> None:
    """The text drawing of ∂f/∂x shows the derivative's label and f's own nodes."""
    x = Value(0.5, label="x")
    h = x.tanh()
    h.label = "h"
    f = h * h
    f.label = "f"
    text = to_text(grad(f, x))
    assert "∂f/∂x" in text
    assert "∂f/∂h" in text  # the derivative with respect to a labelled inner node
    assert "∂h/∂x" in text  # tanh's local derivative 1 - h²
    assert "h = tanh(x)" in text
    graphviz = pytest.importorskip("graphviz")
    from autodiff import draw_dot

    dot = draw_dot(grad(f, x))
    assert isinstance(dot, graphviz.Digraph)
    assert "∂f/∂x" in dot.source


# --- against PyTorch ------------------------------------------------------------------------


class TorchKit:
    """The recipe's functions on float64 torch tensors."""

    @staticmethod
    def tanh(u: Any) -> Any:
        import torch

        return torch.tanh(u)

    @staticmethod
    def sigmoid(u: Any) -> Any:
        import torch

        return torch.sigmoid(u)

    @staticmethod
    def exp(u: Any) -> Any:
        import torch

        return torch.exp(u)

    @staticmethod
    def log(u: Any) -> Any:
        import torch

        return torch.log(u)

    @staticmethod
    def sqrt(u: Any) -> Any:
        import torch

        return torch.sqrt(u)


def torch_derivatives(recipe: Recipe, x0: float, y0: float) -> dict[str, float]:
    """``torch.autograd.grad(create_graph=True)``'s derivatives of the recipe."""
    import torch

    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
    f = build(recipe, [x, y], TorchKit)

    def d(out: Any, wrt: Any) -> Any:
        if not out.requires_grad:
            return torch.zeros((), dtype=torch.float64)
        (g,) = torch.autograd.grad(out, wrt, create_graph=True, allow_unused=True)
        return torch.zeros((), dtype=torch.float64) if g is None else g

    dx, dy = d(f, x), d(f, y)
    dxx = d(dx, x)
    return {
        "x": dx.item(),
        "y": dy.item(),
        "xx": dxx.item(),
        "xy": d(dx, y).item(),
        "yx": d(dy, x).item(),
        "yy": d(dy, y).item(),
        "xxx": d(dxx, x).item(),
    }


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
@settings(max_examples=80, deadline=None)
@given(recipes, points, points)
def test_against_torch_create_graph(recipe: Recipe, x0: float, y0: float) -> None:
    """First to third derivatives agree with ``torch.autograd.grad(create_graph=True)`` to 1e-12.

    Examples with a variable power ``a ** b`` at exactly ``b = 0`` are left out: torch's
    slope ``∂(a^b)/∂a`` is ``where(b == 0, 0, b·a^(b-1))`` (pytorch PR #8945), whose own
    derivative in ``b`` is then 0 instead of ``a^-1``, so its higher derivatives there are
    wrong (pytorch issue #89757; SymPy sides with us: ∂³/∂x³ (x²+1)^tanh x at 0 is 6,
    torch says 2). ``test_against_sympy`` covers those examples.
    """
    x, y = Value(x0), Value(y0)
    graph = topological_order(build(recipe, [x, y], ValueKit))
    assume(not any(n.op is ops.POW and n.parents[1].data == 0.0 for n in graph))
    theirs = torch_derivatives(recipe, x0, y0)
    ours = our_derivatives(recipe, x0, y0)
    for key, value in theirs.items():
        assert close(ours[key], value) < 1e-12, (key, ours[key], value)


def test_points_without_a_derivative_are_refused_not_given_a_number() -> None:
    """At 0, log, x**-0.5 and a variable power a**b have no finite value or derivative.

    SymPy: ln x → -oo as x → 0+, 0**-0.5 = zoo, ∂(a^b)/∂b = a^b·ln a. Each op refuses them.
    """
    zero = Value(0.0, label="x")
    with pytest.raises(ValueError, match="log: input must be > 0"):
        zero.log()
    with pytest.raises(ValueError, match=r"0 \*\* -0.5 is undefined"):
        zero**-0.5
    with pytest.raises(ValueError, match="base must be > 0"):
        zero ** Value(0.5)
    assert sympy.limit(sympy.log(SX), SX, 0, "+") == -sympy.oo
