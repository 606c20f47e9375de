"""Accuracy: the fraction of examples a model gets right, read from its raw outputs.

Each function matches one loss's reading of an output: a hinge score's sign, a
logit's sign (probability above ½), or the largest of several logits. Outputs may be
Values or plain numbers; the result is a float in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

from autodiff import Value


def _number(x: object) -> float:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (int, float)):
        return float(x)
    raise TypeError(f"accuracy: expected a number or a Value, got {type(x).__name__} {x!r}")


def _check(outputs: Sequence[object], targets: Sequence[object], where: str) -> None:
    if len(outputs) != len(targets):
        raise ValueError(f"{where}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{where}: no examples")


def sign_accuracy(scores: Sequence[object], labels: Sequence[object]) -> float:
    """Fraction with ``(s > 0) == (y > 0)``: labels ±1, as micrograd's demo counts (for hinge)."""
    _check(scores, labels, "sign_accuracy")
    hits = sum((_number(s) > 0) == (_number(y) > 0) for s, y in zip(scores, labels))
    return hits / len(scores)


def binary_accuracy(logits: Sequence[object], labels: Sequence[object]) -> float:
    """Fraction with ``(z > 0) == (y ≥ ½)``: a logit above 0 means σ(z) > ½ (labels 0/1)."""
    _check(logits, labels, "binary_accuracy")
    hits = sum((_number(z) > 0) == (_number(y) >= 0.5) for z, y in zip(logits, labels))
    return hits / len(logits)


def argmax_accuracy(logits: Sequence[Sequence[object]], classes: Sequence[object]) -> float:
    """Fraction whose largest logit is at the target class (an index or a one-hot vector)."""
    _check(logits, classes, "argmax_accuracy")
    hits = 0
    for zs, c in zip(logits, classes):
        numbers = [_number(z) for z in zs]
        if isinstance(c, Sequence):
            target = [_number(t) for t in c]
            c = target.index(max(target))
        hits += numbers.index(max(numbers)) == c
    return hits / len(logits)
