"""Writing an :class:`~autodiff.explain.Explanation` out: plain text, and Markdown with LaTeX.

Both follow the lecture's notation: the derivative of the output with respect to ``x``
is written as a product of local derivatives down each path,
``∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w``, then as the ops' formulas, then as the numbers,
then as one number; the paths' products are summed at the end.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .naming import latex_name

if TYPE_CHECKING:
    from .explain import Contribution, Explanation, NodeSum, Path

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
        lines += ["", _sum_line(e, [p.product for p in e.paths], fmt)]
    else:
        for node in e.accumulation:
            lines += ["", *_node_sum_text(node, out, fmt)]
    lines += ["", _check_line(e, fmt)]
    if e.legend:
        lines += ["", "where"]
        lines += [f"  {name} = {text} = {fmt(data)}" for name, text, data in e.legend]
    return "\n".join(lines)


def explanation_markdown(e: Explanation) -> str:
    """The explanation as Markdown; formulas are LaTeX (``$$…$$``) for Jupyter and GitHub."""
    fmt = number_formatter(e.number_format)
    out, x = latex_name(e.output), latex_name(e.target)
    lhs = _frac(out, x)
    parts = [_headline(e, f"$\\partial {out} / \\partial {x}$")]
    if e.paths is not None:
        for number, path in enumerate(e.paths, 1):
            arrow = r" \leftarrow ".join(latex_name(n) for n in path.nodes)
            rows = [" \\cdot ".join(_latex_ratios(path))]
            if path.factors:
                rows.append(" \\cdot ".join(_paren(f) for f in path.latex_formulas))
                rows.append(" \\cdot ".join(_paren(_latex_number(fmt(v))) for v in path.factors))
            rows.append(_latex_number(fmt(path.product)))
            rows = _distinct(rows)
            heading = f"**Path {number}** of {len(e.paths)}: ${arrow}$"
            parts.append(heading + "\n\n" + _aligned(lhs, rows))
        products = [p.product for p in e.paths]
        terms = " + ".join(_paren(_latex_number(fmt(v))) for v in products)
        if 1 < len(products) <= _LISTED_TERMS:
            sum_row = f"{lhs} = {terms} = {_latex_number(fmt(e.total))}"
        else:
            sum_row = f"{lhs} = {_latex_number(fmt(e.total))}"
        parts.append(f"**Sum over the paths**\n\n$${sum_row}$$")
    else:
        for node in e.accumulation:
            parts.append(_node_sum_markdown(node, out, fmt))
    parts.append(_check_line(e, fmt).replace("✓", "✔"))
    if e.legend:
        table = ["| node | computed as | value |", "|---|---|---|"]
        table += [f"| `{n}` | `{t}` | {fmt(d)} |" for n, t, d in e.legend]
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
            return _paren(_latex_number(fmt(v)))

        rows.append(
            " + ".join(f"{number(c.grad)} \\cdot {number(c.partial)}" for c in node.contributions)
        )
    rows.append(_latex_number(fmt(node.total)))
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


def _latex_number(text: str) -> str:
    """``1.5e-07`` → ``1.5 \\times 10^{-7}``; ``inf`` → ``\\infty``."""
    match = re.fullmatch(r"(-?[\d.]+)e([+-]?)0*(\d+)", text)
    if match:
        sign = "-" if match[2] == "-" else ""
        return f"{match[1]} \\times 10^{{{sign}{match[3]}}}"
    return text.replace("inf", r"\infty")


class _Fmt:
    """Formats a float with a format spec (``".6g"``), writing ``-0`` as ``0``."""

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def __call__(self, value: float) -> str:
        text = format(value, self.spec)
        return "0" if text.lstrip("-") in ("0", "0.0") else text


def number_formatter(spec: str) -> _Fmt:
    """A function writing floats with the format spec ``spec``; a clear error for a bad spec."""
    try:
        format(1.5, spec)
    except ValueError:
        raise ValueError(
            f"number_format {spec!r} is not a format spec for floats (try '.6g' or '.3f')"
        ) from None
    return _Fmt(spec)
