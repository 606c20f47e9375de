"""How drawings look: the colour legend and the Graphviz HTML-like labels of boxes and ops.

``draw.py`` decides *what* is drawn; this module decides how each piece looks, so the
legend in ``draw_dot``'s docstring and the colours used are defined in one place.
"""

from __future__ import annotations

from ..value import Value

# the colour legend (draw_dot's docstring explains it to users)
PARAMETER = "#dbeafe"  # a leaf you named: a parameter or an input whose grad you want
CONSTANT = "#eeeeee"  # an unlabelled leaf: a number that entered the computation
INNER = "#fff8e1"  # a node computed by an op
OUTPUT = "#c8ecd0"  # the output (root): its grad is seeded with 1
FOLDED = "#ede4f7"  # one box standing for a whole neuron or layer
HIGHLIGHT = "#e8590c"  # border of highlighted nodes, colour of highlighted edges
POSITIVE = (178, 24, 43)  # shade_by_grad: grad > 0 (red) ...
NEGATIVE = (33, 102, 172)  # ... grad < 0 (blue); white is grad = 0
FONT = "Helvetica,Arial,sans-serif"


def category(node: Value, root: Value) -> str:
    """The fill of a node by its role: output, computed, named leaf, or constant."""
    if node is root:
        return OUTPUT
    if node.parents:
        return INNER
    return PARAMETER if node.label is not None else CONSTANT


def shade(grad: float, scale: float) -> str:
    """White mixed with red (grad > 0) or blue (grad < 0) in proportion to |grad| / scale."""
    if scale == 0.0 or grad != grad:
        return "#ffffff"
    strength = min(abs(grad) / scale, 1.0) * 0.7  # at most 70%, so black text stays readable
    rgb = POSITIVE if grad > 0 else NEGATIVE
    return "#" + "".join(f"{round(255 + (c - 255) * strength):02x}" for c in rgb)


def border(is_output: bool, lit: bool) -> tuple[str, int]:
    """Border colour and width: thick orange when highlighted, thicker for the output."""
    if lit:
        return HIGHLIGHT, 3
    return ("#2b2b2b", 2) if is_output else ("#555555", 1)


def table(cells: list[str], fill: str, color: str, width: int, vertical: bool = False) -> str:
    """An HTML-like Graphviz label: the cells side by side (or stacked) in one coloured box."""
    joined = "</TR><TR>".join if vertical else "".join
    # in a folded box, row k >= 1 is output k-1: a port, so its edges leave from its row
    ports = [f' PORT="o{k - 1}"' if vertical and k else "" for k in range(len(cells))]
    body = joined([f'<TD CELLPADDING="5"{p}>{c}</TD>' for p, c in zip(ports, cells)])
    return (
        f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="0" COLOR="{color}" '
        f'BGCOLOR="{fill}" STYLE="ROUNDED"><TR>{body}</TR></TABLE>>'
    )


def op_style(name: str) -> dict[str, str]:
    """A small circle for a one- or two-character op, a snug oval for a named function."""
    shape = {"shape": "circle", "width": "0.32", "fixedsize": "true", "fontsize": "13"}
    if len(name) > 2:
        shape = {"shape": "ellipse", "height": "0.32", "margin": "0.03,0.01", "fontsize": "11"}
    return {**shape, "style": "filled", "fillcolor": "white", "color": "#888888"}


def edge_style(lit: bool) -> dict[str, str]:
    """Extra attributes of a highlighted edge (none for a plain one)."""
    return {"color": HIGHLIGHT, "fontcolor": HIGHLIGHT, "penwidth": "2.5"} if lit else {}
