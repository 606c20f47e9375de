"""Compile a recorded graph to straight-line Python: backpropagation written out as code.

``record(root)`` replays a graph node by node: for each node a Python loop looks up its
op, calls it and stores the result in the node. ``compile(root)`` instead *writes the
program* that graph stands for, one line per node, and lets Python compile it once::

    # forward (one tanh neuron; print(tape) shows the whole of it)
    z = b + w0 * x0 + w1 * x1               # z = dot+b
    out = tanh(z)                           # out = tanh
    # backward
    g_out = gradient                        # ∂out/∂out = 1
    g_z = g_out * (1.0 - out * out)         # ∂out/∂z = 1-out²
    g_w0 += g_z * x0                        # ∂z/∂w0 = x0

Every number lives in a local variable; there is no attribute lookup, no op dispatch and
no loop per node, which is why a compiled step runs several times faster than a replayed
one. The lines are not written by hand: the forward line of a node is its op's
``output`` formula and each backward line is ``grad += grad_of_child · derivative``
with the op's ``derivatives`` formula, both read symbolically from ``ops.py`` (see
``formula.py``). So the generated code is the engine's own arithmetic, in the engine's
order: its data and grads equal a rebuilt graph's bit for bit (see :func:`compile`).

Big graphs are cut into chunks of ``chunk`` nodes, one forward and one backward function
each, so generating and compiling stay linear in the number of nodes; values crossing a
chunk boundary go through two lists, ``D`` (data) and ``G`` (grads).
"""

from __future__ import annotations

import builtins
import keyword
import linecache
import math
import numbers
import re
import sys
import weakref
from collections.abc import Callable, Iterable
from itertools import count
from operator import attrgetter
from types import CodeType, TracebackType
from typing import Any

from . import formula, ops
from .algebra import FUNCTIONS
from .formula import SYMBOLS, math_text, symbol
from .graph import topological_order
from .modes import state
from .value import Constant, Value

__all__ = ["CompiledTape", "compile"]

# The algebra's functions as generated code calls them: the very functions ops.FLOATS
# runs, so domain checks and their messages are the engine's own.
_FUNCTIONS = list(FUNCTIONS)
# Names the generated code uses for itself; a node's variable never takes one of them.
_RESERVED = {*_FUNCTIONS, "L", "N", "D", "G", "gradient", "_", "CHUNKS"}
_sources = count()
_COMMENT_COLUMN = 44


