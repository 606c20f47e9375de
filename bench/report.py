"""Turning measurements into the printed table, ``latest.json`` and ``latest.md``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENGINES = ("ours", "replay", "compiled", "micrograd", "torch", "floats", "floor")
HEADERS = {
    "ours": "ours",
    "replay": "ours, replay",
    "compiled": "ours, compiled",
    "micrograd": "micrograd",
    "torch": "PyTorch",
    "floats": "floats, plain loops",
    "floor": "floats, straight-line (floor)",
}
RESULTS = Path(__file__).parent / "results"


def _number(x: float | None) -> str:
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.1f}×"


def timing_table(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown lines: one row per (workload, GC mode), medians per engine and the ratios."""
    lines = [
        "| workload | GC | "
        + " | ".join(HEADERS[e] for e in ENGINES)
        + " | micrograd ÷ ours | micrograd ÷ replay |",
        "|---|---|" + "---:|" * (len(ENGINES) + 2),
    ]
    for row in rows:
        med = row["median"]
        cells = [_number(med.get(e)) for e in ENGINES]
        lines.append(
            f"| {row['workload']} ({row['unit']}) | {row['gc']} | "
            + " | ".join(cells)
            + f" | {_ratio(med.get('micrograd'), med.get('ours'))}"
            + f" | {_ratio(med.get('micrograd'), med.get('replay'))} |"
        )
    return lines


def scaling_table(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown lines: backward time per node at each size, GC on and off."""
    sizes = sorted({row["nodes"] for row in rows})
    lines = [
        "| backward of a chain, ns per node | GC | "
        + " | ".join(f"{n:,} nodes" for n in sizes)
        + " | 10⁶ ÷ 10³ |",
        "|---|---|" + "---:|" * (len(sizes) + 1),
    ]
    for engine in ("ours", "replay"):
        for gc_mode in ("on", "off"):
            per = {
                r["nodes"]: r["median"]
                for r in rows
                if r["engine"] == engine and r["gc"] == gc_mode
            }
            if not per:
                continue
            cells = [_number(per.get(n)) for n in sizes]
            ratio = per[sizes[-1]] / per[sizes[0]] if sizes[0] in per and sizes[-1] in per else None
            lines.append(
                f"| {HEADERS[engine]} | {gc_mode} | "
                + " | ".join(cells)
                + f" | {'–' if ratio is None else f'{ratio:.2f}'} |"
            )
    return lines


def markdown(results: dict[str, Any]) -> str:
    """The whole report as Markdown, the text that also goes into the README."""
    env = results["environment"]
    out = [
        f"Measured {env['date']} on {env['machine']}, Python {env['python']}, "
        f"micrograd {env['micrograd']}, PyTorch {env['torch'] or 'not installed'}; "
        f"load average {env['load_before']} before, {env['load_after']} after "
        f"({env['seconds']:.0f} s in all). Medians of several runs; "
        "ratios are between medians of the same run.",
        "",
        *timing_table(results["timings"]),
        "",
        *scaling_table(results["scaling"]),
        "",
        "| memory of a chain of 10,000 ops (tracemalloc) | bytes per node |",
        "|---|---:|",
    ]
    for engine, size in results["bytes_per_node"].items():
        out.append(f"| {HEADERS.get(engine, engine)} | {size:,.0f} |")
    out += ["", "| target | measured | met |", "|---|---|:---:|"]
    for target in results["targets"]:
        met = {True: "yes", False: "**no**", None: "n/a"}[target["met"]]
        out.append(f"| {target['target']} | {target['measured']} | {met} |")
    out += ["", *[f"- {note}" for note in results["notes"]]]
    out += results.get("compiled_markdown", [])  # compile helper (issue 14)
    return "\n".join(out) + "\n"


def write(results: dict[str, Any], name: str = "latest") -> tuple[Path, Path]:
    """Write ``NAME.json`` and ``NAME.md`` under ``bench/results/``."""
    RESULTS.mkdir(exist_ok=True)
    json_path, md_path = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(results))
    return json_path, md_path
