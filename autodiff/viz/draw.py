"""Drawing a graph with Graphviz: every value, every op, and the local derivative on every edge.

``draw_dot`` returns an *unrendered* ``graphviz.Digraph``: Jupyter shows it inline, its
``.source`` is plain DOT text (no ``dot`` program needed), and ``render`` writes it to
SVG/PNG/PDF when the ``dot`` program is installed. The ``graphviz`` Python package is the
``viz`` extra and is imported only when a drawing is made.
"""

from __future__ import annotations

import html
import subprocess
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..value import Constant, Value
from .escape import dot_text, html_text
from .fold import Folding
from .fold import fold as folded
from .labels import is_weighted_sum, lecture_name
from .names import (
    MINUS,
    check_number_format,
    format_number,
    is_network,
    lecture_names,
    node_names,
)
from .style import FOLDED, FONT, HIGHLIGHT, border, category, edge_style, op_style, shade, table
from .text import to_text
from .walk import Edge, Graph, walk

INSTALL_GRAPHVIZ = (
    "the Graphviz program 'dot' is not installed (or not on PATH); install it with\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS:         brew install graphviz\n"
    "  Windows:       winget install graphviz   (or: choco install graphviz)\n"
    "  conda:         conda install -c conda-forge graphviz\n"
    "Without it, draw_dot(root).source still gives the DOT text and to_text(root) a plain-text"
    " drawing."
)
REPAIR_GRAPHVIZ = (
    "repair the Graphviz installation (run 'sudo dot -c' to re-register its plugins, or "
    "reinstall it: sudo apt-get install --reinstall graphviz, brew reinstall graphviz); "
    "meanwhile draw_dot(root).source gives the DOT text and to_text(root) a plain-text drawing"
)


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs a working Graphviz ``dot`` program: it is missing, or it failed."""


class InvalidDotError(RuntimeError):
    """Graphviz read the DOT text we wrote as a syntax error: our bug, not Graphviz's."""


def _is_syntax_error(error: Exception) -> bool:
    """``dot`` ran and refused its input (``syntax error in line 8``), as opposed to failing."""
    if not isinstance(error, subprocess.CalledProcessError):
        return False
    stderr = error.stderr or b""
    said = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr)
    return "syntax error" in said


def import_graphviz() -> Any:
    """The ``graphviz`` package, or an ImportError naming the ``viz`` extra."""
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            "drawing graphs needs the 'graphviz' Python package: pip install 'backprop-lab[viz]'"
            " (or pip install graphviz); to_text(root) draws as plain text with no dependency"
        ) from error
    return graphviz


def graphviz_problem(error: Exception) -> str:
    """What to tell a user when ``dot`` is missing or fails: Graphviz's own words and the fix.

    A failing ``dot`` (``CalledProcessError``: installed but broken, e.g. a plugin
    configuration that lost its formats) gets one line: its exit status, its message on
    stderr squeezed onto the line, and how to repair it. A ``dot`` that reports a syntax
    error in its input works: the DOT text is wrong, and the message says it is ours.
    """
    if not isinstance(error, subprocess.CalledProcessError):
        return INSTALL_GRAPHVIZ
    stderr = error.stderr or b""
    said = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr)
    said = " ".join(said.split()) or "(it printed nothing)"
    if len(said) > 300:
        said = said[:297] + "..."
    if _is_syntax_error(error):
        # Graphviz works: it is the text we gave it that is wrong, so no reinstall helps
        return (
            f"the DOT text autodiff wrote for this drawing is invalid, a bug in autodiff "
            f"(not in Graphviz: please report it with the expression or labels you drew); "
            f"dot said: {said}"
        )
    return (
        f"the Graphviz program 'dot' failed (exit status {error.returncode}): {said}; "
        + REPAIR_GRAPHVIZ
    )


# an edge to highlight: (parent, child) means every input slot, (parent, child, i) slot i
EdgeKey = Edge | tuple[Value, Value] | tuple[Value, Value, int]

