"""The algebra ``m``: one list of functions, read as floats, Values and symbols alike."""

from __future__ import annotations

import inspect
import math
from typing import Any

import pytest

from autodiff import Value, apply, codegen, compile, grad
from autodiff.algebra import FLOATS, FUNCTIONS, Algebra
from autodiff.derivative import VALUES
from autodiff.formula import SYMBOLS, Call, math_text, python, symbol
from autodiff.ops import UnaryOp
from nn.activations import Step, step


def _functions(reading: object) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(type(reading))
        if not name.startswith("_") and callable(member)
    }


def test_one_list_names_the_functions() -> None:
    """Floats and Values define exactly the Protocol's functions; the rest derive them."""
    assert FUNCTIONS[:3] == ("exp", "log", "sqrt") and {"sin", "cos"} <= set(FUNCTIONS)
    assert set(FUNCTIONS) == {n for n in vars(Algebra) if not n.startswith("_")}
    assert _functions(FLOATS) == set(FUNCTIONS)
    assert _functions(VALUES) == set(FUNCTIONS)
    assert list(codegen.FUNCTIONS) == list(FUNCTIONS)
    arrays = pytest.importorskip("autodiff.batched.arrays")
    assert set(FUNCTIONS) <= _functions(arrays.ARRAYS)  # it has divide besides
    for name in FUNCTIONS:
        arity = len(inspect.signature(getattr(Algebra, name)).parameters) - 1
        call = getattr(SYMBOLS, name)(*[symbol(f"a{i}") for i in range(arity)])
        assert isinstance(call, Call) and call.function == name
    with pytest.raises(AttributeError, match="no function 'sinh'"):
        SYMBOLS.sinh  # type: ignore[attr-defined]  # noqa: B018 - the lookup is the test


class Sin(UnaryOp):
    """y = sin x; ∂y/∂x = cos x: the solution of notebook 11's exercise 11.2."""

    name = "sin"

    def output(self, m: Any, x: Any) -> Any:
        return m.sin(x)

    def derivatives(self, m: Any, y: Any, x: Any) -> tuple[Any, ...]:
        return (m.cos(x),)


@pytest.mark.parametrize("x0", [-2.5, 0.0, 0.7, 3.0])
def test_an_op_written_with_the_algebra_works_with_every_tool(x0: float) -> None:
    """A user's Sin keeps backward, grad (to third order), compile and the drawn formula."""
    x = Value(x0, label="x")
    f = apply(Sin(), x) * x  # x·sin x
    f.backward()
    assert x.grad == pytest.approx(math.sin(x0) + x0 * math.cos(x0), rel=1e-14, abs=1e-15)
    d1 = grad(f, x)
    d2 = grad(d1, x)
    d3 = grad(d2, x)
    assert d1.data == pytest.approx(x.grad, rel=1e-15, abs=1e-16)
    assert d2.data == pytest.approx(2 * math.cos(x0) - x0 * math.sin(x0), rel=1e-13, abs=1e-15)
    assert d3.data == pytest.approx(-3 * math.sin(x0) - x0 * math.cos(x0), rel=1e-13, abs=1e-15)
    tape = compile(f)
    x.data = x0 + 0.25
    assert tape.forward() == (x0 + 0.25) * math.sin(x0 + 0.25)
    assert Sin().formulas(["x"], "y") == ["cos(x)"]
    assert python(Sin().output(SYMBOLS, symbol("x"))) == "sin(x)"
    assert math_text(Sin().derivatives(SYMBOLS, symbol("y"), symbol("x"))[0]) == "cos(x)"


@pytest.mark.parametrize("z0", [-1.5, 0.0, 2.0])
def test_nn_step_keeps_grad_and_compile(z0: float) -> None:
    """nn's Step states its derivative (0) with the algebra: grad and compile read it.

    Step was a numbers-only forward(): grad raised TypeError and compile refused it.
    """
    z = Value(z0, label="z")
    y = step(z) * z + z  # [z ≥ 0]·z + z
    expected = 1.0 if z0 >= 0.0 else 0.0
    assert step(z).data == expected
    assert grad(y, z).data == expected + 1.0
    assert grad(grad(y, z), z).data == 0.0
    tape = compile(y)
    z.data = -z0 - 1.0
    flipped = 1.0 if -z0 - 1.0 >= 0.0 else 0.0
    assert tape.forward() == flipped * (-z0 - 1.0) + (-z0 - 1.0)
    tape.backward()
    assert z.grad == flipped + 1.0
    assert Step().formulas(["z"], "y") == ["0"]
