"""nn.plot: the notebooks' figures as SVG, without NumPy or matplotlib."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from nn import plot

SVG = "{http://www.w3.org/2000/svg}"


def parse(figure: plot.Figure) -> ET.Element:
    return ET.fromstring(figure.to_svg())


def texts(figure: plot.Figure) -> list[str]:
    return [t.text or "" for t in parse(figure).iter(f"{SVG}text")]


def test_a_line_plot_has_its_title_labels_ticks_and_legend() -> None:
    """Title, axis labels, round-number ticks and every labelled line in the legend."""
    fig, ax = plot.subplots(figsize=(6, 3.5))
    ax.plot([0, 1, 2, 3], [0, 1, 4, 9], color="tab:blue", label="x²")
    ax.plot([0, 3], [0, 9], "--", label="chord")
    ax.set_title("squares")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    root = parse(fig)
    assert root.get("width") == "480" and root.get("height") == "280"  # 80 px per inch
    shown = texts(fig)
    assert {"squares", "x", "y", "x²", "chord"} <= set(shown)
    assert {"0", "1", "2", "3"} <= set(shown)  # x ticks
    assert "0.0" in shown or "0" in shown
    lines = list(root.iter(f"{SVG}polyline"))
    assert any(line.get("stroke") == "#1f77b4" for line in lines)
    assert any(line.get("stroke-dasharray") == "6,3" for line in lines)


def test_labels_are_escaped_as_text() -> None:
    """A label with markup in it is shown as text, never parsed as SVG."""
    fig, ax = plot.subplots()
    ax.plot([0, 1], [0, 1], label='<script>alert("x")</script> & co')
    ax.set_title("<b>bold?</b>")
    ax.legend()
    svg = fig.to_svg()
    assert "<script>" not in svg and "<b>" not in svg
    assert '<script>alert("x")</script> & co' in texts(fig)
    assert "<b>bold?</b>" in texts(fig)


def test_log_axis_labels_powers_of_ten() -> None:
    """set_yscale('log') puts ticks at powers of ten written 10⁻³ … 10⁰."""
    fig, ax = plot.subplots()
    ax.semilogy(range(4), [1.0, 0.1, 0.01, 0.001])
    shown = texts(fig)
    assert "10⁰" in shown and "10⁻³" in shown


def test_contour_draws_each_level_where_the_surface_crosses_it() -> None:
    """Marching squares: the circle x² + y² = 1 passes through (±1, 0) and (0, ±1)."""
    grid = [-2 + 4 * i / 40 for i in range(41)]
    heights = [[x * x + y * y for x in grid] for y in grid]
    fig, ax = plot.subplots()
    contours = ax.contour(grid, grid, heights, levels=[1.0, 2.0], cmap="viridis")
    ax.clabel(contours, fontsize=7)
    (_, _, first), (_, _, second) = contours.style["levels"]
    radii = [math.hypot(x0, y0) for x0, y0, _, _ in first]
    assert first and second
    assert max(abs(r - 1.0) for r in radii) < 0.01
    assert {"1", "2"} <= set(texts(fig))  # the levels written on the lines


def test_several_axes_and_width_ratios() -> None:
    """subplots(2, 2) indexes like matplotlib's array; bad width_ratios are refused."""
    fig, axes = plot.subplots(2, 2, figsize=(8, 6))
    assert axes[1, 0] is axes.flat[2]
    assert len(list(axes)) == 2 and len(axes.flat) == 4
    for ax in axes.flat:
        ax.bar([1, 2], [3, 1], color="tab:gray")
    assert len(list(parse(fig).iter(f"{SVG}rect"))) > 8
    with pytest.raises(ValueError, match="width_ratios"):
        plot.subplots(1, 2, gridspec_kw={"width_ratios": [1]})


def test_mismatched_data_is_refused_with_its_sizes() -> None:
    """x and y of different lengths: the message gives both lengths."""
    _, ax = plot.subplots()
    with pytest.raises(ValueError, match="x has 3 values but y has 2"):
        ax.plot([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="x has 1 values but y has 2"):
        ax.scatter([1], [1, 2])


def test_show_displays_each_new_figure_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """show() hands the figures made since the last show() to IPython's display, then none."""
    pytest.importorskip("IPython")
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # as in a notebook
    plot.show()  # the figures other tests made
    shown.clear()
    first, _ = plot.subplots()
    second, _ = plot.subplots()
    plot.show()
    plot.show()
    assert shown == [first, second]
    assert first._repr_svg_().startswith("<svg")
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # a plain script
    plot.subplots()
    plot.show()
    assert shown == [first, second]


def test_decision_boundary_is_an_svg_figure(tmp_path: Path) -> None:
    """plot_decision_boundary colours both sides, draws every example and writes SVG."""
    X, labels = nn.moons(20, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    path = tmp_path / "pics" / "moons.svg"
    figure = plot.plot_decision_boundary(model, X, labels, path, steps=15, title="t <1>")
    root = ET.parse(path).getroot()
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 20
    assert "t <1>" in texts(figure)
    assert figure.axes[0].get_title() == "t <1>"
    with pytest.raises(ValueError, match="2-D points"):
        plot.plot_decision_boundary(model, [[1.0]], [1.0])


def test_savefig_refuses_other_formats(tmp_path: Path) -> None:
    """A Figure writes SVG only, and says so for another extension."""
    fig, _ = plot.subplots()
    with pytest.raises(ValueError, match="SVG only"):
        fig.savefig(tmp_path / "x.png")
