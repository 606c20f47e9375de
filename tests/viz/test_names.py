"""autodiff.viz.names: node names and number formatting, shared by every tool."""

from __future__ import annotations

import math

import pytest

from autodiff import Value, to_text, walk
from autodiff.viz.names import check_number_format, format_number, node_names


def test_node_names() -> None:
    """Labels are kept, constants are named by their number, other nodes v1, v2, ..."""
    a = Value(2.0, label="a")
    y = (a * 2 + 0.1).tanh()
    graph = walk(y)
    names = [node_names(y, graph.nodes)[n] for n in graph.nodes]
    assert names == ["a", "2", "v1", "0.1", "v2", "v3"]


def test_format_number() -> None:
    """-0 shows as 0 and the minus sign can be the typographic one."""
    assert format_number(-0.0) == "0"
    assert format_number(-3.0, minus="−") == "−3"
    assert format_number(-1e-3, ".2e", minus="−") == "−1.00e−03"
    assert format_number(-1e-3, ".2e") == "-1.00e-03"
    assert format_number(math.inf) == "inf"


def test_number_formats_are_bounded_with_a_one_line_error() -> None:
    """More than 17 digits or a huge width is refused before any number is formatted."""
    x = Value(2.0, label="x") * 3
    for spec in (".18g", ".100000000f", "100000000", ".3q", "." + "9" * 5_000):
        with pytest.raises(ValueError, match="number_format") as error:
            to_text(x, number_format=spec)
        assert "\n" not in str(error.value)
    assert check_number_format(".17g") == ".17g"
    assert check_number_format(">12,.3f") == ">12,.3f"
    assert "0.10000000000000001" in to_text(Value(0.1) * 1, number_format=".17g")


def test_an_op_without_formulas_is_explained_by_name() -> None:
    """A user op that only overrides forward() still explains and steps: ∂twice/∂x, its number."""
    from autodiff import apply, explain, format_steps, ops

    class Twice(ops.Op):
        name = "twice"

        def forward(self, *xs: float) -> tuple[float, ops.Partials]:
            return 2 * xs[0], (2.0,)

    x = Value(1.0, label="x")
    y = apply(Twice(), x)
    y.label = "y"
    assert "(∂twice/∂x)" in str(explain(y, x))
    assert "∂twice/∂x" in format_steps(y)
