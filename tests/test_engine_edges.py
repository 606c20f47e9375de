"""Edge cases of the engine that used to go wrong silently or with a bare message."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from autodiff import Constant, Value, ops, record


def _nan() -> Value:
    """A NaN made the way one arises in training: inf - inf (Value(nan) itself is refused)."""
    inf = Value(1e308) * 10
    return inf - inf


@pytest.mark.parametrize("op", ["relu", "abs"])
def test_a_nan_goes_through_relu_and_abs(op: str) -> None:
    """relu(NaN) and |NaN| are NaN, as in PyTorch: the NaN must not turn into 0."""
    x = _nan()
    assert math.isnan(x.data)
    assert math.isnan(getattr(x, op)().data)


def test_x_over_x_is_exactly_one_with_derivative_zero() -> None:
    """Division is a primitive: x/x == 1 and d(x/x)/dx == 0 exactly (a·b⁻¹ gave ~1e-16)."""
    for x in (0.1, 3.0, 7.3, -1e-3, 12345.678, 1 / 3):
        v = Value(x)
        q = v / v
        q.backward()
        assert q.data == 1.0 and v.grad == 0.0, x


def test_division_partials_are_one_over_b_and_minus_a_over_b_squared() -> None:
    """∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = -a/b², checked by central differences."""
    a, b = Value(1.5), Value(-0.4)
    (a / b).backward()
    h = 1e-6
    assert a.grad == pytest.approx(((1.5 + h) / -0.4 - (1.5 - h) / -0.4) / (2 * h), rel=1e-8)
    assert b.grad == pytest.approx(-1.5 / 0.16, rel=1e-12)


def test_a_tiny_divisor_gives_a_finite_quotient() -> None:
    """1 / 1e-308 is 1e308, finite: no 'pow overflows' from an intermediate 1e308**-1."""
    q = Value(1.0) / Value(1e-308)
    assert q.data == 1e308


def test_subtraction_is_one_step_with_partials_one_and_minus_one() -> None:
    """d - y is one node, ∂/∂d = 1 and ∂/∂y = -1, bit-identical to d + (-y)."""
    d, y = Value(0.3), Value(0.1)
    e = d - y
    assert e.op is ops.SUB and e.partials == (1.0, -1.0) and e.data == 0.3 + (-0.1)


def test_constants_never_hold_a_grad() -> None:
    """The 2 in x * 2 is a Constant: backward passes it nothing it keeps."""
    x = Value(3.0)
    y = x * 2
    y.backward()
    (constant,) = [p for p in y.parents if isinstance(p, Constant)]
    assert constant.grad == 0.0 and x.grad == 2.0
    constant.grad = 5.0
    assert constant.grad == 0.0


@pytest.mark.parametrize(
    ("build", "kind", "message"),
    [
        (lambda: Value(1) + 10**400, OverflowError, r"'\+': the operand 1000.* too large"),
        (lambda: Value(1) * 10**400, OverflowError, r"'\*': the operand .* too large"),
        (lambda: Value(2) ** 10**400, OverflowError, r"'\*\*': the operand .* too large"),
        (lambda: 10**400 - Value(1), OverflowError, r"'-': the operand .* too large"),
    ],
)
def test_big_integers_are_named_with_their_op(
    build: Callable[[], object], kind: type[Exception], message: str
) -> None:
    """An int too large for a float names the op it was given to, not Python's bare message."""
    with pytest.raises(kind, match=message):
        build()


def test_backward_with_a_huge_integer_gradient_is_named() -> None:
    """backward(10**400) says which argument was too large."""
    y = Value(2.0) * 3
    with pytest.raises(OverflowError, match=r"'backward': the gradient .* too large"):
        y.backward(10**400)


def test_numpy_scalars_including_bool_are_accepted() -> None:
    """np.bool_ works like True does; NumPy floats and ints too."""
    assert Value(np.bool_(True)).data == 1.0
    assert (Value(1.0) + np.bool_(True)).data == 2.0
    assert Value(np.float32(0.5)).data == 0.5 and Value(np.int64(3)).data == 3.0


def test_tape_backward_refuses_leaves_changed_since_forward() -> None:
    """Changing a leaf and calling backward without forward is refused, not silently stale."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    tape = record(a * b)
    a.data = 100.0
    with pytest.raises(RuntimeError, match=r"leaf .*'a'.* changed .* call tape.forward\(\) first"):
        tape.backward()
    tape.forward()
    tape.backward()
    assert b.grad == 100.0


def test_tape_is_unusable_after_a_failed_forward_until_one_succeeds() -> None:
    """A forward that stops half-way leaves the tape refusing backward until the next success."""
    x = Value(2.0, label="x")
    tape = record((x * 3).log() + x)
    x.data = -1.0
    with pytest.raises(ValueError, match="log: input must be > 0"):
        tape.forward()
    with pytest.raises(RuntimeError, match="the last forward\\(\\) failed"):
        tape.backward()
    x.data = 1.0
    tape.forward()
    tape.backward()
    assert x.grad == pytest.approx(1 / 1.0 + 1)
