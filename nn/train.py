"""The training loop: forward, loss, backward, step, over batches and epochs; and when to stop.

One function, :func:`fit`, trains any model (anything callable with ``parameters()``)
on examples ``X`` and targets ``y``. ``batch_size`` picks the flavour of gradient
descent on one code path: ``None`` is (full-)batch descent, whose gradient is the mean
over all examples; ``1`` is stochastic descent, one example per update; ``k`` is
mini-batch descent. ``engine`` picks how a step runs: ``"rebuild"`` builds the graph
every step; ``"replay"`` and ``"compile"`` build each batch shape's graph once, record it
(``autodiff.record``) or compile it (``autodiff.compile``), and re-run it with new
numbers in its leaves (``tapes.py``).
"""

from __future__ import annotations

import math
import numbers
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from autodiff import Value, no_grad

from . import losses, metrics
from .batched import BatchedSteps
from .optim import SGD, Optimizer
from .stopping import EarlyStopping, Watcher, resolve_monitor
from .tapes import BatchTapes

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


# Set once fit(progress=True) has said that tqdm is missing: said once, not every run.
_warned_no_tqdm = False


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
    (ran them all), ``'target'``, ``'patience'``, ``'diverged'`` or ``'interrupted'``;
    ``stop_message`` says it in words, naming the epoch.

    ``'diverged'``: a loss or a parameter stopped being a finite number, the engine
    raised ``OverflowError``, or the learning rate was not a finite number. The last
    ``step_loss``/``lr`` entries are the update that diverged (``inf`` for an overflow),
    which was not applied: the parameters are the last finite ones. ``loss`` has an entry
    for the epoch it happened in (the mean over its updates so far; ``accuracy`` and the
    validation lists do not). ``'interrupted'``: ``KeyboardInterrupt`` (Ctrl-C); the lists
    hold the complete epochs and the updates made, each update applied whole or not at all.
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
    """The data loss and the accuracy (``None`` if none applies) on ``(X, y)``, no graph kept.

    NumPy arrays and scalars are read as the Python numbers they hold.
    """
    loss_fn = _loss_fn(loss)
    accuracy_fn = _accuracy_fn(accuracy, loss_fn)
    inputs, targets = [_plain(x) for x in X], [_plain(t) for t in y]
    with no_grad():
        outputs = [model(x) for x in inputs]
        value = loss_fn(outputs, targets).data
    acc = accuracy_fn([_numbers(o) for o in outputs], targets) if accuracy_fn else None
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
    l1: float = 0.0,
    validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
    early_stopping: EarlyStopping | None = None,
    accuracy: str | AccuracyFn | None = "auto",
    progress: bool | None = None,
    engine: str = "rebuild",
    replay: bool | None = None,
    compile: bool | None = None,  # shadows the builtin inside fit only: the old API's name
) -> History:
    """Train ``model`` on ``(X, y)`` by gradient descent and return the :class:`History`.

    Each update: outputs for a batch, ``loss`` (a name from ``LOSSES`` or a function of
    ``(outputs, targets)``) plus ``l2 · Σ p²`` if ``l2 > 0`` and ``l1 · Σ |p|`` if ``l1 > 0``,
    zero the grads, backward, ``optimizer.step()`` (default ``SGD(lr=0.1)``).
    ``batch_size=None`` uses every example in its given order; otherwise batches of
    ``batch_size`` (the last may be smaller),
    reshuffled every epoch by ``random.Random(seed)`` when ``shuffle``. ``progress`` shows
    a tqdm bar (``None``: only in a terminal or notebook, and only if tqdm is installed).
    ``engine`` runs each step one of four ways (:data:`ENGINES`), the first three with the
    same numbers to the last bit: ``"rebuild"`` (default) builds the graph every step;
    ``"replay"`` builds each batch size's graph once, with leaves for inputs and targets
    that are refilled every step (a class index for a vector output is refilled as a
    one-hot vector), and re-runs it with ``autodiff.record``; ``"compile"`` caches the
    same way and runs each graph as generated Python (``autodiff.compile``), several
    times faster than replay; ``"batched"`` (NumPy, the ``batched`` extra) builds one
    example's graph once and runs it as array code over the batch
    (``autodiff.batched.vectorize``), equal to the others to about 1e-12 rather than
    to the bit, since it adds the examples up in another order. ``replay=True`` and
    ``compile=True`` are the old spelling
    of ``engine="replay"`` / ``engine="compile"``: still accepted, with a
    ``DeprecationWarning``.

    The whole data set is checked once before the first update, the same way whatever
    the engine: every input row a list of finite numbers as long as the first, every
    target finite and accepted by the loss. NumPy arrays and scalars are read as the
    Python numbers they hold.

    Training never ends in an exception from the numbers it meets: a non-finite loss or
    parameter, an ``OverflowError`` inside the engine, or a learning rate that is not a
    finite number stop it with ``stop_reason`` ``'diverged'`` (the offending update is not
    applied), and ``KeyboardInterrupt`` (Ctrl-C) stops it with ``'interrupted'`` (an update
    is applied whole or not at all). Either way the History so far is returned and early
    stopping's best weights are restored if it asks for that.
    """
    engine = _engine(engine, replay, compile)
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
    X, y = _checked_data(model, X, y, loss_fn, "fit")
    if validation is not None:
        validation = _checked_data(model, *validation, loss_fn, "fit: validation")
    params = model.parameters()
    # the objective the updates descend; the validation loss is the data loss alone
    objective = _with_l1(loss_fn, params, l1) if l1 else loss_fn
    opt = optimizer if optimizer is not None else SGD(params, lr=0.1)
    watcher = Watcher(
        early_stopping, resolve_monitor(early_stopping, validation is not None), params
    )
    tapes: BatchTapes | BatchedSteps | None = None
    if engine == "batched":
        tapes = BatchedSteps(model, objective, l2, params)
    elif engine != "rebuild":
        tapes = BatchTapes(model, objective, l2, params, engine)
    history = History()
    order = list(range(len(X)))
    rng = random.Random(seed)
    size = len(order) if batch_size is None else batch_size
    bar = _progress_bar(epochs, progress)
    epoch, total, count, made = 0, 0.0, 0, 0  # made: updates applied
    try:
        for epoch in range(1, epochs + 1):
            started = time.perf_counter()
            watcher.begin_epoch()
            if batch_size is not None and shuffle:
                rng.shuffle(order)
            total, count = 0.0, 0
            seen: list[Any] = []
            for start in range(0, len(order), size):
                batch = order[start : start + size]
                opt.zero_grad()
                try:
                    if tapes is not None:
                        value, outputs = tapes.step(X, y, batch)
                    else:
                        value, outputs = _rebuilt_step(model, X, y, batch, objective, l2, params)
                except OverflowError as error:
                    value, outputs = math.inf, []
                    problem, detail = "the loss overflowed", f": {error}"
                else:
                    problem = "" if math.isfinite(value) else f"the loss became {value}"
                    detail = ""
                lr = opt.current_lr
                history.step_loss.append(value)
                history.lr.append(lr if _is_number(lr) else math.nan)
                total, count = total + value * len(batch), count + len(batch)
                if not problem and not (_is_number(lr) and math.isfinite(lr)):
                    problem = f"the learning rate became {lr!r}"
                if problem:
                    update = len(history.step_loss)
                    raise _Diverged(f"{problem} at epoch {epoch} (update {update}){detail}")
                _whole_step(opt, params, epoch, len(history.step_loss))
                made += 1
                if accuracy_fn is not None:
                    seen.extend(_numbers(o) for o in outputs)
            history.loss.append(total / count)
            if accuracy_fn is not None:
                history.accuracy.append(accuracy_fn(seen, [y[i] for i in order]))
            if validation is not None:
                try:
                    val_loss, val_acc = evaluate(model, *validation, loss_fn, accuracy_fn)
                except OverflowError as error:
                    raise _Diverged(f"the val_loss overflowed at epoch {epoch}: {error}") from None
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
            history.stop_reason = "epochs"
            history.stop_message = f"ran all {_count(epochs, 'epoch')}"
    except _Diverged as diverged:
        if len(history.loss) < epoch:  # the epoch it diverged in: the mean over its updates
            history.loss.append(total / count if count else math.nan)
        history.stop_reason, history.stop_message = "diverged", str(diverged)
    except KeyboardInterrupt:
        del history.step_loss[made:], history.lr[made:]  # an update cut short was undone
        history.stop_reason = "interrupted"
        history.stop_message = (
            f"interrupted (KeyboardInterrupt) in epoch {epoch}, after "
            f"{_count(history.epochs, 'complete epoch')} and {_count(made, 'update')}"
        )
    finally:
        if bar is not None:
            bar.close()
    history.best_epoch = watcher.best_epoch
    history.restored_best = watcher.restore()
    return history


