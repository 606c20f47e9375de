"""One self-contained HTML file that plays the backward pass, one node per frame.

``export_html(out, "backward.html")`` steps through backward (see ``stepper.py``) and
draws the graph (see ``draw.py``) after the seed and after every step, so the grads
fill in frame by frame; the node whose local rule just ran and the edges it sent
gradient along are highlighted, and beside the picture a table says, for each input,
the local derivative, the gradient passed and the grad before and after.

The file has its picture inline (SVG) and a few lines of inline script for the
previous / next / play buttons, the slider, the arrow keys, zoom and pan: no network, no web
server, it opens from disk in any browser. ``#step=3`` at the end of the address opens
step 3. Rendering needs the Graphviz ``dot`` program.

The picture is laid out ONCE: every frame is drawn (same graph, same options, so the
same elements in the same order), the last frame's SVG, where every grad has its final
width, is the page's one picture, and each frame keeps only the texts and colours in
which it differs from it. The page's script repaints those on each step, so nodes never
move; the picture zooms (wheel, +/−, the buttons) and pans (drag) and keeps that view
across steps. With ``rankdir="auto"`` the direction (left to right or top to bottom) is
whichever shows the graph larger in the page's picture area (940×740 pixels on a
1400×900 window); the steps' text sits beside the picture.

The page around it is the package-data file ``player.html`` (its style sheet and script,
inline), a ``string.Template`` with ``${title}``, ``${last}`` (the last frame's number),
``${picture}`` (the SVG), ``${paint}`` (each frame's repaints as JSON: ``[index, text,
fill, stroke, stroke-width, font-weight]`` of the picture's ``index``-th drawn element)
and ``${frames}`` (one ``<section class="frame" data-step="k">`` of text per frame, all but
the first ``hidden``). Its script shows one frame at a time (buttons, slider,
arrow/Home/End keys, space to play, ``#step=N`` in the address) and records it in
``body[data-step]``.

Limits, honestly: a number longer in an early frame than in the last one (a leaf's
partial sum) may run a little past its box; the file still renders every frame once
while it is written (Graphviz time grows with steps × graph size), hence ``max_steps``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any
from xml.etree import ElementTree

from ..value import Constant, Value
from .draw import draw_dot, to_svg
from .escape import script_json
from .names import MINUS, number_formatter, signed
from .stepper import BackwardStep, BackwardStepper, delta_sentence

__all__ = ["backward_frames", "export_html"]

Frame = tuple[str, str]  # (svg, html of the text beside it)


def export_html(
    out: Value,
    path: str | Path,
    *,
    title: str | None = None,
    gradient: float = 1.0,
    rankdir: str = "auto",
    number_format: str = ".4g",
    formulas: bool = True,
    fold: str | None = None,
    unfold: Iterable[str] = (),
    max_steps: int = 300,
) -> Path:
    """Run backward on ``out`` step by step and write the frames to the HTML file ``path``.

    There are ``steps + 1`` frames: the seeded start, then one per node that has inputs.
    This *is* a backward pass: afterwards every grad is what ``out.backward(gradient)``
    gives (leaves accumulate, as always). ``rankdir``, ``number_format``, ``formulas``,
    ``fold`` and ``unfold`` are ``draw_dot``'s options (``fold="neuron"`` keeps an MLP's
    frames readable: a folded box lights up while one of its nodes runs); ``max_steps``
    guards against a file too big to open (each frame holds a whole drawing). Returns the
    path written.
    """
    stepper = BackwardStepper(out, gradient, number_format=number_format)
    if stepper.total > max_steps:
        raise ValueError(
            f"export_html: backward through this graph takes {stepper.total} steps, more than "
            f"max_steps={max_steps}; every step is a full drawing, so export a smaller "
            "expression (one neuron, say) or raise max_steps"
        )
    frames = backward_frames(
        stepper, rankdir=rankdir, formulas=formulas, fold=fold, unfold=tuple(unfold)
    )
    name = stepper.names[out]
    page = _page(title or f"Backward pass through {name}", frames)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


def backward_frames(
    stepper: BackwardStepper,
    *,
    rankdir: str = "auto",
    formulas: bool = True,
    fold: str | None = None,
    unfold: Iterable[str] = (),
) -> list[Frame]:
    """The SVG drawing and the HTML text of every frame: the seeded start, then each step."""
    out = stepper.out
    plain = number_formatter(stepper.number_format)

    def fmt(x: float) -> str:
        # the real minus sign, as in the drawings
        text = plain(x)
        return MINUS + text[1:] if text.startswith("-") else text

    def draw(frame: int, highlight: list[Value], edges: list[tuple[Value, Value]]) -> str:
        digraph = draw_dot(
            out,
            rankdir=rankdir,
            number_format=stepper.number_format,
            formulas=formulas,
            highlight=highlight,
            highlight_edges=edges,
            fold=fold,
            unfold=unfold,
        )
        digraph.graph_attr.pop("size", None)  # the page zooms; no shrinking to 10 inches
        return _inline_svg(to_svg(digraph), f"f{frame}-")

    stepper.seed()
    if rankdir == "auto":
        rankdir = _better_direction(
            lambda direction: draw_dot(
                out, rankdir=direction, formulas=formulas, fold=fold, unfold=unfold
            )
        )
    start = (
        f"<h2>Start</h2><p>{html.escape(_sentence(stepper.seed_text()))}</p>"
        f"<p class='grad'>{html.escape(stepper.names[out])}.grad = {fmt(out.grad)}</p>"
    )
    frames: list[Frame] = [(draw(0, [out], []), start)]
    for step in stepper:
        text = _step_html(step, stepper.names[out], fmt)
        if step.number == step.total:
            text += _summary_html(stepper, fmt)
        frames.append((draw(step.number, [step.node], step.edges()), text))
    if stepper.total == 0:
        frames[0] = (frames[0][0], frames[0][1] + _summary_html(stepper, fmt))
    return frames


VIEW = (940.0, 740.0)  # the picture's area in CSS pixels on a 1400×900 window


def _better_direction(drawing: Callable[[str], Any]) -> str:
    """``"LR"`` or ``"TB"``: whichever lays the graph out larger in the page's picture area.

    Both layouts are made once, at the start; the frames then keep the chosen one.
    """
    best, best_scale = "LR", 0.0
    for direction in ("LR", "TB"):
        digraph = drawing(direction)
        digraph.graph_attr.pop("size", None)
        match = _SIZE.search(to_svg(digraph))
        if match is None:
            continue
        w, h = float(match[1]) * 4 / 3, float(match[2]) * 4 / 3
        scale = min(VIEW[0] / w, VIEW[1] / h)
        if scale > best_scale * 1.05:  # left to right unless top to bottom is clearly larger
            best, best_scale = direction, scale
    return best


def _step_html(step: BackwardStep, output: str, fmt: Callable[[float], str]) -> str:
    e = html.escape
    name = e(step.name)
    rows = []
    for t in step.transfers:
        partial = f"∂{name}/∂{e(t.parent_name)}"
        if t.reused:
            partial += f" <small>(input {t.input + 1})</small>"
        value = fmt(t.partial)
        same = t.formula.replace("-", MINUS) == value  # "1" or a constant's own name
        rule = e(value) if same else f"{e(t.formula)} = {e(value)}"
        passed = f"+ {signed(fmt(step.grad))} · {signed(value)}"
        rows.append(
            f"<tr><td><b>{e(t.parent_name)}</b></td><td>{partial} = {rule}</td>"
            f"<td>{e(fmt(t.before))}</td><td>{e(passed)}</td>"
            f"<td class='after'>{e(fmt(t.after))}</td></tr>"
        )
    return (
        f"<h2>Step {step.number} of {step.total}</h2>"
        f"<p>The local rule of <b>{name}</b> = {e(step.definition)} runs.</p>"
        f"<p class='grad'>{name}.grad = {e(fmt(step.grad))}</p>"
        f"<p>Each input gets <i>grad × local derivative</i> added to its grad; in the "
        f"lecture's notation, ∂{e(output)}/∂input += ∂{e(output)}/∂{name} · ∂{name}/∂input:</p>"
        "<table class='transfers'><thead><tr><th>input</th><th>local derivative</th>"
        "<th>grad before</th><th>+ passed</th><th>grad after</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        + "".join(
            f"<p class='delta'>{e(delta_sentence(d, z, output, fmt(v)))}</p>"
            for d, z, v in step.deltas
        )
    )


def _summary_html(stepper: BackwardStepper, fmt: Callable[[float], str]) -> str:
    name = html.escape(stepper.names[stepper.out])
    leaves = [
        n
        for n in stepper.order
        if not n.parents and n.label is not None and not isinstance(n, Constant)
    ]
    rows = "".join(
        f"<tr><td><b>{html.escape(stepper.names[n])}</b></td><td>{html.escape(fmt(n.data))}</td>"
        f"<td class='after'>{html.escape(fmt(n.grad))}</td></tr>"
        for n in leaves
    )
    table = (
        "<table class='transfers'><thead><tr><th>leaf</th><th>data</th>"
        f"<th>grad = ∂{name}/∂leaf</th></tr></thead><tbody>{rows}</tbody></table>"
        if leaves
        else ""
    )
    return (
        "<h3>Done</h3><p>Every node has passed its gradient on: the grads are now exactly "
        f"what <code>{name}.backward()</code> gives.</p>{table}"
    )


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_FONT_SIZE = re.compile(r'font-size="([\d.]+)"')
_GRAPH_SCALE = re.compile(r'class="graph" transform="scale\(([\d.]+)')


def _inline_svg(svg: str, prefix: str) -> str:
    """Graphviz's SVG made fit to sit inside HTML: no XML prolog or namespace URLs (the HTML
    parser puts ``<svg>`` in the SVG namespace itself), ids unique per frame, and its
    natural size in ``data-w``/``data-h`` (CSS pixels) for the page's script, which draws
    every frame at one common scale: the labels widen as grads fill in, and a per-frame
    fit-to-width would zoom the picture a little at every step."""
    svg = _PROLOG.sub("", svg)
    svg = _NAMESPACES.sub("", svg)
    svg = re.sub(r'\bid="', f'id="{prefix}', svg)
    svg = re.sub(r'(href="#|url\(#)', rf"\g<1>{prefix}", svg)
    # up to 1.6× the natural size: the drawing's 10-12pt text is small on a projector
    text = _smallest_text_px(svg)
    svg = _SIZE.sub(
        lambda m: (
            f'<svg data-w="{float(m[1]) * 4 / 3:.1f}" data-h="{float(m[2]) * 4 / 3:.1f}"'
            f' data-text="{text:.2f}"'
        ),
        svg,
        count=1,
    )
    return svg.strip()


def _smallest_text_px(svg: str) -> float:
    """The height in CSS pixels of the picture's smallest text at its natural size.

    Font sizes are in points, scaled by the drawing's own shrink-to-fit (``size``); the
    page's script zooms in until this text is at least 11 px before it shows a frame.
    """
    sizes = [float(size) for size in _FONT_SIZE.findall(svg)] or [14.0]
    shrink = _GRAPH_SCALE.search(svg)
    return min(sizes) * (float(shrink[1]) if shrink else 1.0) * 4 / 3


def _sentence(text: str) -> str:
    """``"start: every inner node…"`` → ``"Every inner node…"``: the heading already says it."""
    text = text.removeprefix("start: ")
    return text[:1].upper() + text[1:]


_PAINTED = ("text", "polygon", "path", "ellipse", "polyline")  # what a frame may repaint
Paint = list[str | None]  # [text, fill, stroke, stroke-width, font-weight] of one element


def _paints(svg: str) -> tuple[list[str], list[Paint]]:
    """The tags of an SVG's drawn elements in document order, and what each shows.

    Document order is what ``querySelectorAll`` returns in the page, so the script can
    repaint element ``i`` of the one picture with element ``i`` of any frame.
    """
    # the xlink namespace declaration went when the SVG was inlined: rename its attributes
    root = ElementTree.fromstring(svg.replace("xlink:", "xlink_"))
    tags, paints = [], []
    for element in root.iter():
        if element.tag in _PAINTED:
            tags.append(element.tag)
            paints.append(
                [
                    element.text if element.tag == "text" else None,
                    *(element.get(a) for a in ("fill", "stroke", "stroke-width", "font-weight")),
                ]
            )
    return tags, paints


def _layout_once(frames: list[Frame]) -> tuple[str, list[list[list[int | str | None]]]]:
    """One picture, laid out once (the last frame's, when every grad has its final width),
    and for each frame the elements whose text or colour differ from it, as
    ``[index, text, fill, stroke, stroke-width, font-weight]``.

    Every frame is drawn from the same graph with the same options, so its elements come
    in the same order; if Graphviz ever drew one differently the page would show wrong
    numbers, so that is an error here rather than a quiet mismatch.
    """
    base = frames[-1][0]
    base_tags, base_paints = _paints(base)
    changes: list[list[list[int | str | None]]] = []
    for k, (svg, _) in enumerate(frames):
        tags, paints = _paints(svg)
        if tags != base_tags:
            raise RuntimeError(
                f"export_html: frame {k}'s drawing has other elements than the last frame's "
                f"({len(tags)} against {len(base_tags)}); cannot keep one layout"
            )
        changes.append([[i, *p] for i, (p, b) in enumerate(zip(paints, base_paints)) if p != b])
    return base, changes


def _page(title: str, frames: list[Frame]) -> str:
    last = len(frames) - 1
    picture, changes = _layout_once(frames)
    sections = "\n".join(
        f'<section class="frame" data-step="{k}"{"" if k == 0 else " hidden"}>'
        f'<div class="story">{text}</div></section>'
        for k, (_, text) in enumerate(frames)
    )
    paint = script_json(changes)  # inside <script>: < > & escaped, so no label ends it
    page = Template(resources.files("autodiff.viz").joinpath("player.html").read_text("utf-8"))
    return page.substitute(
        title=html.escape(title), last=last, picture=picture, frames=sections, paint=paint
    )
