"""Constants (the plain numbers inside an op) never receive or show a grad, in any tool."""

from __future__ import annotations

import pytest

from autodiff import Constant, Value
from autodiff.viz.stepper import BackwardStepper, format_steps
from autodiff.viz.text import to_text


def _expression() -> tuple[Value, Value]:
    x = Value(2.0, label="x")
    y = x * 3 - 1
    y.label = "y"
    return x, y


def test_stepper_passes_nothing_to_a_constant() -> None:
    """The stepper runs through ``x * 3 - 1`` and lists no transfer into the constants."""
    x, y = _expression()
    steps = list(BackwardStepper(y))
    assert [len(s.transfers) for s in steps] == [1, 1]
    assert all(not isinstance(t.parent, Constant) for s in steps for t in s.transfers)
    assert x.grad == 3.0
    assert "3.grad" not in format_steps(_expression()[1])


def test_text_leaves_a_constants_grad_empty() -> None:
    """The grad column of a constant's row is empty; a variable leaf's shows its grad."""
    _, y = _expression()
    y.backward()
    rows = to_text(y, style="table").splitlines()[1:]
    constant_rows = [r for r in rows if r.split()[1] in ("3", "1")]
    assert constant_rows
    for row in constant_rows:
        cells = row.split()
        # "#  node  computed as  data  [grad]": a constant's row is index, name, "leaf", data
        assert cells[2:] == ["leaf", cells[1]], row
    x_row = next(r for r in rows if r.split()[1] == "x")
    assert x_row.split()[-1] == "3"


def test_drawing_shows_no_grad_cell_for_a_constant() -> None:
    """In the DOT source a constant's box has a data cell and no grad cell; ``x``'s has both."""
    pytest.importorskip("graphviz")
    from autodiff.viz.draw import draw_dot

    _, y = _expression()
    y.backward()
    source = draw_dot(y).source
    lines = source.splitlines()
    constant_lines = [line for line in lines if "data 3<" in line or "data 1<" in line]
    assert constant_lines
    assert all("grad" not in line for line in constant_lines)
    assert any("<B>x</B>" in line and "grad 3" in line for line in lines)
