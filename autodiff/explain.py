"""The chain rule, spelled out: every path from an input to the output, and the sum over paths.

For a graph, the multivariable chain rule says

    ∂out/∂x = Σ over paths x → … → out of  Π over the path's edges of ∂child/∂parent,

where each factor is a *local* derivative that the op stored as a number when it ran
(``node._partials``): the same numbers ``backward()`` uses. ``explain(out, x)`` lists the
paths, multiplies those numbers along each one, sums the products, and checks the sum
against the gradient a fresh ``out.backward()`` gives ``x``.

Paths multiply: a chain of ``k`` blocks, each of which uses its input twice, has ``2^k``
paths. They are counted first by dynamic programming (no enumeration); past
``max_paths`` the explanation switches to the *accumulation view*, which is what
backward really computes: for every node ``v`` between ``x`` and ``out``,
``∂out/∂v = Σ over children c of ∂out/∂c · ∂c/∂v``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .explain_format import explanation_markdown, explanation_text, number_formatter
from .graph import topological_order
from .naming import definition, node_names
from .paths import Path, count_paths, list_paths
from .value import Value

__all__ = ["Contribution", "Explanation", "NodeSum", "Path", "count_paths", "explain"]


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


class NodeSum(NamedTuple):
    """A node's gradient as the sum of its children's contributions (the seed for ``out``)."""

    name: str
    contributions: tuple[Contribution, ...]
    total: float


@dataclass(frozen=True)
class Explanation:
    """The result of :func:`explain`: paths (or the accumulation view), the sum, and the check.

    ``gradient`` is what one fresh ``out.backward()`` gives ``x`` (its whole grad for an
    inner node; the amount added by that one call for a leaf); ``stored_grad`` is
    ``x.grad`` as it was when ``explain`` was called. ``view`` is ``"paths"`` when the
    paths are listed, ``"accumulation"`` when there were more than ``max_paths``; only
    then is ``accumulation`` filled (``max_paths=0`` asks for it on any graph).
    ``legend`` lists each computed node between ``x`` and ``out`` as (name, definition,
    data).
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
    number_format: str = ".6g"

    @property
    def view(self) -> str:
        """``"paths"`` or ``"accumulation"``."""
        return "accumulation" if self.paths is None else "paths"

    @property
    def total(self) -> float:
        """Σ of the path products (paths view) or ``x``'s accumulated sum (accumulation view)."""
        if self.paths is not None:
            return _sum(p.product for p in self.paths)
        return self.accumulation[-1].total if self.accumulation else 0.0

    def __str__(self) -> str:
        return explanation_text(self)

    def to_markdown(self) -> str:
        """Markdown with LaTeX formulas in the lecture's notation (∂L/∂w = ∂L/∂y · ∂y/∂z · …)."""
        return explanation_markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def explain(
    out: Value, x: Value, *, max_paths: int = 200, number_format: str = ".6g"
) -> Explanation:
    """Explain ∂out/∂x by the chain rule: each path's product of local derivatives, and their sum.

    The sum is checked against the gradient one fresh ``out.backward()`` gives ``x``
    (to floating-point rounding: paths add the same products in another order); a
    mismatch raises ``ArithmeticError``. That backward runs on the real graph and every
    ``grad`` is put back afterwards, so ``explain`` changes nothing. When there are more
    than ``max_paths`` paths they are not listed; the explanation holds the
    accumulation view instead and says so. ``number_format`` formats numbers in text.
    """
    if not isinstance(out, Value) or not isinstance(x, Value):
        raise TypeError(
            f"explain: out and x must be Values, got {type(out).__name__} and {type(x).__name__}"
        )
    number_formatter(number_format)
    order = topological_order(out)
    names = node_names(out, order)
    count = count_paths(out, x, order)
    grads = _fresh_backward(out, order)
    total_paths = count.get(out, 0)
    relevant = [node for node in order if count[node] > 0]
    paths = (
        tuple(list_paths(out, x, count, names)) if total_paths <= max_paths else None
    )
    explanation = Explanation(
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
        number_format=number_format,
    )
    _check(explanation)
    return explanation


def _fresh_backward(out: Value, order: list[Value]) -> dict[Value, float]:
    """Every node's grad after one ``out.backward()`` from zeroed leaves; all grads restored."""
    saved = [node.grad for node in order]
    try:
        for node in order:
            node.grad = 0.0
        out.backward()
        return {node: node.grad for node in order}
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


def _legend(
    order: list[Value], relevant: list[Value], names: dict[Value, str]
) -> tuple[tuple[str, str, float], ...]:
    """Each computed node on the paths, and each computed input of those, in graph order."""
    shown = set(relevant)
    shown.update(p for node in relevant for p in node._parents)
    return tuple(
        (names[node], definition(node, names), node.data)
        for node in order
        if node in shown and node._op is not None
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
        parents = child._parents
        for index, (parent, partial) in enumerate(zip(parents, child._partials)):
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


def _sum(values: Iterable[float]) -> float:
    """Left-to-right float sum (not ``math.fsum``): the rounding a student would get by hand."""
    total = 0.0
    for v in values:
        total += v
    return total


def _check(expl: Explanation) -> None:
    """The sum over paths must equal backward's gradient, up to rounding in the summation order."""
    total, grad = expl.total, expl.gradient
    if expl.paths is not None:
        scale = _sum(abs(p.product) for p in expl.paths)
    else:
        last = expl.accumulation[-1].contributions if expl.accumulation else ()
        scale = _sum(abs(c.value) for c in last)
    if math.isfinite(scale) and math.isfinite(grad):
        ok = abs(total - grad) <= 1e-9 * scale
    else:
        ok = total == grad or (math.isnan(total) and math.isnan(grad))
    if not ok:
        raise ArithmeticError(
            f"explain: the sum over paths, {total!r}, differs from backward()'s gradient "
            f"{grad!r} for ∂{expl.output}/∂{expl.target}; the graph changed while explaining?"
        )
