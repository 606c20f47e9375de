"""Names for the nodes of one graph, and each node's definition in those names.

The explainer and the stepper talk about nodes by name, and use the names the drawings
use (``walk.node_names``): a node's ``label``; a constant leaf's number (``2``); any
other node ``v1``, ``v2``, ... numbered in topological order, so the same graph always
gets the same names. A label that more than one node carries gets ``#2``, ``#3`` ...
appended from its second node on, so text never mixes up two labelled nodes; equal
constants keep the same name (they read the same, and their grads are never needed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .graph import topological_order
from .walk import node_names as drawing_names

if TYPE_CHECKING:
    from .value import Value


def node_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """A unique, deterministic name for every node ``root`` depends on (``root`` included)."""
    if order is None:
        order = topological_order(root)
    base = drawing_names(order)
    taken = set(base.values())
    names: dict[Value, str] = {}
    used: set[str] = set()
    for node in order:
        name = base[node]
        if name in used and node.label is not None:
            suffix = 2
            while f"{name}#{suffix}" in used or f"{name}#{suffix}" in taken:
                suffix += 1
            name = f"{name}#{suffix}"
        used.add(name)
        names[node] = name
    return names


def definition(node: Value, names: dict[Value, str]) -> str:
    """How ``node`` was computed, in node names: ``a * b``, ``tanh(n1)``, ``b + w0*x0 + w1*x1``."""
    op = node._op
    if op is None:
        return "leaf"
    args = [names[p] for p in node._parents]
    name = op.name
    if name in ("+", "-", "*", "/", "**") and len(args) == 2:
        return f"{args[0]} {name} {args[1]}"
    if name.startswith("**") and len(args) == 1:
        return f"{args[0]}{name}"
    if name in ("dot", "dot+b"):
        n = len(args) // 2
        terms = [f"{w}*{x}" for w, x in zip(args[:n], args[n : 2 * n])]
        if name == "dot+b":
            terms.insert(0, args[-1])
        return " + ".join(terms) if terms else "0"
    return f"{name}({', '.join(args)})"


def local_formulas(node: Value, names: dict[Value, str]) -> list[str]:
    """The op's text for each local derivative ∂node/∂parent, in node names (``b``, ``1-L²``)."""
    if node._op is None:
        return []
    return node._op.formulas([names[p] for p in node._parents], names[node])


_SUBSCRIPTED = re.compile(r"([A-Za-z])(\d+)")
_LATEX_SPECIAL = str.maketrans(
    {
        "\\": r"\backslash ",
        "{": r"\{",
        "}": r"\}",
        "_": r"\_",
        "^": r"\hat{}",
        "#": r"\#",
        "$": r"\$",
        "%": r"\%",
        "&": r"\&",
        "~": r"\sim ",
    }
)


def latex_name(name: str) -> str:
    """A node name as LaTeX: ``a`` stays, ``w0`` becomes ``w_{0}``, ``L1.N3.w0`` is upright."""
    if len(name) == 1 and name.isalpha():
        return name
    match = _SUBSCRIPTED.fullmatch(name)
    if match:
        return f"{match[1]}_{{{match[2]}}}"
    return r"\mathrm{" + name.translate(_LATEX_SPECIAL) + "}"


def latex_formula(formula: str) -> str:
    """An op's formula text (built from LaTeX names) as LaTeX: ``·``, ``²``, ``^(..)``, ``ln``."""
    text = formula.replace("·", r" \cdot ").replace("²", "^{2}")
    text = re.sub(r"\^\(([^()]*)\)", r"^{(\1)}", text)
    text = re.sub(r"\^(-?[\d.]+(?:e-?\d+)?)", r"^{\1}", text)
    text = text.replace("ln ", r"\ln ").replace("sign(", r"\operatorname{sign}(")
    return text
