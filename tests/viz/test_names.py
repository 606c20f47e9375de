"""autodiff.viz.names: node names and number formatting, shared by every tool."""

from __future__ import annotations

import math

from autodiff import Value, walk
from autodiff.viz.names import format_number, node_names


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
