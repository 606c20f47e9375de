"""Compiled training steps: ``fit(..., compile=True)``, one compiled graph per batch size.

The same per-batch-size cache as graph replay (``nn/replay.py``): the first batch of each
size builds the graph with leaf Values for inputs and targets; here it is then turned into
generated Python by ``autodiff.compile`` instead of recorded. Inner nodes' data and grads
are not written back (only the outputs' data, which the accuracy reads), so a step costs
the arithmetic and little else; data and grads equal a rebuilt graph's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autodiff import Value

from . import losses
from .replay import BatchTapes, _Recorded, _target_leaves


class CompiledBatchTapes(BatchTapes):
    """``BatchTapes`` whose tapes are compiled (``autodiff.compile``) rather than recorded."""

    def _record(self, X: Sequence[Any], y: Sequence[Any], batch: list[int]) -> _Recorded:
        from autodiff.compiler import compile as compile_graph

        inputs = [[Value(v, f"x{j}") for j, v in enumerate(X[i])] for i in batch]
        outputs = [self.model(x) for x in inputs]
        targets = [_target_leaves(y[i], out) for i, out in zip(batch, outputs)]
        objective = self.loss_fn(outputs, targets)
        if self.l2:
            objective = objective + losses.l2(self.params, self.l2)
        watched = [o for out in outputs for o in (out if isinstance(out, list) else [out])]
        tape = compile_graph(objective, inner=False, watch=watched)
        recorded = _Recorded(tape, inputs, targets, outputs)
        self._tapes[len(batch)] = recorded
        return recorded