# Sizing: a drawing is shown at most PAGE_WIDTH inches wide (960 px at the 96 dpi of a
# screen, a notebook's width); wider ones are scaled down to it. Its smallest text is
# SMALLEST_FONT points (edge labels, 14.7 px on a screen); scaled down to no less than
# READABLE_SCALE, that text stays at least MIN_TEXT_PX pixels high, which a student can read.
PAGE_WIDTH = 10.0
SCREEN_DPI = 96.0
SMALLEST_FONT = 11.0
MIN_TEXT_PX = 11.0
READABLE_SCALE = MIN_TEXT_PX / (SMALLEST_FONT * SCREEN_DPI / 72.0)  # 0.75
# nodes: past this, laying a graph out twice to choose its direction costs too much (two
# layouts of 150 nodes with shared inputs took 51 s, against 3 s for one of a given direction)
_MEASURED_UP_TO = 60


def draw_dot(
    root: Value,
    *,
    rankdir: str = "auto",
    show_grad: bool = True,
    number_format: str = ".4g",
    formulas: bool = False,
    fold: str | None = None,
    unfold: Iterable[str] = (),
    only_paths_to: Value | None = None,
    shade_by_grad: bool = False,
    highlight: Value | Iterable[Value] | None = None,
    highlight_edges: Iterable[EdgeKey] = (),
    grads: Mapping[Value, float] | None = None,
    max_nodes_warning: int | None = 300,
    dpi: float | None = None,
) -> Any:
    """The graph of ``root`` as an unrendered ``graphviz.Digraph``.

    Each value is a box ``label | data | grad``; each op (``+``, ``*``, ``tanh``, ...) is a
    small oval between its inputs and its output. **Every edge from an input into an op
    is labelled with the local derivative ∂output/∂input**: the number the op stored at
    forward time, the one ``backward()`` multiplies by. With ``formulas=True`` the edge
    also gives it as a formula, e.g. for ``c = a * b`` the edge ``a → *`` reads
    ``∂c/∂a = b = −3``. Names in formulas are labels, else ``v1, v2, ...`` for unlabelled
    computed nodes (shown in grey italics) and the number itself for constants; a label
    carried by several nodes gets ``#2``, ``#3`` from its second node on (as in ``explain``).

    Colour legend (box fill):
      * light blue: a leaf with a label, a parameter (``L1.N3.w0``) or an input you named;
      * light grey: an unlabelled leaf, a constant that came from a plain number;
      * pale yellow: a node computed by an op;
      * green, thick border: the output ``root``;
      * lavender: a folded neuron or layer (``fold=``);
      * orange border / orange edges: ``highlight`` and ``highlight_edges``.
    With ``shade_by_grad=True`` the fill instead shows the gradient: red for grad > 0,
    blue for grad < 0, the colour's strength growing linearly with ``|grad|`` up to the
    largest ``|grad|`` of the nodes other than the output (whose grad is only the seed);
    white means 0.

    Options: ``rankdir`` ``"LR"`` (left to right), ``"TB"`` (top to bottom) or ``"auto"``:
    left to right when that fits a page 10 inches wide with its text readable, else the
    direction that shows the text larger (Graphviz lays the graph out both ways to tell;
    without the ``dot`` program, or past 60 nodes, a deep and narrow graph goes top to
    bottom and any other left to right). A folded network's neurons then stack top to
    bottom instead of shrinking into a strip. Every drawing gets a Graphviz ``size`` 10
    inches across, so a wider one is scaled down to a notebook's or a page's width instead
    of scrolling (``size`` only ever shrinks); ``dpi`` sets the resolution of bitmap
    output (PNG: 96 by default, 192 for a sharper, twice as large picture); ``show_grad``; the
    ``number_format`` of every number; ``only_paths_to=x`` draws only the paths from ``x``
    to ``root``. ``fold="neuron"`` or ``"layer"`` draws the nodes whose labels share a
    module scope (``L1.N3.w0``, ``L1.N3.z``, ``L1.N3.out`` are neuron ``L1.N3`` of layer
    ``L1``) as one box showing its outputs; unlabelled nodes used only inside one module
    fold with it; ``unfold=("L1.N3",)`` keeps those scopes expanded. Edges into a folded
    box carry no number (no single local derivative exists there), except an edge into a
    neuron's weighted sum ``z`` (label ``….z``): it carries ∂z/∂h, the weight on that
    input, the number the lecture writes on the connection; edges out of a box do.
    ``highlight`` (a node or several) and ``highlight_edges`` (``(parent, child)`` pairs for
    every input slot, ``(parent, child, input_index)`` or ``Edge`` objects for one slot) are
    drawn emphasized, e.g. one frame of a backward step.
    ``grads`` maps nodes to the grad to display instead of ``node.grad``. Drawing more than
    ``max_nodes_warning`` nodes unfolded warns and names the ``fold`` option.

    On a network's graph (labels made by ``nn``) each labelled box also gives the
    lecture's symbol, ``L2.N1.z = z₁⁽²⁾``, and edge formulas use those symbols (see
    ``names.lecture_names``).

    Node ids in the DOT source come from the topological index (``n0, n1, ...``,
    op nodes ``op3``, folded boxes ``fold0``), so the same graph gives the same source.
    """
    import_graphviz()  # without the package: the ImportError naming the extra, before any work
    from .drawing import Drawing  # imports graphviz: only now that a drawing is wanted

    check_number_format(number_format)
    graph = walk(root, only_paths_to=only_paths_to)
    # names over the whole graph: formulas may name inputs that only_paths_to leaves out
    names = node_names(root, None if only_paths_to is not None else graph.nodes)
    folding = folded(graph, fold, tuple(unfold)) if fold is not None else Folding({}, [])
    groups = folding.module_of
    grad_of = (lambda node: grads.get(node, node.grad)) if grads is not None else _own_grad
    lit = _highlighted_nodes(graph, highlight)
    lit_edges = _highlighted_edges(graph, highlight_edges)
    lit_children = {e.child for e in lit_edges}

    shown = len(graph.nodes) - len(groups)
    if max_nodes_warning is not None and shown > max_nodes_warning:
        hint = (
            "pass fold='neuron' or fold='layer' to draw one box per neuron or layer"
            if fold is None
            else f"fold={fold!r} left them unfolded; unfold fewer scopes"
        )
        warnings.warn(
            f"draw_dot: drawing {shown} nodes one by one is slow to lay out and hard to read; "
            f"{hint}, or only_paths_to=x to draw just the paths from x",
            stacklevel=2,
        )

    if rankdir not in ("auto", "LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_dot: rankdir must be 'LR', 'TB' or 'auto', got {rankdir!r}")
    dot = Drawing(
        name="autodiff",
        graph_attr={
            "rankdir": "LR" if rankdir == "auto" else rankdir,
            "nodesep": "0.3",
            "ranksep": "0.5",
            "fontname": FONT,
        },
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={
            "fontname": FONT,
            "fontsize": f"{SMALLEST_FONT:g}",
            "color": "#666666",
            "fontcolor": "#444444",
            "arrowsize": "0.7",
        },
    )

    # what a notebook shows instead of a traceback when the dot program is missing or fails
    def fallback(error: Exception) -> str:
        text = to_text(
            root,
            only_paths_to=only_paths_to,
            show_grad=show_grad,
            number_format=number_format,
            formulas=formulas,
        )
        return f"{graphviz_problem(error)}\n\n{text}".rstrip()

    dot.fallback = fallback
    dot.summary = f"drawing of {names[graph.root]} ({len(graph.nodes)} nodes)"
    # the output's grad is just the seed, so shades are relative to the largest other |grad|
    others = graph.nodes[:-1] or graph.nodes
    scale = max((abs(grad_of(n)) for n in others), default=0.0) if shade_by_grad else 0.0

    def number(x: float) -> str:
        return format_number(x, number_format, minus=MINUS)

    network = is_network(graph.nodes)
    # a network's edge formulas in the lecture's names: ∂z₁⁽²⁾/∂a₁⁽¹⁾ = w₁₁⁽¹⁾ = 0.3
    formula_names = (
        lecture_names(root, None if only_paths_to is not None else graph.nodes)
        if network and formulas
        else names
    )
    for i, node in enumerate(graph.nodes):
        if node in groups:
            continue
        fill = shade(grad_of(node), scale) if shade_by_grad else category(node, graph.root)
        cells = []
        if node.parents or node.label is not None:
            name = html_text(names[node])
            lecture = lecture_name(node.label) if network and node.label else None
            # the lecture's symbol beside nn's label: L2.N1.z = z₁⁽²⁾
            symbol = f' <FONT COLOR="#555555">= {html.escape(lecture)}</FONT>' if lecture else ""
            cells.append(
                f"<B>{name}</B>{symbol}"
                if node.label is not None
                else f'<I><FONT COLOR="#777777">{name}</FONT></I>'
            )
        cells.append(f"data {html.escape(number(node.data))}")
        if show_grad and not isinstance(node, Constant):  # a constant never holds a grad
            cells.append(f"grad {html.escape(number(grad_of(node)))}")
        color, width = border(node is graph.root, node in lit)
        dot.node(f"n{i}", table(cells, fill, color, width), shape="plain")
        if node.op is not None:
            op_lit = {"color": HIGHLIGHT, "penwidth": "2.5"} if node in lit else {}
            dot.node(f"op{i}", dot_text(node.op.name), **{**op_style(node.op.name), **op_lit})
            dot.edge(f"op{i}", f"n{i}", **edge_style(node in lit_children))

    group_ids = {f.name: f"fold{k}" for k, f in enumerate(folding.folds)}
    tail: dict[Value, str] = {}  # where an edge leaves a box: its output's row
    for f in folding.folds:
        gid = group_ids[f.name]
        for k, out in enumerate(f.outputs):
            tail[out] = f"{gid}:o{min(k, 6)}"  # outputs past the sixth leave from "… more"
        count = f'<FONT POINT-SIZE="{SMALLEST_FONT:g}">({len(f.members)} nodes)</FONT>'
        rows = [f"<B>{html.escape(f.name)}</B> {count}"]
        for out in f.outputs[:6]:
            name = html.escape(names[out].removeprefix(f.name + "."))
            lecture = lecture_name(out.label) if network and out.label else None
            if lecture:  # out = a₁⁽¹⁾: the lecture's symbol beside the label, as in a box
                name += f' <FONT COLOR="#555555">= {html.escape(lecture)}</FONT>'
            grad = f" | grad {number(grad_of(out))}" if show_grad else ""
            rows.append(f"{name}: data {html.escape(number(out.data))}{html.escape(grad)}")
        if len(f.outputs) > 6:
            rows.append(f"… {len(f.outputs) - 6} more outputs")
        color, width = border(graph.root in f.outputs, any(n in lit for n in f.members))
        dot.node(gid, table(rows, FOLDED, color, width, vertical=True), shape="plain")

    drawn_into_fold: set[tuple[str, str]] = set()
    into_fold: dict[tuple[str, str], list[Edge]] = {}  # (source box, module) -> its edges
    for edge in graph.edges:
        gp, gc = groups.get(edge.parent), groups.get(edge.child)
        if gc is not None and gp != gc:
            src = tail[edge.parent] if gp is not None else f"n{graph.index[edge.parent]}"
            into_fold.setdefault((src, gc), []).append(edge)
    for edge in graph.edges:
        gp, gc = groups.get(edge.parent), groups.get(edge.child)
        if gp is not None and gp == gc:
            continue
        src = tail[edge.parent] if gp is not None else f"n{graph.index[edge.parent]}"
        style = edge_style(edge in lit_edges)
        if gc is not None:
            if (src, group_ids[gc]) not in drawn_into_fold:
                drawn_into_fold.add((src, group_ids[gc]))
                into = into_fold[(src, gc)]
                weight = into[0] if len(into) == 1 and _is_weighted_sum(into[0].child) else None
                if weight is None:
                    dot.edge(src, group_ids[gc], **style)
                    continue
                # the one number the lecture reads off this edge: ∂z/∂h, the weight
                text = number(weight.partial)
                if formulas:
                    text = _formula(weight, formula_names, text)
                dot.edge(src, group_ids[gc], label=dot_text(f" {text} "), **style)
            continue
        text = number(edge.partial)
        if formulas:
            text = _formula(edge, formula_names, text)
        dot.edge(src, f"op{graph.index[edge.child]}", label=dot_text(f" {text} "), **style)
    if rankdir == "auto":
        rankdir = _auto_rankdir(dot, graph, groups, shown)
    dot.graph_attr["rankdir"] = rankdir
    # as wide as the page, any height: a tall drawing scrolls, a narrow text is unreadable
    dot.graph_attr["size"] = f"{PAGE_WIDTH:g},{PAGE_WIDTH * 6:g}"
    if dpi is not None:
        dot.graph_attr["dpi"] = _dpi(dpi)
    return dot


