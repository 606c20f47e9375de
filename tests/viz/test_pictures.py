"""Pictures a student can read: every drawing's text is at least 11 px high where it is shown.

Text height is computed, not guessed: Graphviz writes each text's font size (points) into
the SVG, and the SVG's width (points) against the PNG's width (pixels) gives pixels per
point; a picture wider than a notebook (960 px) is shown scaled down to it.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff import Value, draw_dot, render, to_svg
from autodiff.viz.draw import MIN_TEXT_PX
from nn import MLP, half_squared_error

ROOT = Path(__file__).resolve().parents[2]
SHOWN_WIDTH = 960  # px: a notebook's output area, and what a PNG wider than it is scaled to

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def smallest_text_px(svg: str, png_width: int, shown_width: int = SHOWN_WIDTH) -> float:
    """The smallest text's font size in pixels, as the PNG of ``svg`` is shown."""
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg)[1])  # type: ignore[index]
    scale = re.search(r'class="graph" transform="scale\(([\d.]+)', svg)
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    shown = min(png_width, shown_width)
    return min(sizes) * (float(scale[1]) if scale else 1.0) * shown / width_pt


def _network_loss() -> Value:
    """Notebook 7's network: 2 inputs, 2 sigmoid hidden neurons, a sigmoid output, E."""
    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    loss = half_squared_error(net([1.0, 0.5]), 1.0)
    loss.backward()
    return loss


def _notebook_drawings() -> list[tuple[str, int, str, bytes]]:
    """(notebook, cell, SVG, PNG) for every drawing saved in the built notebooks."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/svg+xml" in data and "image/png" in data:
                    svg = data["image/svg+xml"]
                    svg = "".join(svg) if isinstance(svg, list) else svg
                    png = base64.b64decode("".join(data["image/png"]))
                    found.append((path.stem, index, svg, png))
    return found


def test_every_notebook_drawing_has_readable_text() -> None:
    """Each drawing a notebook shows (SVG and PNG) has text >= 11 px at the shown width."""
    drawings = _notebook_drawings()
    assert len(drawings) >= 8, "the notebooks show fewer drawings than expected: built?"
    small = []
    for stem, cell, svg, png in drawings:
        width, _ = png_size(png)
        px = smallest_text_px(svg, width)
        if px < MIN_TEXT_PX:
            small.append(f"{stem} cell {cell}: {px:.1f} px ({width} px wide)")
    assert small == [], "text under 11 px: " + "; ".join(small)


@needs_dot
def test_a_folded_network_is_drawn_with_readable_text() -> None:
    """Notebook 7's folded 2-2-1 network: stacked top to bottom, text 13 px, not 5.7 px."""
    drawing = draw_dot(_network_loss(), fold="neuron")
    assert drawing.graph_attr["rankdir"] == "TB"
    width, height = png_size(drawing.pipe(format="png"))
    assert height > width  # was 960×72: a strip
    assert smallest_text_px(to_svg(drawing), width) >= MIN_TEXT_PX


@needs_dot
def test_a_small_expression_stays_left_to_right() -> None:
    """A graph that fits the page with readable text keeps the reading direction."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    drawing = draw_dot(a * b + a)
    assert drawing.graph_attr["rankdir"] == "LR"
    width, _ = png_size(drawing.pipe(format="png"))
    assert smallest_text_px(to_svg(drawing), width) >= MIN_TEXT_PX


@needs_dot
def test_render_dpi_sets_the_pngs_resolution(tmp_path: Path) -> None:
    """render(..., dpi=192) writes a PNG twice as large as the default 96 dpi."""
    loss = _network_loss()
    normal = png_size(render(loss, tmp_path / "a.png", fold="neuron").read_bytes())
    sharp = png_size(render(loss, tmp_path / "b.png", dpi=192, fold="neuron").read_bytes())
    assert sharp[0] == pytest.approx(2 * normal[0], abs=4)
    drawing = draw_dot(loss, fold="neuron")
    render(drawing, tmp_path / "c.png", dpi=144)
    assert "dpi" not in drawing.graph_attr  # the caller's drawing is left as it was
    with pytest.raises(ValueError, match="dpi"):
        render(loss, tmp_path / "d.png", dpi=0)
    with pytest.raises(ValueError, match="dpi"):
        draw_dot(loss, dpi="high")  # type: ignore[arg-type]


@needs_dot
def test_cli_draw_has_a_dpi_option(tmp_path: Path) -> None:
    """python -m autodiff draw ... -o graph.png --dpi 192: a larger, readable PNG."""
    sizes = []
    for dpi in ("96", "192"):
        out = tmp_path / f"graph{dpi}.png"
        command = ["draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "-o", str(out), "--dpi", dpi]
        done = subprocess.run(
            [sys.executable, "-m", "autodiff", *command],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        sizes.append(png_size(out.read_bytes()))
    assert sizes[1][0] == pytest.approx(2 * sizes[0][0], abs=4)
