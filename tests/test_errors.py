"""Bad input: every error's type and message (op, offending value, label), and anomaly mode."""

from __future__ import annotations

import math
import re

import pytest

from autodiff import Value, detect_anomaly
from autodiff.modes import state

HERE = re.escape(__file__)


def raises(kind: type[Exception], text: str) -> pytest.RaisesContext[Exception]:
    """pytest.raises matching ``text`` literally, not as a regular expression."""
    return pytest.raises(kind, match=re.escape(text))


@pytest.mark.parametrize(
    ("data", "shown"),
    [("x", "str 'x'"), (None, "NoneType None"), ([1.0], "list [1.0]"), (1j, "complex 1j")],
)
def test_non_real_data_is_a_type_error(data: object, shown: str) -> None:
    """str, None, list and complex data raise TypeError naming the type, value and label."""
    with raises(TypeError, f"data must be a real number, got {shown}"):
        Value(data)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"\(label 'k'\)"):
        Value(data, label="k")  # type: ignore[arg-type]


def test_int_too_large_for_a_float() -> None:
    """An int beyond the float range is an OverflowError naming Value and the label."""
    with raises(OverflowError, "Value: int data is too large for a float (label 'big')"):
        Value(10**400, label="big")


def test_bad_backward_gradient() -> None:
    """backward() with a non-number or NaN seed is refused, naming the output's label."""
    out = Value(2.0, label="out") * 3
    out.label = "out"
    with raises(TypeError, "backward: gradient must be a real number, not 'x' (label 'out')"):
        out.backward("x")  # type: ignore[arg-type]
    with raises(ValueError, "backward: gradient is NaN (label 'out')"):
        out.backward(math.nan)


def test_nan_data_is_a_value_error() -> None:
    """A NaN leaf is refused with its label."""
    with pytest.raises(ValueError, match=r"Value: data is NaN \(label 'n'\)"):
        Value(math.nan, label="n")


@pytest.mark.parametrize("other", ["a", None, [1.0], 2j])
def test_non_real_operands_are_type_errors(other: object) -> None:
    """Value + str (either side) raises TypeError naming the op, the operand and the Value."""
    v = Value(1.0, label="k")
    kind = type(other).__name__
    expected = re.escape(f"'+': operand must be a real number or a Value, got {kind}")
    with pytest.raises(TypeError, match=expected + r".*label='k'"):
        v + other  # type: ignore[operator]
    with pytest.raises(TypeError, match=expected):
        other + v  # type: ignore[operator]
    with raises(TypeError, "'*': operand"):
        v * other  # type: ignore[operator]


def test_non_real_exponent_is_a_type_error() -> None:
    """Value ** str names '**', the exponent and the base's label."""
    with raises(TypeError, "'**': exponent must be a number or a Value, got str 'a' (label 'b')"):
        Value(2.0, label="b") ** "a"  # type: ignore[operator]


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_of_non_positive(x: float) -> None:
    """log of x <= 0 is a ValueError naming log, x and the label."""
    with raises(ValueError, f"log: input must be > 0, got {x!r} [input 'z' = {x!r}]"):
        Value(x, label="z").log()


def test_sqrt_of_negative() -> None:
    """sqrt of x < 0 is a ValueError naming sqrt, x and the label; sqrt(0) is allowed."""
    with raises(ValueError, "sqrt: input must be >= 0, got -1.0 [input 's' = -1.0]"):
        Value(-1.0, label="s").sqrt()
    assert Value(0.0).sqrt().data == 0.0


@pytest.mark.parametrize("p", [-1, -0.5, -2.0])
def test_zero_to_a_negative_power(p: float) -> None:
    """0 ** negative is a ValueError naming pow, the exponent and the label."""
    with pytest.raises(ValueError, match=rf"pow: 0 \*\* {p:g} is undefined .*\[input 'b' = 0.0\]"):
        Value(0.0, label="b") ** p


def test_nan_exponent() -> None:
    """A NaN exponent is refused instead of making a NaN node."""
    with raises(ValueError, "pow: the exponent is NaN"):
        Value(2.0) ** math.nan


def test_negative_base_to_a_fraction() -> None:
    """negative ** 0.5 would be complex: ValueError naming both numbers and the label."""
    with raises(ValueError, "pow: -2.0 ** 0.5 is not a real number [input 'b' = -2.0]"):
        Value(-2.0, label="b") ** 0.5
    assert (Value(-2.0) ** 3).data == -8.0


