"""The chain rule's numbers for ∂out/∂x: every path's product, the accumulation view, the δ terms.

For a graph, the multivariable chain rule says

    ∂out/∂x = Σ over paths x → … → out of  Π over the path's edges of ∂child/∂parent,

where each factor is a *local* derivative that the op stored as a number when it ran
(``node.partials``): the same numbers ``backward()`` uses. ``chain_rule(out, x)`` lists
the paths, multiplies those numbers along each one, and checks the sum against the
gradient a fresh ``out.backward()`` gives ``x``. On a network's graph it also computes
each neuron's error term δ = ∂E/∂z the way the lecture does, layer by layer.

Paths multiply: a chain of ``k`` blocks, each of which uses its input twice, has ``2^k``
paths. They are counted first by dynamic programming (no enumeration); past
``max_paths`` the result holds the *accumulation view* instead, which is what backward
really computes: for every node ``v`` between ``x`` and ``out``,
``∂out/∂v = Σ over children c of ∂out/∂c · ∂c/∂v``.

This module only computes; ``explain.py`` writes the result as text and Markdown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..graph import fresh_grads, topological_order
from ..value import Value
from .labels import delta_name, is_weighted_sum
from .names import definition, lecture_names
from .paths import Path, count_paths, list_paths

__all__ = [
    "ChainRule",
    "Contribution",
    "Delta",
    "NodeSum",
    "Path",
    "chain_rule",
    "check",
    "count_paths",
    "sum_in_order",
]


class Contribution(NamedTuple):
    """What one child ``c`` passes to a node ``v``: ``value = grad · partial = ∂out/∂c · ∂c/∂v``.

    ``input`` is which input (0-based) of ``c`` the node is; ``reused`` whether the node is
    more than one input of ``c`` (then ``c`` passes it one contribution per input).
    """

    child: str
    input: int
    reused: bool
    grad: float
    partial: float
    value: float


class Delta(NamedTuple):
    """One neuron's error term ``δ = ∂E/∂z`` (``name`` ``δⱼ⁽ˡ⁾``, its weighted sum ``z``).

    The lecture's two cases: a neuron whose activation ``a`` feeds the loss directly has
    ``δ = ∂E/∂a · ∂a/∂z`` (``upstream`` empty, ``output_grad`` = ∂E/∂a); a hidden one has
    ``δ = ∂a/∂z · Σₖ ∂zₖ/∂a · δₖ`` over the next layer's neurons ``k`` (``upstream`` holds
    each ``(zₖ name, δₖ name, ∂zₖ/∂a, δₖ)``; ∂zₖ/∂a is the weight wⱼₖ). A weighted sum
    with no activation has ``a`` equal to ``z`` and ``local`` 1. ``value`` is backward's.
    """

    name: str
    z: str
    a: str
    local: float
    output_grad: float
    upstream: tuple[tuple[str, str, float, float], ...]
    value: float


class NodeSum(NamedTuple):
    """A node's gradient as the sum of its children's contributions (the seed for ``out``)."""

    name: str
    contributions: tuple[Contribution, ...]
    total: float


@dataclass(frozen=True)
class ChainRule:
    """The chain rule for ∂out/∂x, as numbers: paths (or the accumulation view), sum, δ terms.

    ``gradient`` is what one fresh ``out.backward()`` gives ``x`` (its whole grad for an
    inner node; the amount added by that one call for a leaf); ``stored_grad`` is
    ``x.grad`` as it was when it was computed. ``view`` is ``"paths"`` when the paths are
    listed, ``"accumulation"`` when there were more than ``max_paths``; only then is
    ``accumulation`` filled (``max_paths=0`` asks for it on any graph). ``legend`` lists
    each computed node between ``x`` and ``out`` as (name, definition, data). On a
    network's graph, ``deltas`` holds each neuron's δ on the paths (output layer first),
    ``by_delta`` ∂out/∂x as Σ δ · ∂z/∂x when ``x`` feeds neurons' weighted sums, and
    ``layer_cuts`` for each path the positions of its ``z`` nodes.
    """

    output: str
    target: str
    path_count: int
    max_paths: int
    paths: tuple[Path, ...] | None
    accumulation: tuple[NodeSum, ...]
    gradient: float
    stored_grad: float
    legend: tuple[tuple[str, str, float], ...]
    deltas: tuple[Delta, ...] = ()
    by_delta: tuple[tuple[str, float, float], ...] = ()
    layer_cuts: tuple[tuple[int, ...], ...] = ()

    @property
    def view(self) -> str:
        """``"paths"`` or ``"accumulation"``."""
        return "accumulation" if self.paths is None else "paths"

    @property
    def total(self) -> float:
        """Σ of the path products (paths view) or ``x``'s accumulated sum (accumulation view)."""
        if self.paths is not None:
            return sum_in_order(p.product for p in self.paths)
        return self.accumulation[-1].total if self.accumulation else 0.0


