"""Notebook 09's exercises: when to stop, by the patience rule, from a validation curve.

The rule (``nn.EarlyStopping(patience=p)``): epochs count from 1; an epoch is a new best
when its loss is strictly below every earlier one; training stops after the epoch that makes
it ``p`` epochs in a row without a new best, or after the last epoch if that never happens;
the weights of the best epoch are then restored. The best epoch is the best *up to the
stop*, not the lowest point of the whole curve: the epochs after the stop never run.
"""

from __future__ import annotations

from collections.abc import Sequence

from nn.stopping import EarlyStopping, Watcher
from nn.train import History

from . import verdict

#: The patience of exercise 9.2's run.
PATIENCE = 20

#: (curve, patience) cases the check runs; the last two have their global minimum after the stop.
CASES: tuple[tuple[tuple[float, ...], int], ...] = (
    ((0.9, 0.7, 0.5, 0.4, 0.35, 0.3), 2),
    ((0.9, 0.6, 0.62, 0.61, 0.65, 0.7, 0.8), 3),
    ((1.0, 0.8, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9), 2),
    ((1.0, 0.5, 0.6, 0.7, 0.2, 0.1), 2),
    ((0.9, 0.4, 0.45, 0.5, 0.55, 0.6, 0.3, 0.2, 0.25), 3),
    # a tie with the best is no new best: counting it as one (<=) moves both epochs
    ((1.0, 0.5, 0.5, 0.6, 0.7, 0.4), 2),
)
SECOND_CASES: tuple[tuple[tuple[float, ...], int], ...] = (
    ((0.8, 0.6, 0.65, 0.5, 0.55, 0.57, 0.58, 0.2), 3),
    ((1.2, 1.1, 1.0, 0.9), 1),
    ((0.7, 0.3, 0.3, 0.3, 0.31, 0.1), 3),
    ((0.5, 0.6, 0.4, 0.45, 0.46, 0.47, 0.48, 0.1, 0.05), 4),
)


@verdict.reference
def rule(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """(best epoch, stop epoch) by ``nn.EarlyStopping``'s own bookkeeping: the oracle."""
    watcher = Watcher(EarlyStopping(patience=patience, restore_best=False), "val_loss", [])
    for epoch, value in enumerate(val_losses, start=1):
        if watcher.check(epoch, value) is not None:
            break
    else:
        epoch = len(val_losses)
    assert watcher.best_epoch is not None
    return watcher.best_epoch, epoch


def _pair(answer: object, name: str) -> tuple[int, int]:
    if verdict.is_placeholder(answer):
        raise verdict.Placeholder(f"replace the ... in {name}")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise verdict.Wrong(f"{name} should be a pair (best epoch, stop epoch), got {answer!r}")
    best, stop = answer
    for what, v in (("best epoch", best), ("stop epoch", stop)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise verdict.Wrong(
                f"the {what} should be a whole number (epochs count from 1), got {v!r}"
            )
    return best, stop


def _rule_with_ties(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """(best, stop) when a loss equal to the best counts as a new best: the ``<=`` mistake."""
    best, best_epoch, waited = val_losses[0], 1, 0
    for epoch, loss in enumerate(val_losses[1:], start=2):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
        if waited >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _diagnose(curve: Sequence[float], patience: int, best: int, stop: int, shown: str = "") -> str:
    """The hint for a wrong (best, stop) on ``curve``: which rule of the patience count broke."""
    want_best, want_stop = rule(curve, patience)
    global_min = 1 + min(range(len(curve)), key=curve.__getitem__)
    shown = shown or f"on the curve {list(curve)} with patience {patience}"
    if best == global_min and global_min != want_best:
        return (
            f"{shown} you took the lowest point of the whole curve (epoch {global_min}), "
            f"but training "
            f"stopped at epoch {want_stop}, before it got there: "
            "the best is the best up to the stop"
        )
    if (best, stop) == _rule_with_ties(curve, patience):
        return (
            f"{shown}: a loss equal to the best so far is no new best (it must be strictly "
            "lower: < , not <=); with ties counted, the best and the stop move later"
        )
    if best == want_best and stop == want_best + patience - 1:
        return (
            f"{shown}: the stop comes after {patience} epochs *without* a new best; "
            "the best epoch itself does not count"
        )
    if best == want_best - 1 and stop == want_stop - 1:
        return f"{shown}: epochs count from 1, not from 0"
    if best != want_best:
        return (
            f"{shown} the best epoch is not {best}: "
            "a new best must be strictly lower than all before"
        )
    return f"{shown} the stop epoch is not {stop}: count the epochs in a row with no new best"


def stop_epoch(function: object) -> None:
    """Exercise 9.1: ``function(val_losses, patience)`` returns (best epoch, stop epoch)."""

    def judge() -> str:
        student = verdict.student_function(function, "stop_epoch")
        cases = verdict.pick(CASES, SECOND_CASES)
        for curve, patience in cases:
            best, stop = _pair(
                student(list(curve), patience), f"stop_epoch({list(curve)}, {patience})"
            )
            if (best, stop) != rule(curve, patience):
                raise verdict.Wrong(_diagnose(curve, patience, best, stop))
        return f"the patience rule on all {len(cases)} test curves"

    verdict.run("9.1", judge)


def predicted_run(my_prediction: object, full: History, stopped: History) -> None:
    """Exercise 9.2: (best, stop) of ``stopped``'s run, predicted from ``full.val_loss`` alone.

    ``full`` ran every epoch with no rule; ``stopped`` is the same run under
    ``EarlyStopping(patience=PATIENCE)``, so the two agree epoch by epoch up to the stop.
    """

    def judge() -> str:
        best, stop = _pair(my_prediction, "my_prediction")
        if (best, stop) == (stopped.best_epoch, stopped.epochs):
            return f"best at epoch {best}, stopped at epoch {stop}"
        shown = f"on full.val_loss with patience {PATIENCE}"
        raise verdict.Wrong(_diagnose(full.val_loss, PATIENCE, best, stop, shown))

    verdict.run("9.2", judge)
