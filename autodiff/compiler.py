"""Compile a recorded graph to straight-line Python: backpropagation written out as code.

``record(root)`` replays a graph node by node: for each node a Python loop looks up its
op, calls it and stores the result in the node. ``compile(root)`` instead *writes the
program* that graph stands for, one line per node (``codegen.py`` writes it), and lets
Python compile it once::

    # forward (one tanh neuron; print(tape) shows the whole of it)
    v5 = v4 + v0 * v2 + v1 * v3             # z = dot+b
    v6 = tanh(v5)                           # out = tanh
    # backward
    g6 = gradient                           # ∂v6/∂v6 = 1
    g5 = g6 * (1.0 - v6 * v6)               # ∂v6/∂v5 = 1-v6²
    g0 += g5 * v2                           # ∂v5/∂v0 = v2

Node ``i`` of the topological order is the variable ``v{i}`` and its grad ``g{i}``; a
label (``z``, ``out``) or an op's name is never part of the code, only of a comment,
escaped so that it stays on its line.

Every number lives in a local variable; there is no attribute lookup, no op dispatch and
no loop per node, which is why a compiled step runs several times faster than a replayed
one. The lines are the ops' own formulas from ``ops.py``, in the engine's order, so the
data and grads equal a rebuilt graph's bit for bit (see :func:`compile`). This module is
the tape that runs the code: it shares its interface and refusals with ``record``'s
``Tape`` (``tape.Recording``), checks the graph is unchanged, and names the node an
error comes from.
"""

from __future__ import annotations

import builtins
import gc
import linecache
import math
import sys
import weakref
from collections.abc import Callable, Iterable
from itertools import count
from operator import attrgetter
from types import CodeType, TracebackType
from typing import Any

from . import codegen, ops
from .codegen import FUNCTIONS
from .modes import state
from .tape import Recording
from .value import Constant, Value

__all__ = ["CompiledTape", "compile"]

_sources = count()


