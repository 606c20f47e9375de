"""Write a graph as Python: the forward and backward functions a compiled tape runs.

``autodiff.compile`` (``compiler.py``) runs what this module writes. For each node, in
topological order, the forward function gets one line, its op's ``output`` formula; the
backward function, in reverse order, one line per input, ``grad += grad of child ·
derivative`` with the op's ``derivatives`` formula. Both formulas are read symbolically
from ``ops.py`` (see ``formula.py``), so the code is the engine's own arithmetic in the
engine's order.

What the code is made of, and what it never is: node ``i`` is the variable ``v{i}`` and
its grad ``g{i}``, a constant is its number, an op's formula may name only the algebra's
functions (:data:`FUNCTIONS`). A label or an op's name is data: it is written only into a
comment, escaped to one line (:func:`escape`).

A node's backward block runs only ``if g{i} or dense:``. With a zero grad each of its
contributions would be ``±0.0``, which changes no leaf's grad (a sum that starts at
``+0.0`` stays put when ``±0.0`` is added), so skipping it changes no number; that holds
only while every derivative is finite (``0·inf`` is NaN), so ``dense`` (set when a
number is inf or NaN) turns the skipping off, and only ops whose derivatives are finite
on finite numbers get the test at all.

Without ``inner``, a sum of alike per-example terms (found by ``loops.py``) is written
once: the first looped example's lines run in a ``for`` loop over ``X{c}`` (each
example's leaves, varying constants and watched nodes); forward keeps each example's
numbers in ``S{c}`` and backward runs the examples last first, so every operation happens
in the straight-line order. A block of one line, or of copies (``t = g``), is never
tested (the test would cost what it saves), and one parent of a ``+`` takes the child's
grad variable instead of a copy of it.

Big graphs are cut into chunks of ``chunk`` nodes, one forward and one backward function
each, so generating and compiling stay linear in the number of nodes; values crossing a
chunk boundary go through two lists, ``D`` (data) and ``G`` (grads).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from typing import Any

from . import algebra, formula, loops, ops
from .formula import SYMBOLS, math_text, symbol
from .value import Constant, Value

__all__ = ["FUNCTIONS", "INLINE", "escape", "write"]

# The algebra's functions as generated code calls them: the very functions ops.FLOATS
# runs, so domain checks and their messages are the engine's own.
FUNCTIONS = list(algebra.FUNCTIONS)  # the one list: autodiff/algebra.py
_COMMENT_COLUMN = 44


# relu and step written out where generated code uses them, saving a call per node;
# each is ops.FLOATS' own expression (NaN stays NaN, -0.0 goes to 0.0), so numbers do not
# change (tests/test_compiler.py checks them against op.forward at the kinks)
INLINE = {
    "relu": "({x} if {x} > 0.0 or {x} != {x} else 0.0)",
    "step": "(1.0 if {x} > 0.0 else 0.0)",
}

# Ops whose local derivatives are finite wherever their inputs and output are: a zero
# grad times such a derivative is a zero, which adds nothing to a grad (see backward).
_FINITE_SLOPES = (ops.Add, ops.Sub, ops.Mul, ops.Dot, ops.ReLU, ops.Tanh, ops.Sigmoid, ops.Exp)


def _finite_slopes(op: ops.Op) -> bool:
    if type(op) in _FINITE_SLOPES:
        return True
    # x², x³: if x^p is finite, so is p·x^(p-1)
    return type(op) is ops.Power and getattr(op, "exponent", None) in (2.0, 3.0)


def write(
    order: list[Value], *, inner: bool, chunk: int, watched: set[int]
) -> tuple[str, array[int], list[tuple[int, str]], dict[str, list[Any]]]:
    """The code for the nodes ``order`` (topologically sorted), as four things.

    Its first line (a comment); for each line of the whole source, the position of the
    node whose formula it evaluates (``-1``: none), to name the node an error comes
    from; each function (``forward_0``, ``forward_1``, ... then ``backward_0`` ...)
    as ``(its first line's index, text)``, to compile one at a time; and the lists the
    code's loops read (``X{c}``: each example's leaves, varying constants and watched
    nodes; ``S{c}``: each example's numbers, which forward writes and backward reads).
    The first line and the functions' texts, joined by line breaks, are the whole
    source, never held as one more copy while compiling. ``inner`` also writes every
    inner node's data and grad (``N[i].data = v{i}``), ``watched`` only those nodes' data.

    Without ``inner``, a sum of alike per-example terms (see ``loops.py``) is written
    once, for its first term, inside a ``for`` loop over the examples.
    """
    return _Generator(order, inner, chunk, watched).source()


class _Generator:
    """Writes the source of the forward and backward functions of each chunk of ``order``.

    Names come from positions only: node ``i``'s data is ``v{i}``, its grad ``g{i}``.
    A label or an op's name is data: it appears only inside a comment, escaped by
    :func:`escape` so that it cannot end the comment.
    """

    def __init__(self, order: list[Value], inner: bool, chunk: int, watched: set[int]) -> None:
        self.order = order
        self.inner = inner
        self.watched = watched
        self.chunk = chunk
        self.index = {id(node): i for i, node in enumerate(order)}
        self.leaf_index = {
            id(n): k for k, n in enumerate(node for node in order if not node._parents)
        }
        # how code reads a node's data: its variable, or a constant's number written out
        # (printed once per distinct number: a big graph repeats a few constants a lot)
        printed: dict[str, str] = {}
        self.values = [
            f"v{i}"
            if not isinstance(node, Constant)
            else printed.get(repr(node.data))
            or printed.setdefault(repr(node.data), formula.python(node.data))
            for i, node in enumerate(order)
        ]
        # each op's formulas, read symbolically once per (op, number of inputs)
        self.templates: dict[tuple[ops.Op, int], _Template] = {}
        self.out: list[str] = []
        # the node whose formula each line of ``out`` evaluates (-1: none), by line number - 1
        self.lines = array("i")
        # per-example loops (not with ``inner``: it would write every node of every example)
        self.loops = [] if inner else loops.find(order, self.index, watched)
        self.starts = {loop.start: c for c, loop in enumerate(self.loops)}
        self.stops = {loop.stop: c for c, loop in enumerate(self.loops)}
        self.lists: dict[str, list[Any]] = {}
        self._outside: dict[int, list[int]] = {}
        # a grad held in another node's variable (see backward): node -> that name
        self.alias: dict[int, str] = {}
        # leaves a loop reads from each example's row (loops.Loop.leaves): their grads
        # are loaded after the loop has added to them
        self.slot_leaves: set[int] = set()
        for c, loop in enumerate(self.loops):
            for i in loop.varying:
                self.values[i] = f"v{i}"
            slots = self.slots(loop)
            self.lists[f"X{c}"] = [
                (
                    *(
                        order[block[q]] if kind == "n" else order[block[q]].data
                        for q, kind in slots
                    ),
                    *(order[column[k]] for column in loop.leaves),
                )
                for k, block in enumerate(loop.blocks())
            ]
            kept = [q for q in range(loop.size) if self.values[loop.start + q].startswith("v")]
            self.lists[f"S{c}"] = [
                (
                    *(order[block[q]].data for q in kept),
                    *(order[column[k]].data for column in loop.leaves),
                )
                for k, block in enumerate(loop.blocks())
            ]
            self.slot_leaves.update(p for column in loop.leaves for p in column)

    def emit(self, code: str, comment: str = "", node: int = -1) -> None:
        if comment:
            code = f"{code.ljust(_COMMENT_COLUMN - 4)}    # {comment}"
        self.out.append(code)
        self.lines.append(node)

    def source(self) -> tuple[str, array[int], list[tuple[int, str]], dict[str, list[Any]]]:
        """The first line, the node each line evaluates, each function's first line and text.

        The functions' texts, one after another, follow the first line: together they
        are the whole source.
        """
        n = len(self.order)
        bounds = []
        a = 0
        while a < n:
            b = min(a + self.chunk, n)
            for loop in self.loops:  # a loop is never cut between two chunks
                if loop.start < b <= loop.stop:
                    b = loop.stop + 1
            bounds.append((a, b))
            a = b
        self.emit(f"# autodiff.compile: {n} nodes in {len(bounds)} chunk(s)")
        pieces = []
        for c, (a, b) in enumerate(bounds):
            start = len(self.out)
            self.forward(c, a, b)
            pieces.append((start, len(self.out)))  # replaced by texts below
        # backward processes chunks last first: which grads already hold contributions
        self.has_grad: set[int] = set()
        backwards = [self.backward(c, a, b) for c, (a, b) in reversed(list(enumerate(bounds)))]
        for lines in reversed(backwards):
            start = len(self.out)
            for text, node in lines:
                self.out.append(text)
                self.lines.append(node)
            pieces.append((start, len(self.out)))
        texts = [(start, "\n".join(self.out[start:end])) for start, end in pieces]
        header = self.out[0]
        self.out.clear()  # the lines live on in the texts only: one copy of the code
        return header, self.lines, texts, self.lists

    # --- forward -----------------------------------------------------------------------

    def template(self, op: ops.Op, n: int) -> _Template:
        """``op``'s formulas for ``n`` inputs, as format strings over ``{0}``, ``{1}``, ``{y}``."""
        key = (op, n)
        found = self.templates.get(key)
        if found is None:
            found = self.templates[key] = _Template(op, n)
        return found

    def forward(self, c: int, a: int, b: int) -> None:
        self.emit("")
        self.emit(f"def forward_{c}(L, N, D):")
        self.emit(
            f'    """Forward pass, nodes {a}..{b - 1}: each line is the op\'s output formula."""'
        )
        values = self.values
        for i in self.outside(a, b):
            self.emit(f"    v{i} = D[{i}]", "(earlier chunk)")
        i = a
        while i < b:
            if i in self.starts:
                loop = self.loops[self.starts[i]]
                self.forward_loop(self.starts[i], loop)
                i = loop.stop
                self.emit(f"    v{i} = A{self.starts[loop.start]}", "(the loop's sum)")
                if i in self.watched:
                    self.emit(f"    N[{i}].data = v{i}")
                i += 1
                continue
            node = self.order[i]
            if not node._parents:
                if not isinstance(node, Constant):  # a constant is written as its number
                    self.emit(f"    v{i} = L[{self.leaf_index[id(node)]}].data", _label(node)[:-1])
            else:
                self.forward_node(i, "    ")
                if self.inner or i in self.watched:
                    self.emit(f"    N[{i}].data = v{i}")
            i += 1
        for lo, hi in self.spans(a, b):
            if lo < hi:
                self.emit(f"    D[{lo}:{hi}] = ({', '.join(values[lo:hi])},)")

    def spans(self, a: int, b: int) -> list[tuple[int, int]]:
        """The parts of ``a..b-1`` outside loops: the examples' numbers live in ``S{c}``,
        and ``D`` keeps only each loop's result."""
        spans = []
        for loop in self.loops:
            if a <= loop.start < b:
                spans.append((a, loop.start))
                a = loop.stop
        return [*spans, (a, b)]

    def forward_node(self, i: int, indent: str) -> None:
        """The lines computing inner node ``i``'s data: its op's output formula."""
        node = self.order[i]
        op = node._op
        assert op is not None  # checked by _check_op
        index, values = self.index, self.values
        inputs = [values[index[id(p)]] for p in node._parents]
        template = self.template(op, len(inputs))
        for line in template.before:
            self.emit(f"{indent}{line.format(*inputs)}", node=i)
        expr = template.output.format(*inputs)
        label = f"{escape(node.label)} = " if node.label is not None else ""
        self.emit(f"{indent}v{i} = {expr}", f"{label}{escape(op.name)}", i)

    def slots(self, loop: loops.Loop) -> list[tuple[int, str]]:
        """What the loop reads per example, by position in the block: a node (``"n"``: a
        leaf, or a watched node it writes) or a number (``"k"``: a varying constant)."""
        slots = []
        for q in range(loop.size):
            i = loop.start + q
            node = self.order[i]
            if i in loop.varying:
                slots.append((q, "k"))
            elif (not node._parents and not isinstance(node, Constant)) or i in self.watched:
                slots.append((q, "n"))
        return slots

    def forward_loop(self, c: int, loop: loops.Loop) -> None:
        """The per-example loop: the first example's lines, run for every example."""
        first, chain = loop.ends[0], loop.ends[1]
        names = [
            f"v{loop.start + q}" if kind == "k" else f"n{loop.start + q}"
            for q, kind in self.slots(loop)
        ]
        self.emit(f"    A{c} = {self.values[first]}", f"{len(loop.ends) - 1} alike terms, one loop")
        self.emit(f"    S{c}.clear()")
        outer = [column[0] for column in loop.leaves]  # named after the first example's
        names += [f"n{t}" for t in outer]
        self.emit(f"    for {', '.join(names) + ',' if names else '_'} in X{c}:")
        saved = self.values[first]
        self.values[first] = f"A{c}"  # the chain node reads the sum so far
        for t in outer:
            self.emit(f"        w{t} = n{t}.data", _label(self.order[t])[:-1])
            self.values[t] = f"w{t}"
        for i in range(loop.start, chain + 1):
            node = self.order[i]
            if not node._parents:
                if not isinstance(node, Constant):
                    self.emit(f"        v{i} = n{i}.data", _label(node)[:-1])
                continue
            self.forward_node(i, "        ")
            if i in self.watched:
                self.emit(f"        n{i}.data = v{i}")
        self.values[first] = saved
        for t in outer:
            self.values[t] = f"v{t}"
        self.emit(f"        A{c} = v{chain}")
        kept = [v for v in self.values[loop.start : chain + 1] if v.startswith("v")]
        kept += [f"w{t}" for t in outer]
        self.emit(f"        S{c}.append(({', '.join(kept)},))")

    def outside(self, a: int, b: int) -> list[int]:
        """Indices of nodes before ``a`` whose data nodes ``a..b-1`` read (forward and
        backward both ask: found once)."""
        found = self._outside.get(a)
        if found is None:
            index = self.index
            needed = {index[id(parent)] for node in self.order[a:b] for parent in node._parents}
            found = self._outside[a] = sorted(
                i for i in needed if i < a and not isinstance(self.order[i], Constant)
            )
        return found

    # --- backward ----------------------------------------------------------------------

    def backward(self, c: int, a: int, b: int) -> list[tuple[str, int]]:
        """The backward function of chunk ``c`` as (line, node) pairs; updates ``has_grad``."""
        body: list[tuple[str, int]] = []
        index = self.index
        touched: set[int] = set()  # grads that have a local variable in this chunk
        used: set[int] = set()  # nodes whose data the slopes read
        loads: list[tuple[str, int]] = []
        stores: list[tuple[str, int]] = []

        def grad_of(i: int) -> str:
            """The local holding node i's grad, loading it if an earlier function filled it."""
            if i not in touched:
                touched.add(i)
                node = self.order[i]
                if not node._parents:
                    k = self.leaf_index[id(node)]
                    line = _line(f"    g{i} = L[{k}].grad", f"{_label(node)}(accumulates)")
                    # after the loop that adds to it, if one does (then it is first read here)
                    (body if i in self.slot_leaves else loads).append((line, -1))
                    stores.append((f"    L[{k}].grad = g{i}", -1))
                    self.has_grad.add(i)
                elif i in self.has_grad:
                    loads.append((f"    g{i} = G[{i}]", -1))
                if node._parents and i < a:
                    stores.append((f"    G[{i}] = g{i}", -1))
            return self.alias.get(i, f"g{i}")

        def node_block(i: int, indent: str, target: Callable[[int], tuple[str, bool]]) -> None:
            """Node ``i``'s contributions to its parents' grads; ``target(p)`` names parent
            ``p``'s grad and says whether this is its first contribution."""
            node = self.order[i]
            g = self.alias.get(i, f"g{i}")
            op = node._op
            assert op is not None
            positions = [index[id(p)] for p in node._parents]
            inputs = [self.values[p] for p in positions]
            template = self.template(op, len(inputs))
            slopes = template.slopes
            live = [j for j, parent in enumerate(node._parents) if not isinstance(parent, Constant)]
            copies = all(
                not slopes[j].before and slopes[j].first in ("{t} = {g}", "{t} = -{g}")
                for j in live
            )
            # Skipping the block when the node's grad is zero changes no number: every
            # contribution would be ±0.0, which leaves a leaf's grad (which starts at
            # +0.0) as it is, and a parent's first grad becomes 0.0 (the engine's may be
            # -0.0: see compile). With a non-finite number anywhere (``dense``), a
            # derivative might be infinite and 0·inf is NaN, so nothing is skipped.
            # A test costs as much as a line of arithmetic: a block of one line, or of
            # copies (``t = g``, as for +), runs as it is, as in the engine, which never skips.
            lines = sum(1 + len(slopes[j].before) for j in live)
            skip = _finite_slopes(op) and lines > 1 and not copies
            inner = indent + "    " if skip else indent
            renamed = skip or target is not straight  # True: no parent may take g's name
            block: list[tuple[str, int]] = []
            zeros: list[tuple[str, int]] = []
            for j in live:
                p, parent, slope = positions[j], node._parents[j], slopes[j]
                if (
                    not renamed
                    and slope.first == "{t} = {g}"
                    and not slope.before
                    and p >= a
                    and p not in touched
                    and p not in self.has_grad
                    and parent._parents
                ):
                    # the parent's first grad is this grad itself (``x + 0.001``): it is
                    # this variable, renamed, and no line copies it
                    self.alias[p] = g
                    touched.add(p)
                    self.has_grad.add(p)
                    renamed = True
                    continue
                for k in slope.reads:
                    read = i if k < 0 else positions[k]
                    if self.values[read].startswith("v"):  # a constant's number is in the code
                        used.add(read)
                name, first = target(p)
                names = {"t": name, "g": g, "y": f"v{i}"}
                for line in slope.before:
                    block.append((f"{inner}{line.format(*inputs, **names)}", i))
                code = (slope.first if first else slope.later).format(*inputs, **names)
                comment = f"∂v{i}/∂v{p} = " + slope.text.format(*inputs, y=f"v{i}")
                block.append((_line(f"{inner}{code}", comment), i))
                if first:
                    zeros.append((f"{indent}    {name} = 0.0", -1))
            if skip:
                body.append((f"{indent}if {g} or dense:", -1))
                body.extend(block)
                if zeros:
                    body.append((f"{indent}else:", -1))
                    body.extend(zeros)
            else:
                body.extend(block)

        def straight(p: int) -> tuple[str, bool]:
            parent = self.order[p]
            first = p not in self.has_grad and bool(parent._parents)
            name = grad_of(p)
            self.has_grad.add(p)
            return name, first

        root = len(self.order) - 1
        i = b - 1
        while i >= a:
            node = self.order[i]
            if not node._parents:
                i -= 1
                continue
            if i == root:
                touched.add(i)
                body.append((_line(f"    g{i} = gradient", f"∂v{i}/∂v{i} = 1"), -1))
                self.has_grad.add(i)
            if i in self.stops:
                loop = self.loops[self.stops[i]]
                self.backward_loop(
                    self.stops[i], loop, grad_of(i), body, used, node_block, straight
                )
                i = loop.start - 1
                continue
            g = grad_of(i)
            if self.inner:
                body.append((f"    N[{i}].grad = {g}", -1))
            node_block(i, "    ", straight)
            i -= 1
        lines: list[tuple[str, int]] = [
            ("", -1),
            (f"def backward_{c}(gradient, dense, L, N, D, G):", -1),
            (
                f'    """Backward, nodes {b - 1}..{a}: grad += child grad · local derivative."""',
                -1,
            ),
        ]
        # only the data the slopes read: a relu's or a sum's output is not needed here
        for lo, hi in self.spans(a, b):
            if lo < hi:
                unpacked = ", ".join(f"v{i}" if i in used else "_" for i in range(lo, hi))
                lines.append((f"    {unpacked}, = D[{lo}:{hi}]", -1))
        for i in self.outside(a, b):
            if i in used:
                lines.append((f"    v{i} = D[{i}]", -1))
        return lines + loads + body + stores + [("    return None", -1)]

    def backward_loop(
        self,
        c: int,
        loop: loops.Loop,
        g_end: str,
        body: list[tuple[str, int]],
        used: set[int],
        node_block: Callable[[int, str, Callable[[int], tuple[str, bool]]], None],
        straight: Callable[[int], tuple[str, bool]],
    ) -> None:
        """The per-example loop backward: the first example's lines, last example first."""
        first, chain = loop.ends[0], loop.ends[1]
        block = range(loop.start, chain + 1)
        body.append((f"    B{c} = {g_end}", -1))
        outer = [column[0] for column in loop.leaves]
        # a node outside the examples that they all feed: its grad starts before the loop
        # (a leaf's is loaded before it)
        for i in block:
            for parent in self.order[i]._parents:
                p = self.index[id(parent)]
                if p >= loop.start or p == first or isinstance(parent, Constant) or p in outer:
                    continue
                if not parent._parents:
                    straight(p)
                elif p not in self.has_grad:
                    name, _ = straight(p)
                    body.append((f"    {name} = 0.0", -1))
        header = len(body)
        body.append(("", -1))  # the for line, once the names it needs are known
        leaves = [i for i in block if not self.order[i]._parents and self.values[i].startswith("v")]
        leaves = [i for i in leaves if i not in loop.varying]
        for i in leaves:
            body.append((f"        g{i} = n{i}.grad", -1))
        for t in outer:
            body.append((f"        h{t} = n{t}.grad", -1))
            self.values[t] = f"w{t}"
        body.append((f"        g{chain} = B{c}", -1))
        own: set[int] = set()  # this example's grads that hold a contribution

        def target(p: int) -> tuple[str, bool]:
            if p == first:
                return f"B{c}", True  # the sum before this example: a fresh grad each time
            if p in outer:
                return f"h{p}", False
            if p >= loop.start:
                fresh = p not in own and bool(self.order[p]._parents)
                own.add(p)
                return f"g{p}", fresh
            return straight(p)

        for i in reversed(block):
            if self.order[i]._parents:
                node_block(i, "        ", target)
        for i in leaves:
            body.append((f"        n{i}.grad = g{i}", -1))
        for t in outer:
            body.append((f"        n{t}.grad = h{t}", -1))
            self.values[t] = f"v{t}"
        names = dict.fromkeys((f"n{i}" for i in leaves), "")
        row = [
            f"n{loop.start + q}" if f"n{loop.start + q}" in names else "_"
            for q, _ in self.slots(loop)
        ]
        row += [f"n{t}" for t in outer]
        kept = [(f"v{i}" if i in used else "_") for i in block if self.values[i].startswith("v")]
        kept += [f"w{t}" for t in outer]
        rows = f"({', '.join(row)},)" if row else "_"
        body[header] = (
            f"    for {rows}, ({', '.join(kept)},) in zip(reversed(X{c}), reversed(S{c})):",
            -1,
        )
        if not isinstance(self.order[first], Constant):
            name, fresh = straight(first)
            body.append((f"    {name} {'=' if fresh else '+='} B{c}", -1))


class _Slope:
    """One input's backward line: ``{t} = ...`` (first contribution) or ``{t} += ...``.

    ``before`` holds the assignments of a deep formula's pieces (see
    ``formula.python_statements``), ``text`` the derivative's math for the comment,
    ``reads`` the inputs it reads (-1: the output).
    """

    __slots__ = ("before", "first", "later", "text", "reads")

    def __init__(self, slope: formula.Expr) -> None:
        self.before, product = formula.python_statements(
            formula.Binary("*", symbol("{g}"), slope), "s", inline=INLINE
        )
        self.first, self.later = _contribution("{t}", "{g}", slope, product)
        self.text = escape(math_text(slope)).replace("{", "{{").replace("}", "}}")
        self.text = re.sub(r"\{\{(\d+|y)\}\}", r"{\1}", self.text)
        code = "\n".join([*self.before, self.later])
        self.reads = sorted({int(k) for k in re.findall(r"\{(\d+)\}", code)})
        if "{y}" in code:
            self.reads.append(-1)


class _Template:
    """An op's formulas as format strings: the inputs are ``{0}, {1}, ...``, the output ``{y}``.

    ``output`` is the forward expression (after the assignments in ``before``, for a
    formula too deep to be one expression); ``slopes`` holds one :class:`_Slope` per input.
    """

    __slots__ = ("before", "output", "slopes")

    def __init__(self, op: ops.Op, n: int) -> None:
        names = [symbol(f"{{{j}}}") for j in range(n)]
        try:
            output = _checked(op.output(SYMBOLS, *names))
            slopes = [_checked(s) for s in op.derivatives(SYMBOLS, symbol("{y}"), *names)]
        except Exception as error:  # an op whose formulas do not accept symbols
            raise ValueError(
                f"compile: the formulas of op {escape(op.name)!r} ({type(op).__name__}) "
                f"cannot be read symbolically ({type(error).__name__}: {error}); they may use "
                "only + - * / and the algebra's functions (see autodiff.formula)"
            ) from None
        self.before, self.output = formula.python_statements(output, "f", inline=INLINE)
        self.slopes = [_Slope(slope) for slope in slopes]


def _checked(expr: object) -> formula.Expr:
    """``expr`` as a formula, refusing what generated code must not contain.

    A formula built by an op may hold only the inputs' and output's placeholders,
    numbers and the algebra's functions: a ``Call`` or ``Symbol`` with any other name
    would be written into the code as is, so it is refused.
    """
    root = expr if isinstance(expr, formula.Expr) else formula.Number(float(expr))  # type: ignore[arg-type]
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, formula.Symbol) and not re.fullmatch(r"\{(\d+|y)\}", node.name):
            raise TypeError(f"unknown symbol {node.name!r}")
        if isinstance(node, formula.Call):
            if node.function not in FUNCTIONS:
                raise TypeError(f"unknown function {node.function!r}")
            stack.extend(node.args)
        elif isinstance(node, formula.Binary):
            if node.op not in ("+", "-", "*", "/"):
                raise TypeError(f"unknown operator {node.op!r}")
            stack.extend((node.left, node.right))
        elif isinstance(node, formula.Negative):
            stack.append(node.operand)
        elif isinstance(node, formula.Number):
            if not isinstance(node.value, float):
                raise TypeError(f"a number that is not a float: {node.value!r}")
        elif not isinstance(node, formula.Symbol):
            raise TypeError(f"not a formula: {node!r}")
    return root


def _contribution(target: str, g: str, slope: formula.Expr, product: str) -> tuple[str, str]:
    """``target += g · slope`` as the first and a later contribution (``g * 1.0`` is ``g``)."""
    if isinstance(slope, formula.Number) and slope.value == 1.0:
        return f"{target} = {g}", f"{target} += {g}"
    if isinstance(slope, formula.Number) and slope.value == -1.0:
        return f"{target} = -{g}", f"{target} -= {g}"
    return f"{target} = {product}", f"{target} += {product}"


def _line(code: str, comment: str) -> str:
    return f"{code.ljust(_COMMENT_COLUMN - 4)}    # {comment}"


def escape(text: str) -> str:
    """``text`` safe inside a comment of generated code: one line, whatever it holds.

    Every character Python or ``str.splitlines`` could take as a line end (``\\n``,
    ``\\r``, ``\\x0b``, ``\\x0c``, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028``,
    ``\\u2029``), and any other character that is not printable (NUL, lone surrogates),
    is written as its escape sequence, so the text cannot end the comment.
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in text
    )


def _label(node: Value) -> str:
    """A node's label for a comment, escaped, with a space after it; nothing if it has none."""
    return f"{escape(node.label)} " if node.label is not None else ""