class CompiledTape:
    """A graph compiled to Python functions, with the interface of ``record``'s ``Tape``.

    Make one with ``autodiff.compile(root)``. ``forward()`` reads the leaves' current
    ``data`` and returns the root's; ``backward(gradient)`` adds d(root)/d(leaf) to every
    leaf's ``grad`` (leaves accumulate, as with ``Value.backward``). ``source`` (also
    ``print(tape)``) is the generated code.
    """

    __slots__ = (
        "root",
        "inner",
        "_order",
        "_leaves",
        "_steps",
        "_parents",
        "_forwards",
        "_backwards",
        "_data",
        "_grads",
        "_nodes",
        "_leaf_tuple",
        "_lines",
        "_filename",
        "_source",
        "_fallback",
        "__weakref__",
    )

    root: Value
    inner: bool

    def __init__(
        self,
        root: Value,
        *,
        inner: bool = True,
        chunk: int = 20_000,
        watch: Iterable[Value] = (),
    ) -> None:
        """Compile the graph under ``root``; see ``autodiff.compile``."""
        if not isinstance(root, Value):
            raise TypeError(f"compile: expected a Value, got {type(root).__name__} {root!r}")
        if not state.recording:
            raise RuntimeError(
                "compile: called inside no_grad(), where operations record no graph; "
                "build the graph and compile it outside no_grad()"
            )
        if not root._parents:
            raise ValueError(
                f"compile: {root!r} is a leaf, there is no graph to compile "
                "(was it computed under no_grad(), or is it an input itself?)"
            )
        if not isinstance(chunk, int) or chunk < 1:
            raise ValueError(f"compile: chunk must be a whole number >= 1, got {chunk!r}")
        self.root = root
        self.inner = inner
        self._order = topological_order(root)
        self._leaves = [node for node in self._order if not node._parents]
        self._steps = [node for node in self._order if node._parents]
        self._parents = [node._parents for node in self._steps]
        for node in self._steps:
            _check_op(node)
        self._fallback: Any = None
        self._filename = f"<autodiff.compile #{next(_sources)}>"
        position = {id(node): i for i, node in enumerate(self._order)}
        watched = {position[id(node)] for node in watch if id(node) in position}
        generator = _Generator(self._order, inner, chunk, watched)
        source, self._lines, pieces = generator.source()
        self._source = source
        namespace: dict[str, Any] = {name: getattr(ops.FLOATS, name) for name in _FUNCTIONS}
        # Each function is compiled on its own, so Python's compiler holds one chunk's
        # syntax tree at a time (a 10⁶-node graph in one piece took 4.5 GB); its line
        # numbers are then shifted to where the function sits in ``source``.
        for start, end in pieces:
            piece = "\n".join(generator.out[start:end])
            code = builtins.compile(piece, self._filename, "exec")
            exec(_shifted(code, start), namespace)
        # tracebacks through the generated code show its lines, while the tape lives
        lines = source.splitlines(keepends=True)
        linecache.cache[self._filename] = (len(source), None, lines, self._filename)
        weakref.finalize(self, linecache.cache.pop, self._filename, None)
        chunks = range(len(pieces) // 2)
        self._forwards: list[Callable[..., None]] = [namespace[f"forward_{c}"] for c in chunks]
        self._backwards: list[Callable[..., None]] = [
            namespace[f"backward_{c}"] for c in reversed(chunks)
        ]
        self._nodes = tuple(self._order)
        self._leaf_tuple = tuple(self._leaves)
        # the values backward starts from: the graph's own, until forward() runs
        self._data = [node.data for node in self._order]
        self._grads = [0.0] * len(self._order)

    def __len__(self) -> int:
        """The number of nodes, leaves included."""
        return len(self._order)

    def __repr__(self) -> str:
        return (
            f"<CompiledTape: {len(self._order)} nodes ({len(self._steps)} ops, "
            f"{len(self._leaves)} leaves, {len(self._forwards)} chunk(s)), "
            f"root {_name(self.root)}>"
        )

    def __str__(self) -> str:
        return self._source

    @property
    def source(self) -> str:
        """The generated code: forward then backward, one line per node, labels in comments."""
        return self._source

    @property
    def nodes(self) -> list[Value]:
        """Every node, parents before children, the root last (a new list each time)."""
        return list(self._order)

    @property
    def leaves(self) -> list[Value]:
        """The leaves (inputs, parameters, constants) in topological order."""
        return list(self._leaves)

    @property
    def named_leaves(self) -> dict[str, Value]:
        """The labelled leaves by label; raises ``ValueError`` if two leaves share a label."""
        named: dict[str, Value] = {}
        for leaf in self._leaves:
            if leaf.label is None:
                continue
            if named.setdefault(leaf.label, leaf) is not leaf:
                raise ValueError(
                    f"CompiledTape.named_leaves: two leaves are labelled {leaf.label!r}"
                )
        return named

    def forward(self) -> float:
        """Recompute every node from the leaves' current data; return (and store) the root's data.

        Like ``Tape.forward``: ``RuntimeError`` if a node's parents were changed after
        compiling, and the op's own error, naming the op, the value and the node, if new
        data is outside its domain. With ``inner=True`` every inner node's ``data`` is
        written too; otherwise only the root's. Local derivatives (``node.partials``) are
        not stored: the generated backward computes them from the data.
        """
        if state.anomaly:
            return float(self._recorded().forward())
        self._check()
        try:
            for forward in self._forwards:
                forward(self._leaf_tuple, self._nodes, self._data)
        except (ValueError, ArithmeticError) as error:
            raise self._located(error, sys.exc_info()[2]) from None
        value = self._data[-1]
        self.root.data = value
        return value

    def backward(self, gradient: float = 1.0) -> None:
        """Add ``gradient · d(root)/d(leaf)`` to every leaf's ``grad``, as ``Tape.backward`` does.

        Uses the data of the last ``forward()`` (or, before the first, of the graph as
        built). With ``inner=True`` inner nodes' grads are set as ``Value.backward`` sets
        them; constants get no grad.
        """
        if not isinstance(gradient, numbers.Real):
            raise TypeError(
                f"CompiledTape.backward: gradient must be a real number, not {gradient!r}"
            )
        if gradient != gradient:
            raise ValueError("CompiledTape.backward: gradient is NaN")
        if state.anomaly:
            self._recorded().backward(gradient)
            return
        self._check()
        gradient = float(gradient)
        try:
            for backward in self._backwards:
                backward(gradient, self._leaf_tuple, self._nodes, self._data, self._grads)
        except (ValueError, ArithmeticError) as error:
            # a local derivative out of range (x ** -1 at 1e-300: the slope overflows);
            # the engine finds it when it builds the node, the generated code here
            raise self._located(error, sys.exc_info()[2]) from None

    def _check(self) -> None:
        # one C-level list comparison (identity first, element by element); the loop
        # below only runs to name the node once something has changed
        if list(map(_PARENTS, self._steps)) != self._parents:
            for node, parents in zip(self._steps, self._parents):
                if node._parents is not parents:
                    raise RuntimeError(
                        f"CompiledTape: node {_name(node)} was changed after compiling "
                        "(its parents are not the recorded ones); compile the graph again"
                    )

    def _recorded(self) -> Any:
        """The replayed tape, for anomaly mode: it checks every number, node by node."""
        from .tape import record

        if self._fallback is None:
            self._fallback = record(self.root)
        return self._fallback

    def _located(self, error: BaseException, trace: TracebackType | None) -> BaseException:
        """``error`` with the failing node's op, label and inputs, found by its line number."""
        frame_locals: dict[str, Any] = {}
        line = None
        while trace is not None:
            if trace.tb_frame.f_code.co_filename == self._filename:
                line, frame_locals = trace.tb_lineno, trace.tb_frame.f_locals
            trace = trace.tb_next
        where = self._lines.get(line) if line is not None else None
        if where is None:
            return error
        index, names = where
        node = self._order[index]
        inputs = []
        for parent, name in zip(node._parents, names):
            number = frame_locals.get(name, parent.data)
            inputs.append(f"{parent.label or name!r} = {number!r}")
        return type(error)(
            f"{error} [input {', '.join(inputs)}] (compiled node {_name(node)}, "
            f"line {line} of tape.source)"
        )


def compile(
    root: Value, *, inner: bool = True, chunk: int = 20_000, watch: Iterable[Value] = ()
) -> CompiledTape:
    """Compile the graph under ``root`` to Python: ``tape.forward()``, ``tape.backward()``.

    The result behaves like ``record(root)``'s tape (``forward``, ``backward``,
    ``leaves``, ``named_leaves``, ``nodes``, ``len``, the same refusals) and works on the
    same ``Value`` objects: it reads leaves' ``data`` and adds to their ``grad``, so
    training loops and optimizers run unchanged. ``inner=True`` (default) also writes
    every inner node's ``data`` and ``grad``, as a rebuilt graph would; ``inner=False``
    skips that (faster; only the root's data and the leaves' grads are written, plus
    the data of the nodes in ``watch``, such as a model's outputs). ``chunk`` nodes go
    into one generated function (see the module docstring).

    Exactness: each line is the op's formula from ``ops.py`` in the engine's evaluation
    order, so data and grads equal a rebuilt graph's bit for bit, with one exception:
    an inner node's grad starts from its first contribution rather than from ``0.0 +``
    it, so a zero grad may be ``-0.0`` where the engine has ``0.0`` (equal as numbers).

    Refused: everything ``record`` refuses, and an op that states no ``output`` and
    ``derivatives`` formulas (one that only overrides ``forward``): its error names it.
    Constants (``x * 2``) are written into the code as numbers: change a ``Constant``'s
    data and you must compile again. Under ``detect_anomaly()`` the tape runs the
    replayed, checked path instead. A domain error keeps the op's message and adds the
    inputs, the node and the line of ``tape.source``; an error in a *slope* (``x ** -1``
    at ``1e-300``: the slope overflows) comes from ``backward()``, where the generated
    code computes slopes, whereas the engine raises it when it builds the node.
    """
    return CompiledTape(root, inner=inner, chunk=chunk, watch=watch)


_PARENTS = attrgetter("_parents")


def _shifted(code: CodeType, lines: int) -> CodeType:
    """``code`` (and the functions defined in it) as if it started ``lines`` lines lower."""
    consts = tuple(_shifted(c, lines) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_firstlineno=code.co_firstlineno + lines, co_consts=consts)


def _check_op(node: Value) -> None:
    op = node._op
    if not isinstance(op, ops.Op) or len(node._partials) != len(node._parents):
        raise ValueError(
            f"compile: node {_name(node)} has parents but no re-runnable op "
            f"(op {op!r}, {len(node._parents)} parents, "
            f"{len(node._partials)} local derivatives); it cannot be compiled"
        )
    if getattr(op, "output", None) is None or getattr(op, "derivatives", None) is None:
        raise ValueError(
            f"compile: op {op.name!r} ({type(op).__name__}) of node {_name(node)} only "
            "defines forward() on floats, so its formulas cannot be written as code; "
            "give it output(m, ...) and derivatives(m, y, ...) (see autodiff.apply), "
            "or use autodiff.record instead"
        )


class _Generator:
    """Writes the source of the forward and backward functions of each chunk of ``order``."""

    def __init__(self, order: list[Value], inner: bool, chunk: int, watched: set[int]) -> None:
        self.order = order
        self.inner = inner
        self.watched = watched
        self.chunk = chunk
        self.index = {id(node): i for i, node in enumerate(order)}
        self.names = _variable_names(order)
        self.leaf_index = {
            id(n): k for k, n in enumerate(node for node in order if not node._parents)
        }
        self.values = [self._value(node, name) for node, name in zip(order, self.names)]
        # each op's formulas, read symbolically once per (op, number of inputs)
        self.templates: dict[tuple[ops.Op, int], _Template] = {}
        self.out: list[str] = []
        self.lines: dict[int, tuple[int, list[str]]] = {}

    def emit(self, code: str, comment: str = "") -> None:
        if comment:
            code = f"{code.ljust(_COMMENT_COLUMN - 4)}    # {comment}"
        self.out.append(code)

    def source(self) -> tuple[str, dict[int, tuple[int, list[str]]], list[tuple[int, int]]]:
        """The code, the node and input names of each line that can fail, each function's lines."""
        n = len(self.order)
        bounds = [(a, min(a + self.chunk, n)) for a in range(0, n, self.chunk)]
        self.emit(f"# autodiff.compile: {n} nodes in {len(bounds)} chunk(s)")
        pieces = []
        for c, (a, b) in enumerate(bounds):
            start = len(self.out)
            self.forward(c, a, b)
            pieces.append((start, len(self.out)))
        # backward processes chunks last first: which grads already hold contributions
        self.has_grad: set[int] = set()
        backwards = [self.backward(c, a, b) for c, (a, b) in reversed(list(enumerate(bounds)))]
        for lines in reversed(backwards):
            start = len(self.out)
            for text in lines:
                if isinstance(text, tuple):  # a line that evaluates a node's local derivative
                    text, where = text
                    self.lines[len(self.out) + 1] = where
                self.out.append(text)
            pieces.append((start, len(self.out)))
        return "\n".join(self.out) + "\n", self.lines, pieces

    # --- forward -----------------------------------------------------------------------

    @staticmethod
    def _value(node: Value, name: str) -> str:
        """How code refers to ``node``'s data: its variable, or a constant's number."""
        if isinstance(node, Constant) and math.isfinite(node.data):
            text = repr(node.data)
            return f"({text})" if math.copysign(1.0, node.data) < 0 else text
        return name

    def value(self, node: Value) -> str:
        """How code refers to ``node``'s data (see ``_value``)."""
        return self.values[self.index[id(node)]]

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
        values, index = self.values, self.index
        outside = self.outside(a, b)
        for i in outside:
            self.emit(f"    {self.names[i]} = D[{i}]", f"{_label(self.order[i])} (earlier chunk)")
        for i in range(a, b):
            node = self.order[i]
            name = self.names[i]
            if not node._parents:
                if self.value(node) == name:
                    self.emit(f"    {name} = L[{self.leaf_index[id(node)]}].data", _label(node))
                continue
            op = node._op
            assert op is not None  # checked by _check_op
            inputs = [values[index[id(p)]] for p in node._parents]
            expr = self.template(op, len(inputs)).output.format(*inputs)
            self.lines[len(self.out) + 1] = (i, inputs)
            self.emit(f"    {name} = {expr}", f"{_label(node)} = {op.name}")
            if self.inner or i in self.watched:
                self.emit(f"    N[{i}].data = {name}")
        self.emit(f"    D[{a}:{b}] = ({', '.join(values[a:b])},)")

    def outside(self, a: int, b: int) -> list[int]:
        """Indices of nodes before ``a`` whose data nodes ``a..b-1`` read."""
        needed: set[int] = set()
        for node in self.order[a:b]:
            for parent in node._parents:
                i = self.index[id(parent)]
                if i < a and self.value(parent) == self.names[i]:
                    needed.add(i)
        return sorted(needed)

    # --- backward ----------------------------------------------------------------------

    def backward(self, c: int, a: int, b: int) -> list[str | tuple[str, tuple[int, list[str]]]]:
        """The backward function of chunk ``c`` as lines; updates ``has_grad``."""
        body: list[str | tuple[str, tuple[int, list[str]]]] = []
        names, values, index = self.names, self.values, self.index
        touched: set[int] = set()  # grads that have a local variable in this chunk
        used: set[int] = set()  # nodes whose data the slopes read
        loads: list[str] = []
        stores: list[str] = []

        def grad_of(i: int) -> str:
            """The local holding node i's grad, loading it if an earlier function filled it."""
            if i not in touched:
                touched.add(i)
                node = self.order[i]
                if not node._parents:
                    k = self.leaf_index[id(node)]
                    loads.append(
                        _line(f"    g_{names[i]} = L[{k}].grad", f"{_label(node)} (accumulates)")
                    )
                    stores.append(f"    L[{k}].grad = g_{names[i]}")
                    self.has_grad.add(i)
                elif i in self.has_grad:
                    loads.append(f"    g_{names[i]} = G[{i}]")
                if node._parents and i < a:
                    stores.append(f"    G[{i}] = g_{names[i]}")
            return f"g_{names[i]}"

        for i in range(b - 1, a - 1, -1):
            node = self.order[i]
            if not node._parents:
                continue
            if i == len(self.order) - 1:
                touched.add(i)
                body.append(_line(f"    g_{names[i]} = gradient", f"∂{names[i]}/∂{names[i]} = 1"))
                self.has_grad.add(i)
            g = grad_of(i)
            if self.inner:
                body.append(f"    N[{i}].grad = {g}")
            op = node._op
            assert op is not None
            inputs = [values[index[id(p)]] for p in node._parents]
            template = self.template(op, len(inputs))
            where = (i, inputs)
            for parent, (first_code, code, text, reads) in zip(node._parents, template.slopes):
                if isinstance(parent, Constant):
                    continue  # a constant holds no grad: its contribution is dropped
                for k in reads:
                    used.add(i if k < 0 else index[id(node._parents[k])])
                p = self.index[id(parent)]
                first = p not in self.has_grad and bool(parent._parents)
                target = grad_of(p)
                self.has_grad.add(p)
                line = (first_code if first else code).format(*inputs, t=target, g=g, y=names[i])
                comment = f"∂{names[i]}/∂{names[p]} = " + text.format(*inputs, y=names[i])
                body.append((_line(f"    {line}", comment), where))
        lines: list[str | tuple[str, tuple[int, list[str]]]] = [
            "",
            f"def backward_{c}(gradient, L, N, D, G):",
            f'    """Backward, nodes {b - 1}..{a}: grad += grad of child · local derivative."""',
        ]
        # only the data the slopes read: a relu's or a sum's output is not needed here
        unpacked = ", ".join(
            names[i] if i in used and values[i] == names[i] else "_" for i in range(a, b)
        )
        lines.append(f"    {unpacked}, = D[{a}:{b}]")
        for i in self.outside(a, b):
            if i in used:
                lines.append(f"    {names[i]} = D[{i}]")
        return lines + loads + body + stores + ["    return None"]


class _Template:
    """An op's formulas as format strings: the inputs are ``{0}, {1}, ...``, the output ``{y}``.

    ``output`` is the forward expression; ``slopes`` holds, per input, the backward line
    for the first contribution to a grad (``{t} = ...``), for a later one (``{t} += ...``)
    and the derivative's math text for the comment.
    """

    __slots__ = ("output", "slopes")

    slopes: list[tuple[str, str, str, list[int]]]

    def __init__(self, op: ops.Op, n: int) -> None:
        names = [symbol(f"{{{j}}}") for j in range(n)]
        try:
            self.output = formula.python(op.output(SYMBOLS, *names))
            slopes = op.derivatives(SYMBOLS, symbol("{y}"), *names)
        except Exception as error:  # an op whose formulas do not accept symbols
            raise ValueError(
                f"compile: the formulas of op {op.name!r} ({type(op).__name__}) cannot be "
                f"read symbolically ({type(error).__name__}: {error}); they may use only "
                "+ - * / and the algebra's functions (see autodiff.formula)"
            ) from None
        self.slopes = []
        for slope in slopes:
            expr = slope if isinstance(slope, formula.Expr) else formula.Number(slope)
            later = _contribution("{t}", "{g}", expr, first=False)
            # which inputs (-1: the output) the slope reads
            reads = sorted({int(k) for k in re.findall(r"\{(\d+)\}", later)})
            if "{y}" in later:
                reads.append(-1)
            self.slopes.append(
                (_contribution("{t}", "{g}", expr, first=True), later, math_text(expr), reads)
            )


def _contribution(target: str, g: str, slope: formula.Expr, first: bool) -> str:
    """``target += g · slope``, written as the engine computes it (``g * 1.0`` is ``g``)."""
    if isinstance(slope, formula.Number) and slope.value == 1.0:
        return f"{target} = {g}" if first else f"{target} += {g}"
    if isinstance(slope, formula.Number) and slope.value == -1.0:
        return f"{target} = -{g}" if first else f"{target} -= {g}"
    product = formula.python(formula.Binary("*", symbol(g), slope))
    return f"{target} = {product}" if first else f"{target} += {product}"


def _line(code: str, comment: str) -> str:
    return f"{code.ljust(_COMMENT_COLUMN - 4)}    # {comment}"


def _variable_names(order: list[Value]) -> list[str]:
    """A Python name per node: its label made an identifier (``L0.N1.z`` -> ``L0_N1_z``), unique."""
    names: list[str] = []
    used: set[str] = set()
    for i, node in enumerate(order):
        base = re.sub(r"\W", "_", node.label) if node.label else ""
        if not base.isidentifier() or keyword.iskeyword(base) or base.startswith("g_"):
            base = ""
        name = base if base and base not in used and base not in _RESERVED else ""
        if not name:
            name = f"{base}_{i}" if base else f"v{i}"
            while name in used:  # a label such as 'v7' took it
                name = f"{name}_"
        used.add(name)
        names.append(name)
    return names


def _label(node: Value) -> str:
    return node.label if node.label is not None else "(no label)"


def _name(node: Value) -> str:
    op = node._op.name if node._op is not None else "leaf"
    label = f" {node.label!r}" if node.label is not None else ""
    return f"{op}{label} (data {node.data!r})"
