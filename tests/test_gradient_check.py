"""autodiff.gradient_check: gradcheck passes on correct derivatives, points at a wrong one."""

from __future__ import annotations

import math

import pytest

from autodiff import GradcheckError, Value, assert_gradcheck, gradcheck, ops
from autodiff.value import _apply


class WrongSquare(ops.Op):
    """y = x², with the deliberately wrong local derivative 3x (the right one is 2x)."""

    __slots__ = ()
    name = "bad**2"

    def forward(self, *inputs: float) -> tuple[float, tuple[float, ...]]:
        (x,) = inputs
        return x * x, (3.0 * x,)

    def formulas(self, inputs: list[str], output: str) -> list[str]:
        return [f"3·{inputs[0]}"]


def bad_square(x: Value) -> Value:
    """A node built with the wrong op, exactly as Value's own ops are built."""
    return _apply(WrongSquare(), (x,))


def test_passes_on_a_composite_expression() -> None:
    """Every input and inner grad of a mixed expression agrees with central differences."""
    report = gradcheck(
        lambda a, b: ((a * b).tanh() + a**3 / (b.exp() + 1).log()).sigmoid(),
        [0.7, -1.3],
        inner=True,
    )
    assert report.ok, str(report)
    assert [row.name for row in report.rows[:2]] == ["a", "b"]
    assert len(report.rows) > 2
    assert all(row.rel_error < 1e-6 for row in report.rows)
    assert report.first_bad_rule is None


def test_fails_on_a_wrong_derivative_and_points_at_its_node() -> None:
    """A wrong partial makes the check fail, and the report names the node that holds it."""
    a = Value(1.5, label="a")
    b = Value(0.5, label="b")
    square = bad_square(a * b)
    square.label = "sq"
    out = square.tanh() + b
    report = gradcheck(out, [a, b])
    assert not report.ok
    assert {row.status for row in report.rows} == {"FAIL"}
    rule = report.first_bad_rule
    assert rule is not None
    assert rule.node is square
    assert rule.input_index == 0
    assert rule.stored == pytest.approx(3 * 0.75)
    assert rule.numeric == pytest.approx(2 * 0.75, rel=1e-8)
    assert "sq" in str(report) and "bad**2" in str(report) and "3·" in str(report)
    with pytest.raises(GradcheckError, match="first node whose local rule disagrees: sq"):
        report.raise_if_failed()


def test_wrong_rule_found_even_when_its_gradient_is_multiplied_by_zero() -> None:
    """The local check catches a wrong partial that the end-to-end gradient cannot see."""
    x = Value(2.0, label="x")
    hidden = bad_square(x) * 0.0
    report = gradcheck(hidden + x, [x])
    assert all(row.status == "ok" for row in report.rows)
    assert not report.ok
    assert report.first_bad_rule is not None
    assert report.first_bad_rule.node._op is not None
    assert report.first_bad_rule.node._op.name == "bad**2"


def test_assert_gradcheck_raises_with_the_table() -> None:
    """assert_gradcheck raises an AssertionError whose message contains the table."""
    with pytest.raises(AssertionError, match=r"gradcheck FAILED: 0 of 1"):
        assert_gradcheck(lambda x: bad_square(x), [1.25])
    assert assert_gradcheck(lambda x: x * x, [1.25]).ok


def test_built_output_form_checks_all_leaves_by_default() -> None:
    """With no inputs given, every leaf of the graph is checked except constants (no grad)."""
    a = Value(3.0, label="a")
    b = Value(2.0)
    out = a * 2 + a * b
    report = gradcheck(out)
    names = [row.name for row in report.rows]
    assert names == ["a", "leaf#3(2)"]
    assert report.ok
    assert [row.analytic for row in report.rows] == [4.0, 3.0]  # 2 + b, a


def test_grads_are_left_as_they_were() -> None:
    """Checking changes no grad: leaves keep accumulated values, inner nodes too."""
    a = Value(3.0, label="a")
    b = a * a
    c = b * a
    c.backward()
    before = (a.grad, b.grad, c.grad)
    gradcheck(c, [a], inner=True)
    assert (a.grad, b.grad, c.grad) == before


