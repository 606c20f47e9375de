"""autodiff.value: operators, reflected operators, repr, labels, no_grad and grad semantics."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autodiff
from autodiff import Constant, Value, dot, no_grad, ops, topological_order

NUMPY_SCALARS = [np.float64(3.0), np.float32(3.0), np.int64(3), np.int32(3)]


def test_data_is_stored_as_float() -> None:
    """int, bool and NumPy scalars become a Python float."""
    for raw in (3, True, np.float32(1.5), np.int64(-2), 2.5):
        value = Value(raw)
        assert type(value.data) is float
        assert value.data == float(raw)
        assert value.grad == 0.0


@pytest.mark.parametrize(
    ("symbol", "apply", "expected"),
    [
        ("+", lambda a, b: a + b, lambda x, y: x + y),
        ("-", lambda a, b: a - b, lambda x, y: x - y),
        ("*", lambda a, b: a * b, lambda x, y: x * y),
        ("/", lambda a, b: a / b, lambda x, y: x / y),
        ("**", lambda a, b: a**b, lambda x, y: x**y),
    ],
)
def test_binary_operators_with_numbers_on_either_side(symbol, apply, expected) -> None:
    """Value op Value, Value op number and number op Value all give the float result."""
    x, y = 1.75, 0.5
    assert apply(Value(x), Value(y)).data == pytest.approx(expected(x, y), rel=1e-15)
    assert apply(Value(x), y).data == pytest.approx(expected(x, y), rel=1e-15)
    reflected = apply(x, Value(y))
    assert isinstance(reflected, Value), symbol
    assert reflected.data == pytest.approx(expected(x, y), rel=1e-15)


@pytest.mark.parametrize("scalar", NUMPY_SCALARS, ids=lambda s: type(s).__name__)
def test_numpy_scalars_on_the_left_give_a_value(scalar: np.generic) -> None:
    """np.float64(3) * Value(2) is a Value (not a NumPy object array), for every operator."""
    v = Value(2.0, label="v")
    s = float(scalar)
    results = [
        (scalar + v, s + 2.0),
        (scalar - v, s - 2.0),
        (scalar * v, s * 2.0),
        (scalar / v, s / 2.0),
        (scalar**v, s**2.0),
    ]
    for result, expected in results:
        assert type(result) is Value
        assert result.data == pytest.approx(expected, rel=1e-15)
    product = scalar * v
    product.backward()
    assert v.grad == s


def test_numpy_scalars_on_the_right() -> None:
    """Value op np.float64 and Value ** np.float64 give a Value."""
    v = Value(2.0)
    assert type(v * np.float64(4.0)) is Value
    assert (v ** np.float64(3.0)).data == 8.0


def test_unary_ops_and_abs() -> None:
    """-v, abs(v) and v.abs() compute the plain math."""
    v = Value(-1.5)
    assert (-v).data == 1.5
    assert abs(v).data == 1.5
    assert v.abs().data == 1.5
    for x in (-2.0, 0.0, 3.0):
        assert Value(x).relu().data == max(0.0, x)
        assert Value(x).exp().data == math.exp(x)
        assert Value(x).tanh().data == math.tanh(x)
        assert Value(x).sigmoid().data == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-15)


def test_tanh_and_sigmoid_are_finite_far_out() -> None:
    """tanh and sigmoid at ±1000 give their limits and finite zero slopes."""
    for x, t, s in ((1000.0, 1.0, 1.0), (-1000.0, -1.0, 0.0)):
        a = Value(x)
        out = a.tanh() + a.sigmoid()
        out.backward()
        assert a.tanh().data == t and a.sigmoid().data == s
        assert a.grad == 0.0


def test_repr_shows_data_grad_and_label() -> None:
    """repr names data and grad, and the label only when one is set."""
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    labelled = Value(-1.0, label="w0")
    labelled.grad = 0.5
    assert repr(labelled) == "Value(data=-1.0, grad=0.5, label='w0')"


def test_labels_are_optional_and_settable() -> None:
    """A label set at creation or later is kept; results start unlabelled."""
    a = Value(1.0, label="a")
    b = a * 2
    assert a.label == "a" and b.label is None
    b.label = "b"
    assert b.label == "b"


def test_parents_are_an_ordered_tuple_with_matching_partials() -> None:
    """A node keeps its parents in operand order and one local derivative per parent."""
    a, b = Value(2.0), Value(5.0)
    c = a * b
    assert c._parents == (a, b)
    assert c._partials == (b.data, a.data)
    d = b * a
    assert d._parents == (b, a)


def test_no_grad_records_nothing_and_nests() -> None:
    """Inside no_grad results are leaves; recording resumes after the block, even nested."""
    a = Value(3.0)
    with no_grad():
        b = a * a + 1
        with no_grad():
            c = b.tanh()
        d = c * a
    assert b.data == 10.0
    assert b._parents == () and c._parents == () and d._parents == ()
    e = a * a
    assert e._parents == (a, a)


def test_no_grad_restores_recording_after_an_error() -> None:
    """An exception inside no_grad does not leave recording switched off."""
    with pytest.raises(ValueError), no_grad():
        Value(-1.0).log()
    assert (Value(1.0) * 2)._parents != ()


def test_inner_grads_reset_and_leaves_accumulate() -> None:
    """a·a·a: d/da = 3a², and a second backward adds 3a² again (micrograd gives 72, not 54)."""
    x = 3.0
    a = Value(x)
    b = a * a
    c = b * a
    c.backward()
    assert a.grad == 3 * x**2
    assert b.grad == x
    c.backward()
    assert a.grad == 2 * (3 * x**2)
    assert b.grad == x  # an inner node: d c / d b, not accumulated
    assert c.grad == 1.0


def test_fan_out_accumulates_every_path() -> None:
    """b = a + a; c = b + b: dc/db = 2 and dc/da = 4, from both uses of each."""
    a = Value(1.5)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)
    assert c.data == 4 * 1.5


def test_square_by_self_multiplication() -> None:
    """x * x has derivative 2x, both partials landing on the same leaf."""
    for x in (-2.5, 0.0, 0.3, 7.0):
        v = Value(x)
        (v * v).backward()
        assert v.grad == 2 * x


def test_backward_with_an_upstream_gradient() -> None:
    """backward(g) scales every gradient by g."""
    a = Value(2.0)
    out = (a * a).tanh()
    out.backward(2.5)
    expected = 2.5 * (1 - math.tanh(4.0) ** 2) * 2 * 2.0
    assert a.grad == pytest.approx(expected, rel=1e-14)
    assert out.grad == 2.5


def test_double_backward_on_a_leaf_output() -> None:
    """A leaf used as the output accumulates its own seed."""
    a = Value(1.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0


def test_zero_grad_clears_the_whole_graph() -> None:
    """zero_grad sets every node the output depends on to 0."""
    a, b = Value(2.0), Value(3.0)
    out = (a * b).relu()
    out.backward()
    out.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(out))


def test_composed_ops_need_no_derivative_of_their_own() -> None:
    """sub, div, neg, rsub, rtruediv and rpow give the textbook derivatives."""
    x, y = 1.5, -0.75
    a, b = Value(x), Value(y)
    (a - b).backward()
    assert (a.grad, b.grad) == (1.0, -1.0)
    a, b = Value(x), Value(y)
    (a / b).backward()
    assert a.grad == pytest.approx(1 / y) and b.grad == pytest.approx(-x / y**2)
    a = Value(x)
    (-a).backward()
    assert a.grad == -1.0
    a = Value(x)
    (4 - a).backward()
    assert a.grad == -1.0
    a = Value(x)
    (4 / a).backward()
    assert a.grad == pytest.approx(-4 / x**2)
    a = Value(x)
    (2**a).backward()
    assert a.grad == pytest.approx(2**x * math.log(2))


def test_dot_equals_the_sum_of_products_it_replaces() -> None:
    """dot(ws, xs, b) matches the unfused b + Σ w·x to the bit, in value and in grads."""
    weights = [0.3, -1.2, 0.7]
    inputs = [2.0, 0.5, -1.5]
    fused_w = [Value(w) for w in weights]
    fused_b = Value(0.1)
    fused = dot(fused_w, inputs, fused_b)
    plain_w = [Value(w) for w in weights]
    plain_b = Value(0.1)
    plain = sum((w * x for w, x in zip(plain_w, inputs)), plain_b)
    assert isinstance(plain, Value)
    assert fused.data == plain.data
    fused.backward()
    plain.backward()
    assert [w.grad for w in fused_w] == [w.grad for w in plain_w] == inputs
    assert fused_b.grad == plain_b.grad == 1.0
    assert len(fused._parents) == 2 * len(weights) + 1


def test_dot_without_bias_and_with_value_inputs() -> None:
    """dot without bias is Σ w·x; Value inputs receive ∂z/∂xᵢ = wᵢ."""
    ws = [Value(2.0), Value(-3.0)]
    xs = [Value(0.5), Value(4.0)]
    z = dot(ws, xs)
    z.backward()
    assert z.data == 2.0 * 0.5 + -3.0 * 4.0
    assert [x.grad for x in xs] == [2.0, -3.0]
    assert [w.grad for w in ws] == [0.5, 4.0]


def test_dot_length_mismatch() -> None:
    """dot with unequal lengths is a ValueError naming both lengths."""
    with pytest.raises(ValueError, match="dot: 2 weights but 1 inputs"):
        dot([Value(1.0), Value(2.0)], [1.0])


def test_gradients_do_not_depend_on_memory_layout() -> None:
    """The same expression, rebuilt among varying allocations, gives the same bits every time."""
    results = set()
    ballast = []
    for size in range(0, 300, 7):
        ballast.append([object() for _ in range(size)])  # shifts where new nodes land
        a, b = Value(-4.0), Value(2.0)
        c = a * b + b**3 + (a + b).relu() + (b - a).relu()
        d = c * c / (1 + c * c) + 10.0 / c + c * a
        d.backward()
        results.add((d.data, a.grad, b.grad))
    assert len(results) == 1


class _Cube(ops.Op):
    """y = x³, ∂y/∂x = 3x²: an op defined outside the engine, as a user would."""

    __slots__ = ()
    name = "cube"

    def forward(self, *inputs: float) -> tuple[float, ops.Partials]:
        (x,) = inputs
        return x * x * x, (3.0 * x * x,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"3·{inputs[0]}²"]


def test_apply_runs_a_user_defined_op_through_backward_and_replay() -> None:
    """A user's Op subclass run by autodiff.apply differentiates and replays like a built-in."""
    x = Value(2.0, label="x")
    y = autodiff.apply(_Cube(), x) * 2.0
    y.backward()
    assert (y.data, x.grad) == (16.0, 24.0)
    tape = autodiff.record(y)
    x.data, x.grad = -1.0, 0.0
    assert tape.forward() == -2.0
    tape.backward()
    assert x.grad == 6.0


