"""Find the per-example loop in a graph: a sum of terms that all have the same shape.

A training loss is usually ``t₁ + t₂ + ... + tₙ`` (then ``· 1/n``, plus a penalty), where
each ``tₖ`` is one example pushed through the same model: the same ops, wired the same
way, reading the same parameters, differing only in the example's inputs (and in
numbers such as its label). ``codegen.py`` then writes the code of ONE term and loops it
over the examples, instead of writing the same lines once per example.

What is recognised, in a graph's topological order (``graph.topological_order``):

- a chain ``s₁ = s₀ + t₁, s₂ = s₁ + t₂, ...`` of ``+`` nodes: the order Python's ``sum``
  and ``nn.losses`` add terms in, left to right;
- block ``k`` is the nodes between ``sₖ₋₁`` and ``sₖ`` in the order (``sₖ`` included):
  those ``tₖ`` reaches first. Every node of a block must be read only inside its block
  (``sₖ`` only by ``sₖ₊₁``, the last by anything): the examples share parameters, never
  an inner node;
- every block has the same shape: position by position the same op (or a leaf), parents
  at the same positions of the block, the same inner nodes from outside the blocks, the
  same constants or constants that differ only in their number (a label), and the same
  watched nodes. A leaf from outside may differ between blocks (the L2 penalty's ``p·p``
  reads one parameter per term) if nothing after the loop reads it: its grad is then
  added to in the loop before any other contribution, as in the straight-line order.

Because the blocks are consecutive and alike, running them in a loop, forward from the
first and backward from the last, does every operation of the straight-line code in the
same order: the numbers are the same bit for bit.
"""

from __future__ import annotations

from itertools import pairwise

from . import ops
from .value import Constant, Value

__all__ = ["Loop", "find"]

# fewer alike blocks than this are left as straight-line code: a loop would not pay
_MIN_BLOCKS = 3


class Loop:
    """A run of alike blocks ``ends[0]+1 .. ends[-1]`` of the order, looped by the code.

    ``ends[k]`` is the position of the chain node closing block ``k`` (``ends[0]`` is
    ``s₀``, the node before the first block); block ``k`` holds ``ends[k-1]+1 ..
    ends[k]``. The first block is the template the code is written from. ``varying``
    holds the template positions of constants whose number differs between blocks.
    """

    __slots__ = ("ends", "varying", "leaves")

    def __init__(self, ends: list[int], varying: list[int], leaves: list[list[int]]) -> None:
        self.ends = ends
        self.varying = varying
        # leaves from outside the blocks that differ between blocks (the L2 penalty's
        # p·p reads one parameter per term): each one's position in every block
        self.leaves = leaves

    @property
    def start(self) -> int:
        """The template block's first position."""
        return self.ends[0] + 1

    @property
    def stop(self) -> int:
        """The last block's chain node (the loop's result), the first position after it."""
        return self.ends[-1]

    @property
    def size(self) -> int:
        """Nodes per block."""
        return self.ends[1] - self.ends[0]

    def blocks(self) -> list[range]:
        """Each block's positions."""
        return [range(a + 1, b + 1) for a, b in zip(self.ends, self.ends[1:])]


def find(order: list[Value], index: dict[int, int], watched: set[int]) -> list[Loop]:
    """The loops of ``order`` (``index``: a node's position by ``id``): the longest runs
    of alike blocks in its chains of sums, none inside another."""
    # link[i]: the node before node i in a chain of sums (the first input of a +)
    link: dict[int, int] = {}
    for i, node in enumerate(order):
        if type(node._op) is ops.Add and len(node._parents) == 2:
            link[i] = index[id(node._parents[0])]
    linked = set(link.values())
    chains = []
    for end in sorted((i for i in link if i not in linked), reverse=True):
        chain = [end]
        while chain[-1] in link:
            chain.append(link[chain[-1]])
        if len(chain) > _MIN_BLOCKS:
            chains.append(chain[::-1])  # s₀ (maybe not a +), s₁, ..., sₘ
    if not chains:
        return []
    children = [0] * len(order)
    last_child = list(range(len(order)))  # the latest position reading each node
    for i, node in enumerate(order):
        for parent in node._parents:
            p = index[id(parent)]
            children[p] += 1
            last_child[p] = i
    loops: list[Loop] = []
    # chains from the root's end backwards; one that ends inside a loop already found is
    # part of that loop's template (left as straight-line code there)
    for chain in chains:
        if any(loop.ends[0] < chain[-1] <= loop.stop for loop in loops):
            continue
        loop = _alike(order, index, chain, children, last_child, watched)
        if loop is not None:
            loops.append(loop)
    loops.sort(key=lambda loop: loop.start)
    return loops


