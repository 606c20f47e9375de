"""The training loop: forward, loss, backward, step, over batches and epochs; and when to stop.

One function, :func:`fit`, trains any model (anything callable with ``parameters()``)
on examples ``X`` and targets ``y``. ``batch_size`` picks the flavour of gradient
descent on one code path: ``None`` is (full-)batch descent, whose gradient is the mean
over all examples; ``1`` is stochastic descent, one example per update; ``k`` is
mini-batch descent. With ``replay=True`` each batch shape's graph is built once,
recorded with ``autodiff.record`` and re-run with new numbers in its leaves.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from autodiff import Value, no_grad

from . import losses, metrics
from .compiled import CompiledBatchTapes
from .optim import SGD, Optimizer
from .replay import BatchTapes
from .stopping import EarlyStopping, Watcher, resolve_monitor

Target = Any  # a number, a class index, or a vector of numbers: whatever the loss reads
LossFn = Callable[[list[Any], list[Any]], Value]
AccuracyFn = Callable[[list[Any], list[Any]], float]

LOSSES: dict[str, LossFn] = {
    "hinge": losses.hinge,
    "mse": losses.mse,
    "mae": losses.mae,
    "half_squared_error": losses.half_squared_error,
    "bce": losses.bce_with_logits,
    "softmax_ce": losses.softmax_cross_entropy,
}

# The accuracy that goes with a loss's reading of the outputs ("auto").
_ACCURACY_OF: dict[Any, AccuracyFn] = {
    losses.hinge: metrics.sign_accuracy,
    losses.bce_with_logits: metrics.binary_accuracy,
    losses.softmax_cross_entropy: metrics.argmax_accuracy,
}


class Model(Protocol):
    """What :func:`fit` trains: callable on one example, with a list of parameters."""

    def __call__(self, x: Any, /) -> Any: ...

    def parameters(self) -> list[Value]: ...


@dataclass
class History:
    """What happened during :func:`fit`, one entry per epoch unless said otherwise.

    ``loss`` is the training objective (data loss plus any L2 term) averaged over the
    epoch's updates, weighted by batch size; ``accuracy`` counts the outputs seen
    during the epoch, each taken before its update (as micrograd's demo prints them).
    ``val_loss`` / ``val_accuracy`` are measured after the epoch (data loss only).
    ``step_loss`` and ``lr`` have one entry per update. ``stop_reason`` is ``'epochs'``
    (ran them all), ``'target'``, ``'patience'`` or ``'diverged'`` (a non-finite loss);
    ``stop_message`` says it in words.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    stop_reason: str = ""
    stop_message: str = ""
    best_epoch: int | None = None
    restored_best: bool = False

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return len(self.loss)


def train_val_split(
    X: Sequence[Any], y: Sequence[Any], val_fraction: float = 0.2, seed: int = 0
) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """Shuffle (seeded) and split into ``X_train, y_train, X_val, y_val``.

    ``round(val_fraction · n)`` examples are held out, at least one and leaving one.
    """
    if len(X) != len(y):
        raise ValueError(f"train_val_split: {len(X)} examples but {len(y)} targets")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"train_val_split: val_fraction must be in (0, 1), got {val_fraction!r}")
    if len(X) < 2:
        raise ValueError("train_val_split: needs at least two examples")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    n_val = min(max(1, round(val_fraction * len(X))), len(X) - 1)
    val, train = order[:n_val], order[n_val:]
    return [X[i] for i in train], [y[i] for i in train], [X[i] for i in val], [y[i] for i in val]


def evaluate(
    model: Model,
    X: Sequence[Any],
    y: Sequence[Any],
    loss: str | LossFn = "mse",
    accuracy: str | AccuracyFn | None = "auto",
) -> tuple[float, float | None]:
    """The data loss and the accuracy (``None`` if none applies) on ``(X, y)``, no graph kept."""
    loss_fn = _loss_fn(loss)
    accuracy_fn = _accuracy_fn(accuracy, loss_fn)
    with no_grad():
        outputs = [model(x) for x in X]
        value = loss_fn(outputs, list(y)).data
    acc = accuracy_fn([_numbers(o) for o in outputs], list(y)) if accuracy_fn else None
    return value, acc