@pytest.mark.parametrize("base", [0.0, -2.0])
def test_value_exponent_needs_a_positive_base(base: float) -> None:
    """base ** Value with base <= 0 is a ValueError explaining the ln(base) partial."""
    pattern = re.escape(
        "pow: base must be > 0 when the exponent is a Value (∂y/∂exponent = y·ln(base)), "
        f"got base {base!r}"
    )
    with pytest.raises(ValueError, match=pattern):
        Value(base, label="b") ** Value(2.0)
    with pytest.raises(ValueError, match=pattern):
        base ** Value(2.0)


def test_division_by_a_zero_value() -> None:
    """Dividing by a Value (or a number) equal to 0 is a ZeroDivisionError naming the divisor."""
    with raises(ZeroDivisionError, "'/': division by zero: the divisor Value 'd' is 0.0"):
        Value(1.0) / Value(0.0, label="d")
    with raises(ZeroDivisionError, "the divisor Value 'd' is 0.0"):
        1.0 / Value(0.0, label="d")
    with raises(ZeroDivisionError, "'/': division by zero: the divisor is 0.0"):
        Value(1.0) / 0


def test_exp_overflow_names_exp() -> None:
    """exp(1000) is an OverflowError naming exp, the input and the label."""
    expected = "exp: exp(1000.0) overflows a float"
    expected += " (the largest is exp(709.78)) [input 'e' = 1000.0]"
    with raises(OverflowError, expected):
        Value(1000.0, label="e").exp()
    assert math.isfinite(Value(709.0).exp().data)


def test_pow_overflow_names_pow() -> None:
    """A power too large for a float is an OverflowError naming pow and both numbers."""
    with raises(OverflowError, "pow: 1e+200 ** 2 overflows a float"):
        Value(1e200) ** 2
    with raises(OverflowError, "pow: 2.0 ** 10000.0 overflows a float"):
        Value(2.0) ** Value(1e4)


def test_anomaly_mode_names_where_a_forward_inf_was_made() -> None:
    """Inside detect_anomaly an overflowing product raises FloatingPointError with file:line."""
    big = Value(1e308, label="big")
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        big * 10  # the line named in the message
    message = str(caught.value)
    assert message.startswith("anomaly: *(1e+308, 10.0) gave a non-finite output")
    assert f" at {__file__}:{_line_of('big * 10  # the line named')} " in message
    assert "'big' = 1e+308" in message


def test_anomaly_mode_names_a_non_finite_local_derivative() -> None:
    """sqrt(0) has an infinite local derivative: anomaly mode stops there, naming the place."""
    with detect_anomaly(), pytest.raises(FloatingPointError) as caught:
        Value(0.0, label="a").sqrt()
    message = str(caught.value)
    assert "sqrt(0.0) gave a non-finite local derivative" in message
    assert "partials (inf,)" in message
    assert re.search(HERE + r":\d+", message)


def test_anomaly_mode_names_where_a_backward_inf_was_made() -> None:
    """An overflowing gradient in backward names the node, its label and where it was made."""
    with detect_anomaly():
        a = Value(1e-300, label="a")
        log = a.log()
        log.label = "L"
        out = log * 1e10
        made_at = f"{__file__}:{_line_of('log = a.log()')}"
        with pytest.raises(FloatingPointError) as caught:
            out.backward()
    message = str(caught.value)
    assert message.startswith("anomaly: backward through log node 'L'")
    assert f"made at {made_at})" in message
    assert "non-finite gradient inf = grad 10000000000.0 * local derivative" in message


def test_without_anomaly_mode_an_infinite_partial_gives_nan_silently() -> None:
    """Documented limitation: outside detect_anomaly, 0·inf in backward gives NaN, not an error."""
    a = Value(0.0)
    out = a.sqrt() * 0.0
    out.backward()
    assert math.isnan(a.grad)


def test_anomaly_mode_cleans_up() -> None:
    """Leaving detect_anomaly switches it off and forgets every recorded place."""
    with detect_anomaly():
        Value(1.0) * 2
        assert state.origins
    assert not state.anomaly and not state.origins


def _line_of(text: str) -> int:
    """The 1-based line number of the first line of this file containing ``text``."""
    with open(__file__, encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if text in line and "_line_of" not in line:
                return number
    raise AssertionError(text)
