"""Walking the graph: one iterative topological sort that everything else shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, ``root`` last, each node after all of its parents.

    A depth-first search with an explicit stack instead of recursion, so a chain of a
    million nodes needs no deeper Python stack than a chain of three. Parents are
    visited in their recorded (tuple) order, so the order is the same on every run.

    A node is *expanded* when first popped: marked seen, pushed back with a ``True``
    marker, and its unseen parents pushed above it. When the marker comes back up, all
    of its parents have been emitted, so emitting it then is a topological order. A
    node may sit on the stack twice; the later copy is skipped as already seen.
    """
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    push = stack.append
    pop = stack.pop
    emit = order.append
    mark = seen.add
    while stack:
        node, expanded = pop()
        if expanded:
            emit(node)
            continue
        if node in seen:
            continue
        mark(node)
        push((node, True))
        # reversed, so the first parent is expanded first and the order follows the tuple
        for parent in reversed(node._parents):
            if parent not in seen:
                push((parent, False))
    return order