def chain_rule(out: Value, x: Value, *, max_paths: int = 200) -> ChainRule:
    """∂out/∂x by the chain rule: each path's product of local derivatives, and their sum.

    The sum is checked against the gradient one fresh ``out.backward()`` gives ``x``
    (to floating-point rounding: paths add the same products in another order); a
    mismatch raises ``ArithmeticError``. That backward runs on the real graph and every
    ``grad`` is put back afterwards, so nothing changes. With more than ``max_paths``
    paths, the accumulation view replaces the list of paths.
    """
    if not isinstance(out, Value) or not isinstance(x, Value):
        raise TypeError(
            f"explain: out and x must be Values, got {type(out).__name__} and {type(x).__name__}"
        )
    order = topological_order(out)
    names = lecture_names(out, order)
    count = count_paths(out, x, order)
    grads = fresh_grads(out, order)
    total_paths = count.get(out, 0)
    relevant = [node for node in order if count[node] > 0]
    paths = tuple(list_paths(out, x, count, names)) if total_paths <= max_paths else None
    deltas, by_delta, cuts = _deltas(x, order, relevant, grads, names, paths)
    result = ChainRule(
        output=names[out],
        target=names.get(x, x.label or "x"),
        path_count=total_paths,
        max_paths=max_paths,
        paths=paths,
        accumulation=(
            _accumulation(out, order, relevant, count, grads, names) if paths is None else ()
        ),
        gradient=grads.get(x, 0.0),
        stored_grad=x.grad,
        legend=_legend(order, relevant, names),
        deltas=deltas,
        by_delta=by_delta,
        layer_cuts=cuts,
    )
    check(result)
    return result


def _is_z(node: Value) -> bool:
    return is_weighted_sum(node.label)


def _deltas(
    x: Value,
    order: list[Value],
    relevant: list[Value],
    grads: dict[Value, float],
    names: dict[Value, str],
    paths: tuple[Path, ...] | None,
) -> tuple[tuple[Delta, ...], tuple[tuple[str, float, float], ...], tuple[tuple[int, ...], ...]]:
    """The δ fields of a ChainRule (all empty unless the graph has neurons' ``z`` nodes)."""
    zs = [node for node in reversed(relevant) if _is_z(node)]
    if not zs:
        return (), (), ()
    users: dict[Value, list[tuple[Value, float]]] = {}
    for child in order:
        for parent, partial in zip(child.parents, child.partials):
            users.setdefault(parent, []).append((child, partial))
    deltas = []
    for z in zs:
        after = users.get(z, [])
        # the activation: z's one user when it is not itself a neuron's z (linear output)
        if len(after) == 1 and not _is_z(after[0][0]) and len(after[0][0].parents) == 1:
            a, local = after[0]
        else:
            a, local = z, 1.0
        nxt = users.get(a, [])
        hidden = bool(nxt) and all(_is_z(c) for c, _ in nxt)
        upstream = tuple(
            (names[c], delta_name(names[c]), partial, grads[c]) for c, partial in nxt if hidden
        )
        deltas.append(
            Delta(delta_name(names[z]), names[z], names[a], local, grads[a], upstream, grads[z])
        )
    feeds = users.get(x, [])
    by_delta = (
        tuple((delta_name(names[c]), grads[c], p) for c, p in feeds)
        if feeds and all(_is_z(c) for c, _ in feeds)
        else ()
    )
    z_names = {names[z] for z in zs}
    cuts = tuple(tuple(i for i, name in enumerate(p.nodes) if name in z_names) for p in paths or ())
    return tuple(deltas), by_delta, cuts


def _legend(
    order: list[Value], relevant: list[Value], names: dict[Value, str]
) -> tuple[tuple[str, str, float], ...]:
    """Each computed node on the paths, and each computed input of those, in graph order."""
    shown = set(relevant)
    shown.update(p for node in relevant for p in node.parents)
    return tuple(
        (names[node], definition(node, names), node.data)
        for node in order
        if node in shown and node.op is not None
    )


def _accumulation(
    out: Value,
    order: list[Value],
    relevant: list[Value],
    count: dict[Value, int],
    grads: dict[Value, float],
    names: dict[Value, str],
) -> tuple[NodeSum, ...]:
    """Each node between ``x`` and ``out``, output first: the contributions it received, in the
    order ``backward()`` adds them, so each total equals that node's grad exactly."""
    received: dict[Value, list[Contribution]] = {node: [] for node in relevant}
    for child in reversed(order):
        parents = child.parents
        for index, (parent, partial) in enumerate(zip(parents, child.partials)):
            if count[parent] > 0:
                g = grads[child]
                reused = sum(p is parent for p in parents) > 1
                received[parent].append(
                    Contribution(names[child], index, reused, g, partial, g * partial)
                )
    sums = []
    for node in reversed(relevant):
        contributions = tuple(received[node])
        total = 1.0 if node is out else 0.0
        for c in contributions:
            total += c.value
        sums.append(NodeSum(names[node], contributions, total))
    return tuple(sums)


def sum_in_order(values: Iterable[float]) -> float:
    """Left-to-right float sum (not ``math.fsum``): the rounding a student would get by hand."""
    total = 0.0
    for v in values:
        total += v
    return total


def check(expl: ChainRule) -> None:
    """The sum over paths must equal backward's gradient, up to rounding in the summation order."""
    total, grad = expl.total, expl.gradient
    if expl.paths is not None:
        scale = sum_in_order(abs(p.product) for p in expl.paths)
    else:
        last = expl.accumulation[-1].contributions if expl.accumulation else ()
        scale = sum_in_order(abs(c.value) for c in last)
    if math.isfinite(scale) and math.isfinite(grad):
        ok = abs(total - grad) <= 1e-9 * scale
    else:
        ok = total == grad or (math.isnan(total) and math.isnan(grad))
    if not ok:
        raise ArithmeticError(
            f"explain: the sum over paths, {total!r}, differs from backward()'s gradient "
            f"{grad!r} for ∂{expl.output}/∂{expl.target}; the graph changed while explaining?"
        )
