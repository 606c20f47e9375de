"""Collecting a graph for display: its nodes, its edges and the local derivative on each edge.

Drawing (``draw.py``), the text rendering (``text.py``) and the chain-rule tools all start
from the same ``Graph``, so they show the same nodes in the same order. Nothing here
differentiates anything: an edge's ``partial`` is the number the op stored at forward
time (``child._partials[i]``), the very number ``backward()`` multiplies by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .graph import topological_order
from .value import Value


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
        for i, (parent, partial) in enumerate(zip(child._parents, child._partials))
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
        if node not in downstream and any(p in downstream for p in node._parents):
            downstream.add(node)
    return [node for node in order if node in downstream]


def node_names(nodes: list[Value]) -> dict[Value, str]:
    """A name per node: its label; for a constant leaf its number (``2``); else ``v1, v2, ...``.

    Unlabelled inner nodes are numbered in the given (topological) order, so names are
    stable for a given graph and read left to right like the computation did.
    """
    names: dict[Value, str] = {}
    counter = 0
    for node in nodes:
        if node.label is not None:
            names[node] = node.label
        elif not node._parents:
            names[node] = _constant_name(node.data)
        else:
            counter += 1
            names[node] = f"v{counter}"
    return names


def scope(label: str | None, level: str) -> str | None:
    """The module a label belongs to: ``'L1.N3.w0'`` is in neuron ``L1.N3`` and layer ``L1``.

    ``level`` is ``"neuron"`` (the label up to its last ``.``) or ``"layer"`` (one level
    further up, or the neuron scope itself when there is none, as for ``P.w0``). A label
    without a dot (``x0``, ``a``) belongs to no module: ``None``.
    """
    if level not in ("neuron", "layer"):
        raise ValueError(f"fold: expected 'neuron' or 'layer', got {level!r}")
    if label is None or "." not in label:
        return None
    neuron = label.rsplit(".", 1)[0]
    if level == "neuron" or "." not in neuron:
        return neuron
    return neuron.rsplit(".", 1)[0]


def format_number(x: float, spec: str = ".4g", *, minus: str = "-") -> str:
    """``x`` in the format ``spec``; ``-0`` shows as ``0``, infinities as ``inf``/``-inf``.

    ``minus`` replaces the ASCII hyphen of negative numbers and exponents (drawings use the
    real minus sign ``−``, text keeps ``-`` so it can be copied back into Python).
    """
    if x == 0.0:
        x = 0.0  # -0.0 is an artefact of the arithmetic, not something to show a student
    text = format(x, spec)
    return text.replace("-", minus)


def _constant_name(x: float) -> str:
    """The shortest text for a constant that reads back as the same float: ``2``, ``0.1``."""
    short = format_number(x, "g")
    return short if float(short) == x else repr(x)


def _describe(node: Value) -> str:
    label = f" {node.label!r}" if node.label is not None else ""
    return f"the node{label} (data {node.data!r})"
