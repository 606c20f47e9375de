"""Exercise attempts a student really makes, and the verdict each must get.

Each row is one attempt: the exercise, what the student wrote, and the start of the verdict
line (plus a word the hint must contain). The rows hold the mistakes the course review found
(rounded hand answers, negative numbers, two false passes, the other δ convention, the lecture's
weight names, raw errors); the typical mistake of each exercise in ``notebooks/solutions`` is
run by ``tests/test_notebooks.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autodiff.ops import UnaryOp
from autodiff.viz import labels
from course.exercises import (
    backprop,
    batches,
    chain_rule,
    losses,
    neurons,
    own_op,
    second_order,
    stopping,
    verdict,
)


def _sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _stop_epoch(strict: bool) -> Callable[[list[float], int], tuple[int, int]]:
    """A student's patience rule; ``strict=False`` counts a tie as a new best (``<=``)."""

    def stop_epoch(val_losses: list[float], patience: int) -> tuple[int, int]:
        best, best_epoch, waited = math.inf, 0, 0
        for epoch, loss in enumerate(val_losses, start=1):
            if loss < best or (not strict and loss <= best):
                best, best_epoch, waited = loss, epoch, 0
            else:
                waited += 1
            if waited >= patience:
                return best_epoch, epoch
        return best_epoch, len(val_losses)

    return stop_epoch


def _softplus(derivative: Callable[[Any, Any], Any], with_m: bool = True) -> type[UnaryOp]:
    """A student's Softplus whose derivatives method returns ``derivative(m, x)``."""
    if with_m:

        class Softplus(UnaryOp):
            name = "softplus"

            def output(self, m: Any, x: Any) -> Any:
                return m.log(1 + m.exp(x))

            def derivatives(self, m: Any, y: Any, x: Any) -> Any:
                return derivative(m, x)

        return Softplus

    class NoAlgebra(UnaryOp):
        name = "softplus"

        def output(self, x: Any) -> Any:  # type: ignore[override]
            return math.log(1 + math.exp(x))

        def derivatives(self, y: Any, x: Any) -> Any:  # type: ignore[override]
            return (_sigma(x),)

    return NoAlgebra


def _ascii(label: str) -> str:
    """``Ll.Nj.w(i−1)`` typed the lecture's way, ``w_ij^(l−1)`` (a bias: ``w_0j^(l−1)``)."""
    layer, neuron, weight = label.split(".")
    i = 0 if weight == "b" else int(weight[1:]) + 1
    return f"w_{i}{neuron[1:]}^({int(layer[1:]) - 1})"


def _engine() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    return backprop.engine()


_DATA, _GRADS, _PGRADS = _engine()
_Y = _DATA["y"]
_DELTA = _GRADS["L2.N1.z"]
_HIDDEN = [_GRADS["L1.N1.z"], _GRADS["L1.N2.z"]]
_UPDATES = {label: -backprop.ALPHA * g for label, g in _PGRADS.items()}


def _ties() -> None:
    stopping.stop_epoch(_stop_epoch(strict=False))


def _without_m() -> None:
    own_op.softplus(_softplus(lambda m, x: None, with_m=False))