def test_apply_refuses_an_op_with_the_wrong_number_of_local_derivatives() -> None:
    """An op whose forward returns fewer partials than inputs is named in a TypeError."""

    class Broken(_Cube):
        __slots__ = ()
        name = "broken"

        def forward(self, *inputs: float) -> tuple[float, ops.Partials]:
            return inputs[0] + inputs[1], (1.0,)

    with pytest.raises(TypeError, match="broken: forward returned 1 local derivatives for 2"):
        autodiff.apply(Broken(), 1.0, Value(2.0))


def test_a_label_that_is_not_a_string_is_refused() -> None:
    """Value(2.0, label=3) raises a TypeError at once, not later inside a drawing."""
    with pytest.raises(TypeError, match="Value: label must be a str or None, got int 3"):
        Value(2.0, label=3)  # type: ignore[arg-type]
    assert Value(2.0, label="w").label == "w"


def test_subtracting_a_number_is_one_sub_node_with_a_constant() -> None:
    """x - 2 is one '-' node whose second parent is the constant 2 (micrograd: x + (-2))."""
    x = Value(5.0)
    y = x - 2
    assert y.data == 3.0 and y.op is ops.SUB and y.partials == (1.0, -1.0)
    assert y.parents[0] is x and y.parents[1].data == 2.0 and isinstance(y.parents[1], Constant)
    y.backward()
    assert x.grad == 1.0 and y.parents[1].grad == 0.0
    with pytest.raises(TypeError, match="'-': operand must be a real number or a Value"):
        x - "2"  # type: ignore[operator]  # the bad operand is the point of the test