ENGINES = ("rebuild", "replay", "compile", "batched")
"""How :func:`fit` runs a step: rebuild the graph, replay a recorded one, run it compiled, or
run one example's graph as NumPy array code over the whole batch."""


def _engine(engine: object, replay: bool | None, compile: bool | None) -> str:
    """The engine ``fit`` was asked for, from ``engine=`` or the old ``replay=``/``compile=``."""
    if engine not in ENGINES:
        raise ValueError(
            f"fit: engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}"
        )
    if replay is None and compile is None:
        return str(engine)
    if engine != "rebuild":
        raise ValueError(
            f"fit: engine={engine!r} and the old replay=/compile= flags were both given; "
            "use engine= alone"
        )
    old = "compile" if compile else "replay" if replay else "rebuild"  # compile won before
    warnings.warn(
        f"fit(replay=..., compile=...) is deprecated: use fit(engine={old!r})",
        DeprecationWarning,
        stacklevel=3,
    )
    return old


def _with_l1(loss_fn: LossFn, params: list[Value], alpha: float) -> LossFn:
    """``loss_fn`` plus the L1 penalty ``α Σ |p|`` (the objective the updates descend)."""

    def penalized(outputs: Any, targets: Any) -> Value:
        return loss_fn(outputs, targets) + losses.l1(params, alpha)

    return penalized


