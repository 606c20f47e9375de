"""The chain rule, spelled out: every path from an input to the output, and the sum over paths.

For a graph, the multivariable chain rule says

    ∂out/∂x = Σ over paths x → … → out of  Π over the path's edges of ∂child/∂parent,

where each factor is a *local* derivative that the op stored as a number when it ran
(``node.partials``): the same numbers ``backward()`` uses. ``explain(out, x)`` lists the
paths, multiplies those numbers along each one, sums the products, and checks the sum
against the gradient a fresh ``out.backward()`` gives ``x``.

Paths multiply: a chain of ``k`` blocks, each of which uses its input twice, has ``2^k``
paths. They are counted first by dynamic programming (no enumeration); past
``max_paths`` the explanation switches to the *accumulation view*, which is what
backward really computes: for every node ``v`` between ``x`` and ``out``,
``∂out/∂v = Σ over children c of ∂out/∂c · ∂c/∂v``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import NamedTuple, TypeAlias

from ..graph import topological_order
from ..value import Value
from .escape import markdown_code, markdown_text
from .names import (
    definition,
    delta_name,
    latex_name,
    latex_number,
    lecture_names,
    number_formatter,
)
from .paths import Path, count_paths, list_paths

__all__ = [
    "Contribution",
    "Delta",
    "Explanation",
    "NodeSum",
    "Path",
    "count_paths",
    "explain",
]

_Z_LABEL = re.compile(r"L\d+\.N\d+\.z")


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
    """One neuron's error term ``δ = ∂E/∂z`` (``name`` ``δ⁽ˡ⁾ⱼ``, its weighted sum ``z``).

    The lecture's two cases: a neuron whose activation ``a`` feeds the loss directly has
    ``δ = ∂E/∂a · ∂a/∂z`` (``upstream`` empty, ``output_grad`` = ∂E/∂a); a hidden one has
    ``δ = ∂a/∂z · Σₖ ∂zₖ/∂a · δₖ`` over the next layer's neurons ``k`` (``upstream`` holds
    each ``(zₖ name, δₖ name, ∂zₖ/∂a, δₖ)``; ∂zₖ/∂a is the weight wₖⱼ). A weighted sum
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
    names = lecture_names(out, order)
    count = count_paths(out, x, order)
    grads = _fresh_backward(out, order)
    total_paths = count.get(out, 0)
    relevant = [node for node in order if count[node] > 0]
    paths = tuple(list_paths(out, x, count, names)) if total_paths <= max_paths else None
    deltas, by_delta, cuts = _deltas(x, order, relevant, grads, names, paths)
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
        deltas=deltas,
        by_delta=by_delta,
        layer_cuts=cuts,
    )
    _check(explanation)
    return explanation


def _is_z(node: Value) -> bool:
    return node.label is not None and _Z_LABEL.fullmatch(node.label) is not None


def _deltas(
    x: Value,
    order: list[Value],
    relevant: list[Value],
    grads: dict[Value, float],
    names: dict[Value, str],
    paths: tuple[Path, ...] | None,
) -> tuple[tuple[Delta, ...], tuple[tuple[str, float, float], ...], tuple[tuple[int, ...], ...]]:
    """The δ fields of an Explanation (all empty unless the graph has neurons' ``z`` nodes)."""
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
    cuts = tuple(
        tuple(i for i, name in enumerate(p.nodes) if name.startswith("z⁽")) for p in paths or ()
    )
    return tuple(deltas), by_delta, cuts


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


# --- writing an explanation out ---------------------------------------------------------
# Both layouts follow the lecture's notation: the derivative of the output with respect to
# x is written as a product of local derivatives down each path, ∂L/∂w = ∂L/∂a · ∂a/∂z ·
# ∂z/∂w, then as the ops' formulas, then as the numbers, then as one number; the paths'
# products are summed at the end.

_Fmt: TypeAlias = Callable[[float], str]  # a number as text
_LISTED_TERMS = 12  # longer sums show only their total


