"""``Value``: one float, the graph of operations that made it, and the chain rule through it.

The engine, in reading order (about fifteen minutes, top to bottom of each file):

1. ``value.py``, this file: a ``Value``, its operators, and ``backward()``, the chain rule.
2. ``ops.py``: each operation's forward formula, with its local derivatives just below.
3. ``algebra.py``: ``m``, the ``math`` module the formulas are written with, swapped
   (floats compute, ``Value``s build a graph, symbols write code and text).
4. ``graph.py``: the topological order ``backward()`` walks.
5. ``derivative.py``: ``grad``, the same reverse sweep building a graph (second derivatives).

Then, as needed: ``modes.py`` (``no_grad``), ``anomaly.py`` (finding the first NaN),
``primitive.py`` (what an op class is), ``formula.py`` (formulas as symbols), ``tape.py``
and ``compiler.py`` (replaying and compiling a graph), ``checks.py`` (turning inputs into
floats and naming them in error messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from . import checks, ops
from .anomaly import caller_location, check_forward, checked, describe_inputs
from .checks import as_float, check_label, named, real_number, seed
from .graph import topological_order
from .modes import state

Number: TypeAlias = int | float
Operand: TypeAlias = "Value | int | float"


class Value:
    """A scalar node in a computation graph.

    ``data`` is the number, ``grad`` is ∂output/∂node after ``output.backward()`` (the
    total derivative of the output with respect to this node), ``label`` is an optional
    name used in error messages and drawings.

    Every operation on a ``Value`` returns a new ``Value`` that remembers its op, its
    parents (an ordered tuple) and its ``partials``: the local derivative ∂node/∂parent
    for each parent, computed as numbers when the op runs. ``backward()`` then needs no
    per-op code: it walks the graph in reverse topological order and applies the chain
    rule ``parent.grad += node.grad · ∂node/∂parent``.

    Gradient semantics: every call of ``backward()`` first resets the grad of each
    *inner* node (one with parents) to 0, so afterwards an inner node's grad is exactly
    ∂output/∂node. *Leaves* (inputs and parameters) accumulate across calls, as in
    PyTorch, so call ``zero_grad`` (or set ``grad = 0``) between training steps.
    """

    __slots__ = ("data", "grad", "label", "_parents", "_partials", "_op")

    # Makes NumPy hand `np.float64(2) * Value(3)` over to Value.__rmul__ instead of
    # building an object array.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str | None
    _parents: tuple[Value, ...]
    _partials: tuple[float, ...]
    _op: ops.Op | None

    def __init__(self, data: Number, label: str | None = None) -> None:
        """A leaf holding ``data`` (any real number: int, float, bool, NumPy scalar)."""
        # A float that is not NaN (NaN != NaN) is taken as it is; anything else goes through
        # checks.real_number, whose isinstance test against the numbers.Real ABC costs more
        # than the rest of making a node (`python -m bench`, workload "moons MLP training
        # step", makes its 200 inputs with Value(x) on every step: bench/moons.py).
        number = data if type(data) is float and data == data else real_number(data, label)
        if label is not None and not isinstance(label, str):
            check_label(label)
        self.data = number
        self.grad = 0.0
        self.label = label
        self._parents = ()
        self._partials = ()
        self._op = None
        if not state.plain and state.anomaly:
            state.origins[self] = caller_location()

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    # --- what the node remembers, read-only for the tools around the engine ------------

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that made this node, in order; ``()`` for a leaf."""
        return self._parents

    @property
    def partials(self) -> tuple[float, ...]:
        """The local derivatives ``∂self/∂parents[i]``, one per parent, as computed by the op."""
        return self._partials

    @property
    def op(self) -> ops.Op | None:
        """The primitive op that made this node, or ``None`` for a leaf."""
        return self._op

    # --- the primitives: each defers its math to an op in ops.py ---------------------

    def __add__(self, other: Operand) -> Value:
        """``self + other``; both local derivatives are 1."""
        if not isinstance(other, Value):  # checked inline: the hottest call in the engine
            other = _as_value(other, "+", self)
        return _apply(ops.ADD, (self, other))

    def __sub__(self, other: Operand) -> Value:
        """``self - other``; ∂/∂self = 1, ∂/∂other = -1 (the lecture's ``d - y``, one node)."""
        if not isinstance(other, Value):
            other = _as_value(other, "-", self)
        return _apply(ops.SUB, (self, other))

    def __mul__(self, other: Operand) -> Value:
        """``self · other``; ∂/∂self = other, ∂/∂other = self."""
        if not isinstance(other, Value):  # checked inline, as in __add__
            other = _as_value(other, "*", self)
        return _apply(ops.MUL, (self, other))

    def __truediv__(self, other: Operand) -> Value:
        """``self / other``; ∂/∂self = 1/other, ∂/∂other = -self/other².

        Dividing by zero raises ``ZeroDivisionError`` naming the divisor.
        """
        other = _as_value(other, "/", self)
        if other.data == 0.0:
            raise ZeroDivisionError(
                f"'/': division by zero: the divisor{named(other.label, 'Value')} is 0.0"
            )
        return _apply(ops.DIV, (self, other))

    def __pow__(self, exponent: Operand) -> Value:
        """``self ** exponent``.

        A number exponent ``p`` is a constant: ∂/∂self = p·self^(p-1). A ``Value``
        exponent is a variable too: ∂/∂exponent = out·ln(self), so the base must be > 0.
        """
        if isinstance(exponent, Value):
            return _apply(ops.POW, (self, exponent))
        op = _POWERS.get(exponent) if isinstance(exponent, (int, float)) else None
        if op is None:
            op = ops.Power(checks.exponent(exponent, self))
        return _apply(op, (self,))

    def exp(self) -> Value:
        """``e^self``; local derivative e^self (the output itself)."""
        return _apply(ops.EXP, (self,))

    def log(self) -> Value:
        """Natural log, for ``self > 0``; local derivative 1/self."""
        return _apply(ops.LOG, (self,))

    def sqrt(self) -> Value:
        """``√self`` for ``self >= 0``; local derivative 1/(2√self), infinite at 0."""
        return _apply(ops.SQRT, (self,))

    def tanh(self) -> Value:
        """Hyperbolic tangent; local derivative 1 - tanh²(self)."""
        return _apply(ops.TANH, (self,))

    def sigmoid(self) -> Value:
        """Logistic σ(self) = 1/(1 + e^-self); local derivative σ(1 - σ)."""
        return _apply(ops.SIGMOID, (self,))

    def relu(self) -> Value:
        """max(0, self); local derivative 1 where self > 0, else 0."""
        return _apply(ops.RELU, (self,))

    def __abs__(self) -> Value:
        """``|self|``; local derivative sign(self), 0 at 0."""
        return _apply(ops.ABS, (self,))

    def abs(self) -> Value:
        """``|self|``, the same as ``abs(value)``."""
        return self.__abs__()

    # --- composed from the primitives: no derivative code of their own -------------
    # (micrograd composes subtraction and division too; here they are primitives, so
    # that d - y is one step of the chain rule and x / x is exactly 1)

    def __neg__(self) -> Value:
        """``-self = self · (-1)``."""
        return self * -1.0

    def __radd__(self, other: Operand) -> Value:
        """``other + self``."""
        return _as_value(other, "+", self) + self

    def __rsub__(self, other: Operand) -> Value:
        """``other - self``."""
        return _as_value(other, "-", self) - self

    def __rmul__(self, other: Operand) -> Value:
        """``other · self``."""
        return _as_value(other, "*", self) * self

    def __rtruediv__(self, other: Operand) -> Value:
        """``other / self``."""
        return _as_value(other, "/", self) / self

    def __rpow__(self, base: Operand) -> Value:
        """``base ** self``: the exponent is variable, so the base must be > 0."""
        return _as_value(base, "**", self) ** self

    # --- the chain rule ---------------------------------------------------------------

    def backward(self, gradient: float = 1.0) -> None:
        """Fill every node's ``grad`` with ∂self/∂node, scaled by ``gradient``.

        The output is seeded with ``gradient`` (1.0 by default: ∂self/∂self = 1), then
        nodes are visited from the output back to the leaves, each passing
        ``node.grad * ∂node/∂parent`` to each parent with ``+=``, so a node used twice
        collects both contributions. Inner grads are reset first; leaves accumulate.

        The local derivatives were computed when each op ran. Changing a node's ``data``
        afterwards does not recompute them (``c = a * b; a.data = 100`` leaves
        ``∂c/∂b`` at the old ``a``): rebuild the graph, or record it with
        ``autodiff.record`` and call ``tape.forward()``, which recomputes every node.
        """
        gradient = seed(gradient, self.label)
        order = topological_order(self, zero_inner_grads=True)
        self.grad += gradient
        order.reverse()
        chain_rule(checked(order) if state.anomaly else order)

    def zero_grad(self) -> None:
        """Set ``grad`` of this node and everything it depends on to 0."""
        for node in topological_order(self):
            node.grad = 0.0


