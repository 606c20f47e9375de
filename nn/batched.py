"""Training steps as NumPy array code over the batch: ``fit(..., engine="batched")``.

The loss of a batch is a mean over its examples of one per-example loss (every loss in
``nn.LOSSES`` is), plus ``l2·Σp²``. ``BatchedSteps`` gives ``autodiff.batched.vectorize``
the per-example loss ``loss([model(x)], [d])`` once, and runs every later batch, whatever
its size, as the generated array program. The first batch is also run on the scalar
engine, and a loss that is not such a mean (a custom one that sums, say) is refused
there rather than trained with wrong numbers. NumPy is the ``batched`` extra.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autodiff import Value

from . import losses


class BatchedSteps:
    """``step(X, y, batch)`` on the batched engine: the same interface as ``BatchTapes``."""

    def __init__(
        self,
        model: Callable[[Any], Any],
        loss_fn: Callable[..., Value],
        l2: float,
        params: list[Value],
    ) -> None:
        try:
            import numpy

            from autodiff.batched import vectorize
        except ImportError:
            raise ImportError(
                "fit(engine='batched') needs NumPy: pip install numpy (in a clone: "
                "pip install '.[batched]'); the other engines need nothing"
            ) from None
        self.np = numpy
        self.model, self.loss_fn, self.l2, self.params = model, loss_fn, l2, params
        penalty = (lambda: losses.l2(params, l2)) if l2 else None
        self.loss = vectorize(self._per_example, params, penalty=penalty)
        self.outputs = vectorize(lambda x: self._as_list(model(x)), params)
        self.checked = False
        self.width: int | None = None  # the model's outputs per example (None: one number)

    def _per_example(self, x: list[Value], d: Value | list[Value]) -> Value:
        return self.loss_fn([self.model(x)], [d])

    @staticmethod
    def _as_list(output: Any) -> Value | list[Value]:
        return output if isinstance(output, Value) else list(output)

    def step(self, X: Sequence[Any], y: Sequence[Any], batch: list[int]) -> tuple[float, list[Any]]:
        """Forward and backward on ``batch``; return the objective and the outputs' numbers.

        Like ``backward()``, this adds to the parameters' grads: zero them first.
        """
        np = self.np
        inputs = np.array([X[i] for i in batch], dtype=float)
        if self.width is None:
            first = self.model(list(inputs[0]))
            self.width = 0 if isinstance(first, Value) else len(first)
        targets = np.array([self._target(y[i]) for i in batch], dtype=float)
        if not self.checked:
            self._check(inputs, targets, X, y, batch)
        value = self.loss(inputs, targets)
        numbers = self.outputs.outputs(inputs).tolist()
        return value, numbers

    def _target(self, target: Any) -> Any:
        """A class index for a vector output becomes one-hot, as the replayed tapes do."""
        if self.width and isinstance(target, int) and not isinstance(target, bool):
            if not 0 <= target < self.width:
                raise ValueError(f"fit: class {target} is not in 0..{self.width - 1}")
            return [1.0 if k == target else 0.0 for k in range(self.width)]
        return target

    def _check(
        self, inputs: Any, targets: Any, X: Sequence[Any], y: Sequence[Any], batch: list[int]
    ) -> None:
        """The first batch on both engines: the loss must be a mean of per-example losses."""
        want = self.loss_fn([self.model(X[i]) for i in batch], [y[i] for i in batch])
        if self.l2:
            want = want + losses.l2(self.params, self.l2)
        got, _ = self.loss.value_and_grad(self.loss.theta(), inputs, targets)
        if not math.isclose(got, want.data, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(
                "fit(engine='batched'): the loss of a batch is not the mean of its examples' "
                f"losses ({want.data!r} on the scalar engine, {got!r} as a mean over "
                "examples); use engine='compile' for this loss"
            )
        self.checked = True
