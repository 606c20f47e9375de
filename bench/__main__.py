"""``python -m bench``: every workload on every engine in one process, then the report.

Run it with ``make bench`` (a few minutes). Options: ``--quick`` (fewer repeats, no
10⁶-node graph: a smoke test of the suite itself, not for quoting) and
``--no-torch`` (skip PyTorch even when it is installed).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import itertools
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib import metadata
from typing import Any

import autodiff

from . import compiled, floor, graphs, moons, report
from .timing import GC_MODES, Timing, time_engines

CHAIN = 2_000  # micrograd's recursive backward needs the recursion limit raised even here
SCALING = (10**3, 10**4, 10**5, 10**6)


def _torch(wanted: bool) -> Any | None:
    if not wanted:
        return None
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)  # scalar work: threads only add contention on a shared machine
    return torch


def _row(
    workload: str, unit: str, per_engine: dict[str, dict[str, Timing]]
) -> list[dict[str, Any]]:
    return [
        {
            "workload": workload,
            "unit": unit,
            "gc": gc_mode,
            "median": {e: t[gc_mode].median for e, t in per_engine.items()},
            "runs": {e: t[gc_mode].runs for e, t in per_engine.items()},
        }
        for gc_mode in GC_MODES
    ]


def graph_workloads(torch: Any | None, rounds: int, runs: int) -> list[dict[str, Any]]:
    """Chain and wide sum, forward and backward separately, in µs per op node."""
    per = CHAIN / 1e6
    makers = graphs.makers(torch)
    with graphs.recursion_limit(10 * CHAIN):
        roots = {e: graphs.chain(make, CHAIN) for e, make in makers.items()}
        leaves = {e: graphs.wide_leaves(make, CHAIN) for e, make in makers.items()}
        totals = {e: sum(leaves[e]) for e in makers}
        chain_tape = autodiff.record(graphs.chain(autodiff.Value, CHAIN))
        sum_tape = autodiff.record(sum(graphs.wide_leaves(autodiff.Value, CHAIN)))
        workloads: dict[str, dict[str, Callable[[], object]]] = {
            f"chain of {CHAIN:,} ops: forward": {
                **{e: partial(graphs.chain, make, CHAIN) for e, make in makers.items()},
                "replay": chain_tape.forward,
            },
            f"chain of {CHAIN:,} ops: backward": {
                **{e: graphs.backward_of(e, root) for e, root in roots.items()},
                "replay": chain_tape.backward,
            },
            f"sum of {CHAIN:,} leaves: forward": {
                **{e: partial(sum, xs) for e, xs in leaves.items()},
                "replay": sum_tape.forward,
            },
            f"sum of {CHAIN:,} leaves: backward": {
                **{e: graphs.backward_of(e, total) for e, total in totals.items()},
                "replay": sum_tape.backward,
            },
        }
        rows = []
        for workload, steps in workloads.items():
            rows += _row(workload, "µs/op", time_engines(steps, rounds, runs, per))
    return rows


def moons_workload(torch: Any | None, rounds: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The demo's training step on every engine, after checking they compute the same losses.

    One timed step per engine per round: the finest interleaving, so that load from
    other processes on a shared machine falls on all engines alike.
    """
    X, y = moons.data()
    weights = moons.micrograd_weights()
    makers = {
        "ours": moons.ours_step,
        "replay": moons.replay_step,
        "compiled": moons.compiled_step,
        "micrograd": moons.micrograd_step,
        "floats": moons.floats_step,
        "floor": floor.floor_step,
    }
    if torch is not None:
        makers["torch"] = partial(moons.torch_step, torch)
    checks = 5
    losses = {}
    for engine, make in makers.items():
        step = make(weights, X, y)
        losses[engine] = [step() for _ in range(checks)]
    ours = losses["ours"]
    if losses["replay"] != ours:
        raise AssertionError(f"replay diverged from rebuilding: {losses['replay']} vs {ours}")
    if losses["compiled"] != ours:
        raise AssertionError(f"compiled diverged from rebuilding: {losses['compiled']} vs {ours}")
    for floats in ("floats", "floor"):
        if losses[floats][0] != ours[0]:
            raise AssertionError(
                f"the {floats} step computes another loss: {losses[floats][0]} vs {ours[0]}"
            )
    worst = {e: max(abs(a - b) / abs(b) for a, b in zip(ls, ours)) for e, ls in losses.items()}
    for engine, error in worst.items():
        if not error <= 1e-12:
            raise AssertionError(f"{engine}'s loss trajectory differs from ours by {error:.3g}")
    start = time.perf_counter()
    steps = {engine: make(weights, X, y) for engine, make in makers.items()}
    recorded = time.perf_counter() - start
    check = {
        "steps": checks,
        "losses": losses,
        "max_relative_difference_from_ours": worst,
        "replay_bit_identical": True,
        "seconds_to_set_up_all_engines_including_record": recorded,
    }
    return _row("moons MLP training step", "ms", time_engines(steps, rounds, 1, 1e-3)), check