def fit(
    model: Model,
    X: Sequence[Any],
    y: Sequence[Any],
    *,
    loss: str | LossFn = "mse",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    l2: float = 0.0,
    validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
    early_stopping: EarlyStopping | None = None,
    accuracy: str | AccuracyFn | None = "auto",
    progress: bool | None = None,
    replay: bool = False,
    compile: bool = False,  # compile helper (issue 14): the name the issue asks for
) -> History:
    """Train ``model`` on ``(X, y)`` by gradient descent and return the :class:`History`.

    Each update: outputs for a batch, ``loss`` (a name from ``LOSSES`` or a function of
    ``(outputs, targets)``) plus ``l2 · Σ p²`` if ``l2 > 0``, zero the grads, backward,
    ``optimizer.step()`` (default ``SGD(lr=0.1)``). ``batch_size=None`` uses every example
    in its given order; otherwise batches of ``batch_size`` (the last may be smaller),
    reshuffled every epoch by ``random.Random(seed)`` when ``shuffle``. ``progress`` shows
    a tqdm bar (``None``: only in a terminal or notebook, and only if tqdm is installed).
    ``replay=True`` gives the same numbers as rebuilding the graph, faster: each batch
    size's graph is built once, with leaves for inputs and targets that are refilled
    every step (a class index for a vector output is refilled as a one-hot vector).
    ``compile=True`` caches the same way but runs each graph as generated Python
    (``autodiff.compile``): the same numbers again, several times faster than replay.
    """
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} examples but {len(y)} targets")
    if len(X) == 0:  # not `not X`: a NumPy array has no truth value
        raise ValueError("fit: no training examples")
    if validation is not None and len(validation[0]) != len(validation[1]):
        raise ValueError(
            f"fit: validation has {len(validation[0])} examples but {len(validation[1])} targets"
        )
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"fit: batch_size must be None or >= 1, got {batch_size!r}")
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"fit: epochs must be a whole number >= 0, got {epochs!r}")
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"fit: optimizer must be an nn optimizer such as SGD(model.parameters(), lr=0.1), "
            f"got {type(optimizer).__name__} {optimizer!r}"
        )
    loss_fn = _loss_fn(loss)
    accuracy_fn = _accuracy_fn(accuracy, loss_fn)
    params = model.parameters()
    opt = optimizer if optimizer is not None else SGD(params, lr=0.1)
    watcher = Watcher(
        early_stopping, resolve_monitor(early_stopping, validation is not None), params
    )
    tapes = BatchTapes(model, loss_fn, l2, params) if replay else None
    if compile:  # compile helper (issue 14)
        tapes = CompiledBatchTapes(model, loss_fn, l2, params)
    history = History()
    order = list(range(len(X)))
    rng = random.Random(seed)
    size = len(order) if batch_size is None else batch_size
    bar = _progress_bar(epochs, progress)
    try:
        for epoch in range(1, epochs + 1):
            started = time.perf_counter()
            watcher.begin_epoch()
            if batch_size is not None and shuffle:
                rng.shuffle(order)
            total = 0.0
            seen: list[Any] = []
            for start in range(0, len(order), size):
                batch = order[start : start + size]
                opt.zero_grad()
                if tapes is not None:
                    value, outputs = tapes.step(X, y, batch)
                else:
                    value, outputs = _rebuilt_step(model, X, y, batch, loss_fn, l2, params)
                history.step_loss.append(value)
                history.lr.append(opt.current_lr)
                opt.step()
                total += value * len(batch)
                if accuracy_fn is not None:
                    seen.extend(_numbers(o) for o in outputs)
            history.loss.append(total / len(order))
            if accuracy_fn is not None:
                history.accuracy.append(accuracy_fn(seen, [y[i] for i in order]))
            if validation is not None:
                val_loss, val_acc = evaluate(model, *validation, loss_fn, accuracy_fn)
                history.val_loss.append(val_loss)
                if val_acc is not None:
                    history.val_accuracy.append(val_acc)
            history.epoch_seconds.append(time.perf_counter() - started)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(_postfix(history), refresh=False)
            monitored = history.val_loss if watcher.monitor == "val_loss" else history.loss
            stop = watcher.check(epoch, monitored[-1])
            if stop is not None:
                history.stop_reason, history.stop_message = stop
                break
        else:
            history.stop_reason, history.stop_message = "epochs", f"ran all {epochs} epochs"
    finally:
        if bar is not None:
            bar.close()
    history.best_epoch = watcher.best_epoch
    history.restored_best = watcher.restore()
    return history


def _rebuilt_step(
    model: Model,
    X: Sequence[Any],
    y: Sequence[Any],
    batch: list[int],
    loss_fn: LossFn,
    l2: float,
    params: list[Value],
) -> tuple[float, list[Any]]:
    """Build the batch's graph afresh, run backward; return the objective and the outputs."""
    outputs = [model(X[i]) for i in batch]
    objective = loss_fn(outputs, [y[i] for i in batch])
    if l2:
        objective = objective + losses.l2(params, l2)
    objective.backward()
    return objective.data, outputs


def _numbers(output: Any) -> Any:
    """An output's numbers: a float, or a list of floats for a vector output."""
    if isinstance(output, Value):
        return output.data
    return [o.data for o in output]


def _loss_fn(loss: str | LossFn) -> LossFn:
    if callable(loss):
        return loss
    if loss in LOSSES:
        return LOSSES[loss]
    raise ValueError(
        f"fit: unknown loss {loss!r}; choose one of {', '.join(LOSSES)} or pass a function"
    )


def _accuracy_fn(accuracy: str | AccuracyFn | None, loss_fn: LossFn) -> AccuracyFn | None:
    if accuracy is None or callable(accuracy):
        return accuracy
    if accuracy == "auto":
        return _ACCURACY_OF.get(loss_fn)
    raise ValueError(f"fit: accuracy must be 'auto', None or a function, got {accuracy!r}")


def _postfix(history: History) -> dict[str, str]:
    shown = {"loss": f"{history.loss[-1]:.4f}"}
    if history.accuracy:
        shown["acc"] = f"{history.accuracy[-1]:.0%}"
    if history.val_loss:
        shown["val"] = f"{history.val_loss[-1]:.4f}"
    return shown


def _progress_bar(epochs: int, wanted: bool | None) -> Any:
    """A tqdm bar over epochs, or ``None``: off on request, without tqdm, or with no display."""
    if wanted is None:
        wanted = "ipykernel" in sys.modules or sys.stderr.isatty()
    if not wanted:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=epochs, unit="epoch", leave=True, file=sys.stderr)
