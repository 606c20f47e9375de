"""The state every operation reads once, and ``no_grad``, which switches recording off.

``detect_anomaly`` (in ``anomaly.py``) switches the other flag. Both are context managers
over this one small piece of module state; they are not thread-safe: the engine is
single-threaded by design.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _State:
    """What every operation checks: record the graph? watch for NaN/inf?"""

    __slots__ = ("recording", "anomaly", "origins")

    def __init__(self) -> None:
        self.recording = True
        self.anomaly = False
        # node -> "file:line" where it was made; filled only inside detect_anomaly()
        self.origins: dict[Any, str] = {}


state = _State()


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph.

    Inside the block every operation returns a *leaf* ``Value`` (no parents, no local
    derivatives), so nothing is kept for a backward pass: use it for evaluation, for
    weight updates, and wherever only the numbers matter. Blocks nest.
    """
    previous = state.recording
    state.recording = False
    try:
        yield
    finally:
        state.recording = previous