class CompiledTape(Recording):
    """A graph compiled to Python functions, with the interface of ``record``'s ``Tape``.

    Make one with ``autodiff.compile(root)``. ``forward()`` reads the leaves' current
    ``data`` and returns the root's; ``backward(gradient)`` adds d(root)/d(leaf) to every
    leaf's ``grad`` (leaves accumulate, as with ``Value.backward``). ``source`` (also
    ``print(tape)``) is the generated code (written by ``codegen.py``).
    """

    __slots__ = (
        "inner",
        "_steps",
        "_parents",
        "_forwards",
        "_backwards",
        "_data",
        "_grads",
        "_nodes",
        "_leaf_tuple",
        "_constants",
        "_constant_data",
        "_lines",
        "_filename",
        "_texts",
        "_fallback",
        "_dense",
        "_saved",
        "_checked",
        "__weakref__",
    )

    _verb = "compile"
    _run = "compile"

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
        if not isinstance(chunk, int) or chunk < 1:
            raise ValueError(f"compile: chunk must be a whole number >= 1, got {chunk!r}")
        super().__init__(root)
        self.inner = inner
        self._steps = [node for node in self._order if node._parents]
        self._parents = [node._parents for node in self._steps]
        self._fallback: Any = None
        # not in <brackets>: linecache asks a loader for the lines of such a name only
        # when a traceback shows them (see _Lines), instead of keeping a second copy
        self._filename = f"autodiff.compile #{next(_sources)}"
        position = {id(node): i for i, node in enumerate(self._order)}
        watched = {position[id(node)] for node in watch if id(node) in position}
        del position
        namespace: dict[str, Any] = {name: getattr(ops.FLOATS, name) for name in FUNCTIONS}
        # The collector would walk the growing heap of lines again and again (quadratic
        # in the graph's size); nothing built here holds a reference cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            header, self._lines, pieces, lists = codegen.write(
                self._order, inner=inner, chunk=chunk, watched=watched
            )
            namespace.update(lists)
            # each example's numbers, written by forward: a non-finite one turns skipping off
            self._saved = [lists[name] for name in lists if name.startswith("S")]
            # Each function is compiled on its own, so Python's compiler holds one chunk's
            # syntax tree at a time (a 10⁶-node graph in one piece took 4.5 GB); its line
            # numbers are then shifted to where the function sits in ``source``.
            for start, piece in pieces:
                code = builtins.compile(piece, self._filename, "exec")
                exec(_shifted(code, start), namespace)
        finally:
            if collecting:
                gc.enable()
        # the source is kept in pieces and joined when asked for (see ``source``)
        self._texts = (header, *(text for _, text in pieces))
        del pieces
        # tracebacks through the generated code show its lines, while the tape lives
        linecache.cache[self._filename] = (_Lines(self).get_source,)
        weakref.finalize(self, linecache.cache.pop, self._filename, None)
        chunks = range(sum(name.startswith("forward_") for name in namespace))
        self._forwards: list[Callable[..., None]] = [namespace[f"forward_{c}"] for c in chunks]
        self._backwards: list[Callable[..., None]] = [
            namespace[f"backward_{c}"] for c in reversed(chunks)
        ]
        self._nodes = tuple(self._order)
        self._leaf_tuple = tuple(self._leaves)
        self._constants = [leaf for leaf in self._leaves if isinstance(leaf, Constant)]
        self._constant_data = [constant.data for constant in self._constants]
        # the values backward starts from: the graph's own, until forward() runs
        self._data = [node.data for node in self._order]
        self._dense = _dense(self._data, self._saved)
        self._checked = False
        self._grads = [0.0] * len(self._order)

    def _check_op(self, node: Value) -> None:
        """Also refuse an op without formulas: there is nothing to write as code."""
        super()._check_op(node)
        op = node._op
        if getattr(op, "output", None) is None or getattr(op, "derivatives", None) is None:
            assert op is not None  # checked by Recording._check_op
            raise ValueError(
                f"compile: op {op.name!r} ({type(op).__name__}) of node {_name(node)} only "
                "defines forward() on floats, so its formulas cannot be written as code; "
                "give it output(m, ...) and derivatives(m, y, ...) (see autodiff.apply), "
                "or use autodiff.record instead"
            )

    def __repr__(self) -> str:
        return (
            f"<CompiledTape: {len(self._order)} nodes ({len(self._steps)} ops, "
            f"{len(self._leaves)} leaves, {len(self._forwards)} chunk(s)), "
            f"root {_name(self.root)}>"
        )

    def __str__(self) -> str:
        return self.source

    @property
    def source(self) -> str:
        """The generated code: forward then backward, one line per node, labels in comments.

        Joined from the functions' texts on each call (a 10⁶-node tape would otherwise
        hold its code twice).
        """
        return "\n".join(self._texts) + "\n"

    def forward(self) -> float:
        """Recompute every node from the leaves' current data; return (and store) the root's data.

        Like ``Tape.forward``: ``RuntimeError`` if a node's parents (or a constant) were
        changed after compiling (checked once per step, here; ``backward`` checks again
        only when no ``forward`` ran since the last ``backward``), and the op's own error,
        naming the op, the value and the node, if new data is outside its domain. With
        ``inner=True`` every inner node's ``data`` is written too; otherwise only the
        root's. Local derivatives (``node.partials``) are not stored: the generated
        backward computes them from the data.
        """
        if state.anomaly:
            return float(self._recorded().forward())
        self._checked = False
        self._dense = True  # until this forward finishes: its numbers are not all known
        self._check()
        try:
            for forward in self._forwards:
                forward(self._leaf_tuple, self._nodes, self._data)
        except (ValueError, ArithmeticError) as error:
            raise self._located(error, sys.exc_info()[2]) from None
        # the graph was checked for this step: backward need not check it again
        self._checked = True
        self._dense = _dense(self._data, self._saved)
        value = self._data[-1]
        self.root.data = value
        return value

    def backward(self, gradient: float = 1.0) -> None:
        """Add ``gradient · d(root)/d(leaf)`` to every leaf's ``grad``, as ``Tape.backward`` does.

        Uses the data of the last ``forward()`` (or, before the first, of the graph as
        built). With ``inner=True`` inner nodes' grads are set as ``Value.backward`` sets
        them; constants get no grad.
        """
        gradient = self._seed(gradient)
        if state.anomaly:
            self._recorded().backward(gradient)
            return
        if not self._checked:  # once per step: forward checked it, unless it did not run
            self._check()
        self._checked = False
        try:
            for backward in self._backwards:
                backward(
                    gradient, self._dense, self._leaf_tuple, self._nodes, self._data, self._grads
                )
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
        # constants are numbers written into the code: one that changed is refused
        if list(map(_DATA, self._constants)) != self._constant_data:
            for constant, number in zip(self._constants, self._constant_data):
                if constant.data != number:
                    raise RuntimeError(
                        f"CompiledTape: constant {_name(constant)} was {number!r} when the "
                        "graph was compiled, and a compiled tape writes constants into its "
                        "code; compile the graph again (or make it a leaf Value to vary it)"
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
        if line is None or not 0 < line <= len(self._lines) or self._lines[line - 1] < 0:
            return error
        node = self._order[self._lines[line - 1]]
        position = {id(n): i for i, n in enumerate(self._order)}
        inputs = []
        for parent in node._parents:
            name = f"v{position[id(parent)]}"
            number = frame_locals.get(name, parent.data)
            inputs.append(f"{parent.label or name!r} = {number!r}")
        return type(error)(
            f"{error} [input {', '.join(inputs)}] (compiled node {_name(node)}, "
            f"line {line} of tape.source)"
        )


class _Lines:
    """What linecache calls, lazily, for a compiled tape's source: a weak reference to it."""

    __slots__ = ("tape",)

    def __init__(self, tape: CompiledTape) -> None:
        self.tape = weakref.ref(tape)

    def get_source(self) -> str | None:
        tape = self.tape()
        return None if tape is None else tape.source


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
    Work that cannot change a number is skipped: a node whose grad is zero passes
    nothing back (each contribution would be ``±0.0``, which leaves a leaf's grad,
    starting at ``+0.0``, as it is), unless a number anywhere is inf or NaN, where
    ``0·inf`` must stay NaN; ``relu`` and its step are written into the code.

    Loops: with ``inner=False``, a sum of terms that all have the same shape (a loss
    over examples, ``sum(losses)`` or ``nn``'s losses: the same model on each example's
    inputs, or an L2 penalty's ``p·p``, one per parameter) is written once, for one term,
    in a ``for`` loop; each term's leaves and its own numbers (a label) are read from a
    list. The loop adds the terms in the graph's order, left to right, so the numbers do
    not change; the code and the time to compile shrink by the number of examples
    (``autodiff/loops.py``).
    An error inside the loop names the node of the first looped example, with the
    failing example's inputs.

    Refused: everything ``record`` refuses, and an op that states no ``output`` and
    ``derivatives`` formulas (one that only overrides ``forward``): its error names it.
    Constants (``x * 2``, ``x ** inf``), finite or not, are written into the code as
    numbers, every one the same way: change a ``Constant``'s data after compiling and
    ``forward()``/``backward()`` refuse with a ``RuntimeError`` naming the constant
    (compile again, or make the number a leaf ``Value`` to vary it). Labels and op names
    never become code: variables are named by position (``v17``, its grad ``g17``) and
    labels appear, escaped to one line, only in comments. Under ``detect_anomaly()`` the
    tape runs the replayed, checked path instead. A domain error keeps the op's message and adds the
    inputs, the node and the line of ``tape.source``; an error in a *slope* (``x ** -1``
    at ``1e-300``: the slope overflows) comes from ``backward()``, where the generated
    code computes slopes, whereas the engine raises it when it builds the node.
    """
    return CompiledTape(root, inner=inner, chunk=chunk, watch=watch)


def _dense(data: list[float], saved: list[list[tuple[float, ...]]]) -> bool:
    """Whether any number is inf or NaN (one C-level sum: finite iff every term is, or
    it overflowed, which errs on the safe side): then backward skips no zero grad.
    ``saved`` holds the per-example loops' numbers (see ``codegen``)."""
    return not math.isfinite(sum(data) + sum(sum(map(sum, rows)) for rows in saved))


_PARENTS = attrgetter("_parents")
_DATA = attrgetter("data")


def _shifted(code: CodeType, lines: int) -> CodeType:
    """``code`` (and the functions defined in it) as if it started ``lines`` lines lower."""
    consts = tuple(_shifted(c, lines) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_firstlineno=code.co_firstlineno + lines, co_consts=consts)


def _name(node: Value) -> str:
    op = node._op.name if node._op is not None else "leaf"
    label = f" {node.label!r}" if node.label is not None else ""
    return f"{op}{label} (data {node.data!r})"
