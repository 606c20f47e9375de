"""walk(): the nodes and edges every drawing and text rendering is made from."""

from __future__ import annotations

import math

import pytest

from autodiff import Value, dot, walk
from autodiff.viz.names import node_names


def _neuron() -> tuple[Value, dict[str, Value]]:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n}


def test_nodes_are_topological_with_root_last() -> None:
    """Every edge goes from an earlier node to a later one, and the root comes last."""
    o, _ = _neuron()
    graph = walk(o)
    assert graph.nodes[-1] is o
    assert all(graph.index[e.parent] < graph.index[e.child] for e in graph.edges)
    assert len(graph.edges) == sum(len(n.parents) for n in graph.nodes)


def test_edge_partials_are_the_stored_numbers() -> None:
    """Each edge carries child.partials[i] itself, which matches the analytic derivative."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    d = c.tanh()
    graph = walk(d)
    for edge in graph.edges:
        assert edge.partial is edge.child.partials[edge.input_index]
    by_pair = {(e.parent, e.child): e.partial for e in graph.edges}
    assert by_pair[(a, c)] == b.data
    assert by_pair[(b, c)] == a.data
    assert by_pair[(c, d)] == pytest.approx(1 - math.tanh(c.data) ** 2)


def test_chain_rule_over_the_edges_reproduces_backward() -> None:
    """Accumulating grads over walk's edges in reverse order gives backward()'s grads."""
    o, leaves = _neuron()
    o.backward()
    graph = walk(o)
    grads = {node: 0.0 for node in graph.nodes}
    grads[o] = 1.0
    for edge in reversed(graph.edges):
        grads[edge.parent] += grads[edge.child] * edge.partial
    for node in graph.nodes:
        assert grads[node] == pytest.approx(node.grad)
    assert leaves["w2"].grad == pytest.approx(leaves["x2"].data * (1 - o.data**2))


def test_reused_input_gives_one_edge_per_slot() -> None:
    """a * a has two edges from a, input slots 0 and 1, each with partial a."""
    a = Value(3.0, label="a")
    y = a * a
    edges = walk(y).edges
    assert [(e.parent, e.input_index, e.partial) for e in edges] == [(a, 0, 3.0), (a, 1, 3.0)]


def test_walk_is_deterministic() -> None:
    """Building the same expression twice gives the same node sequence and edges."""

    def shape(root: Value) -> list[tuple[str, str, tuple[int, ...]]]:
        graph = walk(root)
        return [
            (
                node_names(root, graph.nodes)[n],
                n.op.name if n.op else "leaf",
                tuple(graph.index[p] for p in n.parents),
            )
            for n in graph.nodes
        ]

    assert shape(_neuron()[0]) == shape(_neuron()[0])


def test_only_paths_to_keeps_exactly_the_nodes_between() -> None:
    """only_paths_to=x keeps the nodes that depend on x, checked against reachability."""
    o, leaves = _neuron()
    x1 = leaves["x1"]
    full = walk(o)
    kept = walk(o, only_paths_to=x1)

    def depends_on_x1(node: Value) -> bool:
        stack, seen = [node], set()
        while stack:
            n = stack.pop()
            if n is x1:
                return True
            if n not in seen:
                seen.add(n)
                stack.extend(n.parents)
        return False

    assert kept.nodes == [n for n in full.nodes if depends_on_x1(n)]
    assert kept.nodes[0] is x1 and kept.nodes[-1] is o
    assert leaves["w1"] not in kept.index
    assert all(e.parent in kept.index and e.child in kept.index for e in kept.edges)


def test_only_paths_to_a_stranger_is_an_error() -> None:
    """A value the output does not depend on is refused with a clear message."""
    o, _ = _neuron()
    with pytest.raises(ValueError, match="not an input of the output"):
        walk(o, only_paths_to=Value(1.0, label="z"))


def test_long_chain_without_recursion() -> None:
    """A 30,000-node chain is walked with the default recursion limit."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(30_000):
        y = y + 1.0
    graph = walk(y)
    assert len(graph.nodes) == 1 + 2 * 30_000
    assert len(walk(y, only_paths_to=x).nodes) == 1 + 30_000


def test_dot_node_edges_follow_the_parent_layout() -> None:
    """autodiff.dot's one node has edges w..., x..., b with partials x..., w..., 1."""
    w = [Value(0.5, label="w0"), Value(-2.0, label="w1")]
    x = [Value(3.0, label="x0"), Value(4.0, label="x1")]
    b = Value(1.0, label="b")
    z = dot(w, x, b)
    partials = {e.parent.label: e.partial for e in walk(z).edges}
    assert partials == {"w0": 3.0, "w1": 4.0, "x0": 0.5, "x1": -2.0, "b": 1.0}


def test_walk_names_a_root_that_is_not_a_value() -> None:
    """walk (and so draw_dot, to_text) on a number or a model raises a TypeError that says so."""
    with pytest.raises(TypeError, match=r"root .*: expected a Value, got float 1\.0"):
        walk(1.0)  # type: ignore[arg-type]
    x = Value(2.0, label="x")
    with pytest.raises(TypeError, match="only_paths_to: expected a Value, got str"):
        walk(x * 3, only_paths_to="x")  # type: ignore[arg-type]
