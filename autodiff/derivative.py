"""Derivatives as graphs: ``grad(f, x)`` is a ``Value`` you can differentiate again.

``backward()`` multiplies *numbers*: each node stored its local derivatives as floats when
it was made. :func:`grad` runs the same reverse sweep, children first, but multiplies
*Values*: each node's local derivatives are rebuilt as nodes by reading the op's one
formula ``op.derivatives(m, y, *xs)`` with the algebra :data:`VALUES` instead of
``ops.FLOATS``. The chain rule

    ∂f/∂parent  +=  ∂f/∂node · ∂node/∂parent

then builds a graph of ordinary ops whose result is ∂f/∂x. It is a ``Value`` like any other:
it can be drawn, explained, stepped, and differentiated again (``grad(grad(f, x), y)`` is
the mixed second derivative ∂²f/∂y∂x), and its ``backward()`` leaves second derivatives in
the leaves' ``grad``. This is what ``torch.autograd.grad(..., create_graph=True)`` does.

The derivative graph reuses the nodes of ``f`` (the local derivative of ``y = tanh x`` is
``1 - y·y``, built on the node ``y`` itself), which is why differentiating it again sees
how it depends on ``x``. Nodes that ``grad`` makes carry labels that start with ``∂``, so
a drawing shows which part is ``f`` and which is ``f'``.

Kinks. The local derivatives of ``relu`` (``[x > 0]``) and ``|x|`` (``sign x``) are piecewise
constant: :data:`VALUES` makes them :class:`~autodiff.value.Constant` s read from the input,
so their own derivative is 0. That is exact away from the kink ``x = 0``; at the kink,
where no second derivative exists, it is 0 too, and the first derivative there is the
engine's usual choice (``[0 > 0] = 0``, ``sign 0 = 0``), the same numbers ``backward()``
uses. An infinite local derivative (``√x`` at 0) is ``+inf``, as in ``FLOATS``, and its own
derivative is infinite again (``ops.Reciprocal``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, overload

from . import ops
from .graph import topological_order
from .modes import mode, recording_mode, state
from .value import Constant, Value, apply

__all__ = ["VALUES", "Values", "grad", "hessian"]


def _constant(number: float, label: str | None = None) -> Value:
    """A :class:`Constant` leaf: a number no derivative can flow into."""
    constant = Constant(number, label)
    return constant


class Values:
    """The ``Value`` reading of the formulas: each function builds nodes of ordinary ops.

    A formula may also hand a function a plain number (``1.0 / x`` where ``x`` is a
    constant of the op); then the float meaning from ``ops.FLOATS`` answers.
    """

    @staticmethod
    def exp(x: Any) -> Any:
        """``e^x`` as the node ``x.exp()``."""
        return x.exp() if isinstance(x, Value) else ops.FLOATS.exp(x)

    @staticmethod
    def log(x: Any) -> Any:
        """``ln x`` as the node ``x.log()``."""
        return x.log() if isinstance(x, Value) else ops.FLOATS.log(x)

    @staticmethod
    def sqrt(x: Any) -> Any:
        """``√x`` as the node ``x.sqrt()``."""
        return x.sqrt() if isinstance(x, Value) else ops.FLOATS.sqrt(x)

    @staticmethod
    def tanh(x: Any) -> Any:
        """``tanh x`` as the node ``x.tanh()``."""
        return x.tanh() if isinstance(x, Value) else ops.FLOATS.tanh(x)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        """``σ(x)`` as the node ``x.sigmoid()``."""
        return x.sigmoid() if isinstance(x, Value) else ops.FLOATS.sigmoid(x)

    @staticmethod
    def relu(x: Any) -> Any:
        """``max(0, x)`` as the node ``x.relu()``."""
        return x.relu() if isinstance(x, Value) else ops.FLOATS.relu(x)

    @staticmethod
    def abs(x: Any) -> Any:
        """``|x|`` as the node ``abs(x)``."""
        return abs(x) if isinstance(x, Value) else ops.FLOATS.abs(x)

    @staticmethod
    def sin(x: Any) -> Any:
        """``sin x`` as a node of the op ``ops.Sin``."""
        return apply(ops.SIN, x) if isinstance(x, Value) else ops.FLOATS.sin(x)

    @staticmethod
    def cos(x: Any) -> Any:
        """``cos x`` as a node of the op ``ops.Cos``."""
        return apply(ops.COS, x) if isinstance(x, Value) else ops.FLOATS.cos(x)

    @staticmethod
    def step(x: Any) -> Any:
        """``[x > 0]`` as a *constant* read from ``x``'s number: its derivative is 0.

        Exact for ``x ≠ 0``; at the kink ``x = 0`` it is 0, as ``backward()`` takes it.
        """
        number = ops.FLOATS.step(x.data if isinstance(x, Value) else x)
        return _constant(number) if isinstance(x, Value) else number

    @staticmethod
    def sign(x: Any) -> Any:
        """``sign x`` as a *constant* read from ``x``'s number: its derivative is 0.

        Exact for ``x ≠ 0``; at the kink ``x = 0`` it is the subgradient 0.
        """
        number = ops.FLOATS.sign(x.data if isinstance(x, Value) else x)
        return _constant(number) if isinstance(x, Value) else number

    @staticmethod
    def power(x: Any, p: float) -> Any:
        """``x^p`` for a constant ``p`` as the node ``x ** p``."""
        return x**p if isinstance(x, Value) else ops.FLOATS.power(x, p)

    @staticmethod
    def positive_power(a: Any, b: Any) -> Any:
        """``a^b`` with a variable exponent as the node ``a ** b`` (base > 0)."""
        if isinstance(a, Value) or isinstance(b, Value):
            base = a if isinstance(a, Value) else _constant(a)
            return base**b
        return ops.FLOATS.positive_power(a, b)

    @staticmethod
    def reciprocal(x: Any) -> Any:
        """``1/x`` as a node of the op ``ops.Reciprocal``: ``+inf`` at ``x = 0``, as in ``FLOATS``.

        Its own derivative there is ``-inf``, so the second derivative of ``√x`` at 0 is
        ``-inf`` (as PyTorch's), not the 0 a constant ``+inf`` would give.
        """
        if not isinstance(x, Value):
            return ops.FLOATS.reciprocal(x)
        return apply(ops.RECIPROCAL, x)


VALUES = Values()
"""The algebra that reads a formula as a graph: ``op.derivatives(VALUES, y, x)`` are Values."""


# --- the reverse sweep ----------------------------------------------------------------

# A derivative under construction: a Value, or a plain number while it is still one (the
# local derivatives of + and - are the numbers 1 and -1, and every sweep starts from 1).
Derivative = Value | float


def _times(a: Derivative, b: Derivative) -> Derivative:
    """``a · b``, without a node for a factor of 1 (``∂(a+b)/∂a = 1`` adds nothing)."""
    if isinstance(a, float) and isinstance(b, float):
        return a * b
    if isinstance(a, float) and a == 1.0:
        return b
    if isinstance(b, float) and b == 1.0:
        return a
    if isinstance(b, float) and b == -1.0:
        return -a
    if isinstance(a, float) and a == -1.0:
        return -b
    return a * b


def _plus(a: Derivative | None, b: Derivative) -> Derivative:
    """``a + b``, where ``None`` means nothing collected yet (the first path to a node)."""
    return b if a is None else a + b


@overload
def grad(output: Value, inputs: Value) -> Value: ...


@overload
def grad(output: Value, inputs: Sequence[Value]) -> list[Value]: ...


def grad(output: Value, inputs: Value | Sequence[Value]) -> Value | list[Value]:
    """``∂output/∂input`` as a new ``Value`` whose graph can be differentiated again.

    ``inputs`` is one ``Value`` (the answer is one ``Value``) or a sequence of them (the
    answer is a list, in the same order). Reverse mode, as ``backward()``: the output's
    derivative is seeded with 1, then, children first, every node passes
    ``∂output/∂node · ∂node/∂parent`` to each parent and a node reached twice (fan-out)
    sums both. The difference is that the local derivatives ``∂node/∂parent`` are nodes
    (``node.op.derivatives(VALUES, node, *node.parents)``), so the sums and products
    are nodes too. Only the part of the graph between ``output`` and ``inputs`` is swept.

    No ``.grad`` is read or written: ``grad`` can run in the middle of training. Asking
    for a derivative is explicit, so ``grad`` records its answer's graph even inside
    ``no_grad()``: ``grad(grad(f, x), x)`` and :func:`hessian` are right in any mode.
    (``f`` itself must have been built outside ``no_grad()``: a node made there is a
    leaf, and its derivatives are 0.)

    An input that ``output`` does not depend on gets the :class:`Constant` 0, labelled
    like any other answer; its derivatives are 0 again. The answer is labelled
    ``∂f/∂x`` from the labels of ``output`` and the input (``f`` and ``x``/``x0, x1, ...``
    when they have none); derivatives of labelled inner nodes are labelled the same way,
    and a second derivative reads ``∂²f/∂y∂x`` = ∂/∂y (∂f/∂x).

        >>> from autodiff import Value, grad
        >>> x = Value(3.0, label="x")
        >>> f = x * x * x
        >>> df = grad(f, x)            # 3x²
        >>> d2f = grad(df, x)          # 6x
        >>> df.label, df.data, d2f.label, d2f.data
        ('∂f/∂x', 27.0, '∂²f/∂x²', 18.0)

    Raises ``TypeError`` if a node on the way was made by an op that has no
    ``derivatives`` formula (an op that only overrides ``forward`` on floats).
    """
    if state.recording:
        return _grad(output, inputs)
    with mode(recording_mode, True):
        return _grad(output, inputs)


def _grad(output: Value, inputs: Value | Sequence[Value]) -> Value | list[Value]:
    """:func:`grad` with the graph being recorded."""
    single = isinstance(inputs, Value)
    targets: list[Value] = [inputs] if isinstance(inputs, Value) else list(inputs)
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__} {output!r}")
    for i, target in enumerate(targets):
        if not isinstance(target, Value):
            raise TypeError(
                f"grad: input {i} must be a Value, got {type(target).__name__} {target!r}"
            )

    order = topological_order(output)
    wanted = set(targets)
    # A node matters if some input is among its ancestors (or is it): only those pass
    # derivatives on, so constants and unrelated branches grow no derivative nodes.
    matters: set[Value] = set()
    for node in order:
        if node in wanted or any(p in matters for p in node._parents):
            matters.add(node)

    f_nodes = set(order)
    out_name = output.label or "f"
    # ∂output/∂node for every node reached so far
    totals: dict[Value, Derivative] = {output: 1.0}
    for node in reversed(order):
        if node not in matters or not node._parents:
            continue
        total = totals.get(node)
        if total is None:
            continue
        if isinstance(total, Value) and total not in f_nodes and node.label and not total.label:
            total.label = _derivative_label(out_name, node.label)
        for parent, local in zip(node._parents, _local_derivatives(node)):
            if parent not in matters:
                continue
            if (
                isinstance(local, Value)
                and local not in f_nodes
                and local.label is None
                and node.label
                and parent.label
            ):
                local.label = _derivative_label(node.label, parent.label)
            totals[parent] = _plus(totals.get(parent), _times(total, local))

    answers: list[Value] = []
    for i, target in enumerate(targets):
        in_name = target.label or ("x" if len(targets) == 1 else f"x{i}")
        label = _derivative_label(out_name, in_name)
        found = totals.get(target) if target in matters else None
        if found is None:
            answer: Value = _constant(0.0, label)
        elif isinstance(found, float):
            answer = _constant(found, label)
        elif found in f_nodes or any(found is a for a in answers):
            # ∂f/∂x is a node of f itself (∂(x·y)/∂x = y) or another input's answer:
            # 1 · it keeps the answer a new node that can carry its own label
            answer = 1.0 * found
            answer.label = label
        else:
            answer = found
            answer.label = label
        answers.append(answer)
    return answers[0] if single else answers


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[Value]]:
    """The matrix of second derivatives ``H[i][j] = ∂²output/∂inputs[j]∂inputs[i]``.

    Row ``i`` is the gradient of ``∂output/∂inputs[i]``; each entry is a ``Value``
    (differentiable again). For a twice continuously differentiable ``output``, ``H`` is
    symmetric. Its eigenvalues are the curvatures along its eigenvectors: the
    directions in which gradient descent's step is too long or too short.

        >>> from autodiff import Value, hessian
        >>> x, y = Value(1.0, label="x"), Value(2.0, label="y")
        >>> H = hessian(x * x * y + y * y, [x, y])
        >>> [[h.data for h in row] for row in H]
        [[4.0, 2.0], [2.0, 2.0]]
    """
    if isinstance(inputs, Value):
        raise TypeError("hessian: inputs must be a list of Values, e.g. hessian(f, [x, y])")
    targets = list(inputs)
    return [grad(first, targets) for first in grad(output, targets)]


def _local_derivatives(node: Value) -> tuple[Any, ...]:
    """``∂node/∂parent`` for every parent, read from the op's formula with :data:`VALUES`."""
    op = node._op
    derivatives = getattr(op, "derivatives", None)
    if derivatives is None:
        name = getattr(op, "name", type(op).__name__)
        raise TypeError(
            f"grad: the op {name!r} ({type(op).__name__}) has no derivatives(m, y, *xs) "
            "formula, only forward() on floats, so its derivative cannot be built as a "
            "graph; give it output(m, ...) and derivatives(m, y, ...) (see autodiff.apply)"
        )
    try:
        found = tuple(derivatives(VALUES, node, *node._parents))
    except (TypeError, AttributeError) as error:
        name = getattr(op, "name", type(op).__name__)
        raise TypeError(
            f"grad: the derivatives formula of the op {name!r} ({type(op).__name__}) "
            f"cannot be read with Values: {error}; write it with the algebra m "
            "(m.exp, m.log, ...) rather than math.*"
        ) from None
    if len(found) != len(node._parents):
        raise TypeError(
            f"grad: the op {op!r} gave {len(found)} derivatives for "
            f"{len(node._parents)} inputs; it must give one per input"
        )
    return tuple(float(d) if isinstance(d, int) else d for d in found)


# --- labels -----------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_NORMAL = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_DERIVATIVE = re.compile(r"^∂([⁰¹²³⁴⁵⁶⁷⁸⁹]*)([^/∂]+)/((?:∂[^/∂]+)+)$")


def _derivative_label(of: str, by: str) -> str:
    """``∂of/∂by``; a derivative of a derivative gathers: ``∂f/∂x`` by ``y`` is ``∂²f/∂y∂x``."""
    match = _DERIVATIVE.match(of)
    if match is None or "∂" in by or "/" in by:
        inner = f"({of})" if "/" in of else of
        return f"∂{inner}/∂{by}"
    _, name, bottom = match.groups()
    names: list[str] = [by]
    for part in bottom.split("∂")[1:]:
        base = part.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹")
        times = int(part[len(base) :].translate(_NORMAL) or "1")
        names.extend([base] * times)
    # runs of the same name are written as a power: ∂x∂x -> ∂x²
    runs: list[list[Any]] = []
    for n in names:
        if runs and runs[-1][0] == n:
            runs[-1][1] += 1
        else:
            runs.append([n, 1])
    order = len(names)
    top = str(order).translate(_SUPERSCRIPTS) if order > 1 else ""
    denominator = "".join(
        f"∂{n}" + (str(k).translate(_SUPERSCRIPTS) if k > 1 else "") for n, k in runs
    )
    return f"∂{top}{name}/{denominator}"