def render(
    digraph_or_root: Any,
    path: str | Path,
    format: str | None = None,
    *,
    dpi: float | None = None,
    **draw_options: Any,
) -> Path:
    """Write a drawing to ``path`` (SVG, PNG, PDF, ... from the suffix, or ``format``).

    ``digraph_or_root`` is a ``Digraph`` from ``draw_dot`` or a ``Value`` (then drawn with
    ``draw_options``). ``dpi`` is the resolution of a bitmap (PNG: 96 by default, the
    screen's, where 10-point text is 13 pixels high; 192 doubles every dimension).
    Needs the Graphviz ``dot`` program; without it the error says how to install it,
    and ``draw_dot(...).source`` or ``to_text(root)`` still work.
    """
    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    if not fmt:
        raise ValueError(
            f"render: cannot tell the format of {str(path)!r}; add a suffix "
            "such as .svg or .png, or pass format='svg'"
        )
    if dpi is not None:
        draw_options = {**draw_options, "dpi": dpi}
    path.write_bytes(_pipe(digraph_or_root, fmt, draw_options))
    return path


save = render  # the same one-liner under the name some users look for first


def to_svg(digraph_or_root: Any, **draw_options: Any) -> str:
    """The drawing as SVG text (for embedding in HTML); needs the ``dot`` program."""
    return _pipe(digraph_or_root, "svg", draw_options).decode("utf-8")


