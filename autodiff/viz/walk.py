"""Collecting a graph for display: its nodes, its edges and the local derivative on each edge.

Drawing (``draw.py``), the text rendering (``text.py``) and the chain-rule tools all start
from the same ``Graph``, so they show the same nodes in the same order. Nothing here
differentiates anything: an edge's ``partial`` is the number the op stored at forward
time (``child.partials[i]``), the very number ``backward()`` multiplies by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..graph import topological_order
from ..value import Value


@dataclass(frozen=True)
class Edge:
    """``parent`` is input number ``input_index`` of ``child``'s op; ``partial`` = ∂child/∂parent.

    ``backward()`` sends ``child.grad * partial`` along this edge into ``parent.grad``.
    """

    parent: Value
    child: Value
    input_index: int
    partial: float


@dataclass
class Graph:
    """The nodes that ``root`` depends on and the edges between them.

    ``nodes`` are in topological order (every node after its parents, ``root`` last);
    ``edges`` are grouped by child in that order, and by input position within a child.
    ``index[node]`` is the node's position in ``nodes``: drawings use it as a stable id.
    """

    root: Value
    nodes: list[Value]
    edges: list[Edge]
    index: dict[Value, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {node: i for i, node in enumerate(self.nodes)}


def walk(root: Value, *, only_paths_to: Value | None = None) -> Graph:
    """Every node ``root`` depends on, and one ``Edge`` per (input slot of an op).

    Iterative (``topological_order``), so a million-node chain is fine, and deterministic:
    the same expression always gives the same order. A node used twice by one op
    (``a * a``) gives two edges, one per input slot, each with its own partial.

    ``only_paths_to=x`` keeps only the nodes on some path from ``x`` up to ``root`` (the
    nodes whose grad ``x.grad`` is built from), and the edges between them.
    """
    _check_node(root, "root (the output whose graph is shown)")
    if only_paths_to is not None:
        _check_node(only_paths_to, "only_paths_to")
    order = topological_order(root)
    if only_paths_to is not None:
        order = _on_paths(order, only_paths_to, root)
    kept = set(order)
    edges = [
        Edge(parent, child, i, partial)
        for child in order
        for i, (parent, partial) in enumerate(zip(child.parents, child.partials))
        if parent in kept
    ]
    return Graph(root, order, edges)


def _check_node(node: object, role: str) -> None:
    """A ``TypeError`` naming ``role`` unless ``node`` is a ``Value`` (a graph needs one)."""
    if not isinstance(node, Value):
        hint = (
            " (call the model on an input first, e.g. draw_dot(model(x)))"
            if hasattr(node, "parameters")
            else ""
        )
        raise TypeError(f"{role}: expected a Value, got {type(node).__name__} {node!r}{hint}")


def _on_paths(order: list[Value], source: Value, root: Value) -> list[Value]:
    """The nodes of ``order`` (topologically sorted, ending at ``root``) that use ``source``."""
    if source not in set(order):
        raise ValueError(
            f"only_paths_to: {_describe(source)} is not an input of the output "
            f"{_describe(root)}: no path leads from it to the output"
        )
    downstream = {source}
    for node in order:
        if node not in downstream and any(p in downstream for p in node.parents):
            downstream.add(node)
    return [node for node in order if node in downstream]


def _describe(node: Value) -> str:
    label = f" {node.label!r}" if node.label is not None else ""
    return f"the node{label} (data {node.data!r})"
