"""Switches that change how operations record the graph: ``no_grad`` and ``detect_anomaly``.

Both are context managers over one small piece of module state that every operation
reads once. They are not thread-safe: the engine is single-threaded by design.
"""

from __future__ import annotations

import os
import sys
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

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


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


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Stop at the first NaN or infinity, naming the operation and where its node was made.

    Inside the block every new ``Value`` remembers the ``file:line`` that created it,
    every operation checks that its output and local derivatives are finite, and
    ``backward()`` checks every gradient it passes on. The first non-finite number
    raises ``FloatingPointError`` naming the op, the node's label and that place.
    It is slow on purpose: use it to find a bug, not to train.
    """
    previous = state.anomaly
    state.anomaly = True
    try:
        yield
    finally:
        state.anomaly = previous
        if not previous:
            state.origins.clear()


def caller_location() -> str:
    """``file:line`` of the first frame outside this package: where the user made a node."""
    frame = sys._getframe(1)
    while frame is not None and os.path.dirname(
        os.path.abspath(frame.f_code.co_filename)
    ) == _PACKAGE_DIR:
        frame = frame.f_back  # type: ignore[assignment]  # None ends the loop
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"