def _pipe(digraph_or_root: Any, fmt: str, draw_options: Mapping[str, Any]) -> bytes:
    graphviz = import_graphviz()
    digraph = (
        draw_dot(digraph_or_root, **draw_options)
        if isinstance(digraph_or_root, Value)
        else digraph_or_root
    )
    if not hasattr(digraph, "pipe"):
        raise TypeError(
            "render: expected a Value or a drawing from draw_dot, "
            f"got {type(digraph_or_root).__name__} {digraph_or_root!r}"
        )
    if "dpi" in draw_options and not isinstance(digraph_or_root, Value):
        digraph = digraph.copy()  # the caller's drawing keeps its own resolution
        digraph.graph_attr["dpi"] = _dpi(draw_options["dpi"])
    try:
        # quiet: on failure Graphviz's stderr is in the error, and goes into our one-line message
        data: bytes = digraph.pipe(format=fmt, quiet=True)
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError) as error:
        kind = InvalidDotError if _is_syntax_error(error) else GraphvizNotFoundError
        raise kind(f"render: {graphviz_problem(error)}") from error
    return data


def _is_weighted_sum(node: Value) -> bool:
    """A neuron's ``z`` (label ``….z``, made by ``dot``): the edge into it is ∂z/∂h = w."""
    return is_weighted_sum(node.label) and node.op is not None


