"""Graph-shaped workloads: a long chain, a wide sum, growth with size, bytes per node.

The chain alternates ``y = y * a`` and ``y = y + b`` with two shared leaves ``a`` and
``b`` (so it exercises fan-out too); it has ``n`` op nodes. The wide sum is Python's
built-in ``sum`` over ``n`` distinct leaves. The same Python code runs on each engine;
only the ``Value`` class (or tensor factory) differs.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import micrograd.engine

import autodiff

Make = Callable[[float], Any]


def chain(make: Make, n: int) -> Any:
    """``n`` alternating ``* a`` and ``+ b`` ops on ``y = 1``: a chain of depth ``n``."""
    a, b = make(0.999), make(0.001)
    y = make(1.0)
    for _ in range(n // 2):
        y = y * a
        y = y + b
    return y


def wide_leaves(make: Make, n: int) -> list[Any]:
    """``n`` distinct leaves for the wide sum."""
    return [make(1.0 + i / n) for i in range(n)]


def makers(torch: Any | None) -> dict[str, Make]:
    """Each engine's way to make a leaf that takes part in backward."""
    found: dict[str, Make] = {
        "ours": autodiff.Value,
        "micrograd": micrograd.engine.Value,
    }
    if torch is not None:
        found["torch"] = lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True)
    return found


def backward_of(engine: str, root: Any) -> Callable[[], None]:
    """A callable that runs backward on ``root`` again and again (torch must keep its graph)."""
    if engine == "torch":
        return lambda: root.backward(retain_graph=True)
    return root.backward


@contextlib.contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Temporarily set Python's recursion limit (micrograd's backward recurses per node)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def micrograd_depth_limit(default_limit: int = 1000) -> int:
    """The longest chain micrograd's backward handles under Python's default recursion limit.

    micrograd sorts the graph with a recursive function, one Python frame per node of
    depth, so a chain longer than about the recursion limit raises ``RecursionError``.
    Found by bisection, with the limit set to Python's default of 1000.
    """
    low, high = 2, 4 * default_limit  # low works, high fails
    with recursion_limit(default_limit):
        while high - low > 2:
            middle = (low + high) // 2 // 2 * 2
            try:
                chain(micrograd.engine.Value, middle).backward()
            except RecursionError:
                high = middle
            else:
                low = middle
    return low


def bytes_per_node(make: Make, n: int) -> float:
    """Memory held by a chain of ``n`` ops, per op node, measured with ``tracemalloc``.

    Counts everything the graph keeps alive: the node objects, their parent and
    local-derivative tuples or closures, and the float objects of their data.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        root = chain(make, n)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del root
    return (after - before) / n


def build_seconds(make: Make, n: int) -> float:
    """Seconds to build one chain of ``n`` ops (for deciding what is too slow to run)."""
    start = time.perf_counter()
    chain(make, n)
    return time.perf_counter() - start
