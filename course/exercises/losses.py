"""Notebook 01's exercises: the MSE and the MAE of a model's predictions, worked out by hand.

The data are the notebook's six examples: labels ``DESIRED`` and a second model's
``PREDICTIONS``. The right answers come from ``nn.mse`` and ``nn.mae``.
"""

from __future__ import annotations

from autodiff import Value
from nn import losses

from . import verdict

DESIRED = [1.2, 2.8, 5.3, 6.9, 9.2, 10.8]
PREDICTIONS = [1.0, 3.0, 5.0, 7.0, 9.0, 11.0]


def _mistakes() -> list[float]:
    return [d - y for d, y in zip(DESIRED, PREDICTIONS)]


def mse_by_hand(my_mse: object) -> None:
    """Exercise 1.1: ``my_mse`` is (1/m) Σᵢ (dᵢ − yᵢ)² of ``PREDICTIONS`` against ``DESIRED``."""

    def judge() -> str:
        answer = verdict.number(my_mse, "my_mse")
        expected = losses.mse([Value(p) for p in PREDICTIONS], DESIRED).data
        e = _mistakes()
        m = len(e)
        verdict.expect(
            answer,
            expected,
            "my_mse",
            (
                sum(x * x for x in e),
                f"that is the sum of the squares; the mean divides it by m = {m}",
            ),
            (sum(abs(x) for x in e) / m, "that is the MAE: square each mistake instead"),
            (sum(e) / m, "that is the mean signed mistake: signs cancel, square each mistake"),
            ((sum(e) / m) ** 2, "square each mistake first, then take the mean"),
        )
        return f"MSE = {expected:.4f}, as nn.mse says"

    verdict.run("1.1", judge)


def mae_by_hand(my_mae: object) -> None:
    """Exercise 1.2: ``my_mae`` is (1/m) Σᵢ |dᵢ − yᵢ| of ``PREDICTIONS`` against ``DESIRED``."""

    def judge() -> str:
        answer = verdict.number(my_mae, "my_mae")
        expected = losses.mae([Value(p) for p in PREDICTIONS], DESIRED).data
        e = _mistakes()
        m = len(e)
        verdict.expect(
            answer,
            expected,
            "my_mae",
            (sum(abs(x) for x in e), f"that is the sum of |d − y|; the mean divides it by m = {m}"),
            (sum(e) / m, "that is the mean signed mistake: take |d − y| of each, signs cancel"),
            (sum(x * x for x in e) / m, "that is the MSE: take absolute values, not squares"),
        )
        return f"MAE = {expected:.4f}, as nn.mae says"

    verdict.run("1.2", judge)