class _Diverged(Exception):
    """Raised inside :func:`fit` to end training as ``'diverged'``; its text is the message."""


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _count(n: int, noun: str) -> str:
    """``'1 epoch'``, ``'2 epochs'``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _whole_step(opt: Optimizer, params: list[Value], epoch: int, update: int) -> None:
    """``opt.step()``, undone if it was interrupted or made a parameter non-finite.

    The weights are copied first, so that a model is never left half updated by Ctrl-C
    and never holds an ``inf``/``nan`` a diverging step wrote (it keeps the last finite ones).
    """
    before = [p.data for p in params]
    try:
        opt.step()
    except BaseException:
        _put_back(params, before)
        raise
    if math.isfinite(sum(p.data for p in params)):  # one sum: finite iff every term is
        return
    for p in params:
        if not math.isfinite(p.data):
            bad = p.data
            _put_back(params, before)
            name = repr(p.label) if p.label is not None else "(unlabelled)"
            raise _Diverged(
                f"parameter {name} became {bad} at epoch {epoch} (update {update}); "
                "the parameters are those before that update"
            )


def _put_back(params: list[Value], data: list[float]) -> None:
    for p, d in zip(params, data):
        p.data = d


def _checked_data(
    model: Model, X: Sequence[Any], y: Sequence[Any], loss_fn: LossFn, where: str
) -> tuple[list[Any], list[Any]]:
    """``X`` and ``y`` as plain Python lists, after checking every example once.

    Each input row must hold finite numbers (or Values) and be as long as the first row
    (the model then checks that length); each target must be finite and accepted by
    ``loss_fn`` next to the model's output for the first example (computed under
    ``no_grad``). NumPy arrays and scalars become Python numbers (``tolist()``). Errors
    are ``ValueError``/``TypeError`` starting with ``where`` and naming the example.
    """
    rows = [_plain(x) for x in X]
    targets = [_plain(t) for t in y]
    width = _width(rows[0])
    for i, row in enumerate(rows):
        if _width(row) != width:
            raise ValueError(
                f"{where}: example {i} has {_inputs(_width(row))} but example 0 has "
                f"{_inputs(width)}"
            )
        for j, v in enumerate(row if isinstance(row, list) else [row]):
            number = v.data if isinstance(v, Value) else v
            if not isinstance(number, numbers.Real):
                raise TypeError(
                    f"{where}: example {i}, input {j} is not a number: "
                    f"{type(number).__name__} {number!r}"
                )
            if not math.isfinite(number):
                raise ValueError(f"{where}: example {i}, input {j} is {number}")
    for i, target in enumerate(targets):
        bad = _non_finite(target)
        if bad is not None:
            raise ValueError(f"{where}: the target of example {i} is {bad}")
    # An arithmetic error (an overflow) says nothing about the data: training meets it again
    # and stops as diverged, so the check passes over it.
    with no_grad():
        try:
            output = model(rows[0])
        except (ValueError, TypeError) as error:
            raise _same_kind(error)(f"{where}: example 0: {error}") from None
        except ArithmeticError:
            return rows, targets
        for i, target in enumerate(targets):
            try:
                loss_fn([output], [target])
            except (ValueError, TypeError) as error:
                raise _same_kind(error)(
                    f"{where}: the target of example {i}, {target!r}, does not suit the loss: "
                    f"{error}"
                ) from None
            except ArithmeticError:
                continue
    return rows, targets


def _same_kind(error: Exception) -> type[Exception]:
    """``TypeError`` or ``ValueError``, as ``error`` is: re-raised with the example named."""
    return TypeError if isinstance(error, TypeError) else ValueError


def _plain(item: Any) -> Any:
    """NumPy scalars and arrays as Python numbers and lists; tuples as lists; Values as they are."""
    if isinstance(item, Value):
        return item
    tolist = getattr(item, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(item, (list, tuple)):
        return [_plain(v) for v in item]
    return item


def _width(row: Any) -> int | None:
    """How many inputs a row holds; ``None`` for a bare number (a one-input model's row)."""
    return len(row) if isinstance(row, list) else None


def _inputs(width: int | None) -> str:
    return "one bare number" if width is None else _count(width, "input")


def _non_finite(target: Any) -> float | None:
    """The first NaN or infinity in a target (a number, a Value or a list of them), else None."""
    for t in target if isinstance(target, list) else [target]:
        number = t.data if isinstance(t, Value) else t
        if _is_number(number) and not math.isfinite(number):
            return float(number)
    return None


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
    if isinstance(output, (int, float)):
        return float(output)  # the batched engine hands over numbers already
    return [o if isinstance(o, float) else o.data for o in output]


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
    """A tqdm bar over epochs, or ``None``: off on request, without tqdm, or with no display.

    Asked for explicitly (``True``) without tqdm installed, it warns once per process.
    """
    progress_asked = wanted is True
    if wanted is None:
        wanted = "ipykernel" in sys.modules or sys.stderr.isatty()
    if not wanted:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        global _warned_no_tqdm
        if progress_asked and not _warned_no_tqdm:
            _warned_no_tqdm = True
            warnings.warn(
                "fit(progress=True): the progress bar needs tqdm, which is not installed; "
                "pip install tqdm, or from a clone of backprop-lab: pip install '.[train]'",
                stacklevel=3,
            )
        return None
    return tqdm(total=epochs, unit="epoch", leave=True, file=sys.stderr)
