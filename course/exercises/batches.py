"""Notebook 08's exercises: updates per epoch for each batch size; a batch gradient is a mean.

8.1 asks how many updates one epoch over 40 examples makes with ``batch_size`` None, 1, 8
and 7: the check trains one epoch of each with ``nn.fit`` and counts. 8.2 asks for the
full-batch gradient of the mean loss (1/n)Σ(w·xᵢ − dᵢ)² at w = 1 over ``EXAMPLES``.
"""

from __future__ import annotations

from autodiff import Value
from nn.datasets import regression_1d
from nn.module import MLP
from nn.optim import SGD
from nn.train import fit

from . import verdict

BATCH_SIZES = (None, 1, 8, 7)
N_EXAMPLES = 40


@verdict.reference
def _updates_in_one_epoch(batch_size: int | None) -> int:
    X, y = regression_1d(N_EXAMPLES, noise=0.1, seed=0)
    model = MLP(1, [2, 1], seed=0)
    history = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.01),
                  epochs=1, batch_size=batch_size, progress=False)  # fmt: skip
    return len(history.step_loss)


def updates_per_epoch(my_updates: object) -> None:
    """Exercise 8.1: ``my_updates[b]`` = updates in one epoch of 40 examples, b in None, 1, 8, 7."""

    def judge() -> str:
        if verdict.is_placeholder(my_updates):
            raise verdict.Placeholder("replace the ... with a dict batch_size -> updates")
        if not isinstance(my_updates, dict):
            raise verdict.Wrong(f"my_updates should be a dict, got {type(my_updates).__name__}")
        missing = [b for b in BATCH_SIZES if b not in my_updates]
        if missing:
            raise verdict.Wrong(f"give an answer for every batch size; missing: {missing}")
        for b in BATCH_SIZES:
            answer = verdict.number(my_updates[b], f"my_updates[{b}]")
            expected = _updates_in_one_epoch(b)
            if answer != expected:
                if b == 7 and answer == N_EXAMPLES // 7:
                    raise verdict.Wrong("batch_size=7: the last, smaller batch makes an update too")
                if b is None:
                    raise verdict.Wrong("batch_size=None: all 40 examples form one batch")
                raise verdict.Wrong(
                    f"batch_size={b}: one epoch makes a different number of updates"
                )
        return "updates per epoch = ⌈n / batch size⌉, one for the full batch"

    verdict.run("8.1", judge)


EXAMPLES = ((1.0, 2.0), (2.0, 1.0), (3.0, 5.0))
W = 1.0


def batch_gradient(my_batch_grad: object) -> None:
    """Exercise 8.2: d/dw of (1/n)Σᵢ(w·xᵢ − dᵢ)² at w = 1: the mean of the examples' slopes."""

    def judge() -> str:
        answer = verdict.number(my_batch_grad, "my_batch_grad")
        w = Value(W)
        terms = [(w * x - d) ** 2 for x, d in EXAMPLES]
        loss = terms[0]
        for t in terms[1:]:
            loss = loss + t
        (loss * (1 / len(EXAMPLES))).backward()
        per_example = [2 * x * (W * x - d) for x, d in EXAMPLES]
        verdict.expect(
            answer,
            w.grad,
            "my_batch_grad",
            (
                sum(per_example),
                "that is the sum of the slopes; the mean loss's slope is their mean",
            ),
            (per_example[0], "that is the first example's slope alone (a stochastic step's)"),
            (sum(x * (W * x - d) for x, d in EXAMPLES) / 3, "d/dw (wx − d)² = 2x(wx − d): the 2"),
        )
        return "the full-batch gradient is the mean of the per-example gradients"

    verdict.run("8.2", judge)
