"""Anomaly mode: find the first NaN or infinity and the line of code that made it.

Outside ``detect_anomaly()`` none of this runs: operations and ``backward`` only test one
flag. Inside it, every node records the ``file:line`` that created it, every operation
checks its output and local derivatives, and ``backward`` takes the checked loop below.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .modes import anomaly_mode, mode, state

if TYPE_CHECKING:
    from .ops import Op
    from .value import Value

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Stop at the first NaN or infinity, naming the operation and where its node was made.

    Inside the block every new ``Value`` remembers the ``file:line`` that created it,
    every operation checks that its output and local derivatives are finite, and
    ``backward()`` checks every gradient it passes on. The first non-finite number
    raises ``FloatingPointError`` naming the op, the node's label and that place.
    It is slow on purpose: use it to find a bug, not to train. The mode is the current
    thread's (or asyncio task's) own.
    """
    with mode(anomaly_mode, True):
        yield


def caller_location() -> str:
    """``file:line`` of the first frame outside this package: where the user made a node."""
    frame = sys._getframe(1)
    while (
        frame is not None
        and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR
    ):
        frame = frame.f_back  # type: ignore[assignment]  # None ends the loop
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def describe_inputs(parents: tuple[Value, ...]) -> str:
    """The inputs' labels and values, and where they were made (in anomaly mode), for messages."""
    named = [f"{p.label!r} = {p.data!r}" for p in parents if p.label is not None]
    origins = [state.origins[p] for p in parents if p in state.origins]
    text = f" [input {', '.join(named)}]" if named else ""
    if origins:
        text += f" [made at {', '.join(origins)}]"
    return text


def check_forward(
    out: Value, op: Op, parents: tuple[Value, ...], partials: tuple[float, ...]
) -> None:
    """Remember where ``out`` was made; raise if its data or a local derivative is not finite."""
    where = caller_location()
    state.origins[out] = where
    if math.isfinite(out.data) and all(math.isfinite(d) for d in partials):
        return
    inputs = ", ".join(repr(p.data) for p in parents)
    what = "output" if not math.isfinite(out.data) else "local derivative"
    raise FloatingPointError(
        f"anomaly: {op.name}({inputs}) gave a non-finite {what} "
        f"(data {out.data!r}, partials {partials!r}) at {where}{describe_inputs(parents)}"
    )


def checked(nodes: Iterable[Value]) -> Iterator[Value]:
    """``nodes`` again, for ``chain_rule``, stopping before a node would pass a non-finite gradient.

    ``chain_rule`` takes each node from this generator and then runs its step; the check
    runs just before, on the same products ``grad · ∂node/∂parent`` the step will add.
    """
    for node in nodes:
        g = node.grad
        for partial in node._partials:
            passed = g * partial
            if not math.isfinite(passed):
                op = node._op.name if node._op is not None else "?"
                label = f" {node.label!r}" if node.label is not None else ""
                raise FloatingPointError(
                    f"anomaly: backward through {op} node{label} (data {node.data!r}, made at "
                    f"{state.origins.get(node, '<before detect_anomaly>')}) passed a non-finite "
                    f"gradient {passed!r} = grad {g!r} * local derivative {partial!r}"
                )
        yield node
