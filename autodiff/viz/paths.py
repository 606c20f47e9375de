"""Paths through a graph, from one node up to the output: counting them and listing them.

The chain rule on a graph sums, over every path from ``x`` to ``out``, the product of
the local derivatives along the path. ``count_paths`` counts the paths without listing
them (they can be astronomically many); ``list_paths`` lists them with their products,
iteratively, so a long chain needs no deep Python stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph import topological_order
from ..value import Value
from .names import latex_formula, latex_name, local_formulas

__all__ = ["Path", "count_paths", "list_paths"]


@dataclass(frozen=True)
class Path:
    """One path ``out = nodes[0] ← nodes[1] ← … ← nodes[-1] = x`` and its chain-rule product.

    ``factors[i]`` is the stored local derivative ∂nodes[i]/∂nodes[i+1], ``formulas[i]``
    its formula as text, ``inputs[i]`` which input (0-based) of ``nodes[i]`` the edge is,
    ``reused[i]`` whether ``nodes[i+1]`` is more than one input of ``nodes[i]`` (``a + a``);
    ``product`` is ``1 · factors[0] · factors[1] · …`` multiplied left to right.
    """

    nodes: tuple[str, ...]
    factors: tuple[float, ...]
    formulas: tuple[str, ...]
    latex_formulas: tuple[str, ...]
    inputs: tuple[int, ...]
    reused: tuple[bool, ...]
    product: float


def count_paths(out: Value, x: Value, order: list[Value] | None = None) -> dict[Value, int]:
    """For every node ``v`` of ``out``'s graph, the number of paths from ``x`` to ``v``.

    Dynamic programming over the topological order: ``count[x] = 1`` and ``count[v]`` is
    the sum of its parents' counts, each parent counted once per time it is an input
    (``a + a`` has two paths from ``a``). Python integers never overflow, so ``2^1000``
    paths are counted exactly, in time linear in the graph. ``count[out]`` is the total.
    """
    if order is None:
        order = topological_order(out)
    count: dict[Value, int] = {}
    for node in order:
        if node is x:
            count[node] = 1
        else:
            count[node] = sum(count[p] for p in node.parents)
    return count


def list_paths(
    out: Value, x: Value, count: dict[Value, int], names: dict[Value, str]
) -> list[Path]:
    """Every path from ``x`` up to ``out``, with its local derivatives and their product.

    ``count`` is :func:`count_paths`'s result and ``names`` the nodes' names. Depth-first
    from ``out`` towards ``x`` with an explicit stack, entering only parents that have a
    path from ``x`` (count > 0), so every step leads to a path and the work is
    proportional to the paths' total length. Paths come in input order: a node's first
    input's paths before its second's.
    """
    latex_names = _LatexNames(names)
    paths: list[Path] = []
    chain: list[Value] = [out]  # the current path, out first; doubles as the DFS stack
    next_input: list[int] = [0]  # per chain entry: the next input index to try
    edges: list[int] = []  # per chain step: which input of chain[i] leads to chain[i + 1]
    while chain:
        node = chain[-1]
        index = next_input[-1]
        parents = node.parents
        while node is not x and index < len(parents) and count[parents[index]] == 0:
            index += 1
        if node is x or index == len(parents):
            if node is x:
                paths.append(_make_path(chain, edges, names, latex_names))
            chain.pop()
            next_input.pop()
            if edges:
                edges.pop()
            continue
        next_input[-1] = index + 1
        chain.append(parents[index])
        next_input.append(0)
        edges.append(index)
    return paths


def _make_path(
    chain: list[Value],
    edges: list[int],
    names: dict[Value, str],
    latex_names: _LatexNames,
) -> Path:
    factors, formulas, latex, reused = [], [], [], []
    product = 1.0
    for child, index in zip(chain, edges):
        partial = child.partials[index]
        reused.append(sum(p is child.parents[index] for p in child.parents) > 1)
        product *= partial
        factors.append(partial)
        formulas.append(local_formulas(child, names)[index])
        latex.append(latex_formula(local_formulas(child, latex_names)[index]))
    return Path(
        nodes=tuple(names[node] for node in chain),
        factors=tuple(factors),
        formulas=tuple(formulas),
        latex_formulas=tuple(latex),
        inputs=tuple(edges),
        reused=tuple(reused),
        product=product,
    )


class _LatexNames(dict[Value, str]):
    """Node -> LaTeX name, made on first use: only the nodes on listed paths need one."""

    def __init__(self, names: dict[Value, str]) -> None:
        super().__init__()
        self.names = names

    def __missing__(self, node: Value) -> str:
        self[node] = text = latex_name(self.names[node])
        return text