def explanation_text(e: Explanation) -> str:
    """The explanation as plain text for a terminal."""
    fmt = number_formatter(e.number_format)
    out, x = e.output, e.target
    lines = [_headline(e, f"∂{out}/∂{x}")]
    if e.paths is not None:
        for number, path in enumerate(e.paths, 1):
            lines += ["", f"path {number} of {len(e.paths)}:  {' ← '.join(path.nodes)}"]
            symbols = [_ratio(path, i) for i in range(len(path.factors))] or ["1"]
            formulas = [_paren(f) for f in path.formulas] or ["1"]
            numbers = [_paren(fmt(v)) for v in path.factors] or ["1"]
            lead = f"  ∂{out}/∂{x} = "
            pad = " " * (len(lead) - 2) + "= "
            rows = [" · ".join(symbols), " · ".join(formulas), " · ".join(numbers)]
            rows.append(fmt(path.product))
            rows = _distinct(rows)
            lines += [(pad if i else lead) + row for i, row in enumerate(rows)]
            if e.layer_cuts and e.layer_cuts[number - 1]:
                lines += _by_layer_text(e, path, e.layer_cuts[number - 1], fmt)
        lines += ["", _sum_line(e, [p.product for p in e.paths], fmt)]
    else:
        for node in e.accumulation:
            lines += ["", *_node_sum_text(node, out, fmt)]
    if e.deltas:
        lines += ["", *_deltas_text(e, fmt)]
    lines += ["", _check_line(e, fmt)]
    if e.legend:
        lines += ["", "where"]
        lines += [f"  {name} = {text} = {fmt(data)}" for name, text, data in e.legend]
    return "\n".join(lines)


def _segments(path: Path, cuts: tuple[int, ...]) -> list[tuple[int, int]]:
    """The path's factor ranges between its ``z`` nodes: one group per layer it crosses."""
    bounds = [0, *(c for c in cuts if c > 0), len(path.factors)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _delta_of(e: Explanation, z: str) -> Delta | None:
    return next((d for d in e.deltas if d.z == z), None)


def _by_layer_text(e: Explanation, path: Path, cuts: tuple[int, ...], fmt: _Fmt) -> list[str]:
    """The path's factors grouped by layer; the group down to the first z is that δ when
    this path is the only way from that neuron to the output."""
    lines = ["  by layer:"]
    running = 1.0
    for start, stop in _segments(path, cuts):
        product = 1.0
        for v in path.factors[start:stop]:
            product *= v
        running *= product
        symbols = " · ".join(_ratio(path, i) for i in range(start, stop))
        end = path.nodes[stop]
        delta = _delta_of(e, end) if start == 0 else None
        named = f" = {delta.name}" if delta is not None and _close(running, delta.value) else ""
        lines.append(f"    down to {end}: {symbols} = {fmt(product)}{named}")
    return lines


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)


def _deltas_text(e: Explanation, fmt: _Fmt) -> list[str]:
    """Each neuron's δ⁽ˡ⁾ⱼ = ∂E/∂z⁽ˡ⁾ⱼ as the lecture computes it, output layer first."""
    out = e.output
    lines = [f"the δ terms (δ = ∂{out}/∂z of each neuron on the paths), output layer first:"]
    for d in e.deltas:
        lines.append("  " + _delta_line(d, out, fmt))
    if e.by_delta:
        terms = " + ".join(f"{name} · ∂{_z(name)}/∂{e.target}" for name, _, _ in e.by_delta)
        numbers = " + ".join(f"{_paren(fmt(v))} · {_paren(fmt(p))}" for _, v, p in e.by_delta)
        total = _sum(v * p for _, v, p in e.by_delta)
        lines.append(f"so  ∂{out}/∂{e.target} = {terms} = {numbers} = {fmt(total)}")
    return lines


def _z(delta: str) -> str:
    return "z" + delta[1:]


def _delta_line(d: Delta, out: str, fmt: _Fmt) -> str:
    local = f" · ∂{d.a}/∂{d.z}" if d.a != d.z else ""
    local_number = f" · {_paren(fmt(d.local))}" if d.a != d.z else ""
    if not d.upstream:
        return (
            f"{d.name} = ∂{out}/∂{d.z} = ∂{out}/∂{d.a}{local} = "
            f"{_paren(fmt(d.output_grad))}{local_number} = {fmt(d.value)}"
        )
    terms = " + ".join(f"∂{z}/∂{d.a} · {delta}" for z, delta, _, _ in d.upstream)
    numbers = " + ".join(f"{_paren(fmt(w))} · {_paren(fmt(v))}" for _, _, w, v in d.upstream)
    if d.a == d.z:
        return f"{d.name} = {terms} = {numbers} = {fmt(d.value)}"
    return (
        f"{d.name} = ∂{d.a}/∂{d.z} · ({terms}) = {_paren(fmt(d.local))} · ({numbers})"
        f" = {fmt(d.value)}"
    )


