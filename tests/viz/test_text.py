"""to_text(): the plain-text rendering, which needs no dependency at all."""

from __future__ import annotations

import math
import re
import sys

import pytest

from autodiff import Value, to_text, walk


def _neuron() -> Value:
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def _columns(line: str) -> list[str]:
    """The cells of an aligned line: columns are separated by three or more spaces."""
    return [cell for cell in re.split(r" {3,}", line.strip()) if cell]


def test_tree_lists_every_edge_with_its_local_derivative() -> None:
    """One line per edge under the root, each with data, grad and ∂child/∂input."""
    o = _neuron()
    lines = to_text(o).splitlines()
    assert _columns(lines[0]) == ["node", "data", "grad", "local derivative"]
    assert lines[1].startswith("o = tanh(n)")
    assert len(lines) == 2 + len(walk(o).edges)
    local = 1 - math.tanh(o.parents[0].data) ** 2
    n_line = next(line for line in lines if "n = v1 + b" in line)
    assert _columns(n_line)[1:] == [
        format(0.8814, ".4g"),
        format(local, ".4g"),
        f"∂o/∂n = {local:.4g}",
    ]
    x1_line = next(line for line in lines if line.strip("│├└─ ").startswith("x1"))
    assert x1_line.rstrip().endswith("∂v1/∂x1 = -3")  # ∂(x1·w1)/∂x1 = w1
    assert _columns(x1_line)[2] == format(-3.0 * local, ".4g")


def test_tree_formulas_and_hidden_grads() -> None:
    """formulas=True names the rule; show_grad=False drops the grad column."""
    o = _neuron()
    text = to_text(o, formulas=True)
    assert "∂v1/∂x1 = w1 = -3" in text and "∂o/∂n = 1-o² = " in text
    plain = to_text(o, show_grad=False)
    assert "grad" not in plain.splitlines()[0]
    assert len(_columns(plain.splitlines()[1])) == 2


def test_shared_nodes_are_written_once() -> None:
    """A node used twice is expanded once and marked (above) after that."""
    a = Value(3.0, label="a")
    c = a * a
    c.label = "c"
    d = c + c
    d.label = "d"
    text = to_text(d)
    assert text.count("c = a * a") == 1
    assert text.count("c  (above)") == 1
    assert text.count("∂c/∂a = 3") == 2  # both input slots of a * a


def test_heavy_fan_out_stays_linear() -> None:
    """Forty doublings (2^40 paths) print one line per edge, not one per path."""
    x = Value(1.0, label="x")
    y = x
    for _ in range(40):
        y = y + y
    lines = to_text(y).splitlines()
    assert len(lines) == 2 + 2 * 40


def test_deep_chain_is_summarized_in_the_tree_and_complete_in_the_table() -> None:
    """A 5,000-node chain: the tree stops at max_depth, the table has every node."""
    y = Value(0.5, label="x")
    for _ in range(2_500):
        y = y * 1.0001
    tree = to_text(y, max_depth=10).splitlines()
    assert any("deeper than max_depth=10" in line for line in tree)
    assert len(tree) < 40
    table = to_text(y, style="table").splitlines()
    assert len(table) == 1 + len(walk(y).nodes)


def test_table_rows_in_topological_order() -> None:
    """The table has one row per node, its definition and each input's local derivative."""
    o = _neuron()
    rows = to_text(o, style="table", formulas=True).splitlines()
    assert _columns(rows[0])[:3] == ["#", "node", "computed as"]
    names = [_columns(row)[1] for row in rows[1:]]
    assert names == ["x1", "w1", "v1", "b", "n", "o"]
    assert rows[3].rstrip().endswith("∂v1/∂x1 = w1 = -3, ∂v1/∂w1 = x1 = 2")


def test_only_paths_to_and_bad_style() -> None:
    """only_paths_to keeps the paths from one input; an unknown style is refused."""
    o = _neuron()
    x1 = o.parents[0].parents[0].parents[0]
    lines = to_text(o, only_paths_to=x1).splitlines()[1:]
    shown = [_columns(line)[0].strip("│├└─ ").split(" = ")[0] for line in lines]
    assert shown == ["o", "n", "v1", "x1"]
    with pytest.raises(ValueError, match="style"):
        to_text(o, style="graph")


def test_works_without_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text rendering imports nothing from graphviz."""
    monkeypatch.setitem(sys.modules, "graphviz", None)
    assert to_text(_neuron()).startswith("node")


def test_constants_show_no_grad() -> None:
    """A constant's row leaves the grad column empty: a constant holds no grad."""
    a = Value(2.0, label="a")
    y = a * 3
    y.backward()
    rows = to_text(y, style="table").splitlines()
    constant = next(row for row in rows if row.split()[1] == "3")
    assert constant.split()[2:] == ["leaf", "3"]  # computed as, data; no grad
    assert next(row for row in rows if row.split()[1] == "a").split()[2:] == ["leaf", "2", "3"]