def chain_rule(nodes: Iterable[Value]) -> None:
    """``parent.grad += node.grad · ∂node/∂parent`` for each node's parents, node after node.

    The one place the chain-rule step is written. ``nodes`` must come children first
    (reverse topological order), so that a node's grad is complete before it is passed
    on. ``Value.backward`` and ``Tape.backward`` end here; a tool that wants to watch
    the steps (anomaly mode, the stepper) passes a generator that yields each node and
    looks at the parents' grads before yielding it and after it is resumed.
    """
    for node in nodes:
        parents = node._parents
        g = node.grad
        # The same step unrolled for one and two parents (every op but dot): Python then
        # makes no zip object and no iterator per node, which for a step this small is a
        # large part of its cost: backward through a chain takes a quarter less time
        # (`python -m bench`, workload "chain of ... ops: backward", bench/graphs.py).
        if len(parents) == 2:
            a, b = parents
            da, db = node._partials
            a.grad += g * da
            b.grad += g * db
        elif len(parents) == 1:
            parents[0].grad += g * node._partials[0]
        elif parents:
            for parent, partial in zip(parents, node._partials):
                parent.grad += g * partial


class Constant(Value):
    """A plain number taking part in an operation, such as the ``2`` in ``x * 2``.

    It is a leaf like any other in the forward pass, but it never holds a gradient:
    ``grad`` is always 0.0 and what ``backward()`` passes to it is dropped, because
    nobody can change a constant. Drawings, the explainer and the stepper show no grad
    for it. ``Value(2.0)`` made by hand is a variable leaf, not a constant.
    """

    __slots__ = ()

    # a property in place of the grad slot: reads give 0.0, writes are dropped
    @property
    def grad(self) -> float:
        """Always 0.0: a constant's gradient is never needed."""
        return 0.0

    @grad.setter
    def grad(self, value: float) -> None:
        pass  # dropping the chain rule's contribution is the point


