"""Graph replay: record a graph once, then re-run its forward and backward passes in place.

A training loop builds the same graph every step: the same ops on the same nodes, only
the numbers in the leaves change. ``record(root)`` walks the graph once and keeps its
topological order; ``Tape.forward()`` then re-runs every inner node's op on its
parents' *current* data, overwriting the node's ``data`` and local derivatives
(``_partials``), and ``Tape.backward()`` is ``Value.backward`` without the graph walk.
No node is allocated, so a step costs the arithmetic and little else.

Replay is exact: ``forward`` calls the very ``op.forward`` from ``ops.py`` that built
the node, on the same inputs, and ``backward`` visits nodes in the same order as
``Value.backward``, so data and grads equal those of a rebuilt graph bit for bit.

What a tape cannot see (the honest limit): it replays *operations*, not your Python
code. A decision made in Python while building the graph is baked in at record time,
for example ``y = x * 2 if x.data > 0 else x * -1``: after recording, the tape keeps
whichever branch was taken. Branches *inside* an op replay correctly, because the op
recomputes them from data: ``relu`` passes or blocks its input afresh on every
``forward``, exactly like a rebuilt graph. Likewise, a number computed outside the
graph (a plain float, or a ``Value`` made under ``no_grad()``) is a constant leaf of
the tape and is not recomputed; and nodes built from the tape's nodes *after*
recording are not part of it, so ``forward`` does not refresh them.

    >>> from autodiff import Value, record
    >>> w = Value(2.0, label="w")
    >>> loss = (w * w - 1.0).relu()
    >>> tape = record(loss)
    >>> tape.backward(); w.grad            # d/dw (w² - 1) = 2w = 4
    4.0
    >>> w.data, w.grad = -0.5, 0.0
    >>> tape.forward(), tape.backward(), w.grad   # relu now blocks: loss 0, grad 0
    (0.0, None, 0.0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import ClassVar

from . import ops
from .anomaly import checked, describe_inputs
from .graph import topological_order
from .modes import state
from .value import Value, chain_rule

# One recorded step: the node, the parents it had then, and its op's forward function
# (looked up once here rather than on every replay).
_Step = tuple[Value, tuple[Value, ...], Callable[..., tuple[float, ops.Partials]]]


class Recording:
    """What ``record``'s :class:`Tape` and ``compile``'s ``CompiledTape`` share.

    Both keep a graph's topological order and re-run it later on the same nodes; they
    differ only in how (op by op, or as generated code). Here: the refusals when one is
    made (not a ``Value``, inside ``no_grad()``, a leaf root, a node without an op that
    can be re-run), the views (``nodes``, ``leaves``, ``named_leaves``, ``len``) and
    the check of ``backward``'s seed.
    """

    __slots__ = ("root", "_order", "_leaves")

    # The function that makes one and what it does with the graph, for messages:
    # "record: ... there is no graph to replay", "compile: ... cannot be compiled".
    _verb: ClassVar[str] = "record"
    _run: ClassVar[str] = "replay"

    root: Value
    _order: list[Value]
    _leaves: list[Value]

    def __init__(self, root: Value) -> None:
        verb, run = self._verb, self._run
        if not isinstance(root, Value):
            raise TypeError(f"{verb}: expected a Value, got {type(root).__name__} {root!r}")
        if not state.recording:
            raise RuntimeError(
                f"{verb}: called inside no_grad(), where operations record no graph; "
                f"build the graph and {verb} it outside no_grad()"
            )
        if not root._parents:
            raise ValueError(
                f"{verb}: {root!r} is a leaf, there is no graph to {run} "
                "(was it computed under no_grad(), or is it an input itself?)"
            )
        self.root = root
        self._order = topological_order(root)
        self._leaves = []
        for node in self._order:
            if node._parents:
                self._check_op(node)
            else:
                self._leaves.append(node)

    def _check_op(self, node: Value) -> None:
        """Refuse a node whose op cannot be re-run (a subclass may ask for more)."""
        op = node._op
        if not isinstance(op, ops.Op) or len(node._partials) != len(node._parents):
            raise ValueError(
                f"{self._verb}: node {_name(node)} has parents but no re-runnable op "
                f"(op {op!r}, {len(node._parents)} parents, "
                f"{len(node._partials)} local derivatives); it cannot be {self._run}ed"
            )

    def __len__(self) -> int:
        """The number of nodes on the tape, leaves included."""
        return len(self._order)

    @property
    def nodes(self) -> list[Value]:
        """Every node, parents before children, the root last (a new list each time)."""
        return list(self._order)

    @property
    def leaves(self) -> list[Value]:
        """The leaves (inputs, parameters, constants) in topological order.

        Set their ``data`` between steps; the tape cannot tell a weight from an input
        (both are leaves), so pick them by identity or by ``named_leaves``.
        """
        return list(self._leaves)

    @property
    def named_leaves(self) -> dict[str, Value]:
        """The labelled leaves by label, e.g. ``tape.named_leaves["x0"].data = 0.5``.

        Raises ``ValueError`` if two different leaves share a label.
        """
        named: dict[str, Value] = {}
        for leaf in self._leaves:
            if leaf.label is None:
                continue
            if named.setdefault(leaf.label, leaf) is not leaf:
                raise ValueError(
                    f"{type(self).__name__}.named_leaves: two leaves are labelled {leaf.label!r}"
                )
        return named

    def _seed(self, gradient: object) -> float:
        """``backward``'s ``gradient`` as a float: refused, as by ``Value.backward``, if it
        is not a real number or is NaN."""
        if not isinstance(gradient, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}.backward: gradient must be a real number, not {gradient!r}"
            )
        if gradient != gradient:
            raise ValueError(f"{type(self).__name__}.backward: gradient is NaN")
        return float(gradient)


class Tape(Recording):
    """A recorded graph that can re-run ``forward`` and ``backward`` without new nodes.

    Make one with ``autodiff.record(root)``. After changing leaves' ``data`` (inputs,
    parameters), ``forward()`` recomputes every inner node from its parents and returns
    the root's new data; ``backward()`` then fills the grads exactly as
    ``root.backward()`` would on a freshly built graph.
    """

    __slots__ = ("_steps", "_children_first", "_leaf_data", "_usable")

    _steps: list[_Step]
    _children_first: list[Value]
    # The leaves' data when the nodes' numbers were last computed, and whether that
    # computation finished: backward() refuses to run on numbers that are out of date.
    _leaf_data: list[float]
    _usable: bool

    def __init__(self, root: Value) -> None:
        """Record the graph under ``root``; see ``autodiff.record``."""
        super().__init__(root)
        self._steps = [
            (node, node._parents, node._op.forward)  # type: ignore[union-attr]  # checked
            for node in self._order
            if node._parents
        ]
        # the inner nodes in the order backward visits them
        self._children_first = [node for node, _, _ in reversed(self._steps)]
        self._leaf_data = [leaf.data for leaf in self._leaves]
        self._usable = True

    def __repr__(self) -> str:
        return (
            f"<Tape: {len(self._order)} nodes ({len(self._steps)} ops, "
            f"{len(self._leaves)} leaves), root {_name(self.root)}>"
        )

    def forward(self) -> float:
        """Recompute every inner node from its parents' current data; return the root's data.

        Each node's ``data`` and local derivatives are overwritten by its op's
        ``forward``, parents first, so a node sees its parents' new values. Raises
        ``RuntimeError`` if a node's parents were changed after recording, and
        the op's own error (``ValueError`` for log of a negative, ...) if new data is
        outside its domain; the tape is then partly updated and ``backward()`` refuses
        to run until a ``forward()`` succeeds: fix the data and rerun.
        """
        self._usable = False
        if state.anomaly:
            data = self._checked_forward()
            self._finished()
            return data
        node: Value | None = None
        parents: tuple[Value, ...] = ()
        try:
            for node, parents, forward in self._steps:
                if node._parents is not parents:
                    raise _changed(node)
                # Unpacking the two common arities directly avoids building a list of
                # inputs per node: it halves the cost of a replayed '+' or '*'.
                if len(parents) == 2:
                    a, b = parents
                    node.data, node._partials = forward(a.data, b.data)
                elif len(parents) == 1:
                    node.data, node._partials = forward(parents[0].data)
                else:
                    node.data, node._partials = forward(*[p.data for p in parents])
        except (ValueError, ArithmeticError) as error:
            raise type(error)(
                f"{error}{describe_inputs(parents)} (replaying node {_name(node)})"
            ) from None
        self._finished()
        return self.root.data

    def _finished(self) -> None:
        """Every node's numbers are up to date with the leaves' data as it is now."""
        self._leaf_data = [leaf.data for leaf in self._leaves]
        self._usable = True

    def backward(self, gradient: float = 1.0) -> None:
        """Fill the grads exactly as ``root.backward(gradient)`` would.

        Inner nodes' grads are reset to 0, the root is seeded with ``gradient``, and
        ``node.grad · ∂node/∂parent`` flows to every parent in reverse topological
        order, using the local derivatives of the last ``forward``. Leaves accumulate
        across calls, as with ``Value.backward``: zero them between training steps.

        Refused with ``RuntimeError`` when those local derivatives are out of date: the
        last ``forward()`` failed, or a leaf's ``data`` changed since the numbers were
        computed (call ``forward()`` first).
        """
        gradient = self._seed(gradient)
        for node, parents, _ in self._steps:
            if node._parents is not parents:
                raise _changed(node)
            node.grad = 0.0
        self._check_up_to_date()
        self.root.grad += gradient
        chain_rule(checked(self._children_first) if state.anomaly else self._children_first)

    def _check_up_to_date(self) -> None:
        """Refuse to run backward on local derivatives the leaves no longer match."""
        if not self._usable:
            raise RuntimeError(
                "Tape.backward: the last forward() failed part-way, so some nodes hold old "
                "numbers; fix the data and call tape.forward() again before backward()"
            )
        if [leaf.data for leaf in self._leaves] != self._leaf_data:
            changed = next(
                leaf for leaf, old in zip(self._leaves, self._leaf_data) if leaf.data != old
            )
            raise RuntimeError(
                f"Tape.backward: leaf {_name(changed)} changed since the local derivatives "
                "were computed; call tape.forward() first so backward() uses the new numbers"
            )

    def _checked_forward(self) -> float:
        """``forward`` under ``detect_anomaly()``: stop at the first non-finite number."""
        for node, parents, forward in self._steps:
            if node._parents is not parents:
                raise _changed(node)
            inputs = [p.data for p in parents]
            data, partials = forward(*inputs)
            node.data, node._partials = data, partials
            if not (math.isfinite(data) and all(math.isfinite(d) for d in partials)):
                raise FloatingPointError(
                    f"anomaly: replaying {_op_name(node)}({', '.join(map(repr, inputs))}) for node "
                    f"{_name(node)} gave a non-finite result (data {data!r}, "
                    f"partials {partials!r}){describe_inputs(parents)}"
                )
        return self.root.data


def record(root: Value) -> Tape:
    """Record the graph under ``root`` for replay: ``tape.forward()``, ``tape.backward()``.

    The recording is the topological order of the graph and each inner node's op and
    parents. Refused with a clear error: a root that is a leaf (nothing to replay,
    e.g. it was computed under ``no_grad()``), recording inside ``no_grad()``, and a
    node with parents but no op that could be re-run.
    """
    return Tape(root)


def _op_name(node: Value) -> str:
    return node._op.name if node._op is not None else "leaf"


def _name(node: Value | None) -> str:
    if node is None:
        return "?"
    op = _op_name(node)
    label = f" {node.label!r}" if node.label is not None else ""
    return f"{op}{label} (data {node.data!r})"


def _changed(node: Value) -> RuntimeError:
    return RuntimeError(
        f"Tape: node {_name(node)} was changed after recording (its parents are not the "
        "recorded ones); record the graph again"
    )