def _deltas_markdown(e: Explanation, fmt: _Fmt) -> str:
    """The δ terms as LaTeX, output layer first, then ∂E/∂x from them."""
    out = latex_name(e.output)

    def n(v: float) -> str:
        return _paren(latex_number(fmt(v)))

    rows = []
    for d in e.deltas:
        name, z, a = latex_name(d.name), latex_name(d.z), latex_name(d.a)
        local = f" {_frac(a, z)}" if d.a != d.z else ""
        local_n = f"{n(d.local)} \\cdot " if d.a != d.z else ""
        if not d.upstream:
            times_local = f" \\cdot {n(d.local)}" if d.a != d.z else ""
            rows.append(
                f"{name} &= {_frac(out, z)} = {_frac(out, a)}{local} = "
                f"{n(d.output_grad)}{times_local} = {latex_number(fmt(d.value))}"
            )
            continue
        terms = " + ".join(
            f"{_frac(latex_name(zk), a)}\\,{latex_name(dk)}" for zk, dk, _, _ in d.upstream
        )
        numbers = " + ".join(f"{n(w)} \\cdot {n(v)}" for _, _, w, v in d.upstream)
        rows.append(
            f"{name} &= {local.strip()} \\left({terms}\\right) = "
            f"{local_n}\\left({numbers}\\right) = {latex_number(fmt(d.value))}"
        )
    if e.by_delta:
        x = latex_name(e.target)
        terms = " + ".join(
            f"{latex_name(name)}\\,{_frac(latex_name(_z(name)), x)}" for name, _, _ in e.by_delta
        )
        numbers = " + ".join(f"{n(v)} \\cdot {n(p)}" for _, v, p in e.by_delta)
        total = _sum(v * p for _, v, p in e.by_delta)
        rows.append(f"{_frac(out, x)} &= {terms} = {numbers} = {latex_number(fmt(total))}")
    body = " \\\\\n".join(rows)
    return (
        f"**The δ terms** ($\\delta = \\partial {out}/\\partial z$ of each neuron), "
        f"output layer first\n\n$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$"
    )


def explanation_markdown(e: Explanation) -> str:
    """The explanation as Markdown; formulas are LaTeX (``$$…$$``) for Jupyter and GitHub."""
    fmt = number_formatter(e.number_format)
    out, x = latex_name(e.output), latex_name(e.target)
    lhs = _frac(out, x)
    # the sentences name the nodes in Markdown text: a label is shown, never read as markup
    prose = replace(e, output=markdown_text(e.output), target=markdown_text(e.target))
    parts = [_headline(prose, f"$\\partial {out} / \\partial {x}$")]
    if e.paths is not None:
        for number, path in enumerate(e.paths, 1):
            arrow = r" \leftarrow ".join(latex_name(n) for n in path.nodes)
            rows = [" \\cdot ".join(_latex_ratios(path))]
            if path.factors:
                rows.append(" \\cdot ".join(_paren(f) for f in path.latex_formulas))
                rows.append(" \\cdot ".join(_paren(latex_number(fmt(v))) for v in path.factors))
            rows.append(latex_number(fmt(path.product)))
            rows = _distinct(rows)
            heading = f"**Path {number}** of {len(e.paths)}: ${arrow}$"
            parts.append(heading + "\n\n" + _aligned(lhs, rows))
        products = [p.product for p in e.paths]
        terms = " + ".join(_paren(latex_number(fmt(v))) for v in products)
        if 1 < len(products) <= _LISTED_TERMS:
            sum_row = f"{lhs} = {terms} = {latex_number(fmt(e.total))}"
        else:
            sum_row = f"{lhs} = {latex_number(fmt(e.total))}"
        parts.append(f"**Sum over the paths**\n\n$${sum_row}$$")
    else:
        for node in e.accumulation:
            parts.append(_node_sum_markdown(node, out, fmt))
    if e.deltas:
        parts.append(_deltas_markdown(e, fmt))
    parts.append(_check_line(prose, fmt).replace("✓", "✔"))
    if e.legend:
        table = ["| node | computed as | value |", "|---|---|---|"]
        table += [
            f"| {markdown_code(n)} | {markdown_code(t)} | {markdown_text(fmt(d))} |"
            for n, t, d in e.legend
        ]
        parts.append("\n".join(table))
    return "\n\n".join(parts)


def _distinct(rows: list[str]) -> list[str]:
    """Drop a row equal to the one before: ``= 1 = 1`` says nothing new; brackets don't count."""
    kept = rows[:1]
    for row in rows[1:]:
        if row.strip("()") != kept[-1].strip("()"):
            kept.append(row)
    return kept