def apply(op: ops.Op, *inputs: Operand) -> Value:
    """Run the primitive ``op`` on ``inputs`` and return its node: how to add an op of your own.

    Subclass ``autodiff.ops.Op`` and write its two formulas with the algebra ``m``:
    ``output(m, *xs)`` (the forward value) and ``derivatives(m, y, *xs)`` (one local
    derivative per input); ``apply(MyOp(), a, b)`` then builds a node that
    ``backward()``, drawings, the explainer, the stepper, ``record``, ``compile`` and
    ``grad`` all handle like a built-in op. (An op may instead override
    ``forward(*xs) -> (y, (∂y/∂x0, ...))`` on floats directly; then only the tools
    that read numbers can use it.) Plain numbers among ``inputs`` become constants.
    """
    parents = tuple(_as_value(x, op.name, None) for x in inputs)
    out = _apply(op, parents)
    if out._parents and len(out._partials) != len(parents):
        raise TypeError(
            f"{op.name}: forward returned {len(out._partials)} local derivatives "
            f"for {len(parents)} inputs; it must return one per input"
        )
    return out


def dot(weights: Sequence[Value], inputs: Sequence[Operand], bias: Value | None = None) -> Value:
    """One node for ``z = bias + Σᵢ weights[i]·inputs[i]``: the perceptron's weighted sum.

    Local derivatives: ∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂bias = 1 (the op ``ops.Dot``). It
    equals micrograd's ``sum((w*x for w, x in zip(weights, inputs)), bias)`` to the
    last bit, in one node instead of 2n. Plain numbers among ``inputs`` become constants.
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must pair up")
    ws = _as_values(weights)
    xs = _as_values(inputs)
    if bias is None:
        return _apply(ops.DOT, ws + xs)
    return _apply(ops.DOT_BIAS, (*ws, *xs, _as_value(bias, "dot", None)))


# --- the machinery of making nodes (read after the rest) --------------------------------

_new = object.__new__

# Power ops for the exponents that squares, cubes and roots use over and over.
_POWERS = {p: ops.Power(p) for p in (-1, -1.0, 2, 2.0, 0.5, 3, 3.0)}


def _apply(op: ops.Op, parents: tuple[Value, ...]) -> Value:
    """Run ``op`` on the parents' data and wrap the result in a new node."""
    try:
        # One or two inputs are passed as arguments, not unpacked from a list: no list is
        # built and Python takes its fast path for positional calls, which makes the
        # arithmetic ops about 20% cheaper (`python -m bench`, workload "chain of ... ops:
        # forward", bench/graphs.py). Only dot has more inputs.
        if len(parents) == 2:
            data, partials = op.forward(parents[0].data, parents[1].data)
        elif len(parents) == 1:
            data, partials = op.forward(parents[0].data)
        else:
            data, partials = op.forward(*[p.data for p in parents])
    except (ValueError, ArithmeticError) as error:
        raise type(error)(f"{error}{describe_inputs(parents)}") from None
    out: Value = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = None
    if state.plain or state.recording:
        out._parents = parents
        out._partials = partials
        out._op = op
    else:
        out._parents = ()
        out._partials = ()
        out._op = None
    if not state.plain and state.anomaly:
        check_forward(out, op, parents, partials)
    return out


def _as_value(x: Any, op: str, other: Value | None) -> Value:
    """``x`` itself if it is a ``Value``, else a constant; a clear error for non-numbers."""
    if isinstance(x, Value):
        return x
    # made slot by slot, as _apply makes nodes: Value.__init__ would check the number again
    constant: Value = _new(Constant)
    constant.data = as_float(x, op, other)
    constant.label = None
    constant._parents = ()
    constant._partials = ()
    constant._op = None
    if not state.plain and state.anomaly:
        state.origins[constant] = caller_location()
    return constant


def _as_values(items: Sequence[Operand]) -> tuple[Value, ...]:
    """``items`` as a tuple of ``Value``s, numbers becoming constants (for ``dot``)."""
    values = tuple(items)
    for item in values:
        if not isinstance(item, Value):
            # rare: only now pay for a conversion call per item
            return tuple(_as_value(x, "dot", None) for x in values)
    return values  # type: ignore[return-value]  # the loop checked every item