def scaling(rounds: int, sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """Backward time per node of our chain from 10³ to 10⁶ nodes, rebuilt and replayed."""
    rows = []
    for n in sizes:
        root = graphs.chain(autodiff.Value, n)
        tape = autodiff.record(graphs.chain(autodiff.Value, n))
        runs = max(1, min(10, 3 * 10**4 // n))  # small graphs: more runs for a steady median
        timed = time_engines(
            {"ours": root.backward, "replay": tape.backward}, rounds, runs, n / 1e9
        )
        for engine, modes in timed.items():
            for gc_mode, t in modes.items():
                rows.append(
                    {
                        "engine": engine,
                        "nodes": n,
                        "gc": gc_mode,
                        "median": t.median,
                        "runs": t.runs,
                    }
                )
        del root, tape
        gc.collect()
    return rows


def peers_at_depth(torch: Any | None, quick: bool) -> list[str]:
    """Why the peers sit out the 10⁶-node graph, measured."""
    notes = []
    depth = graphs.micrograd_depth_limit()
    notes.append(
        f"micrograd's backward sorts the graph recursively, one Python frame per node of depth: "
        f"with Python's default recursion limit (1000) its longest chain is {depth:,} nodes "
        f"(RecursionError beyond), so the {CHAIN:,}-op chain runs with the limit raised to "
        f"{10 * CHAIN:,}, and the 10⁶-node graph would need it raised to over 10⁶."
    )
    if torch is not None and not quick:
        n = 10**5
        make = graphs.makers(torch)["torch"]
        start = time.perf_counter()
        root = graphs.chain(make, n)
        built = time.perf_counter() - start
        start = time.perf_counter()
        root.backward()
        back = time.perf_counter() - start
        del root
        notes.append(
            f"PyTorch on a {n:,}-op chain of 0-d tensors: {built:.2f} s to build "
            f"({built / n * 1e6:.1f} µs/op), {back:.2f} s for backward "
            f"({back / n * 1e9:,.0f} ns/node); a 10⁶-op chain would take about "
            f"{10 * (built + back):.0f} s per run, too long to repeat here."
        )
    return notes


def environment() -> dict[str, Any]:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "micrograd": version("micrograd"),
        "torch": version("torch"),
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each issue target with the measured figure and whether it is met."""
    med = {(r["workload"], r["gc"]): r["median"] for r in results["timings"]}
    step_on, step_off = (
        med[("moons MLP training step", "on")],
        med[("moons MLP training step", "off")],
    )
    out = []

    def add(text: str, value: float | None, goal: float, fmt: str, higher: bool = True) -> None:
        met = None if value is None else (value >= goal if higher else value <= goal)
        out.append(
            {
                "target": text,
                "value": value,
                "measured": "–" if value is None else fmt.format(value),
                "met": met,
            }
        )

    add(
        "training step, rebuilt, ≥ 6× micrograd, GC on",
        step_on["micrograd"] / step_on["ours"],
        6,
        "{:.1f}×",
    )
    add(
        "training step, rebuilt, ≥ 3× micrograd, GC off",
        step_off["micrograd"] / step_off["ours"],
        3,
        "{:.1f}×",
    )
    add(
        "training step, replayed, ≥ 10× micrograd, GC off",
        step_off["micrograd"] / step_off["replay"],
        10,
        "{:.1f}×",
    )
    chain = f"chain of {CHAIN:,} ops"
    for gc_mode in GC_MODES:
        f, b = med[(f"{chain}: forward", gc_mode)], med[(f"{chain}: backward", gc_mode)]
        torch_per_op = f.get("torch", math.nan) + b.get("torch", math.nan)
        ours_per_op = f["ours"] + b["ours"]
        add(
            f"forward + backward per op faster than PyTorch, GC {gc_mode} (PyTorch ÷ ours)",
            None if math.isnan(torch_per_op) else torch_per_op / ours_per_op,
            1,
            "{:.1f}×",
        )
    scale = {(r["engine"], r["nodes"], r["gc"]): r["median"] for r in results["scaling"]}
    for gc_mode in GC_MODES:
        top = max(n for (_, n, _) in scale)
        add(
            f"backward time per node at {top:,} ≤ 1.3 × at 1,000, GC {gc_mode}",
            scale[("ours", top, gc_mode)] / scale[("ours", 10**3, gc_mode)],
            1.3,
            "{:.2f}×",
            higher=False,
        )
    size = results["bytes_per_node"]
    add(
        "memory per node ≤ 1/3 of micrograd's",
        size["ours"] / size["micrograd"],
        1 / 3,
        "{:.2f} of it",
        higher=False,
    )
    return out


def summary_notes(results: dict[str, Any]) -> list[str]:
    """What the tables imply: the correctness check, distance to the floor, growth per decade."""
    check = results["moons_check"]
    others = {e: d for e, d in check["max_relative_difference_from_ours"].items() if e != "ours"}
    med = {r["gc"]: r["median"] for r in results["timings"] if r["workload"].startswith("moons")}
    off = med["off"]
    notes = [
        f"Moons check before timing, {check['steps']} steps from micrograd's seed-1337 weights: "
        "the replayed losses equal the rebuilt ones bit for bit; largest relative difference "
        "from ours: "
        + ", ".join(f"{e} {d:.1g}" for e, d in others.items())
        + " (an engine that adds up a parameter's gradient contributions in another order"
        " differs in the last bits after the first update; the first loss is identical).",
        f"Distance to the floor (GC off): the replayed step takes "
        f"{off['replay'] / off['floats']:.1f}× the time of the hand-written float step, "
        f"the rebuilt one {off['ours'] / off['floats']:.1f}×.",
    ]
    fastest = {
        r["gc"]: {e: min(runs) for e, runs in r["runs"].items()}
        for r in results["timings"]
        if r["workload"].startswith("moons")
    }
    notes.append(
        "Moons step, fastest run against fastest run (less sensitive to bursts of load "
        "from other processes than the medians): micrograd ÷ ours "
        + ", ".join(
            f"GC {m} {fastest[m]['micrograd'] / fastest[m]['ours']:.1f}× rebuilt, "
            f"{fastest[m]['micrograd'] / fastest[m]['replay']:.1f}× replayed"
            for m in GC_MODES
        )
        + "."
    )
    scale = {(r["engine"], r["nodes"], r["gc"]): r["median"] for r in results["scaling"]}
    best = {(r["engine"], r["nodes"], r["gc"]): min(r["runs"]) for r in results["scaling"]}
    sizes = sorted({n for (_, n, _) in scale})
    low, high = sizes[0], sizes[-1]
    notes.append(
        "The same growth with the fastest run at each size instead of the median (less "
        "sensitive to other processes competing for memory bandwidth, which only the big "
        "graphs feel): "
        + ", ".join(
            f"{engine} GC {m} {best[(engine, high, m)] / best[(engine, low, m)]:.2f}×"
            for engine in ("ours", "replay")
            for m in GC_MODES
        )
        + f" ({high:,} vs {low:,} nodes)."
    )
    for gc_mode in GC_MODES:
        steps = [
            f"{scale[('ours', b, gc_mode)] / scale[('ours', a, gc_mode)]:.2f}×"
            for a, b in itertools.pairwise(sizes)
        ]
        notes.append(
            f"Backward time per node, rebuilt graph, GC {gc_mode}, from one size to the next "
            f"({' → '.join(f'{n:,}' for n in sizes)}): " + ", ".join(steps) + "."
        )
    return notes


def compiled_section(quick: bool) -> dict[str, Any]:
    """The figures only a compiled tape has (``bench/compiled.py``)."""
    return {
        "compile_time": compiled.compile_time(2 if quick else 5),
        "fit": compiled.fit_speedup(3 if quick else 8),
        "digits": compiled.digits_workload(3 if quick else 20),
        "big": compiled.big_graph((10**3, 10**4) if quick else (10**4, 10**5, 10**6)),
    }


def compiled_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 14's targets, measured: moons step, distance to the floor, compile time, fit."""
    off = {r["gc"]: r["median"] for r in results["timings"] if r["workload"].startswith("moons")}
    step = off["off"]
    c = results["compiled"]
    fit = c["fit"]
    rows = [
        (
            "training step, compiled, ≥ 40× micrograd, GC off",
            step["micrograd"] / step["compiled"],
            40,
            "{:.1f}×",
            True,
        ),
        (
            "training step, compiled, ≥ 2× faster than the float step, GC off",
            step["floats"] / step["compiled"],
            2,
            "{:.2f}×",
            True,
        ),
        (
            "training step, compiled, ≥ 100× micrograd, GC off (issue 23)",
            step["micrograd"] / step["compiled"],
            100,
            "{:.1f}×",
            True,
        ),
        (
            "training step, compiled, ≥ 1.5× faster than the straight-line float floor, "
            "GC off (issue 23)",
            step["floor"] / step["compiled"],
            1.5,
            "{:.2f}×",
            True,
        ),
        (
            "compile time of the moons graph ≤ 1 s",
            c["compile_time"]["median"],
            1,
            "{:.2f} s",
            False,
        ),
        *_big_graph_targets(c["big"]),
        (
            'fit(engine="compile") ≥ 4× faster per epoch than fit() (epochs after the first)',
            fit["rebuilt"]["later_median"] / fit["compile"]["later_median"],
            4,
            "{:.1f}×",
            True,
        ),
    ]
    return [
        {
            "target": text,
            "value": value,
            "measured": fmt.format(value),
            "met": value >= goal if higher else value <= goal,
        }
        for text, value, goal, fmt, higher in rows
    ]


def _big_graph_targets(big: list[dict[str, Any]]) -> list[tuple[str, float, float, str, bool]]:
    """Issue 23's compile targets: 10⁶ nodes in ≤ 15 s and ≤ 1 GB; no growth per node."""
    # the chains have 4k + 1 nodes: 999,997 is the 10⁶ one
    million = next((r for r in big if r["nodes"] > 990_000), None)
    small, large = big[0], big[-1]
    rows: list[tuple[str, float, float, str, bool]] = [
        (
            f"compile CPU time per node at {large['nodes']:,} nodes ≤ 1.5× at "
            f"{small['nodes']:,} (no growth with the graph's size)",
            large["cpu_microseconds_per_node"] / small["cpu_microseconds_per_node"],
            1.5,
            "{:.2f}×",
            False,
        )
    ]
    if million is not None:
        rows += [
            (
                "a 10⁶-node chain compiles in ≤ 15 s",
                million["compile_seconds"],
                15,
                "{:.1f} s",
                False,
            ),
            (
                "a 10⁶-node chain compiles with peak memory ≤ 1 GB above its graph",
                million["peak_memory_growth_mb"] / 1024,
                1,
                "{:.2f} GB",
                False,
            ),
        ]
    return rows


def compiled_lines(results: dict[str, Any]) -> list[str]:
    """Markdown for the compiled section: compile time, fit, digits, big graphs (targets: above)."""
    c = results["compiled"]
    ct, fit, dg = c["compile_time"], c["fit"], c["digits"]
    lines = [
        "",
        "## Compiled tapes",
        "",
        f"- Moons graph: {ct['nodes']:,} nodes, {ct['lines']:,} lines of generated code, "
        f"compiled in {ct['median']:.2f} s (median of {len(ct['runs'])}; "
        f"runs {', '.join(f'{r:.2f}' for r in ct['runs'])}).",
        "- `nn` demo fit (moons, full batch), seconds per epoch after the first: "
        + ", ".join(f"{m} {fit[m]['later_median'] * 1e3:.1f} ms" for m in fit)
        + f"; the compiled first epoch (compiling included) {fit['compile']['first_epoch']:.2f} s; "
        "final losses equal: " + str(len({fit[m]["final_loss"] for m in fit}) == 1) + ".",
        f"- Digits (8×8, {dg['examples']} generated images, MLP(64,[16,10]), softmax CE, "
        f"batches of {dg['batch']}): seconds per epoch rebuilt "
        f"{dg['rebuilt']['later_median']:.2f}, replayed {dg['replay']['later_median']:.2f}, "
        f"compiled {dg['compile']['later_median']:.2f}; micrograd (same net, squared error: "
        f"it has no exp) would need about {dg['micrograd']['epoch_estimate']:.0f} s "
        f"(from {len(dg['micrograd']['step_seconds'])} steps). Compiled, {dg['epochs']} "
        f"epochs: test accuracy {dg['compile']['test_accuracy']:.0%} on 200 other images.",
        "",
        "| nodes | compile s | µs/node | CPU µs/node | peak memory growth MB | bytes/node "
        "| forward+backward s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in c["big"]:
        lines.append(
            f"| {r['nodes']:,} | {r['compile_seconds']:.2f} | {r['microseconds_per_node']:.1f} "
            f"| {r['cpu_microseconds_per_node']:.1f} | {r['peak_memory_growth_mb']:.0f} "
            f"| {r['bytes_per_node']:.0f} | {r['step_seconds']:.3f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="few repeats, no 10⁶ graph (smoke test)"
    )
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    torch = _torch(not args.no_torch)
    rounds, runs = (2, 1) if args.quick else (5, 2)
    results: dict[str, Any] = {"environment": environment(), "notes": []}
    # Growth with size first, on a fresh heap: after the other workloads have freed
    # hundreds of MB, new nodes land scattered in the holes, and a small graph's time
    # per node would depend on what ran before it.
    print("benchmarking: growth with graph size ...", flush=True)
    results["scaling"] = scaling(rounds, SCALING[:2] if args.quick else SCALING)
    print("benchmarking: chain and wide sum ...", flush=True)
    results["timings"] = graph_workloads(torch, rounds, runs)
    print("benchmarking: moons training step ...", flush=True)
    moons_rows, results["moons_check"] = moons_workload(torch, 8 if not args.quick else 2)
    results["timings"] += moons_rows
    results["bytes_per_node"] = {
        engine: graphs.bytes_per_node(make, 10_000) for engine, make in graphs.makers(None).items()
    }
    results["notes"] += peers_at_depth(torch, args.quick)
    if torch is None:
        results["notes"].append(
            "PyTorch was skipped (not installed, or --no-torch): its column is empty; "
            "install it with pip install torch==2.13.0."
        )
    print("benchmarking: compiled tapes (compile time, fit, digits, big graphs) ...", flush=True)
    results["compiled"] = compiled_section(args.quick)
    results["targets"] = targets(results) + compiled_targets(results)
    results["notes"] = summary_notes(results) + results["notes"]
    results["compiled_markdown"] = compiled_lines(results)
    env = results["environment"]
    env["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    env["seconds"] = time.perf_counter() - started
    # a smoke test must not overwrite the figures the README quotes
    json_path, md_path = report.write(results, "quick" if args.quick else "latest")
    print(report.markdown(results))
    print(f"written: {json_path}, {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
