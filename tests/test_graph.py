"""The shared graph walk: autodiff.graph.topological_order."""

from __future__ import annotations

import gc
import operator

import pytest

from autodiff import Value, topological_order
from tests.expressions import random_pool


def _random_graph(seed: int, size: int) -> Value:
    """A random DAG with heavy fan-out: every new node adds or multiplies two earlier nodes."""
    pool = random_pool(seed, size, [operator.mul, operator.add], low=-1.0, high=1.0)
    return pool[-1]


def _reachable(root: Value) -> set[Value]:
    """Every node root depends on, found by a plain breadth-first search (the oracle)."""
    found, frontier = {root}, [root]
    while frontier:
        frontier = [p for n in frontier for p in n._parents if p not in found]
        found.update(frontier)
    return found


@pytest.mark.parametrize("seed", range(20))
def test_every_node_comes_after_all_of_its_parents(seed: int) -> None:
    """Each node appears once, after all its parents, with the root last."""
    root = _random_graph(seed, 60)
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert set(order) == _reachable(root)
    assert order[-1] is root
    for node in order:
        assert all(position[p] < position[node] for p in node._parents)


def test_order_follows_the_parent_tuple_and_repeats_exactly() -> None:
    """The first parent's subgraph is emitted first, and a second walk gives the same list."""
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    mid = a * b
    out = mid + c
    order = topological_order(out)
    assert order == [a, b, mid, c, out]
    assert topological_order(out) == order


def test_zero_inner_grads_resets_inner_nodes_and_keeps_leaves() -> None:
    """zero_inner_grads=True zeroes every node with parents and leaves leaves alone."""
    a = Value(2.0)
    mid = a * a
    out = mid + 1.0
    for node in (a, mid, out):
        node.grad = 5.0
    topological_order(out, zero_inner_grads=True)
    assert (a.grad, mid.grad, out.grad) == (5.0, 0.0, 0.0)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_walk_restores_the_garbage_collector_state(enabled: bool) -> None:
    """The walk pauses the cyclic collector and leaves it as it found it."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        topological_order(_random_graph(0, 50))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_a_chain_deeper_than_the_recursion_limit_walks() -> None:
    """A 50,000-deep chain, far past Python's recursion limit, is ordered leaf first."""
    x = Value(0.0)
    node = x
    for _ in range(50_000):
        node = node + 1.0
    order = topological_order(node)
    assert order[0] is x and order[-1] is node
    assert len(order) == 100_001  # the chain, its constants, and x