def _headline(e: Explanation, derivative: str) -> str:
    if e.path_count == 0:
        return (
            f"{derivative} = 0: {e.output} does not depend on {e.target} "
            "(there is no path between them)."
        )
    plural = "path" if e.path_count == 1 else "paths"
    head = f"{derivative} by the chain rule: {e.path_count} {plural} from {e.target} to {e.output}"
    if e.paths is not None and e.path_count == 1:
        return f"{head}, and {derivative} is the product of the local derivatives along it."
    if e.paths is not None:
        return head + "; along each, multiply the local derivatives; then add the paths."
    return (
        f"{head}, more than max_paths={e.max_paths}, so they are not listed. Instead, the "
        "accumulation view (what backward() computes): from the output down, each node's "
        "gradient is the sum of what its children pass it, child gradient × local derivative."
    )


def _ratio(path: Path, i: int) -> str:
    mark = f"[input {path.inputs[i] + 1}]" if path.reused[i] else ""
    return f"∂{path.nodes[i]}/∂{path.nodes[i + 1]}{mark}"


def _input_mark(c: Contribution) -> str:
    return f"[input {c.input + 1}]" if c.reused else ""


def _latex_ratios(path: Path) -> list[str]:
    """∂child/∂parent for each edge, marked with the input number for a reused node (a + a)."""
    if not path.factors:
        name = latex_name(path.nodes[0])
        return [_frac(name, name)]
    ratios = []
    for i, (child, parent) in enumerate(zip(path.nodes, path.nodes[1:])):
        ratio = _frac(latex_name(child), latex_name(parent))
        if path.reused[i]:
            ratio += rf"\Big|_{{\text{{input {path.inputs[i] + 1}}}}}"
        ratios.append(ratio)
    return ratios


def _sum_line(e: Explanation, products: list[float], fmt: _Fmt) -> str:
    total = fmt(e.total)
    if 1 < len(products) <= _LISTED_TERMS:
        terms = " + ".join(_paren(fmt(v)) for v in products)
        return f"sum over the {len(products)} paths: {terms} = {total}"
    return f"sum over the {len(products)} path{'s' if len(products) != 1 else ''}: {total}"


def _check_line(e: Explanation, fmt: _Fmt) -> str:
    line = (
        f"{e.target}.grad from one fresh backward(): {fmt(e.gradient)}, "
        f"equal to the {'sum' if e.paths is not None else 'accumulated sum'} ✓"
    )
    if e.stored_grad != e.gradient:
        line += (
            f"\n(note: {e.target}.grad holds {fmt(e.stored_grad)} right now: backward() has not "
            "run yet, or ran more than once and the leaf added up its grads)"
        )
    return line


def _node_sum_text(node: NodeSum, out: str, fmt: _Fmt) -> list[str]:
    lead = f"∂{out}/∂{node.name} = "
    if not node.contributions:
        return [lead + "1  (the seed: the output's derivative with respect to itself)"]
    pad = " " * (len(lead) - 2) + "= "
    symbols = " + ".join(
        f"∂{out}/∂{c.child} · ∂{c.child}/∂{node.name}{_input_mark(c)}" for c in node.contributions
    )
    lines = [lead + symbols]
    if len(node.contributions) <= _LISTED_TERMS:
        numbers = " + ".join(
            f"{_paren(fmt(c.grad))} · {_paren(fmt(c.partial))}" for c in node.contributions
        )
        lines.append(pad + numbers)
    lines.append(pad + fmt(node.total))
    return lines


def _node_sum_markdown(node: NodeSum, out: str, fmt: _Fmt) -> str:
    name = latex_name(node.name)
    lhs = _frac(out, name)
    if not node.contributions:
        return f"$${lhs} = 1 \\quad\\text{{(the seed)}}$$"
    rows = [
        " + ".join(
            f"{_frac(out, latex_name(c.child))} {_frac(latex_name(c.child), name)}"
            for c in node.contributions
        )
    ]
    if len(node.contributions) <= _LISTED_TERMS:

        def number(v: float) -> str:
            return _paren(latex_number(fmt(v)))

        rows.append(
            " + ".join(f"{number(c.grad)} \\cdot {number(c.partial)}" for c in node.contributions)
        )
    rows.append(latex_number(fmt(node.total)))
    return _aligned(lhs, rows)


def _aligned(lhs: str, rows: list[str]) -> str:
    body = " \\\\\n".join(("" if i else lhs) + " &= " + row for i, row in enumerate(rows))
    return f"$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$"


def _frac(top: str, bottom: str) -> str:
    return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"


def _paren(text: str) -> str:
    """Brackets around a factor that is negative or has an operator inside: ``(-3)``, ``(1-L²)``."""
    if re.fullmatch(r"[\w.\\{}]+|\[[^]]*\]|[\w\\{}]+\([^()]*\)", text):
        return text
    return f"({text})"
