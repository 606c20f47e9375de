"""Compiled tapes (``autodiff.compile``): compile time, ``fit(engine="compile")``, 10⁶ nodes.

The moons step itself is timed with the other engines in ``bench/__main__.py`` (engine
``compiled``); this module measures what only a compiled tape has: how long compiling
takes, how it grows with the graph, and training runs end to end.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from typing import Any

import micrograd.engine
import micrograd.nn

import autodiff
import nn

from . import digits, moons


def moons_graph() -> tuple[Any, nn.MLP]:
    """The demo's loss graph on ``nn.MLP`` (8,318 nodes), as ``replay_step`` records it."""
    X, y = moons.data()
    model = nn.MLP(moons.SIZES[0], list(moons.SIZES[1:]), seed=0)
    moons._set(model.parameters(), moons.micrograd_weights())
    inputs = [list(map(autodiff.Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    total = sum(losses) * (1.0 / len(losses)) + moons.ALPHA * sum(p * p for p in model.parameters())
    return total, model


def compile_time(repeats: int) -> dict[str, Any]:
    """Seconds to compile the moons graph (generation + Python's compiler), several runs."""
    root, _ = moons_graph()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        tape = autodiff.compile(root, inner=False)
        runs.append(time.perf_counter() - start)
    return {
        "nodes": len(tape),
        "lines": tape.source.count("\n"),
        "runs": runs,
        "median": statistics.median(runs),
    }


def fit_speedup(epochs: int) -> dict[str, Any]:
    """``nn``'s demo (moons, MLP(2,[16,16,1]), hinge + 1e-4·L2, full batch): seconds per epoch."""
    X, labels = moons.data()
    out: dict[str, Any] = {}
    for mode in ("rebuilt", "replay", "compile"):
        model = nn.MLP(2, [16, 16, 1], seed=0)
        history = nn.fit(
            model,
            X,
            labels,
            loss="hinge",
            l2=1e-4,
            epochs=epochs,
            progress=False,
            optimizer=nn.SGD(model.parameters(), lr=0.5),
            engine="rebuild" if mode == "rebuilt" else mode,
        )
        seconds = history.epoch_seconds
        out[mode] = {
            "first_epoch": seconds[0],
            "later_median": statistics.median(seconds[1:]),
            "final_loss": history.loss[-1],
        }
    return out


def _micrograd_mse_step(model: Any, X: list[list[float]], y: list[int]) -> float:
    """One step of micrograd on a batch: squared error against one-hot targets.

    micrograd 0.1.0 has no ``exp``, so no softmax: the same network with this loss is the
    stand-in for its cost (a graph of about the same size).
    """
    total = micrograd.engine.Value(0.0)
    for xs, label in zip(X, y):
        outs = model(xs)
        for k, o in enumerate(outs):
            e = o - (1.0 if k == label else 0.0)
            total = total + e * e
    loss = total * (1.0 / len(X))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= 0.1 * p.grad
    return loss.data


def digits_workload(epochs: int, n: int = 500, batch: int = 50) -> dict[str, Any]:
    """MLP(64, [16, 10]), softmax cross-entropy, batches of 50, SGD lr 0.5: seconds per epoch.

    Rebuilt and replayed run 3 epochs (enough to time them), compiled runs ``epochs`` and
    is scored on 200 other generated images.
    """
    X, y = digits.digits(n, seed=0)
    X_test, y_test = digits.digits(200, seed=1)
    out: dict[str, Any] = {"examples": n, "batch": batch, "epochs": epochs}
    for mode in ("rebuilt", "replay", "compile"):
        model = nn.MLP(64, [16, 10], seed=0)
        history = nn.fit(
            model,
            X,
            y,
            loss="softmax_ce",
            epochs=epochs if mode == "compile" else 3,
            batch_size=batch,
            optimizer=nn.SGD(model.parameters(), lr=0.5),
            progress=False,
            accuracy=None,
            engine="rebuild" if mode == "rebuilt" else mode,
        )
        seconds = history.epoch_seconds
        record: dict[str, Any] = {
            "epoch_seconds": seconds,
            "later_median": statistics.median(seconds[1:]),
        }
        if mode == "compile":
            scores = [[o.data for o in model(x)] for x in X_test]
            record["test_accuracy"] = sum(
                max(range(10), key=s.__getitem__) == t for s, t in zip(scores, y_test)
            ) / len(y_test)
            record["final_loss"] = history.loss[-1]
        out[mode] = record
    # micrograd: a few steps, timed; an epoch is n / batch of them
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    model = micrograd.nn.MLP(64, [16, 10])
    steps = []
    for s in range(3):
        start = time.perf_counter()
        _micrograd_mse_step(model, X[s * batch : (s + 1) * batch], y[s * batch : (s + 1) * batch])
        steps.append(time.perf_counter() - start)
    out["micrograd"] = {
        "step_seconds": steps,
        "epoch_estimate": statistics.median(steps) * (n / batch),
    }
    return out


_BIG = """
import gc, time
import autodiff
n = {nodes}
x = autodiff.Value(0.5, label="x")
node = x
for _ in range((n - 1) // 4):  # 4 nodes a step: two constants, two ops
    node = node * 0.999 + 0.001
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1])
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak to the current resident size
before = peak()
gc.disable()
start, cpu = time.perf_counter(), time.process_time()
tape = autodiff.compile(node, inner=False, chunk={chunk})
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
after = peak()
start = time.perf_counter(); tape.forward(); tape.backward(); step = time.perf_counter() - start
print(len(tape), seconds, (after - before) / 1024, step, len(tape.source), cpu)
"""


def big_graph(sizes: tuple[int, ...], chunk: int = 20_000) -> list[dict[str, Any]]:
    """Compile time, peak memory and one step for chains up to 10⁶ nodes (one subprocess each).

    Per node figures, wall and CPU time (CPU time is what a loaded machine does not
    inflate), and the peak resident memory above the graph's own, divided by the nodes:
    issue 23's target is a 10⁶-node chain in ≤ 15 s and ≤ 1 GB, with no growth per node.
    """
    rows = []
    for n in sizes:
        code = _BIG.format(nodes=n, chunk=chunk)
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        nodes, seconds, mb, step, chars, cpu = done.stdout.split()
        rows.append(
            {
                "nodes": int(nodes),
                "compile_seconds": float(seconds),
                "microseconds_per_node": float(seconds) / int(nodes) * 1e6,
                "cpu_seconds": float(cpu),
                "cpu_microseconds_per_node": float(cpu) / int(nodes) * 1e6,
                "peak_memory_growth_mb": float(mb),
                "bytes_per_node": float(mb) * 2**20 / int(nodes),
                "step_seconds": float(step),
                "source_characters": int(chars),
            }
        )
    return rows


def main() -> None:
    """Print every figure of this module (``python -m bench.compiled``)."""
    gc.collect()
    print("compile time:", compile_time(3))
    print("fit:", fit_speedup(6))
    print("digits:", digits_workload(20))
    print("big:", big_graph((10**4, 10**5)))


if __name__ == "__main__":
    main()
