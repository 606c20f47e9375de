"""The exercise checks in course.exercises: one verdict line each, never fooled by a trivial answer.

The notebook tests run every check on its solution and on a typical mistake; these tests
run every check on the answers a student might try first without thinking (0, nothing, an
empty dict, the wrong type, a function that returns 0), which must never be called correct.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autodiff.ops import Op
from course.exercises import (
    backprop,
    batches,
    chain_rule,
    descent,
    losses,
    mlp,
    neurons,
    own_op,
    perceptron,
    stopping,
    verdict,
)
from nn.module import MLP
from nn.train import History


class _Zero(Op):
    """An op whose output and derivative are always 0: a trivial 'answer'."""

    name = "zero"

    def forward(self, *inputs: float) -> tuple[float, tuple[float, ...]]:
        return 0.0, (0.0,)


class _Identity(Op):
    """y = x: right derivative for nothing we ask."""

    name = "id"

    def forward(self, *inputs: float) -> tuple[float, tuple[float, ...]]:
        return inputs[0], (1.0,)


def _history(val_loss: list[float], best_epoch: int | None = None) -> History:
    # History.epochs counts the training losses: one per epoch
    return History(loss=list(val_loss), val_loss=list(val_loss), best_epoch=best_epoch)


def _with_right_sigmoid(slope: object) -> None:
    """Check 6.1 with ``slope`` for σ′ and a right σ: the slope alone is being tried."""
    neurons.sigmoid_slope(slope, lambda z: 1 / (1 + math.exp(-z)))


_CURVE = [1.0, 0.5] + [0.6] * 20 + [0.2, 0.1] + [0.3] * 5  # with patience 20: stop at 22
# (check, exercise id, trivial answers) for every check; functions get trivial functions
NUMBER = [0, 0.0, 1, -1, None, "0.5", [], {}, float("nan"), True]
CHECKS: list[tuple[Callable[..., None], str, list[Any]]] = [
    (losses.mse_by_hand, "1.1", NUMBER),
    (losses.mae_by_hand, "1.2", NUMBER),
    (descent.slope_at_2, "2.1", [*NUMBER, 2.0]),
    (descent.one_step, "2.2", [*NUMBER, 2.0]),
    (descent.gradient_at, "3.1", [*NUMBER, (0, 0), [1, -1], (1, 2, 3)]),
    (descent.next_point, "3.2", [*NUMBER, (1, -1), (0, 0)]),
    (descent.learning_rate, "3.3", [*NUMBER, 10.0, 1e-6, -0.2]),
    (chain_rule.d_by_dx, "4.1", NUMBER),
    (chain_rule.d_by_dy, "4.2", NUMBER),
    (perceptron.gradient, "5.1", [*NUMBER, [0, 0, 0], [1, 1, 1]]),
    (perceptron.new_weights, "5.2", [*NUMBER, [0, 0, 0], [0.3, 0.8, -1.0]]),
    (_with_right_sigmoid, "6.1", [*NUMBER, lambda z: 0.0, lambda z: z, lambda z: 0.25]),
    (neurons.tanh_slope, "6.2", [*NUMBER, lambda z: 0.0, lambda z: 1.0, lambda z: "x"]),
    (backprop.output_delta, "7.1", NUMBER),
    (backprop.hidden_deltas, "7.2", [*NUMBER, [0, 0], [1, 1], [0.1]]),
    (backprop.updates, "7.3", [*NUMBER, dict.fromkeys(backprop.WEIGHTS, 0.0)]),
    (batches.updates_per_epoch, "8.1", [*NUMBER, {None: 0, 1: 0, 8: 0, 7: 0}, {None: 1}]),
    (batches.batch_gradient, "8.2", NUMBER),
    (stopping.stop_epoch, "9.1", [*NUMBER, lambda v, p: (1, 1), lambda v, p: (0, len(v))]),
    (mlp.parameter_count, "10.1", [*NUMBER, 2 * 16 + 16 * 16 + 16]),
    (mlp.relu_slope, "10.2", [*NUMBER, lambda z: 1.0, lambda z: 0.0]),
    (mlp.hinge_slope, "10.3", [*NUMBER, lambda s, y: 0.0, lambda s, y: -y]),
    (own_op.softplus, "11.1", [*NUMBER, _Zero, _Identity, int]),
    (own_op.sine, "11.2", [*NUMBER, _Zero, _Identity, int]),
]


def _said(capsys: pytest.CaptureFixture[str], key: str) -> str:
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"exercise {key}: "), lines[0]
    return lines[0][len(f"exercise {key}: ") :]


@pytest.mark.parametrize(("check", "key", "answers"), CHECKS, ids=[c[1] for c in CHECKS])
def test_placeholder_is_not_yet(
    check: Callable[..., None], key: str, answers: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped placeholder ``...`` (or a function raising NotImplementedError) is `not yet`."""
    check(...)
    assert _said(capsys, key).startswith("not yet")

    def unfinished(*args: object) -> None:
        raise NotImplementedError

    check(unfinished)
    assert not _said(capsys, key).startswith("correct")


@pytest.mark.parametrize(("check", "key", "answers"), CHECKS, ids=[c[1] for c in CHECKS])
def test_trivial_answers_are_wrong(
    check: Callable[..., None], key: str, answers: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """No empty, zero, constant or wrongly typed answer passes; each gets one `wrong:` line."""
    for answer in answers:
        check(answer)
        said = _said(capsys, key)
        assert said.startswith("wrong: "), (answer, said)


def test_early_stopping_prediction_checks_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    """9.2 compares with the stopped run, and names the global-minimum mistake."""
    full = _history(_CURVE)
    stopped = _history(_CURVE[:22], best_epoch=2)  # patience 20 after the best epoch 2
    stopping.predicted_run((2, 22), full, stopped)
    assert _said(capsys, "9.2").startswith("correct")
    stopping.predicted_run((24, 44), full, stopped)
    assert "lowest point of the whole curve" in _said(capsys, "9.2")
    stopping.predicted_run({}, full, stopped)
    assert _said(capsys, "9.2").startswith("wrong: ")


def test_patience_oracle_matches_early_stopping_in_fit() -> None:
    """stopping.rule, the 9.x oracle, gives the best and stop epochs nn.fit's rule reaches."""
    from nn import EarlyStopping, fit, regression_1d

    X, y = regression_1d(12, noise=0.3, seed=1)
    full = fit(MLP(1, [6, 1], seed=2), X, y, epochs=60, validation=(X, y), progress=False)
    for patience in (1, 3, 8):
        run = fit(MLP(1, [6, 1], seed=2), X, y, epochs=60, validation=(X, y), progress=False,
                  early_stopping=EarlyStopping(patience=patience, restore_best=False))  # fmt: skip
        assert stopping.rule(full.val_loss, patience) == (run.best_epoch, run.epochs)


def test_how_far_never_prints_the_answer() -> None:
    """The hint says how far off an answer is without giving the right number away."""
    for answer, expected in [(0.5, 0.25), (-3.7, 3.7), (1.13, 1.0271), (0.0, 2.53), (7.0, 0.0)]:
        hint = verdict.how_far(answer, expected)
        assert f"{expected:g}" not in hint or expected == 0.0, hint
    assert "wrong sign" in verdict.how_far(-3.7, 3.7)
    assert "2 times" in verdict.how_far(0.5, 0.25)
