"""The modes every operation reads: record the graph? watch for NaN and infinity?

``no_grad()`` switches recording off and ``detect_anomaly()`` (in ``anomaly.py``) switches
checking on. Each mode is a ``contextvars.ContextVar``, so it belongs to the thread or the
asyncio task that opened the block: while one thread evaluates under ``no_grad()``,
another keeps building graphs, and two blocks that end out of order (threads, tasks) each
restore exactly the value they found.

Reading a context variable costs more than reading an attribute, and every operation
asks. So ``state.plain`` says, with one attribute read, that no block is open anywhere
in the process; only when one is does an operation look up its own context's modes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

recording_mode: ContextVar[bool] = ContextVar("autodiffrecording_mode", default=True)
anomaly_mode: ContextVar[bool] = ContextVar("autodiff_anomaly", default=False)


class _State:
    """What every operation checks, and the bookkeeping of open mode blocks."""

    __slots__ = ("plain", "origins", "_open", "_open_anomaly", "_lock")

    def __init__(self) -> None:
        # True while no no_grad()/detect_anomaly() block is open in any thread or task
        self.plain = True
        # node -> "file:line" where it was made; filled only inside detect_anomaly()
        self.origins: dict[Any, str] = {}
        self._open = 0
        self._open_anomaly = 0
        self._lock = threading.Lock()

    @property
    def recording(self) -> bool:
        """Whether operations in this thread/task record the graph (False inside ``no_grad()``)."""
        return self.plain or recording_mode.get()

    @property
    def anomaly(self) -> bool:
        """Whether this thread/task is inside ``detect_anomaly()``."""
        return not self.plain and anomaly_mode.get()


state = _State()


@contextmanager
def mode(var: ContextVar[bool], value: bool) -> Iterator[None]:
    """Set the mode ``var`` to ``value`` in this context for the block, then restore it."""
    token = var.set(value)
    anomaly = var is anomaly_mode
    with state._lock:
        state._open += 1
        state._open_anomaly += anomaly
        state.plain = False
    try:
        yield
    finally:
        var.reset(token)
        with state._lock:
            state._open -= 1
            state._open_anomaly -= anomaly
            state.plain = state._open == 0
            if not state._open_anomaly:
                state.origins.clear()


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph.

    Inside the block every operation returns a *leaf* ``Value`` (no parents, no local
    derivatives), so nothing is kept for a backward pass: use it for evaluation, for
    weight updates, and wherever only the numbers matter. Blocks nest; the mode is the
    current thread's (or asyncio task's) own.
    """
    with mode(recording_mode, False):
        yield
