"""Folding a big graph: which nodes make up each neuron or layer, and which of them leave it.

``nn`` labels every node it makes (``L1.N3.w0``, ``L1.N3.z``, ``L1.N3.out``), so the
module a node belongs to can be read from its label alone (``scope``). A drawing
then shows one box per module instead of its nodes; this module only decides the
grouping, ``draw.py`` draws it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..value import Value
from .labels import scope_of
from .walk import Graph


@dataclass
class Fold:
    """One module drawn as one box: its ``members`` (topological order) and its ``outputs``.

    An output is a member used by a node outside the module, or the graph's root.
    """

    name: str
    members: list[Value]
    outputs: list[Value]


@dataclass
class Folding:
    """``module_of[node]`` names the module a folded node is in; ``folds`` in computation order."""

    module_of: dict[Value, str]
    folds: list[Fold]


def fold(graph: Graph, level: str, unfold: Collection[str] = ()) -> Folding:
    """Group the nodes of ``graph`` by neuron (``level="neuron"``) or layer (``"layer"``).

    A labelled node goes to its label's scope, unless the label is inside a scope listed in
    ``unfold`` (``"L1.N3"`` keeps ``L1.N3.w0`` ... on their own). An unlabelled node joins a
    module when every node that uses it is in that module; deciding from the output
    backwards lets chains of unlabelled helpers inside a neuron fold too. Nodes in no module
    stay drawn on their own. Folds are ordered by when their last node was computed, so
    ``L1`` comes before ``L2``.
    """
    if level not in ("neuron", "layer"):
        raise ValueError(f"fold: expected 'neuron' or 'layer', got {level!r}")
    for u in unfold:
        if not any(_inside(n.label, u) for n in graph.nodes):
            raise ValueError(f"unfold: no node label is in the scope {u!r}")
    users: dict[Value, list[Value]] = {}
    for edge in graph.edges:
        users.setdefault(edge.parent, []).append(edge.child)
    module_of: dict[Value, str] = {}
    for node in reversed(graph.nodes):
        if node.label is not None:
            kept_open = any(_inside(node.label, u) for u in unfold)
            module = None if kept_open else scope(node.label, level)
        else:
            modules = {module_of.get(user) for user in users.get(node, ())}
            module = modules.pop() if len(modules) == 1 else None
        if module is not None:
            module_of[node] = module

    members: dict[str, list[Value]] = {}
    for node in graph.nodes:
        if node in module_of:
            members.setdefault(module_of[node], []).append(node)
    leaving = {
        e.parent
        for e in graph.edges
        if e.parent in module_of and module_of.get(e.child) != module_of[e.parent]
    }
    leaving.add(graph.root)
    in_order = sorted(members, key=lambda m: graph.index[members[m][-1]])
    folds = [Fold(m, members[m], [n for n in members[m] if n in leaving]) for m in in_order]
    return Folding(module_of, folds)


def scope(label: str | None, level: str) -> str | None:
    """The module a label belongs to: ``'L1.N3.w0'`` is in neuron ``L1.N3`` and layer ``L1``.

    ``level`` is ``"neuron"`` (the label up to its last ``.``) or ``"layer"`` (one level
    further up, or the neuron scope itself when there is none, as for ``P.w0``). A label
    without a dot (``x0``, ``a``) belongs to no module: ``None``.
    """
    if level not in ("neuron", "layer"):
        raise ValueError(f"fold: expected 'neuron' or 'layer', got {level!r}")
    neuron = scope_of(label)
    if neuron is None or level == "neuron":
        return neuron
    return scope_of(neuron) or neuron


def _inside(label: str | None, module: str) -> bool:
    return label is not None and (label == module or label.startswith(module + "."))
