"""fit(..., engine=...): one argument picks how a step runs; the old flags still work, warned."""

from __future__ import annotations

import warnings

import pytest

import nn
from nn.train import ENGINES


def _run(**how: object) -> tuple[list[float], list[float]]:
    X, labels = nn.moons(16, noise=0.1, seed=2)
    model = nn.MLP(2, [5, 1], seed=3)
    history = nn.fit(
        model, X, nn.signed(labels), loss="hinge", epochs=3, batch_size=6, progress=False, **how
    )
    return history.step_loss, [p.data for p in model.parameters()]


def test_every_engine_gives_the_same_history() -> None:
    """rebuild, replay and compile: the same losses and weights to the last bit."""
    assert ENGINES == ("rebuild", "replay", "compile", "batched")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # engine= itself warns about nothing
        runs = [_run(engine=engine) for engine in ENGINES[:3]]
    assert runs[0] == runs[1] == runs[2]  # batched: to 1e-9, in tests/batched/test_fit.py


@pytest.mark.parametrize(
    ("flags", "engine"),
    [({"replay": True}, "replay"), ({"compile": True}, "compile"), ({"replay": False}, "rebuild")],
)
def test_the_old_flags_still_work_with_a_deprecation_warning(
    flags: dict[str, bool], engine: str
) -> None:
    """replay=True / compile=True run as engine='replay' / 'compile', and say so."""
    with pytest.warns(DeprecationWarning, match=rf"use fit\(engine='{engine}'\)"):
        old = _run(**flags)
    assert old == _run(engine=engine)


def test_an_unknown_engine_or_both_spellings_are_refused() -> None:
    """A misspelt engine is named in the error; engine= with an old flag is ambiguous."""
    with pytest.raises(
        ValueError,
        match=r"engine must be one of 'rebuild', 'replay', 'compile', 'batched', got 'jit'",
    ):
        _run(engine="jit")
    with pytest.raises(ValueError, match="use engine= alone"):
        _run(engine="compile", replay=True)
