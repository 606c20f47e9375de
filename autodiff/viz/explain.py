"""The chain rule, spelled out: every path from an input to the output, and the sum over paths.

``explain(out, x)`` computes ∂out/∂x path by path (``chain.py`` does the arithmetic and
the check against a fresh backward) and returns an :class:`Explanation`: the same
numbers, written as plain text (``str``) or as Markdown with LaTeX (``to_markdown``,
what Jupyter shows). Both layouts write ∂out/∂x as a product of local derivatives down
each path, in the lecture's notation on a network's graph (``labels.py``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TypeAlias

from ..value import Value
from .chain import (
    ChainRule,
    Contribution,
    Delta,
    NodeSum,
    Path,
    chain_rule,
    count_paths,
    sum_in_order,
)
from .escape import markdown_code, markdown_text
from .names import latex_name, latex_number, number_formatter

__all__ = [
    "Contribution",
    "Delta",
    "Explanation",
    "NodeSum",
    "Path",
    "count_paths",
    "explain",
]


@dataclass(frozen=True)
class Explanation(ChainRule):
    """The result of :func:`explain`: a :class:`~autodiff.viz.chain.ChainRule` that writes itself.

    ``str()`` gives plain text, ``to_markdown()`` Markdown with LaTeX; ``number_format``
    is how both write numbers.
    """

    number_format: str = ".6g"

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
    On a network's graph it adds each neuron's δ = ∂E/∂z, output layer first.
    """
    number_formatter(number_format)
    computed = chain_rule(out, x, max_paths=max_paths)
    values = {f.name: getattr(computed, f.name) for f in fields(computed)}
    return Explanation(**values, number_format=number_format)


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
    """Each neuron's δⱼ⁽ˡ⁾ = ∂E/∂zⱼ⁽ˡ⁾ as the lecture computes it, output layer first."""
    out = e.output
    lines = [f"the δ terms (δ = ∂{out}/∂z of each neuron on the paths), output layer first:"]
    for d in e.deltas:
        lines.append("  " + _delta_line(d, out, fmt))
    if e.by_delta:
        terms = " + ".join(f"{name} · ∂{_z(name)}/∂{e.target}" for name, _, _ in e.by_delta)
        numbers = " + ".join(f"{_paren(fmt(v))} · {_paren(fmt(p))}" for _, v, p in e.by_delta)
        total = sum_in_order(v * p for _, v, p in e.by_delta)
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
        total = sum_in_order(v * p for _, v, p in e.by_delta)
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
