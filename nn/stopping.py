"""When to stop training: early stopping on a monitored loss, and keeping the best weights.

Training longer is not always better: the training loss can stall, or the validation
loss can start rising while the training loss still falls (over-fitting). Stopping
rules here are checked once per epoch by :func:`nn.train.fit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autodiff import Value


@dataclass
class EarlyStopping:
    """When to stop before the last epoch, checked once per epoch on ``monitor``.

    Stops when the monitored loss is ``<= target`` (the goal is met), or when it has not
    fallen by more than ``min_delta`` below its best for ``patience`` epochs in a row
    (it stopped improving; ``None`` never stops for that). With ``restore_best`` the
    parameters of the best epoch are put back at the end: for ``'val_loss'`` those after
    the epoch (the ones it measured), for ``'loss'`` those the epoch started from (the
    ones a full-batch epoch's loss measures). ``monitor`` is ``'loss'`` (training),
    ``'val_loss'``, or ``'auto'``: validation loss when there is a validation set.
    """

    patience: int | None = 10
    min_delta: float = 0.0
    target: float | None = None
    monitor: str = "auto"
    restore_best: bool = True

    def __post_init__(self) -> None:
        if self.patience is not None and (
            not isinstance(self.patience, int)
            or isinstance(self.patience, bool)
            or self.patience < 0
        ):
            raise ValueError(
                f"EarlyStopping: patience must be None or a whole number >= 0, "
                f"got {self.patience!r}"
            )
        if (
            isinstance(self.min_delta, bool)
            or not isinstance(self.min_delta, (int, float))
            or (not self.min_delta >= 0.0)
        ):
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {self.min_delta!r}")
        if self.target is not None and (
            isinstance(self.target, bool) or not isinstance(self.target, (int, float))
        ):
            raise ValueError(f"EarlyStopping: target must be None or a number, got {self.target!r}")


def resolve_monitor(rule: EarlyStopping | None, has_validation: bool) -> str:
    """What ``rule`` watches, ``'loss'`` or ``'val_loss'``, with or without validation data."""
    wanted = rule.monitor if rule is not None else "auto"
    if wanted == "auto":
        return "val_loss" if has_validation else "loss"
    if wanted not in ("loss", "val_loss"):
        raise ValueError(
            f"EarlyStopping: monitor must be 'auto', 'loss' or 'val_loss', got {wanted!r}"
        )
    if wanted == "val_loss" and not has_validation:
        raise ValueError("EarlyStopping: monitor='val_loss' needs validation=(X_val, y_val)")
    return wanted


class Watcher:
    """Follows the monitored loss through a run: its best value and epoch, and the best weights.

    ``begin_epoch()`` before an epoch's updates, ``check(epoch, value)`` after it: the
    result is ``None`` (go on) or ``(reason, message)`` with reason ``'diverged'``
    (a non-finite loss, checked even without a rule), ``'target'`` or ``'patience'``.
    ``restore()`` puts the best weights back if the rule asks for it.
    """

    def __init__(self, rule: EarlyStopping | None, monitor: str, params: list[Value]) -> None:
        self.rule = rule
        self.monitor = monitor
        self.params = params
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.waited = 0
        self._keep = rule is not None and rule.restore_best
        self._start: list[float] | None = None
        self._best_params: list[float] | None = None

    def begin_epoch(self) -> None:
        """Remember the weights the epoch starts from (what a training-loss epoch measures)."""
        if self._keep and self.monitor == "loss":
            self._start = [p.data for p in self.params]

    def check(self, epoch: int, value: float) -> tuple[str, str] | None:
        """Record epoch ``epoch`` (from 1) with monitored ``value``; say whether to stop and why."""
        if not math.isfinite(value):
            return "diverged", f"the {self.monitor} became {value} at epoch {epoch}"
        rule = self.rule
        if rule is None:
            return None
        if self.best is None or value < self.best - rule.min_delta:
            self.best, self.best_epoch, self.waited = value, epoch, 0
            if self._keep:
                self._best_params = self._start or [p.data for p in self.params]
        else:
            self.waited += 1
        if rule.target is not None and value <= rule.target:
            return (
                "target",
                f"{self.monitor} {value:.6g} <= target {rule.target:g} at epoch {epoch}",
            )
        if rule.patience is not None and self.waited >= rule.patience:
            return "patience", (
                f"{self.monitor} did not improve by more than {rule.min_delta:g} for "
                f"{self.waited} epochs (best {self.best:.6g} at epoch {self.best_epoch})"
            )
        return None

    def restore(self) -> bool:
        """Put the best epoch's weights back; True if that changed any parameter."""
        best = self._best_params
        if best is None or all(p.data == b for p, b in zip(self.params, best)):
            return False
        for p, data in zip(self.params, best):
            p.data = data
        return True
