"""Timing with the garbage collector on (as users run) and off (the engine's own work).

Python frees most objects by reference counting the moment they become unreachable;
the *cyclic* garbage collector additionally wakes up every few hundred allocations
and scans the young objects for reference cycles, and now and then scans all of them.
A graph whose nodes hold closures that point back at the node (micrograd's) forms
cycles, so its garbage waits for that collector; our nodes form no cycles. Timing
both ways separates "what a user waits for" from "what the engine's code costs".
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

GC_MODES = ("on", "off")


@dataclass
class Timing:
    """All runs of one timed callable, in seconds per run, divided by ``per`` if given."""

    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median run: robust to the odd slow run on a shared machine."""
        return statistics.median(self.runs)

    @property
    def minimum(self) -> float:
        """The fastest wall-clock run: the one least disturbed by other processes."""
        return min(self.runs)

    @property
    def cpu_median(self) -> float:
        """The median CPU time of this process per run: waiting for a busy core is not counted."""
        return statistics.median(self.cpu)


def time_engines(
    steps: dict[str, Callable[[], object]],
    rounds: int,
    runs: int | dict[str, int],
    per: float = 1.0,
    warm_up: bool = True,
) -> dict[str, dict[str, Timing]]:
    """Time every engine's ``step`` with the collector on, then off: ``{engine: {mode: Timing}}``.

    The engines take turns: ``rounds`` rounds, in each a block of ``runs`` calls per
    engine (a number, or one per engine), so a burst of load from other processes on
    a shared machine lands on every engine alike instead of on whichever ran then.
    ``gc.collect()`` runs before each engine's block, so no engine pays for another's
    garbage. With the collector on, it then runs whenever Python decides, as in a
    user's program, including on garbage left by the previous call. With it off,
    every timed call is preceded by ``gc.collect(); gc.disable()`` and followed by
    ``gc.enable()``.

    ``gc.collect()`` walks every object in the process and so evicts the CPU caches;
    a workload of a millisecond would be charged for the cold start. With
    ``warm_up``, one untimed call follows each ``gc.collect()``; with the collector
    off, its cyclic garbage (micrograd's) is then freed by ``gc.collect(0)``, which
    walks only the objects made since, so the timed call starts warm and on a clean
    heap. Each run is divided by ``per`` (e.g. the number of nodes, for time per node).
    """
    counts = runs if isinstance(runs, dict) else {engine: runs for engine in steps}
    result = {engine: {mode: Timing() for mode in GC_MODES} for engine in steps}
    clock, cpu_clock = time.perf_counter, time.process_time
    for mode in GC_MODES:
        for _ in range(rounds):
            for engine, step in steps.items():
                gc.collect()
                if warm_up and mode == "on":
                    step()
                for _ in range(counts[engine]):
                    if mode == "off":
                        gc.collect()
                        gc.disable()
                    try:
                        if warm_up and mode == "off":
                            step()
                            gc.collect(0)
                        cpu_start, start = cpu_clock(), clock()
                        step()
                        elapsed, cpu_elapsed = clock() - start, cpu_clock() - cpu_start
                    finally:
                        gc.enable()
                    result[engine][mode].runs.append(elapsed / per)
                    result[engine][mode].cpu.append(cpu_elapsed / per)
    return result
