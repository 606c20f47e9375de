"""fit(engine="batched"): the same training as the scalar engines, to 1e-9, and its refusals."""

from __future__ import annotations

import math
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="the batched engine needs NumPy (the batched extra)")

import nn  # noqa: E402


@pytest.mark.parametrize(
    ("loss", "sizes", "data"),
    [
        ("hinge", [8, 1], lambda: (nn.moons(40, seed=1)[0], nn.signed(nn.moons(40, seed=1)[1]))),
        ("mse", [6, 1], lambda: nn.regression_1d(30, seed=2)),
        ("softmax_ce", [6, 3], lambda: nn.blobs(45, seed=3)),
    ],
)
def test_batched_training_follows_the_compiled_engine(
    loss: str, sizes: list[int], data: Any
) -> None:
    """Five epochs of mini-batches with L2 and Adam: losses and weights agree to 1e-9."""
    X, y = data()
    runs = {}
    for engine in ("compile", "batched"):
        model = nn.MLP(len(X[0]), sizes, seed=4)
        history = nn.fit(
            model,
            X,
            y,
            loss=loss,
            epochs=5,
            batch_size=8,
            l2=1e-3,
            optimizer=nn.Adam(model.parameters(), lr=0.02),
            progress=False,
            engine=engine,
        )
        runs[engine] = (history, [p.data for p in model.parameters()])
    (h1, w1), (h2, w2) = runs["compile"], runs["batched"]
    assert all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(h1.loss, h2.loss))
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(w1, w2))
    assert h1.accuracy == h2.accuracy


def test_a_loss_that_is_not_a_mean_over_examples_is_refused() -> None:
    """A custom loss that sums would train with wrong numbers: it is refused at the first batch."""
    X, y = nn.regression_1d(10, seed=0)

    def summed(outputs: Any, targets: Any) -> Any:
        return nn.half_squared_error(outputs, targets, reduction="sum")

    model = nn.MLP(1, [3, 1], seed=0)
    with pytest.raises(ValueError, match="not the mean of its examples' losses"):
        nn.fit(model, X, y, loss=summed, epochs=1, progress=False, engine="batched")
