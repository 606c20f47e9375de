"""The graph as plain text: the nodes, numbers and local derivatives of a drawing, no dependency.

Two layouts of one ``walk``:

* ``"tree"``: the output on top, each node's inputs indented below it, one line per edge,
  the local derivative ∂node/∂input at the end of the input's line. A node used twice is
  spelled out once; later it is one line marked ``(above)``, so fan-out never repeats a
  subtree and the text stays as long as the number of edges.
* ``"table"``: one row per node in topological order with the local derivative of every
  input; always one line per node, whatever the depth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ..value import Constant, Value
from .names import check_number_format, definition, format_number, local_formulas, node_names
from .walk import Graph, walk

_HEADER_TREE = ("node", "data", "grad", "local derivative")
_HEADER_TABLE = ("#", "node", "computed as", "data", "grad", "∂node/∂input for each input")


def to_text(
    root: Value,
    *,
    style: str = "tree",
    show_grad: bool = True,
    number_format: str = ".4g",
    formulas: bool = False,
    only_paths_to: Value | None = None,
    max_depth: int = 40,
) -> str:
    """The graph of ``root`` as aligned plain text (``style="tree"`` or ``"table"``).

    For ``o = tanh(n)``, ``n = x1*w1 + b`` the tree reads::

        node                   data     grad     local derivative
        o = tanh(n)            0.7071   1
        └─ n = v1 + b          0.8814   0.5      ∂o/∂n = 0.5
           ├─ v1 = x1 * w1     -6       0.5      ∂n/∂v1 = 1
           │  ├─ x1            2        -1.5     ∂v1/∂x1 = -3
           ...

    The local derivatives are the stored numbers ``backward()`` uses; ``formulas=True``
    adds the op's formula (``∂v1/∂x1 = w1 = -3``). Names are labels, ``v1, v2, ...`` for
    unlabelled computed nodes and the number itself for constants. The tree is walked with
    an explicit stack (no recursion); inputs deeper than ``max_depth`` levels are summarized
    in one line, and ``style="table"`` lists every node whatever the depth.
    ``only_paths_to=x`` keeps only the nodes on paths from ``x`` to ``root``.
    """
    check_number_format(number_format)
    graph = walk(root, only_paths_to=only_paths_to)
    # names over the whole graph: formulas may name inputs that only_paths_to leaves out
    names = node_names(root, None if only_paths_to is not None else graph.nodes)

    def number(x: float) -> str:
        return format_number(x, number_format)

    def derivative(child: Value, i: int, parent: Value) -> str:
        text = number(child.partials[i])
        head = f"∂{names[child]}/∂{names[parent]}"
        formula = local_formulas(child, names)[i] if formulas else text
        return f"{head} = {text}" if formula == text else f"{head} = {formula} = {text}"

    header: Row
    if style == "table":
        rows = _table_rows(graph, names, number, derivative)
        header = _HEADER_TABLE
    elif style == "tree":
        rows = _tree_rows(graph, names, number, derivative, max_depth)
        header = _HEADER_TREE
    else:
        raise ValueError(f"to_text: style must be 'tree' or 'table', got {style!r}")
    grad_column = header.index("grad")
    if not show_grad:
        header = header[:grad_column] + header[grad_column + 1 :]
        rows = [row[:grad_column] + row[grad_column + 1 :] for row in rows]
    return _align([header, *rows])


Row: TypeAlias = tuple[str, ...]
_Fmt: TypeAlias = Callable[[float], str]  # a number as text
_Deriv: TypeAlias = Callable[[Value, int, Value], str]  # "∂child/∂parent = ..." for input i


def _tree_rows(
    graph: Graph, names: dict[Value, str], number: _Fmt, derivative: _Deriv, max_depth: int
) -> list[Row]:
    rows: list[Row] = []
    shown: set[Value] = set()
    # (node, the edge into the line above as (child, input index), indent, last input?, depth)
    stack: list[tuple[Value, tuple[Value, int] | None, str, bool, int]] = [
        (graph.root, None, "", True, 0)
    ]
    kept = set(graph.index)
    while stack:
        node, via, indent, last, depth = stack.pop()
        branch = "" if via is None else ("└─ " if last else "├─ ")
        repeated = node in shown and bool(node.parents)
        text = names[node]
        if node.parents and not repeated:
            text += f" = {definition(node, names)}"
        elif repeated:
            text += "  (above)"
        local = "" if via is None else derivative(via[0], via[1], node)
        rows.append((indent + branch + text, number(node.data), _grad(node, number), local))
        if repeated:
            continue
        shown.add(node)
        inputs = [(i, p) for i, p in enumerate(node.parents) if p in kept]
        below = indent + ("" if via is None else ("   " if last else "│  "))
        if inputs and depth >= max_depth:
            rows.append(
                (
                    f"{below}└─ … {len(inputs)} input(s) deeper than max_depth={max_depth};"
                    " style='table' lists every node",
                    "",
                    "",
                    "",
                )
            )
            continue
        # pushed last-first so the first input is printed first
        for k, (i, parent) in reversed(list(enumerate(inputs))):
            stack.append((parent, (node, i), below, k == len(inputs) - 1, depth + 1))
    return rows


def _table_rows(
    graph: Graph, names: dict[Value, str], number: _Fmt, derivative: _Deriv
) -> list[Row]:
    kept = set(graph.index)
    rows: list[Row] = []
    for i, node in enumerate(graph.nodes):
        locals_ = [derivative(node, k, p) for k, p in enumerate(node.parents) if p in kept]
        rows.append(
            (
                str(i),
                names[node],
                definition(node, names),
                number(node.data),
                _grad(node, number),
                ", ".join(locals_),
            )
        )
    return rows


def _grad(node: Value, number: _Fmt) -> str:
    """The grad column: empty for a ``Constant``, which never holds a grad."""
    return "" if isinstance(node, Constant) else number(node.grad)


def _align(rows: list[Row]) -> str:
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = ["   ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)