def _dpi(dpi: object) -> str:
    """``dpi`` as Graphviz reads it, or a ValueError: a number from 24 to 1200."""
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 24 <= dpi <= 1200:
        raise ValueError(f"dpi must be a number from 24 to 1200 (96 is a screen's), got {dpi!r}")
    return f"{float(dpi):g}"


def _auto_rankdir(dot: Any, graph: Graph, groups: Mapping[Value, str], shown: int) -> str:
    """``"LR"`` if the graph fits the page that way with readable text, else the larger way.

    Graphviz lays the drawing out left to right and top to bottom (without ``size``); the
    scale each needs to fit ``PAGE_WIDTH`` decides. Without a working ``dot`` program, or
    for a graph too big to lay out twice, ``_guess_rankdir`` decides from the shape.
    """
    widths = _natural_widths(dot) if shown <= _MEASURED_UP_TO else None
    if widths is None:
        return _guess_rankdir(graph, groups)
    across, down = (min(1.0, PAGE_WIDTH / max(widths[d], 1e-9)) for d in ("LR", "TB"))
    return "LR" if across >= READABLE_SCALE or across >= down else "TB"


def _natural_widths(dot: Any) -> dict[str, float] | None:
    """The width in inches of ``dot`` laid out each way, unscaled; ``None`` without Graphviz."""
    graphviz = import_graphviz()
    widths = {}
    for direction in ("LR", "TB"):
        trial = dot.copy()
        trial.graph_attr["rankdir"] = direction
        trial.graph_attr.pop("size", None)
        try:
            plain = trial.pipe(format="plain", quiet=True).decode("utf-8", "replace")
        except (graphviz.ExecutableNotFound, subprocess.CalledProcessError, OSError):
            return None
        # the first line of the plain format: "graph <scale> <width> <height>"
        fields = plain.split(maxsplit=4)
        if len(fields) < 4 or fields[0] != "graph":
            return None
        widths[direction] = float(fields[2])
    return widths


