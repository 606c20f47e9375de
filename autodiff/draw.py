"""Drawing a graph with Graphviz: every value, every op, and the local derivative on every edge.

``draw_dot`` returns an *unrendered* ``graphviz.Digraph``: Jupyter shows it inline, its
``.source`` is plain DOT text (no ``dot`` program needed), and ``render`` writes it to
SVG/PNG/PDF when the ``dot`` program is installed. The ``graphviz`` Python package is the
``viz`` extra and is imported only when a drawing is made.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from .naming import node_names
from .value import Value
from .walk import Edge, Graph, format_number, scope, walk

# --- the colour legend (also in draw_dot's docstring) ----------------------------------
PARAMETER = "#dbeafe"  # a leaf you named: a parameter or an input whose grad you want
CONSTANT = "#eeeeee"  # an unlabelled leaf: a number that entered the computation
INNER = "#fff8e1"  # a node computed by an op
OUTPUT = "#c8ecd0"  # the output (root): its grad is seeded with 1
FOLDED = "#ede4f7"  # one box standing for a whole neuron or layer
HIGHLIGHT = "#e8590c"  # border of highlighted nodes, colour of highlighted edges
POSITIVE = (178, 24, 43)  # shade_by_grad: grad > 0 (red) ...
NEGATIVE = (33, 102, 172)  # ... grad < 0 (blue); white is grad = 0
# an edge to highlight: (parent, child) means every input slot, (parent, child, i) slot i
EdgeKey = Edge | tuple[Value, Value] | tuple[Value, Value, int]
FONT = "Helvetica,Arial,sans-serif"
MINUS = "\N{MINUS SIGN}"


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
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
    largest ``|grad|`` in the drawing; white means 0.

    Options: ``rankdir`` ``"LR"`` (left to right) or ``"TB"``; ``show_grad``; the
    ``number_format`` of every number; ``only_paths_to=x`` draws only the paths from ``x``
    to ``root``. ``fold="neuron"`` or ``"layer"`` draws the nodes whose labels share a
    module scope (``L1.N3.w0``, ``L1.N3.z``, ``L1.N3.out`` are neuron ``L1.N3`` of layer
    ``L1``) as one box showing its outputs; unlabelled nodes used only inside one module
    fold with it; ``unfold=("L1.N3",)`` keeps those scopes expanded. Edges into a folded
    box carry no number (no single local derivative exists there); edges out of it do.
    ``highlight`` (a node or several) and ``highlight_edges`` (``(parent, child)`` pairs for
    every input slot, ``(parent, child, input_index)`` or ``Edge`` objects for one slot) are
    drawn emphasized, e.g. one frame of a backward step.
    ``grads`` maps nodes to the grad to display instead of ``node.grad``. Drawing more than
    ``max_nodes_warning`` nodes unfolded warns and names the ``fold`` option.

    Node ids in the DOT source come from the topological index (``n0, n1, ...``,
    op nodes ``op3``, folded boxes ``fold0``), so the same graph gives the same source.
    """
    graphviz = _import_graphviz()
    graph = walk(root, only_paths_to=only_paths_to)
    # names over the whole graph: formulas may name inputs that only_paths_to leaves out
    names = node_names(root, None if only_paths_to is not None else graph.nodes)
    groups = _fold_groups(graph, fold, tuple(unfold)) if fold is not None else {}
    grad_of = (lambda node: grads.get(node, node.grad)) if grads is not None else _own_grad
    lit = _highlighted_nodes(graph, highlight)
    lit_edges = _highlighted_edges(graph, highlight_edges)

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

    dot = graphviz.Digraph(
        name="autodiff",
        graph_attr={"rankdir": rankdir, "nodesep": "0.3", "ranksep": "0.5", "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "12"},
        edge_attr={"fontname": FONT, "fontsize": "10", "color": "#666666",
                   "fontcolor": "#444444", "arrowsize": "0.7"},
    )
    scale = max((abs(grad_of(n)) for n in graph.nodes), default=0.0) if shade_by_grad else 0.0

    def number(x: float) -> str:
        return format_number(x, number_format, minus=MINUS)

    for i, node in enumerate(graph.nodes):
        if node in groups:
            continue
        fill = _shade(grad_of(node), scale) if shade_by_grad else _category(node, graph.root)
        cells = []
        if node._parents or node.label is not None:
            name = html.escape(names[node])
            cells.append(f"<B>{name}</B>" if node.label is not None else
                         f'<I><FONT COLOR="#777777">{name}</FONT></I>')
        cells.append(f"data {number(node.data)}")
        if show_grad:
            cells.append(f"grad {number(grad_of(node))}")
        border = _border(node is graph.root, node in lit)
        dot.node(f"n{i}", _table(cells, fill, *border), shape="plain")
        if node._op is not None:
            op_lit = {"color": HIGHLIGHT, "penwidth": "2.5"} if node in lit else {}
            dot.node(f"op{i}", html.escape(node._op.name), **{**_op_style(node._op.name), **op_lit})
            dot.edge(f"op{i}", f"n{i}", **_edge_style(any(e.child is node for e in lit_edges)))

    # boxes numbered in the order their last node (their output) was computed: L1 before L2
    last = {g: i for i, n in enumerate(graph.nodes) if (g := groups.get(n)) is not None}
    group_ids = {g: f"fold{k}" for k, g in enumerate(sorted(last, key=last.__getitem__))}
    tail: dict[Value, str] = {}  # where edges leave a folded box: its output's row
    for group, gid in group_ids.items():
        members = [n for n in graph.nodes if groups.get(n) == group]
        outputs = [n for n in members if n is graph.root or any(
            e.parent is n and groups.get(e.child) != group for e in graph.edges)]
        count = f'<FONT POINT-SIZE="10">({len(members)} nodes)</FONT>'
        rows = [f"<B>{html.escape(group)}</B> {count}"]
        for k, out in enumerate(outputs):
            tail[out] = f"{gid}:o{min(k, 6)}"  # outputs past the sixth leave from "… more"
        for out in outputs[:6]:
            name = names[out].removeprefix(group + ".")
            grad = f" | grad {number(grad_of(out))}" if show_grad else ""
            rows.append(f"{html.escape(name)}: data {number(out.data)}{grad}")
        if len(outputs) > 6:
            rows.append(f"… {len(outputs) - 6} more outputs")
        border = _border(graph.root in members, any(n in lit for n in members))
        dot.node(gid, _table(rows, FOLDED, *border, vertical=True), shape="plain")

    drawn_into_fold: set[tuple[str, str]] = set()
    for edge in graph.edges:
        gp, gc = groups.get(edge.parent), groups.get(edge.child)
        if gp is not None and gp == gc:
            continue
        src = tail[edge.parent] if gp is not None else f"n{graph.index[edge.parent]}"
        style = _edge_style(edge in lit_edges)
        if gc is not None:
            if (src, group_ids[gc]) not in drawn_into_fold:
                drawn_into_fold.add((src, group_ids[gc]))
                dot.edge(src, group_ids[gc], **style)
            continue
        text = number(edge.partial)
        if formulas:
            text = _formula(edge, names, text)
        dot.edge(src, f"op{graph.index[edge.child]}", label=graphviz.escape(f" {text} "), **style)
    return dot


def render(digraph_or_root: Any, path: str | Path, format: str | None = None,
           **draw_options: Any) -> Path:
    """Write a drawing to ``path`` (SVG, PNG, PDF, ... from the suffix, or ``format``).

    ``digraph_or_root`` is a ``Digraph`` from ``draw_dot`` or a ``Value`` (then drawn with
    ``draw_options``). Needs the Graphviz ``dot`` program; without it the error says how
    to install it, and ``draw_dot(...).source`` or ``to_text(root)`` still work.
    """
    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    if not fmt:
        raise ValueError(f"render: cannot tell the format of {str(path)!r}; add a suffix "
                         "such as .svg or .png, or pass format='svg'")
    path.write_bytes(_pipe(digraph_or_root, fmt, draw_options))
    return path


save = render  # the same one-liner under the name some users look for first


def to_svg(digraph_or_root: Any, **draw_options: Any) -> str:
    """The drawing as SVG text (for embedding in HTML); needs the ``dot`` program."""
    return _pipe(digraph_or_root, "svg", draw_options).decode("utf-8")


INSTALL_GRAPHVIZ = (
    "the Graphviz program 'dot' is not installed (or not on PATH); install it with\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS:         brew install graphviz\n"
    "  Windows:       winget install graphviz   (or: choco install graphviz)\n"
    "  conda:         conda install -c conda-forge graphviz\n"
    "Without it, draw_dot(root).source still gives the DOT text and to_text(root) a plain-text"
    " drawing."
)


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs the Graphviz ``dot`` program, which is missing."""


def _pipe(digraph_or_root: Any, fmt: str, draw_options: Mapping[str, Any]) -> bytes:
    graphviz = _import_graphviz()
    digraph = draw_dot(digraph_or_root, **draw_options) if isinstance(
        digraph_or_root, Value) else digraph_or_root
    try:
        data: bytes = digraph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFoundError(f"render: {INSTALL_GRAPHVIZ}") from error
    return data


def _import_graphviz() -> Any:
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            "drawing graphs needs the 'graphviz' Python package: pip install 'backprop-lab[viz]'"
            " (or pip install graphviz); to_text(root) draws as plain text with no dependency"
        ) from error
    return graphviz


def _own_grad(node: Value) -> float:
    return node.grad


def _category(node: Value, root: Value) -> str:
    if node is root:
        return OUTPUT
    if node._parents:
        return INNER
    return PARAMETER if node.label is not None else CONSTANT


def _shade(grad: float, scale: float) -> str:
    """White mixed with red (grad > 0) or blue (grad < 0) in proportion to |grad| / scale."""
    if scale == 0.0 or grad != grad:
        return "#ffffff"
    strength = min(abs(grad) / scale, 1.0) * 0.8  # at most 80%, so black text stays readable
    rgb = POSITIVE if grad > 0 else NEGATIVE
    return "#" + "".join(f"{round(255 + (c - 255) * strength):02x}" for c in rgb)


def _border(is_output: bool, lit: bool) -> tuple[str, int]:
    if lit:
        return HIGHLIGHT, 3
    return ("#2b2b2b", 2) if is_output else ("#555555", 1)


def _table(cells: list[str], fill: str, color: str, width: int, vertical: bool = False) -> str:
    """An HTML-like Graphviz label: the cells side by side (or stacked) in one coloured box."""
    joined = "</TR><TR>".join if vertical else "".join
    # in a folded box, row k >= 1 is output k-1: a port, so its edges leave from its row
    ports = [f' PORT="o{k - 1}"' if vertical and k else "" for k in range(len(cells))]
    body = joined([f'<TD CELLPADDING="5"{p}>{c}</TD>' for p, c in zip(ports, cells)])
    return (f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="0" COLOR="{color}" '
            f'BGCOLOR="{fill}" STYLE="ROUNDED"><TR>{body}</TR></TABLE>>')


def _op_style(name: str) -> dict[str, str]:
    """A small circle for a one- or two-character op, a snug oval for a named function."""
    shape = {"shape": "circle", "width": "0.32", "fixedsize": "true", "fontsize": "13"}
    if len(name) > 2:
        shape = {"shape": "ellipse", "height": "0.32", "margin": "0.03,0.01", "fontsize": "11"}
    return {**shape, "style": "filled", "fillcolor": "white", "color": "#888888"}


def _edge_style(lit: bool) -> dict[str, str]:
    return {"color": HIGHLIGHT, "fontcolor": HIGHLIGHT, "penwidth": "2.5"} if lit else {}


def _formula(edge: Edge, names: Mapping[Value, str], number: str) -> str:
    child = edge.child
    assert child._op is not None  # an edge always ends at a node an op made
    inputs = [names[p] for p in child._parents]
    formula = child._op.formulas(inputs, names[child])[edge.input_index]
    head = f"∂{names[child]}/∂{names[edge.parent]}"
    plain = formula.replace("-", MINUS)
    return f"{head} = {number}" if plain == number else f"{head} = {formula} = {number}"


def _highlighted_nodes(graph: Graph, highlight: Value | Iterable[Value] | None) -> set[Value]:
    nodes = set() if highlight is None else (
        {highlight} if isinstance(highlight, Value) else set(highlight))
    missing = [n for n in nodes if n not in graph.index]
    if missing:
        raise ValueError(f"highlight: {missing[0]!r} is not in the drawn graph")
    return nodes


def _highlighted_edges(graph: Graph, wanted: Iterable[EdgeKey]) -> set[Edge]:
    """The drawn edges matching ``(parent, child)`` (every input slot), ``(parent, child, i)``
    or an ``Edge`` (that slot only)."""
    keys = {(w.parent, w.child, w.input_index) if isinstance(w, Edge) else tuple(w)
            for w in wanted}
    edges = set()
    for key in keys:
        found = [e for e in graph.edges if e.parent is key[0] and e.child is key[1]
                 and (len(key) == 2 or e.input_index == key[2])]
        if not found:
            raise ValueError(f"highlight_edges: no edge from {key[0]!r} into {key[1]!r} is drawn")
        edges.update(found)
    return edges


def _fold_groups(graph: Graph, level: str, unfold: Collection[str]) -> dict[Value, str]:
    """node -> the module it folds into; nodes that stay drawn on their own are absent.

    Labelled nodes fold by their label's scope; an unlabelled node folds with a module when
    every node that uses it is in that module (found from the output backwards, so chains of
    unlabelled helpers inside a neuron fold too). Labels under an ``unfold`` scope stay out.
    """
    def kept_open(label: str) -> bool:
        return any(label == u or label.startswith(u + ".") for u in unfold)

    for u in unfold:
        if not any(n.label is not None and (n.label == u or n.label.startswith(u + "."))
                   for n in graph.nodes):
            raise ValueError(f"unfold: no node label is in the scope {u!r}")
    users: dict[Value, list[Value]] = {}
    for edge in graph.edges:
        users.setdefault(edge.parent, []).append(edge.child)
    groups: dict[Value, str] = {}
    for node in reversed(graph.nodes):
        if node.label is not None:
            group = None if kept_open(node.label) else scope(node.label, level)
        else:
            seen = {groups.get(u) for u in users.get(node, ())}
            group = seen.pop() if len(seen) == 1 else None
        if group is not None:
            groups[node] = group
    return groups