def test_parameter_names_and_value_inputs() -> None:
    """Number inputs are named after f's parameters; Value inputs keep their own labels."""
    report = gradcheck(lambda first, second: first * second, [2.0, Value(5.0, label="w")])
    assert [row.name for row in report.rows] == ["first", "w"]
    assert [row.analytic for row in report.rows] == [5.0, 2.0]
    unnamed = gradcheck(lambda *xs: xs[0] * xs[1], [2.0, 5.0])
    assert [row.name for row in unnamed.rows] == ["x0", "x1"]


def test_unused_input_has_zero_gradient() -> None:
    """An input the output does not depend on gets 0 from both sides."""
    report = gradcheck(lambda a, b: a * 2.0, [1.0, 7.0])
    assert report.rows[1].analytic == 0.0 and report.rows[1].numeric == 0.0
    assert report.ok


def test_kinks_are_accepted_as_subgradients() -> None:
    """At relu's and abs's kink the stored slope 0 lies between the one-sided slopes."""
    report = gradcheck(lambda x: x.relu() + abs(x), [0.0])
    assert report.ok
    assert report.rows[0].status == "kink"
    assert report.rows[0].numeric == pytest.approx(0.5)


def test_undefined_finite_difference_is_not_a_pass() -> None:
    """Where op.forward rejects x ± h (sqrt at 0) the row is n/a and the check is not ok."""
    report = gradcheck(lambda x: x.sqrt(), [0.0])
    assert report.rows[0].status == "n/a"
    assert "sqrt" in report.rows[0].note
    assert math.isnan(report.rows[0].numeric)
    assert not report.ok
    assert report.unchecked_rules == 1


def test_root_that_is_an_input() -> None:
    """f returning its own input has gradient 1."""
    report = gradcheck(lambda x: x, [4.0])
    assert report.ok and report.rows[0].analytic == 1.0


def test_large_inputs_use_a_relative_step() -> None:
    """The step scales with |x|, so a product of large numbers still checks."""
    assert gradcheck(lambda a, b: a * b + a**2, [1e6, -3e5]).ok


def test_bad_calls_are_explained() -> None:
    """A function returning a number, missing inputs, or a step of 0 is refused clearly."""
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 3.0, [1.0])
    with pytest.raises(TypeError, match="give the inputs"):
        gradcheck(lambda x: x)
    with pytest.raises(TypeError, match="Value nodes"):
        gradcheck(Value(1.0) * 2, [1.0])
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck(lambda x: x, [1.0], eps=0.0)


def test_report_text_is_a_table() -> None:
    """str(report) has a header, one line per row, and the rule verdict."""
    text = str(gradcheck(lambda a, b: a * b, [2.0, 3.0]))
    lines = text.splitlines()
    assert lines[0].startswith("gradcheck passed: 2 of 2")
    assert "backward()" in lines[1] and "central diff." in lines[1]
    assert lines[2].split()[:2] == ["a", "input"]
    assert "every local rule" in lines[-1]


def test_notebooks_display_the_table() -> None:
    """IPython's pretty printer (what Jupyter shows) renders the report as its table."""
    pretty = pytest.importorskip("IPython.lib.pretty")
    report = gradcheck(lambda a: a * a, [3.0])
    assert pretty.pretty(report) == str(report)
    assert repr(report) == "<GradcheckReport ok=True rows=1>"


def test_output_without_a_graph_is_refused() -> None:
    """f evaluated inside no_grad has no graph to check: a ValueError says so."""
    from autodiff import no_grad

    with no_grad(), pytest.raises(ValueError, match="no graph"):
        gradcheck(lambda a: a * 2.0, [1.0])


def test_gradcheck_names_a_non_callable() -> None:
    """gradcheck(3, [1.0]) says it wants a function or an output Value."""
    with pytest.raises(TypeError, match="gradcheck: expected a function of the inputs"):
        gradcheck(3, [1.0])  # type: ignore[arg-type]
