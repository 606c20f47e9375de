"""One self-contained HTML file that plays the backward pass, one node per frame.

``export_html(out, "backward.html")`` steps through backward (see ``stepper.py``) and
draws the graph (see ``draw.py``) after the seed and after every step, so the grads
fill in frame by frame; the node whose local rule just ran and the edges it sent
gradient along are highlighted, and beside the picture a table says, for each input,
the local derivative, the gradient passed and the grad before and after.

The file has every picture inline (SVG) and a few lines of inline script for the
previous / next / play buttons, the slider and the arrow keys: no network, no web
server, it opens from disk in any browser. ``#step=3`` at the end of the address opens
step 3. Rendering needs the Graphviz ``dot`` program.

The page around the frames is the package-data file ``player.html`` (its style sheet and
its script, inline), a ``string.Template`` with ``${title}``, ``${last}`` (the last frame's
number) and ``${frames}`` (one ``<section class="frame" data-step="k">`` per frame, all
but the first ``hidden``). Its script shows one frame at a time (buttons, slider,
arrow/Home/End keys, space to play, ``#step=N`` in the address), records the frame in
``body[data-step]``, and draws every frame's SVG at one common scale read from its
``data-w``/``data-h``.

Limits, honestly: Graphviz lays out every frame anew, so when a grad label widens the
boxes to its right move over a little (all frames share one scale, so nothing zooms);
and each frame holds a whole drawing, so the file grows with steps × graph size
(about 25 KB per frame for a neuron), hence ``max_steps``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from string import Template

from ..value import Constant, Value
from .draw import draw_dot, to_svg
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
    rankdir: str = "LR",
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
    rankdir: str = "LR",
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
        return _inline_svg(to_svg(digraph), f"f{frame}-")

    stepper.seed()
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
    svg = _SIZE.sub(
        lambda m: f'<svg data-w="{float(m[1]) * 4 / 3:.1f}" data-h="{float(m[2]) * 4 / 3:.1f}"',
        svg,
        count=1,
    )
    return svg.strip()


def _sentence(text: str) -> str:
    """``"start: every inner node…"`` → ``"Every inner node…"``: the heading already says it."""
    text = text.removeprefix("start: ")
    return text[:1].upper() + text[1:]


def _page(title: str, frames: list[Frame]) -> str:
    last = len(frames) - 1
    sections = "\n".join(
        f'<section class="frame" data-step="{k}"{"" if k == 0 else " hidden"}>'
        f'<div class="picture">{svg}</div><div class="story">{text}</div></section>'
        for k, (svg, text) in enumerate(frames)
    )
    page = Template(resources.files("autodiff.viz").joinpath("player.html").read_text("utf-8"))
    return page.substitute(title=html.escape(title), last=last, frames=sections)