# (exercise, the attempt in words, the call, the verdict's start, a word the line must hold)
ATTEMPTS: list[tuple[str, str, Callable[[], None], str, str]] = [
    ("1.1", "0.043 for 0.04333", lambda: losses.mse_by_hand(0.043), "close", "digits"),
    ("1.1", "0.0433", lambda: losses.mse_by_hand(0.0433), "correct, to 3 digits", ""),
    ("4.1", "6.0001 for 6", lambda: chain_rule.d_by_dx(6.0001), "correct, to 3 digits", ""),
    ("8.2", "−3.33 for −10/3", lambda: batches.batch_gradient(-3.33), "correct, to 3", ""),
    ("8.2", "−17 for −10/3", lambda: batches.batch_gradient(-17), "wrong", "below zero"),
    ("8.2", "−1 for −10/3", lambda: batches.batch_gradient(-1), "wrong", "not far enough"),
    ("7.1", "δ to 3 decimals", lambda: backprop.output_delta(round(_DELTA, 3)), "correct", ""),
    (
        "7.2",
        "δ's to 3 decimals",
        lambda: backprop.hidden_deltas([round(h, 3) for h in _HIDDEN]),
        "close",
        "digits",
    ),
    (
        "7.1",
        "δ = (d − y)·f′(z), the other convention",
        lambda: backprop.output_delta((backprop.D - _Y) * _Y * (1 - _Y)),
        "wrong",
        "δ = −∂E/∂z",
    ),
    (
        "7.2",
        "hidden δ's in the other convention",
        lambda: backprop.hidden_deltas([-h for h in _HIDDEN]),
        "wrong",
        "δ = −∂E/∂z",
    ),
    (
        "7.3",
        "keys named the lecture's way, w_ij^k",
        lambda: backprop.updates({labels.lecture_name(k): v for k, v in _UPDATES.items()}),
        "correct",
        "",
    ),
    (
        "7.3",
        "keys as w_ij^k in ASCII",
        lambda: backprop.updates({_ascii(k): v for k, v in _UPDATES.items()}),
        "correct",
        "",
    ),
    (
        "7.3",
        "a key that names no weight",
        lambda: backprop.updates({**_UPDATES, "w_99^1": 0.0}),
        "wrong",
        "w_ij^(k)",
    ),
    (
        "6.1",
        "σ with the wrong sign of the exponent",
        lambda: neurons.sigmoid_slope(
            lambda z: _sigma(-z) * (1 - _sigma(-z)), lambda z: 1 / (1 + math.exp(z))
        ),
        "wrong",
        "exponent",
    ),
    (
        "6.1",
        "σ and σ′ right",
        lambda: neurons.sigmoid_slope(lambda z: _sigma(z) * (1 - _sigma(z)), _sigma),
        "correct",
        "",
    ),
    ("9.1", "a tie counted as a new best (<=)", _ties, "wrong", "strictly lower"),
    ("9.1", "the rule with <", lambda: stopping.stop_epoch(_stop_epoch(True)), "correct", ""),
    ("12.1", "11 for 12", lambda: second_order.second_derivative(11), "wrong", "too small by"),
    ("12.1", "12.01", lambda: second_order.second_derivative(12.01), "correct, to 3 digits", ""),
    ("12.2", "1.4 for 1.25", lambda: second_order.newton_step(1.4), "wrong", "too large"),
    ("12.3", "0.2501", lambda: second_order.best_learning_rate(0.2501), "correct", ""),
    (
        "11.1",
        "derivatives return a bare number",
        lambda: own_op.softplus(_softplus(lambda m, x: 1 / (1 + m.exp(-x)))),
        "wrong",
        "tuple",
    ),
    ("11.1", "methods without m", _without_m, "wrong", "algebra m"),
    (
        "11.1",
        "the solution",
        lambda: own_op.softplus(_softplus(lambda m, x: (1 / (1 + m.exp(-x)),))),
        "correct",
        "",
    ),
]


@pytest.mark.parametrize(
    ("key", "attempt", "call", "start", "word"), ATTEMPTS, ids=[f"{a[0]} {a[1]}" for a in ATTEMPTS]
)
def test_attempt_gets_its_verdict(
    key: str,
    attempt: str,
    call: Callable[[], None],
    start: str,
    word: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each attempt gets one line, the verdict it deserves, and a hint that names its mistake."""
    call()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    prefix = f"exercise {key}: "
    assert lines[0].startswith(prefix + start), lines[0]
    assert word in lines[0], lines[0]
    assert "%" not in lines[0] or "below zero" not in lines[0]


def test_hints_for_negative_numbers_read_the_right_way() -> None:
    """−1.7 against −0.3 is 'too far below zero', never a percentage 'too large'."""
    said = verdict.how_far(-1.7, -0.3)
    assert "too far below zero" in said and "%" not in said and "large" not in said
    assert "not far enough below zero" in verdict.how_far(-0.25, -0.3)
    assert "too large" in verdict.how_far(0.35, 0.3)


def test_rounding_to_three_digits() -> None:
    """An answer cut or rounded to 3 significant digits agrees; one cut to 2 does not."""
    assert verdict.agrees_to(0.0433, 0.043333, 3)
    assert verdict.agrees_to(-3.33, -10 / 3, 3)
    assert not verdict.agrees_to(0.043, 0.043333, 3)
    assert verdict.agrees_to(0.043, 0.043333, 2)
    assert not verdict.agrees_to(-0.0433, 0.043333, 3)
    assert verdict.significant_digits(0.043) == 2
    assert verdict.significant_digits(6.0001) == 5


def test_lecture_names_map_to_labels(capsys: pytest.CaptureFixture[str]) -> None:
    """7.3 reads wᵢⱼ⁽ᵏ⁾ through the one table (autodiff.viz.labels), in its usual spellings."""
    for name in ("w_21^(0)", "w₂₁⁽⁰⁾", "w_{21}^{0}", "w^0_21"):
        answers = {**_UPDATES}
        answers[name] = answers.pop("L1.N1.w1")
        backprop.updates(answers)
        assert capsys.readouterr().out.startswith("exercise 7.3: correct"), name


def test_one_verdict_path_for_every_check() -> None:
    """Every check module calls verdict.run; none prints a verdict line of its own."""
    import inspect

    from course import exercises

    for name in exercises.__all__:
        if name in ("verdict", "graded_mode"):
            continue
        source = inspect.getsource(getattr(exercises, name))
        assert "verdict.run(" in source, name
        assert "print(" not in source, name