def _guess_rankdir(graph: Graph, groups: Mapping[Value, str]) -> str:
    """``"TB"`` for a deep, narrow graph (deeper than 8 and twice as deep as wide), else "LR".

    Depth counts the values on the longest chain of drawn boxes (a folded module counts
    as one box per level it spans, which over-counts a little and only for folded graphs);
    width is the most values at one depth.
    """
    level: dict[Value, int] = {}
    for node in graph.nodes:
        inputs = [level[p] for p in node.parents if p in level]
        level[node] = 1 + max(inputs, default=0)
    shown = [node for node in graph.nodes if node not in groups]
    if not shown:
        return "LR"
    per_level: dict[int, int] = {}
    for node in shown:
        per_level[level[node]] = per_level.get(level[node], 0) + 1
    depth, width = len(per_level), max(per_level.values())
    return "TB" if depth > 8 and depth > 2 * width else "LR"


def _own_grad(node: Value) -> float:
    return node.grad


def _formula(edge: Edge, names: Mapping[Value, str], number: str) -> str:
    child = edge.child
    assert child.op is not None  # an edge always ends at a node an op made
    inputs = [names[p] for p in child.parents]
    formula = child.op.formulas(inputs, names[child])[edge.input_index]
    head = f"∂{names[child]}/∂{names[edge.parent]}"
    plain = formula.replace("-", MINUS)
    return f"{head} = {number}" if plain == number else f"{head} = {formula} = {number}"


def _highlighted_nodes(graph: Graph, highlight: Value | Iterable[Value] | None) -> set[Value]:
    nodes = (
        set()
        if highlight is None
        else ({highlight} if isinstance(highlight, Value) else set(highlight))
    )
    missing = [n for n in nodes if n not in graph.index]
    if missing:
        raise ValueError(f"highlight: {missing[0]!r} is not in the drawn graph")
    return nodes


def _highlighted_edges(graph: Graph, wanted: Iterable[EdgeKey]) -> set[Edge]:
    """The drawn edges matching ``(parent, child)`` (every input slot), ``(parent, child, i)``
    or an ``Edge`` (that slot only)."""
    wanted = list(wanted)
    if not wanted:
        return set()
    slots: dict[tuple[Value, Value], list[Edge]] = {}
    for e in graph.edges:
        slots.setdefault((e.parent, e.child), []).append(e)
    edges: set[Edge] = set()
    for w in wanted:
        parent, child = (w.parent, w.child) if isinstance(w, Edge) else (w[0], w[1])
        slot = w.input_index if isinstance(w, Edge) else (w[2] if len(w) == 3 else None)
        found = [e for e in slots.get((parent, child), ()) if slot is None or e.input_index == slot]
        if not found:
            raise ValueError(f"highlight_edges: no edge from {parent!r} into {child!r} is drawn")
        edges.update(found)
    return edges