def _alike(
    order: list[Value],
    index: dict[int, int],
    chain: list[int],
    children: list[int],
    last_child: list[int],
    watched: set[int],
) -> Loop | None:
    """The longest run of the chain's blocks that are private and alike, as a :class:`Loop`.

    (The first term often differs from the others: Python's ``sum`` adds it to ``0``.)
    """
    if len(chain) - 1 < _MIN_BLOCKS:
        return None
    best: tuple[int, int] = (0, 0)  # the run chain[j0] .. chain[j1]
    run_start, shape = 0, None
    numbers: list[list[float]] = []
    outside: list[list[int]] = []
    for j, (a, b) in enumerate(pairwise(chain)):
        # consecutive: a block is what the chain node's own term added to the order, and
        # private: nothing outside the block reads its nodes (its chain node: only the next)
        private = all(last_child[q] <= b for q in range(a + 1, b)) and (
            b == chain[-1] or children[b] == 1
        )
        this, constants, leaves = _shape(order, index, a, b, watched) if private else (None, [], [])
        numbers.append(constants)
        outside.append(leaves)
        if this is None or this != shape:
            run_start, shape = j, this
        if this is not None and j + 1 - run_start > best[1] - best[0]:
            best = (run_start, j + 1)
    j0, j1 = best
    if j1 - j0 < _MIN_BLOCKS:
        return None
    ends = chain[j0 : j1 + 1]
    rows = numbers[j0:j1]
    # a leaf that differs between blocks is read from each block's row; its grad is
    # added to in the loop, so no contribution from outside may come before the
    # loop's in backward (one after is fine: backward reaches it later)
    columns = [list(column) for column in zip(*outside[j0:j1]) if len(set(column)) > 1]
    if any(last_child[p] > ends[-1] for column in columns for p in column):
        return None
    # constants that differ between blocks become a number per block (a label, a target)
    varying = [
        ends[0] + 1 + q
        for q, column in _columns(order, ends[0], ends[1])
        if len({repr(row[column]) for row in rows}) > 1
    ]
    return Loop(ends, varying, columns)


def _columns(order: list[Value], a: int, b: int) -> list[tuple[int, int]]:
    """(position in the block, column in its list of constants) for each constant."""
    columns: list[tuple[int, int]] = []
    for q, node in enumerate(order[a + 1 : b + 1]):
        if isinstance(node, Constant):
            columns.append((q, len(columns)))
    return columns


def _shape(
    order: list[Value], index: dict[int, int], a: int, b: int, watched: set[int]
) -> tuple[tuple[object, ...], list[float], list[int]]:
    """The block ``a+1 .. b``'s shape (positions relative to it), its constants' numbers
    and the leaves it reads from outside (each once, in the order first read)."""
    shape: list[object] = []
    constants: list[float] = []
    leaves: dict[int, int] = {}
    for i in range(a + 1, b + 1):
        node = order[i]
        if not node._parents:
            if isinstance(node, Constant):
                constants.append(node.data)
                shape.append("k")
            else:
                shape.append("x")
            continue
        parents: list[object] = []
        for parent in node._parents:
            p = index[id(parent)]
            if p > a:
                parents.append(p - a)
            elif p == a and i == b:
                parents.append("s")  # the chain node before: the loop carries it
            elif isinstance(parent, Constant):
                parents.append(("k", repr(parent.data)))
            elif not parent._parents:
                parents.append(("L", leaves.setdefault(p, len(leaves))))  # (see _alike)
            else:
                parents.append(("o", p))  # from outside the blocks: the same in every block
        shape.append((_op_key(node._op), tuple(parents), i in watched))
    return tuple(shape), constants, list(leaves)


def _op_key(op: object) -> object:
    """What decides an op's code: the engine's ops by kind and setting, any other by identity."""
    if isinstance(op, ops.Power):
        return (ops.Power, repr(op.exponent))
    if isinstance(op, ops.Dot):
        return (ops.Dot, op.has_bias)
    if type(op).__module__ == ops.__name__ and not getattr(op, "__dict__", None):
        return type(op)
    return op
