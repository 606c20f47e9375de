"""Walking the graph: the iterative topological sort that backward, replay and every tool share."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value, *, zero_inner_grads: bool = False) -> list[Value]:
    """Every node that ``root`` depends on, ``root`` last, each node after all of its parents.

    A depth-first search with an explicit stack instead of recursion, so a chain of a
    million nodes needs no deeper Python stack than a chain of three. Parents are
    visited in their recorded (tuple) order, so the order is the same on every run.

    Two parallel stacks hold the path from ``root`` down to the node being explored:
    the nodes, and for each an iterator over its parents that remembers which parent
    comes next. A node is emitted once its iterator is exhausted, i.e. once all of its
    parents have been emitted: the same post-order as the recursive search
    ``visit(n): for p in parents: visit(p) if unseen; emit(n)``, without recursion.

    ``zero_inner_grads=True`` also sets the grad of every node that has parents to 0
    as the walk first reaches it: the reset ``backward`` needs before it starts. Done
    here, while the node is in the CPU cache anyway, rather than in a second pass,
    which on a 10⁶-node graph (far bigger than the caches) cost an eighth of backward.
    """
    order: list[Value] = []
    seen = {root}
    path = [root]
    next_parents = [iter(root._parents)]
    mark, emit = seen.add, order.append  # bound once: the loop runs once per edge
    if zero_inner_grads and root._parents:
        root.grad = 0.0
    # The walk keeps one iterator alive per level of depth: on a 10⁶-deep chain, a
    # million new objects, which make Python's cyclic garbage collector re-scan the
    # whole graph again and again (it doubled the time of backward). None of them can
    # be part of a cycle, so the collector is paused for the walk and then restored.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while next_parents:
            for parent in next_parents[-1]:
                if parent not in seen:
                    mark(parent)
                    grandparents = parent._parents
                    if zero_inner_grads and grandparents:
                        parent.grad = 0.0
                    path.append(parent)
                    next_parents.append(iter(grandparents))
                    break
            else:
                next_parents.pop()
                emit(path.pop())
    finally:
        if collecting:
            gc.enable()
    return order


def fresh_grads(root: Value, order: list[Value] | None = None) -> dict[Value, float]:
    """Every node's grad after one ``root.backward()`` from zeroed grads; all grads put back.

    ∂root/∂v for every node ``v`` of ``order`` (``topological_order(root)`` by default),
    as a fresh backward pass computes it, whatever the leaves had accumulated before: the
    reference ``gradcheck`` and ``explain`` compare against. The graph's grads are restored
    afterwards, even if backward raises, so asking changes nothing.
    """
    if order is None:
        order = topological_order(root)
    saved = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        root.backward()
        return {node: node.grad for node in order}
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad
