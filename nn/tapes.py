"""Training steps on a cached graph: ``fit(..., engine="replay")`` or ``engine="compile"``.

Every step of training builds the same graph (same model, same loss, same batch size);
only the numbers in its leaves change. ``BatchTapes`` builds it on the first batch of
each size with *leaf Values* for the inputs and targets, and keeps it as a tape:
recorded (``autodiff.record``, engine ``"replay"``) or compiled to Python
(``autodiff.compile``, engine ``"compile"``). On later batches it writes the new numbers
into those leaves and calls ``tape.forward()`` / ``tape.backward()``: the same data and
grads as a rebuilt graph, without allocating nodes. A compiled tape writes back only the
outputs' data (the accuracy reads them), not every inner node's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autodiff import Value, record

from . import losses


@dataclass
class _Recorded:
    """One batch size's recorded graph: the tape, its input and target leaves, the outputs."""

    tape: Any
    inputs: list[list[Value]]
    targets: list[Any]
    outputs: list[Any]


class BatchTapes:
    """One tape per batch size for ``model`` with ``loss_fn`` (+ ``l2·Σp²``).

    ``engine`` is ``"replay"`` (a recorded tape) or ``"compile"`` (a compiled one).
    """

    def __init__(
        self,
        model: Callable[[Any], Any],
        loss_fn: Callable[..., Value],
        l2: float,
        params: list[Value],
        engine: str = "replay",
    ) -> None:
        if engine not in ("replay", "compile"):
            raise ValueError(f"BatchTapes: engine must be 'replay' or 'compile', got {engine!r}")
        self.engine = engine
        self.model = model
        self.loss_fn = loss_fn
        self.l2 = l2
        self.params = params
        self._tapes: dict[int, _Recorded] = {}

    def step(self, X: Sequence[Any], y: Sequence[Any], batch: list[int]) -> tuple[float, list[Any]]:
        """Forward and backward on ``batch``; return the objective and the outputs.

        Like ``backward()``, this adds to the parameters' grads: zero them first.
        """
        recorded = self._tapes.get(len(batch))
        if recorded is None:
            recorded = self._record(X, y, batch)
            value = recorded.tape.root.data
        else:
            for leaves, i in zip(recorded.inputs, batch):
                for leaf, v in zip(leaves, X[i]):
                    leaf.data = float(v)
            for leaves, i in zip(recorded.targets, batch):
                _fill(leaves, _one_hot(y[i], leaves))
            value = recorded.tape.forward()
        recorded.tape.backward()
        return value, recorded.outputs

    def _record(self, X: Sequence[Any], y: Sequence[Any], batch: list[int]) -> _Recorded:
        inputs = [[Value(v, f"x{j}") for j, v in enumerate(X[i])] for i in batch]
        outputs = [self.model(x) for x in inputs]
        targets = [_target_leaves(y[i], out) for i, out in zip(batch, outputs)]
        objective = self.loss_fn(outputs, targets)
        if self.l2:
            objective = objective + losses.l2(self.params, self.l2)
        if self.engine == "compile":
            from autodiff.compiler import compile as compile_graph  # loaded only when used

            watched = [o for out in outputs for o in (out if isinstance(out, list) else [out])]
            tape: Any = compile_graph(objective, inner=False, watch=watched)
        else:
            tape = record(objective)
        recorded = _Recorded(tape, inputs, targets, outputs)
        self._tapes[len(batch)] = recorded
        return recorded


def _target_leaves(target: Any, output: Any) -> Value | list[Value]:
    """Leaves holding a target, refilled every replayed step.

    A class index for a vector output becomes a one-hot vector: picking the logit of
    class ``c`` is a choice a tape would freeze, a dot product with one-hot leaves is not.
    """
    target = _one_hot(target, output)
    if isinstance(target, Sequence):
        return [Value(t, f"d{k}") for k, t in enumerate(target)]
    return Value(target, "d")


def _one_hot(target: Any, like: Any) -> Any:
    if isinstance(like, list) and isinstance(target, int) and not isinstance(target, bool):
        if not 0 <= target < len(like):
            raise ValueError(f"fit: class {target} is not in 0..{len(like) - 1}")
        return [1.0 if k == target else 0.0 for k in range(len(like))]
    return target


def _fill(leaves: Value | list[Value], target: Any) -> None:
    if isinstance(leaves, Value):
        leaves.data = float(target)
    else:
        for leaf, t in zip(leaves, target):
            leaf.data = float(t)
