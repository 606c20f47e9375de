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
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .draw import draw_dot, to_svg
from .explain_format import number_formatter
from .stepper import BackwardStep, BackwardStepper
from .value import Value

__all__ = ["backward_frames", "export_html"]

Frame = tuple[str, str]  # (svg, html of the text beside it)
MINUS = "\N{MINUS SIGN}"  # numbers on the page use it, like the drawings


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
        text = _step_html(step, fmt)
        if step.number == step.total:
            text += _summary_html(stepper, fmt)
        frames.append((draw(step.number, [step.node], step.edges()), text))
    if stepper.total == 0:
        frames[0] = (frames[0][0], frames[0][1] + _summary_html(stepper, fmt))
    return frames


def _step_html(step: BackwardStep, fmt: Callable[[float], str]) -> str:
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
        passed = f"+ {_signed(fmt(step.grad))} · {_signed(value)}"
        rows.append(
            f"<tr><td><b>{e(t.parent_name)}</b></td><td>{partial} = {rule}</td>"
            f"<td>{e(fmt(t.before))}</td><td>{e(passed)}</td>"
            f"<td class='after'>{e(fmt(t.after))}</td></tr>"
        )
    return (
        f"<h2>Step {step.number} of {step.total}</h2>"
        f"<p>The local rule of <b>{name}</b> = {e(step.definition)} runs.</p>"
        f"<p class='grad'>{name}.grad = {e(fmt(step.grad))}</p>"
        "<p>Each input gets <i>grad × local derivative</i> added to its grad:</p>"
        "<table class='transfers'><thead><tr><th>input</th><th>local derivative</th>"
        "<th>grad before</th><th>+ passed</th><th>grad after</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _summary_html(stepper: BackwardStepper, fmt: Callable[[float], str]) -> str:
    name = html.escape(stepper.names[stepper.out])
    leaves = [n for n in stepper.order if not n._parents and n.label is not None]
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


def _signed(text: str) -> str:
    return f"({text})" if text.startswith(("-", MINUS)) else text


def _page(title: str, frames: list[Frame]) -> str:
    last = len(frames) - 1
    sections = "\n".join(
        f'<section class="frame" data-step="{k}"{"" if k == 0 else " hidden"}>'
        f'<div class="picture">{svg}</div><div class="story">{text}</div></section>'
        for k, (svg, text) in enumerate(frames)
    )
    return _TEMPLATE.format(title=html.escape(title), last=last, frames=sections)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0; padding: 16px 24px; color: #222; background: #fafafa; }}
h1 {{ font-size: 1.35rem; margin: 0 0 4px; }}
.hint {{ color: #666; margin: 0 0 12px; font-size: 0.9rem; }}
.controls {{ display: flex; align-items: center; gap: 8px; margin-bottom: 12px; flex-wrap: wrap; }}
button {{ font: inherit; padding: 5px 12px; border: 1px solid #bbb; border-radius: 6px;
          background: white; cursor: pointer; }}
button:hover {{ background: #fff1e6; border-color: #e8590c; }}
#slider {{ flex: 1; min-width: 160px; accent-color: #e8590c; }}
#counter {{ font-variant-numeric: tabular-nums; min-width: 8em; text-align: right; }}
.frame {{ display: flex; flex-direction: column; gap: 14px; }}
.frame[hidden] {{ display: none; }}
.picture {{ background: white; border: 1px solid #ddd; border-radius: 8px; padding: 8px;
            text-align: left; overflow-x: auto; }}
.picture svg {{ width: 100%; height: auto; max-height: 62vh; }}  /* until the script runs */
.story {{ max-width: 1100px; }}
.story h2 {{ font-size: 1.15rem; margin: 0 0 8px; color: #e8590c; }}
.story h3 {{ font-size: 1.05rem; margin: 16px 0 6px; }}
.grad {{ font-weight: 600; }}
table.transfers {{ border-collapse: collapse; font-size: 0.92rem; background: white; }}
table.transfers th, table.transfers td {{ border: 1px solid #ddd; padding: 4px 8px;
                                          text-align: left; }}
table.transfers th {{ background: #f1f1f1; font-weight: 600; }}
td.after {{ font-weight: 700; color: #b4460a; }}
</style>
</head>
<body data-step="0">
<h1>{title}</h1>
<p class="hint">Backward, one node at a time: orange marks the node whose local rule runs
and the edges its gradient flows along. Keys: ← → step, Home / End, space plays.</p>
<div class="controls">
<button id="first" title="first (Home)">« start</button>
<button id="prev" title="previous (←)">◀ previous</button>
<button id="play" title="play / pause (space)">▶ play</button>
<button id="next" title="next (→)">next ▶</button>
<button id="last" title="last (End)">end »</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<span id="counter">start (0 of {last})</span>
</div>
{frames}
<script>
(function () {{
  var frames = document.querySelectorAll(".frame");
  var last = frames.length - 1, current = 0, timer = null;
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var play = document.getElementById("play");
  function show(k) {{
    k = Math.max(0, Math.min(last, k | 0));
    frames[current].hidden = true;
    frames[k].hidden = false;
    current = k;
    slider.value = k;
    counter.textContent = k === 0 ? "start (0 of " + last + ")" : "step " + k + " of " + last;
    document.body.setAttribute("data-step", k);
    try {{ history.replaceState(null, "", "#step=" + k); }} catch (e) {{}}
  }}
  function stop() {{
    if (timer) {{ clearInterval(timer); timer = null; }}
    play.textContent = "▶ play";
  }}
  function toggle() {{
    if (timer) {{ stop(); return; }}
    if (current === last) show(0);
    play.textContent = "■ pause";
    timer = setInterval(function () {{
      if (current >= last) stop(); else show(current + 1);
    }}, 1300);
  }}
  function fromHash() {{ var m = /step=(\\d+)/.exec(location.hash); return m ? +m[1] : 0; }}
  document.getElementById("first").onclick = function () {{ stop(); show(0); }};
  document.getElementById("prev").onclick = function () {{ stop(); show(current - 1); }};
  document.getElementById("next").onclick = function () {{ stop(); show(current + 1); }};
  document.getElementById("last").onclick = function () {{ stop(); show(last); }};
  play.onclick = toggle;
  slider.oninput = function () {{ stop(); show(+slider.value); }};
  document.addEventListener("keydown", function (e) {{
    if (e.target === slider) return;
    if (e.key === "ArrowRight") {{ stop(); show(current + 1); }}
    else if (e.key === "ArrowLeft") {{ stop(); show(current - 1); }}
    else if (e.key === "Home") {{ stop(); show(0); }}
    else if (e.key === "End") {{ stop(); show(last); }}
    else if (e.key === " ") {{ e.preventDefault(); toggle(); }}
    else return;
  }});
  window.addEventListener("hashchange", function () {{ show(fromHash()); }});
  // one scale for all frames, the largest that fits the widest and tallest frame
  var svgs = document.querySelectorAll(".picture svg");
  function fit() {{
    var box = frames[current].querySelector(".picture");
    var width = box.clientWidth - 18, height = Math.max(240, window.innerHeight * 0.62);
    var maxW = 1, maxH = 1, i;
    for (i = 0; i < svgs.length; i++) {{
      maxW = Math.max(maxW, +svgs[i].getAttribute("data-w"));
      maxH = Math.max(maxH, +svgs[i].getAttribute("data-h"));
    }}
    var scale = Math.min(width / maxW, height / maxH, 1.6);
    for (i = 0; i < svgs.length; i++) {{
      svgs[i].style.width = (+svgs[i].getAttribute("data-w") * scale) + "px";
      svgs[i].style.height = (+svgs[i].getAttribute("data-h") * scale) + "px";
      svgs[i].style.maxHeight = "none";
    }}
  }}
  show(fromHash());
  fit();
  window.addEventListener("resize", fit);
}})();
</script>
</body>
</html>
"""
