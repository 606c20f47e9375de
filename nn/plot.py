"""Figures as SVG, in pure Python: the notebooks' plots, in JupyterLab and in the browser alike.

The notebooks draw with a small piece of matplotlib's interface (``subplots``, ``ax.plot``,
``ax.scatter``, ``ax.contour``, ``ax.legend`` …) and this module implements that piece without
NumPy or matplotlib, writing SVG text. A :class:`Figure` shows itself in Jupyter through
``_repr_svg_``, which JupyterLab, JupyterLite (Pyodide has no matplotlib on the package
index) and GitHub's notebook viewer all render, so one plotting call serves every place a
notebook is opened::

    from nn import plot as plt
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot([0, 1, 2], [0, 1, 4], color="tab:blue", label="x²")
    ax.set_xlabel("x"); ax.legend(); plt.show()

``plot_decision_boundary`` colours a 2-D classifier's two sides on a grid.

Everything embedded in the SVG (titles, labels, legend entries) is escaped as text.
Sizes follow matplotlib's conventions: ``figsize`` in inches (drawn at 80 pixels per inch),
marker sizes in points, ``s`` in points².
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from autodiff import Value, no_grad

__all__ = [
    "Axes",
    "Figure",
    "cm",
    "plot_decision_boundary",
    "show",
    "subplots",
    "tight_layout",
]

DPI = 80  # pixels per inch, as the notebooks used with matplotlib
PT = DPI / 72  # pixels per point
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TAB = {
    "tab:blue": "#1f77b4",
    "tab:orange": "#ff7f0e",
    "tab:green": "#2ca02c",
    "tab:red": "#d62728",
    "tab:purple": "#9467bd",
    "tab:brown": "#8c564b",
    "tab:pink": "#e377c2",
    "tab:gray": "#7f7f7f",
    "tab:grey": "#7f7f7f",
    "tab:olive": "#bcbd22",
    "tab:cyan": "#17becf",
}
CYCLE = tuple(
    TAB[f"tab:{n}"] for n in ("blue", "orange", "green", "red", "purple", "brown", "pink")
)
CYCLE += (TAB["tab:gray"],)
SHORT = {"b": "blue", "g": "green", "r": "red", "c": "cyan", "m": "magenta", "y": "yellow"}
SHORT |= {"k": "black", "w": "white"}
DASHES = {"-": "", "solid": "", "--": "6,3", "dashed": "6,3", ":": "1.5,2.5", "dotted": "1.5,2.5"}
DASHES |= {"-.": "6,2.5,1.5,2.5", "dashdot": "6,2.5,1.5,2.5"}
# viridis at 0, 1/8, …, 1 (matplotlib's colour map, sampled); colours between are interpolated
VIRIDIS = ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"]
_unshown: list[Figure] = []


def colour(name: Any) -> str:
    """An SVG colour for a matplotlib colour name (``"tab:blue"``, ``"k"``, ``"#aabbcc"``)."""
    if isinstance(name, tuple):
        r, g, b = (round(255 * min(max(float(c), 0.0), 1.0)) for c in name[:3])
        return f"#{r:02x}{g:02x}{b:02x}"
    text = str(name)
    return TAB.get(text) or SHORT.get(text) or text


def _mix(stops: Sequence[str], t: float) -> str:
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    a, b = stops[i], stops[i + 1]
    parts = [round(int(a[k : k + 2], 16) * (1 - f) + int(b[k : k + 2], 16) * f) for k in (1, 3, 5)]
    return "#" + "".join(f"{p:02x}" for p in parts)


class _ColourMaps:
    """``cm.Greys(t)`` and ``cm.viridis(t)`` for t in [0, 1], as in ``matplotlib.cm``."""

    @staticmethod
    def Greys(t: float) -> str:
        return _mix(("#ffffff", "#000000"), t)

    @staticmethod
    def viridis(t: float) -> str:
        return _mix(VIRIDIS, t)


cm = _ColourMaps()


def _text_width(text: str, size: float) -> float:
    """An estimate of the width of ``text`` at font ``size`` px (DejaVu Sans averages 0.6 em)."""
    return 0.6 * size * len(text)


def _number(value: float, step: float) -> str:
    """A tick label: as many decimals as the step needs, with a true minus sign."""
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    while decimals < 8 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
        decimals += 1
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(exponent: int) -> str:
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def _nice_ticks(low: float, high: float, count: int) -> list[float]:
    """Round-number ticks (steps 1, 2, 2.5, 5 × 10ᵏ) covering [low, high], about ``count``."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    base = 10 ** math.floor(math.log10(raw))
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw * 0.999)
    first = math.ceil(low / step - 1e-9)
    ticks = []
    k = first
    while k * step <= high + step * 1e-9:
        ticks.append(k * step)
        k += 1
    return ticks


@dataclass
class _Scale:
    """One axis: data limits, linear or log, mapped onto a pixel range."""

    low: float = 0.0
    high: float = 1.0
    log: bool = False
    pixel_low: float = 0.0
    pixel_high: float = 1.0

    def t(self, value: float) -> float:
        if self.log:
            return math.log10(value) if value > 0 else -1e300
        return value

    def __call__(self, value: float) -> float:
        a, b = self.t(self.low), self.t(self.high)
        span = (b - a) or 1.0
        return self.pixel_low + (self.t(value) - a) / span * (self.pixel_high - self.pixel_low)

    def ticks(self, pixels: float, spacing: float) -> tuple[list[float], list[str], list[float]]:
        """Major tick positions, their labels, and minor ticks (log axes)."""
        count = max(2, int(abs(pixels) / spacing))
        if not self.log:
            ticks = _nice_ticks(self.low, self.high, count)
            step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
            return ticks, [_number(v, step) for v in ticks], []
        a, b = math.floor(math.log10(self.low) + 1e-9), math.ceil(math.log10(self.high) - 1e-9)
        stride = max(1, math.ceil((b - a + 1) / count))
        majors = [e for e in range(a, b + 1) if e % stride == 0]
        inside = [e for e in majors if self.low * 0.999 <= 10**e <= self.high * 1.001]
        minors = [
            m * 10.0**e
            for e in range(a - 1, b + 1)
            for m in range(2, 10)
            if self.low <= m * 10.0**e <= self.high
        ]
        if len(inside) < 2:  # less than a decade: label round numbers on the log axis
            ticks = _nice_ticks(self.low, self.high, 4)
            ticks = [v for v in ticks if v > 0]
            step = ticks[1] - ticks[0] if len(ticks) > 1 else self.low
            labels = [f"{v:.3g}" for v in ticks]
            return ticks, labels, minors if stride == 1 else []
        return [10.0**e for e in inside], [_power(e) for e in inside], minors if stride == 1 else []


@dataclass
class _Artist:
    """One thing drawn in an axes: kind plus its data and style (see Axes' methods)."""

    kind: str
    xs: list[float]
    ys: list[float]
    style: dict[str, Any] = field(default_factory=dict)
    label: str | None = None
    zorder: float = 2.0


def _floats(values: Iterable[Any]) -> list[float]:
    return [float(v.data if isinstance(v, Value) else v) for v in values]


def _parse_format(fmt: str) -> tuple[str | None, str | None, str | None]:
    """matplotlib's ``"-o"``, ``"x--"``, ``"r:"``: (line style, marker, colour)."""
    line = next((s for s in ("--", "-.", "-", ":") if s in fmt), None)
    rest = fmt.replace(line or "\0", "")
    marker = next((m for m in "os*x^v.+D" if m in rest), None)
    colour_letter = next((c for c in rest if c in SHORT), None)
    if line is None and marker is None:
        line = "-"
    return line, marker, colour_letter


class Axes:
    """One plotting area: its artists, limits, scales, labels and legend."""

    def __init__(self, figure: Figure, twin_of: Axes | None = None) -> None:
        self.figure = figure
        self.artists: list[_Artist] = []
        self.title = ""
        self.xlabel = ""
        self.ylabel = ""
        self.ylabel_colour = "black"
        self.xlim: tuple[float | None, float | None] = (None, None)
        self.ylim: tuple[float | None, float | None] = (None, None)
        self.xlog = False
        self.ylog = False
        self.equal = False
        self.legend_at: tuple[str, float] | None = None
        self.twin_of = twin_of
        self.twin: Axes | None = None
        self._lines = 0
        self._patches = 0

    # -- what is drawn -------------------------------------------------------------------

    def _next(self, which: str) -> str:
        if which == "line":
            self._lines += 1
            return CYCLE[(self._lines - 1) % len(CYCLE)]
        self._patches += 1
        return CYCLE[(self._patches - 1) % len(CYCLE)]

    def plot(self, *args: Any, **style: Any) -> list[_Artist]:
        """Lines through (x, y) points: ``plot(y)``, ``plot(x, y)``, ``plot(x, y, "-o")``."""
        fmt = ""
        values = list(args)
        if values and isinstance(values[-1], str):
            fmt = values.pop()
        if len(values) == 1:
            ys = _floats(values[0])
            xs = [float(i) for i in range(len(ys))]
        elif len(values) == 2:
            xs, ys = _floats(values[0]), _floats(values[1])
        else:
            raise TypeError("plot: give y, or x and y, and optionally a format such as '-o'")
        if len(xs) != len(ys):
            raise ValueError(f"plot: x has {len(xs)} values but y has {len(ys)}")
        line, marker, letter = _parse_format(fmt)
        line = style.pop("linestyle", style.pop("ls", line))
        marker = style.pop("marker", marker)
        chosen = style.pop("color", style.pop("c", letter))
        drawn = _Artist(
            "line",
            xs,
            ys,
            {
                "colour": colour(chosen) if chosen is not None else self._next("line"),
                "width": float(style.pop("linewidth", style.pop("lw", 1.5))) * PT,
                "dash": DASHES.get(str(line), "") if line not in (None, "None", "") else None,
                "marker": marker,
                "size": float(style.pop("markersize", style.pop("ms", 6))) * PT,
                "alpha": float(style.pop("alpha", 1.0)),
            },
            style.pop("label", None),
            float(style.pop("zorder", 2)),
        )
        self.artists.append(drawn)
        return [drawn]

    def semilogy(self, *args: Any, **style: Any) -> list[_Artist]:
        """``plot`` with a logarithmic y axis."""
        self.ylog = True
        return self.plot(*args, **style)

    def scatter(self, x: Iterable[Any], y: Iterable[Any], **style: Any) -> _Artist:
        """Markers at (x, y): ``s`` area in points², ``marker`` one of ``o s * x ^ v D +``."""
        xs, ys = _floats(x), _floats(y)
        if len(xs) != len(ys):
            raise ValueError(f"scatter: x has {len(xs)} values but y has {len(ys)}")
        chosen = style.pop("color", style.pop("c", None))
        fill = colour(chosen) if chosen is not None else self._next("patch")
        edge = style.pop("edgecolor", style.pop("edgecolors", None))
        drawn = _Artist(
            "scatter",
            xs,
            ys,
            {
                "colour": fill,
                "edge": colour(edge) if edge is not None else None,
                "edge_width": float(style.pop("linewidth", style.pop("linewidths", 1.0))) * PT,
                "marker": style.pop("marker", "o"),
                "size": math.sqrt(float(style.pop("s", 36))) * PT,
                "alpha": float(style.pop("alpha", 1.0)),
            },
            style.pop("label", None),
            float(style.pop("zorder", 1)),
        )
        self.artists.append(drawn)
        return drawn

    def _rule(self, kind: str, at: float, style: dict[str, Any]) -> _Artist:
        line = style.pop("linestyle", style.pop("ls", "-"))
        drawn = _Artist(
            kind,
            [at] if kind == "vline" else [],
            [at] if kind == "hline" else [],
            {
                "colour": colour(style.pop("color", style.pop("c", CYCLE[0]))),
                "width": float(style.pop("linewidth", style.pop("lw", 1.5))) * PT,
                "dash": DASHES.get(str(line), ""),
                "marker": None,
                "alpha": float(style.pop("alpha", 1.0)),
            },
            style.pop("label", None),
            float(style.pop("zorder", 2)),
        )
        self.artists.append(drawn)
        return drawn

    def axhline(self, y: float = 0.0, **style: Any) -> _Artist:
        """A horizontal line across the axes at ``y``."""
        return self._rule("hline", float(y), style)

    def axvline(self, x: float = 0.0, **style: Any) -> _Artist:
        """A vertical line across the axes at ``x``."""
        return self._rule("vline", float(x), style)

    def bar(self, x: Iterable[Any], height: Iterable[Any], **style: Any) -> _Artist:
        """Bars of ``height`` centred on ``x`` (``width`` 0.8 in data units)."""
        xs, hs = _floats(x), _floats(height)
        chosen = style.pop("color", None)
        drawn = _Artist(
            "bar",
            xs,
            hs,
            {
                "colour": colour(chosen) if chosen is not None else self._next("patch"),
                "bar_width": float(style.pop("width", 0.8)),
            },
            style.pop("label", None),
            float(style.pop("zorder", 1)),
        )
        self.artists.append(drawn)
        return drawn

    def contour(
        self,
        x: Sequence[float],
        y: Sequence[float],
        z: Sequence[Sequence[float]],
        levels: Sequence[float],
        **style: Any,
    ) -> _Artist:
        """Lines of equal height of ``z[j][i]`` at (``x[i]``, ``y[j]``), one per level.

        Coloured by ``cmap="viridis"`` over the levels, or all in ``colors``. Marching
        squares: in each grid cell the level crosses the edges whose ends lie on both
        sides of it, at the linearly interpolated point.
        """
        xs, ys = _floats(x), _floats(y)
        if len(z) != len(ys) or any(len(row) != len(xs) for row in z):
            raise ValueError("contour: z must have len(y) rows of len(x) values")
        heights = sorted(float(v) for v in levels)
        fixed = style.pop("colors", None)
        cmap = getattr(cm, str(style.pop("cmap", "viridis")))
        lines: list[tuple[float, str, list[tuple[float, float, float, float]]]] = []
        for k, level in enumerate(heights):
            t = k / (len(heights) - 1) if len(heights) > 1 else 0.5
            tint = colour(fixed) if fixed is not None else cmap(t)
            lines.append((level, tint, _march(xs, ys, z, level)))
        drawn = _Artist(
            "contour",
            [xs[0], xs[-1]],
            [ys[0], ys[-1]],
            {"levels": lines, "width": float(style.pop("linewidths", 1.5)) * PT, "labels": 0.0},
            None,
            float(style.pop("zorder", 1)),
        )
        self.artists.append(drawn)
        return drawn

    def clabel(self, contours: _Artist, fontsize: float = 10, **_: Any) -> None:
        """Write each contour line's level on it."""
        contours.style["labels"] = float(fontsize) * PT

    def quiver(
        self,
        x: Iterable[Any],
        y: Iterable[Any],
        u: Iterable[Any],
        v: Iterable[Any],
        **style: Any,
    ) -> _Artist:
        """Arrows from (x, y) along (u, v), scaled so the longest spans about one grid gap."""
        drawn = _Artist(
            "quiver",
            _floats(x),
            _floats(y),
            {"u": _floats(u), "v": _floats(v), "colour": colour(style.pop("color", "black"))},
            style.pop("label", None),
            float(style.pop("zorder", 2)),
        )
        self.artists.append(drawn)
        return drawn

    def annotate(
        self,
        text: str,
        xy: tuple[float, float],
        xytext: tuple[float, float] | None = None,
        arrowprops: dict[str, Any] | None = None,
        **style: Any,
    ) -> _Artist:
        """``text`` at ``xytext`` with an arrow to ``xy`` when ``arrowprops`` is given."""
        start = xytext if xytext is not None else xy
        props = arrowprops or {}
        drawn = _Artist(
            "annotate",
            [float(start[0]), float(xy[0])],
            [float(start[1]), float(xy[1])],
            {
                "text": str(text),
                "arrow": arrowprops is not None,
                "colour": colour(props.get("color", style.pop("color", "black"))),
                "size": float(style.pop("fontsize", 10)) * PT,
            },
            None,
            3.0,
        )
        self.artists.append(drawn)
        return drawn

    def text(self, x: float, y: float, s: str, **style: Any) -> _Artist:
        """``s`` at (x, y); ``ha`` is left (default), center or right."""
        drawn = _Artist(
            "text",
            [float(x)],
            [float(y)],
            {
                "text": str(s),
                "colour": colour(style.pop("color", "black")),
                "anchor": {"left": "start", "center": "middle", "right": "end"}[
                    style.pop("ha", style.pop("horizontalalignment", "left"))
                ],
                "size": float(style.pop("fontsize", 10)) * PT,
            },
            None,
            3.0,
        )
        self.artists.append(drawn)
        return drawn

    def twinx(self) -> Axes:
        """A second y axis on the right, sharing this axes' x axis."""
        twin = Axes(self.figure, twin_of=self)
        self.twin = twin
        return twin

    # -- labels and limits ---------------------------------------------------------------

    def set_title(self, title: str, **_: Any) -> None:
        self.title = str(title)

    def get_title(self) -> str:
        return self.title

    def set_xlabel(self, label: str, **_: Any) -> None:
        self.xlabel = str(label)

    def set_ylabel(self, label: str, color: Any = "black", **_: Any) -> None:
        self.ylabel = str(label)
        self.ylabel_colour = colour(color)

    def set_xlim(self, low: float | None = None, high: float | None = None) -> None:
        self.xlim = (low, high)

    def set_ylim(self, low: float | None = None, high: float | None = None) -> None:
        self.ylim = (low, high)

    def set_xscale(self, scale: str) -> None:
        self.xlog = scale == "log"

    def set_yscale(self, scale: str) -> None:
        self.ylog = scale == "log"

    def set_aspect(self, aspect: str) -> None:
        """``"equal"``: one unit is as long on x as on y."""
        self.equal = aspect == "equal"

    def legend(self, loc: str = "best", fontsize: float = 10, **_: Any) -> None:
        """A box naming every line or marker set that has a ``label``."""
        self.legend_at = (loc, float(fontsize) * PT)

    # -- drawing -------------------------------------------------------------------------

    def _limits(self, axis: str) -> tuple[float, float]:
        log = self.xlog if axis == "x" else self.ylog
        fixed = self.xlim if axis == "x" else self.ylim
        values: list[float] = []
        for a in self.artists:
            if a.kind in ("hline", "vline") and a.kind[0] != ("h" if axis == "y" else "v"):
                continue
            points = a.xs if axis == "x" else a.ys
            if a.kind == "bar":
                half = a.style["bar_width"] / 2
                points = [p + d for p in a.xs for d in (-half, half)] if axis == "x" else [*a.ys, 0]
            values += [p for p in points if math.isfinite(p) and (p > 0 or not log)]
        if not values:
            values = [1.0, 10.0] if log else [0.0, 1.0]
        low, high = min(values), max(values)
        tight = any(a.kind == "contour" for a in self.artists)
        t = math.log10 if log else float
        start, end = t(low), t(high)
        if end == start:
            start, end = start - 0.5, end + 0.5
        margin = 0.0 if tight else 0.05 * (end - start)  # matplotlib's default margins
        start, end = start - margin, end + margin
        low, high = (10**start, 10**end) if log else (start, end)
        low = fixed[0] if fixed[0] is not None else low
        high = fixed[1] if fixed[1] is not None else high
        return float(low), float(high)

    def _render(self, left: float, top: float, width: float, height: float) -> list[str]:
        sx = _Scale(*self._limits("x"), log=self.xlog)
        sy = _Scale(*self._limits("y"), log=self.ylog)
        if self.twin_of is not None:  # shares x with its parent
            sx = _Scale(*self.twin_of._limits("x"), log=self.twin_of.xlog)
        tick = 10 * PT
        box_top = top + (10 + 14 * PT if self.title else 8)
        box_bottom = top + height - 8 - tick - 6 - (16 if self.xlabel else 0)
        y_labels = sy.ticks(box_bottom - box_top, 40)[1]
        widest = max((_text_width(t, tick) for t in y_labels), default=0)
        box_left = left + 6 + (14 if self.ylabel else 0) + widest + 8
        right_space = 10.0
        twin = self.twin
        if twin is not None:
            twin_sy = _Scale(*twin._limits("y"), log=twin.ylog)
            twin_labels = twin_sy.ticks(box_bottom - box_top, 40)[1]
            right_space += 6 + max((_text_width(t, tick) for t in twin_labels), default=0)
            right_space += 16 if twin.ylabel else 0
        box_right = left + width - right_space
        if self.equal:  # shrink one side so that a unit is as long on both axes
            ux = (box_right - box_left) / ((sx.high - sx.low) or 1)
            uy = (box_bottom - box_top) / ((sy.high - sy.low) or 1)
            if ux > uy:
                used = uy * (sx.high - sx.low)
                box_left += (box_right - box_left - used) / 2
                box_right = box_left + used
            else:
                used = ux * (sy.high - sy.low)
                box_top += (box_bottom - box_top - used) / 2
                box_bottom = box_top + used
        sx.pixel_low, sx.pixel_high = box_left, box_right
        sy.pixel_low, sy.pixel_high = box_bottom, box_top
        out = self._frame(sx, sy, box_left, box_top, box_right, box_bottom, left, width)
        out += self._draw(sx, sy, (box_left, box_top, box_right, box_bottom))
        if twin is not None:
            twin_sy.pixel_low, twin_sy.pixel_high = box_bottom, box_top
            out += twin._draw(sx, twin_sy, (box_left, box_top, box_right, box_bottom))
            out += twin._right_axis(twin_sy, box_right, box_top, box_bottom, height)
        return out

    def _frame(
        self,
        sx: _Scale,
        sy: _Scale,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        left: float,
        width: float,
    ) -> list[str]:
        tick = 10 * PT
        out = [
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"'
            ' fill="white" stroke="none"/>'
        ]
        x_ticks, x_labels, x_minor = sx.ticks(x1 - x0, 70)
        for v, text in zip(x_ticks, x_labels):
            px = sx(v)
            if x0 - 0.5 <= px <= x1 + 0.5:
                out.append(
                    f'<line x1="{px:.1f}" y1="{y1:.1f}" x2="{px:.1f}" y2="{y1 + 4:.1f}"'
                    ' stroke="black" stroke-width="0.8"/>'
                )
                out.append(_text(px, y1 + 6 + tick * 0.8, text, tick, "middle"))
        for v in x_minor:
            px = sx(v)
            out.append(
                f'<line x1="{px:.1f}" y1="{y1:.1f}" x2="{px:.1f}" y2="{y1 + 2:.1f}"'
                ' stroke="black" stroke-width="0.6"/>'
            )
        y_ticks, y_labels, y_minor = sy.ticks(y1 - y0, 40)
        for v, text in zip(y_ticks, y_labels):
            py = sy(v)
            if y0 - 0.5 <= py <= y1 + 0.5:
                out.append(
                    f'<line x1="{x0 - 4:.1f}" y1="{py:.1f}" x2="{x0:.1f}" y2="{py:.1f}"'
                    ' stroke="black" stroke-width="0.8"/>'
                )
                out.append(_text(x0 - 6, py + tick * 0.35, text, tick, "end"))
        for v in y_minor:
            py = sy(v)
            out.append(
                f'<line x1="{x0 - 2:.1f}" y1="{py:.1f}" x2="{x0:.1f}" y2="{py:.1f}"'
                ' stroke="black" stroke-width="0.6"/>'
            )
        if self.xlabel:
            out.append(_text((x0 + x1) / 2, y1 + 8 + tick + 13, self.xlabel, 10 * PT, "middle"))
        if self.ylabel:
            # a label turned upright has its glyphs to the left of its baseline
            label_x = x0 - 8 - max((_text_width(t, tick) for t in y_labels), default=0) - 3
            out.append(
                _text(
                    label_x,
                    (y0 + y1) / 2,
                    self.ylabel,
                    10 * PT,
                    "middle",
                    rotate=True,
                    fill=self.ylabel_colour,
                )
            )
        if self.title:
            out.append(_text((x0 + x1) / 2, y0 - 8, self.title, 12 * PT, "middle"))
        return out

    def _right_axis(self, sy: _Scale, x1: float, y0: float, y1: float, height: float) -> list[str]:
        tick = 10 * PT
        out = []
        ticks, labels, _ = sy.ticks(y1 - y0, 40)
        for v, text in zip(ticks, labels):
            py = sy(v)
            if y0 - 0.5 <= py <= y1 + 0.5:
                out.append(
                    f'<line x1="{x1:.1f}" y1="{py:.1f}" x2="{x1 + 4:.1f}" y2="{py:.1f}"'
                    ' stroke="black" stroke-width="0.8"/>'
                )
                out.append(_text(x1 + 6, py + tick * 0.35, text, tick, "start"))
        if self.ylabel:
            widest = max((_text_width(t, tick) for t in labels), default=0)
            out.append(
                _text(
                    x1 + 6 + widest + 13,
                    (y0 + y1) / 2,
                    self.ylabel,
                    10 * PT,
                    "middle",
                    rotate=True,
                    fill=self.ylabel_colour,
                )
            )
        return out

    def _draw(self, sx: _Scale, sy: _Scale, box: tuple[float, float, float, float]) -> list[str]:
        x0, y0, x1, y1 = box
        clip = f"clip{id(self)}"
        out = [
            f'<clipPath id="{clip}"><rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}"'
            f' height="{y1 - y0:.1f}"/></clipPath>',
            f'<g clip-path="url(#{clip})">',
        ]
        for artist in sorted(self.artists, key=lambda a: a.zorder):
            out += _ARTISTS[artist.kind](artist, sx, sy, box)
        out.append("</g>")
        out.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"'
            ' fill="none" stroke="black" stroke-width="0.8"/>'
        )
        if self.legend_at is not None:
            out += self._legend(sx, sy, box)
        return out

    def _legend(self, sx: _Scale, sy: _Scale, box: tuple[float, float, float, float]) -> list[str]:
        assert self.legend_at is not None
        loc, size = self.legend_at
        entries = [a for a in self.artists if a.label and not str(a.label).startswith("_")]
        if not entries:
            return []
        x0, y0, x1, y1 = box
        row = size * 1.45
        width = 8 + 26 + max(_text_width(str(a.label), size) for a in entries) + 8
        height = 6 + row * len(entries) + 2
        pad = 6.0
        spots = {
            "upper right": (x1 - pad - width, y0 + pad),
            "upper left": (x0 + pad, y0 + pad),
            "lower left": (x0 + pad, y1 - pad - height),
            "lower right": (x1 - pad - width, y1 - pad - height),
            "upper center": ((x0 + x1 - width) / 2, y0 + pad),
            "lower center": ((x0 + x1 - width) / 2, y1 - pad - height),
            "center right": (x1 - pad - width, (y0 + y1 - height) / 2),
            "center left": (x0 + pad, (y0 + y1 - height) / 2),
        }
        if loc in spots:
            lx, ly = spots[loc]
        else:  # "best": the corner covering the fewest drawn points
            points = [
                (sx(x), sy(y))
                for a in self.artists
                if a.kind in ("line", "scatter")
                for x, y in zip(a.xs, a.ys)
                if math.isfinite(x) and math.isfinite(y) and (not sy.log or y > 0)
            ]
            order = ["upper right", "upper left", "lower left", "lower right"]

            def covered(name: str) -> int:
                bx, by = spots[name]
                return sum(bx <= px <= bx + width and by <= py <= by + height for px, py in points)

            lx, ly = spots[min(order, key=covered)]
        out = [
            f'<rect x="{lx:.1f}" y="{ly:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3"'
            ' fill="white" fill-opacity="0.85" stroke="#cccccc" stroke-width="0.8"/>'
        ]
        for i, a in enumerate(entries):
            cy = ly + 4 + row * (i + 0.5)
            sample_x = lx + 8
            if a.kind in ("line", "hline", "vline"):
                s = a.style
                if s.get("dash") is not None:
                    out.append(_polyline([(sample_x, cy), (sample_x + 22, cy)], s))
                if s.get("marker"):
                    out.append(
                        _marker(
                            sample_x + 11,
                            cy,
                            s["marker"],
                            s["size"],
                            s["colour"],
                            None,
                            1.0,
                            s["alpha"],
                        )
                    )
            elif a.kind == "scatter":
                s = a.style
                out.append(
                    _marker(
                        sample_x + 11,
                        cy,
                        s["marker"],
                        min(s["size"], 10.0),
                        s["colour"],
                        s["edge"],
                        s["edge_width"],
                        s["alpha"],
                    )
                )
            elif a.kind == "bar":
                out.append(
                    f'<rect x="{sample_x + 4:.1f}" y="{cy - 4:.1f}" width="14" height="8"'
                    f' fill="{escape(a.style["colour"])}"/>'
                )
            out.append(_text(sample_x + 28, cy + size * 0.35, str(a.label), size, "start"))
        return out


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    anchor: str,
    *,
    rotate: bool = False,
    fill: str = "black",
) -> str:
    turn = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if rotate else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" text-anchor="{anchor}"'
        f' fill="{escape(fill)}"{turn}>{escape(text)}</text>'
    )


def _polyline(points: Sequence[tuple[float, float]], style: dict[str, Any]) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = f' stroke-dasharray="{style["dash"]}"' if style.get("dash") else ""
    alpha = f' stroke-opacity="{style["alpha"]}"' if style.get("alpha", 1.0) < 1 else ""
    return (
        f'<polyline points="{path}" fill="none" stroke="{escape(style["colour"])}"'
        f' stroke-width="{style["width"]:.2f}" stroke-linejoin="round"{dash}{alpha}/>'
    )


def _marker(
    x: float,
    y: float,
    shape: str,
    size: float,
    fill: str,
    edge: str | None,
    edge_width: float,
    alpha: float,
) -> str:
    """A marker ``size`` pixels across, centred on (x, y)."""
    r = size / 2
    paint = f'fill="{escape(fill)}"'
    if edge is not None:
        paint += f' stroke="{escape(edge)}" stroke-width="{edge_width:.2f}"'
    if alpha < 1:
        paint += f' fill-opacity="{alpha}"'
    if shape == "s":
        corner = f'x="{x - r:.1f}" y="{y - r:.1f}"'
        return f'<rect {corner} width="{size:.1f}" height="{size:.1f}" {paint}/>'
    if shape in ("x", "+"):
        d = r if shape == "+" else r * 0.8
        if shape == "x":
            lines = f"M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}"
            lines += f"M{x - d:.1f},{y + d:.1f}L{x + d:.1f},{y - d:.1f}"
        else:
            lines = (
                f"M{x - d:.1f},{y:.1f}L{x + d:.1f},{y:.1f}M{x:.1f},{y - d:.1f}L{x:.1f},{y + d:.1f}"
            )
        return f'<path d="{lines}" stroke="{escape(fill)}" stroke-width="1.5" fill="none"/>'
    if shape in ("*", "^", "v", "D"):
        if shape == "*":
            corners = [
                (
                    x + (r if k % 2 == 0 else r * 0.4) * math.sin(k * math.pi / 5),
                    y - (r if k % 2 == 0 else r * 0.4) * math.cos(k * math.pi / 5),
                )
                for k in range(10)
            ]
        elif shape == "D":
            corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        else:
            s = -1 if shape == "^" else 1
            corners = [(x, y + s * r), (x + r, y - s * r), (x - r, y - s * r)]
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)
        return f'<polygon points="{pts}" {paint}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'


def _draw_line(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    s = a.style
    out: list[str] = []
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(a.xs, a.ys):
        ok = math.isfinite(x) and math.isfinite(y) and (not sx.log or x > 0)
        ok = ok and (not sy.log or y > 0)
        if ok:
            runs[-1].append((sx(x), sy(y)))
        elif runs[-1]:
            runs.append([])
    if s["dash"] is not None:
        out += [_polyline(run, s) for run in runs if len(run) > 1]
    if s["marker"]:
        out += [
            _marker(px, py, s["marker"], s["size"], s["colour"], None, 1.0, s["alpha"])
            for run in runs
            for px, py in run
        ]
    return out


def _draw_scatter(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    s = a.style
    return [
        _marker(
            sx(x),
            sy(y),
            s["marker"],
            s["size"],
            s["colour"],
            s["edge"],
            s["edge_width"],
            s["alpha"],
        )
        for x, y in zip(a.xs, a.ys)
    ]


def _draw_rule(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    x0, y0, x1, y1 = box
    if a.kind == "hline":
        points = [(x0, sy(a.ys[0])), (x1, sy(a.ys[0]))]
    else:
        points = [(sx(a.xs[0]), y0), (sx(a.xs[0]), y1)]
    return [_polyline(points, a.style)]


def _draw_bar(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    half = a.style["bar_width"] / 2
    out = []
    for x, h in zip(a.xs, a.ys):
        left, right = sx(x - half), sx(x + half)
        top, bottom = sorted((sy(h), sy(0.0)))
        out.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}"'
            f' height="{bottom - top:.1f}" fill="{escape(a.style["colour"])}"/>'
        )
    return out


def _march(
    xs: Sequence[float], ys: Sequence[float], z: Sequence[Sequence[float]], level: float
) -> list[tuple[float, float, float, float]]:
    """The segments where ``z`` crosses ``level``, cell by cell (marching squares)."""
    segments = []
    for j in range(len(ys) - 1):
        for i in range(len(xs) - 1):
            corners = [
                (xs[i], ys[j], float(z[j][i])),
                (xs[i + 1], ys[j], float(z[j][i + 1])),
                (xs[i + 1], ys[j + 1], float(z[j + 1][i + 1])),
                (xs[i], ys[j + 1], float(z[j + 1][i])),
            ]
            crossings = []
            for k in range(4):
                (xa, ya, za), (xb, yb, zb) = corners[k], corners[(k + 1) % 4]
                if (za < level) != (zb < level):
                    f = (level - za) / (zb - za)
                    crossings.append((xa + f * (xb - xa), ya + f * (yb - ya)))
            if len(crossings) == 2:
                segments.append((*crossings[0], *crossings[1]))
            elif len(crossings) == 4:  # a saddle: pair the crossings by the cell's mean
                middle = sum(c[2] for c in corners) / 4
                a, b, c, d = crossings
                if (middle < level) == (corners[0][2] < level):
                    segments += [(*a, *b), (*c, *d)]
                else:
                    segments += [(*a, *d), (*b, *c)]
    return segments


def _draw_contour(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    out = []
    label_size = a.style["labels"]
    for level, tint, segments in a.style["levels"]:
        if not segments:
            continue
        d = "".join(
            f"M{sx(x0):.1f},{sy(y0):.1f}L{sx(x1):.1f},{sy(y1):.1f}" for x0, y0, x1, y1 in segments
        )
        out.append(
            f'<path d="{d}" fill="none" stroke="{escape(tint)}"'
            f' stroke-width="{a.style["width"]:.2f}" stroke-linecap="round"/>'
        )
        if label_size:  # on the line's far point towards the lower right: labels form a ray
            x0, y0, x1, y1 = max(segments, key=lambda g: sx(g[0]) + sy(g[1]) * 1.7)
            px, py = sx((x0 + x1) / 2), sy((y0 + y1) / 2)
            text = f"{level:g}".replace("-", "−")
            w = _text_width(text, label_size) + 2
            out.append(
                f'<rect x="{px - w / 2:.1f}" y="{py - label_size * 0.6:.1f}"'
                f' width="{w:.1f}" height="{label_size * 1.2:.1f}" fill="white"/>'
            )
            out.append(_text(px, py + label_size * 0.35, text, label_size, "middle", fill=tint))
    return out


def _arrow(x0: float, y0: float, x1: float, y1: float, tint: str, width: float) -> list[str]:
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return []
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head = min(8.0, 0.45 * length)
    bx, by = x1 - ux * head, y1 - uy * head
    wing = head * 0.45
    corners = [(x1, y1), (bx - uy * wing, by + ux * wing), (bx + uy * wing, by - ux * wing)]
    pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)
    return [
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{escape(tint)}"'
        f' stroke-width="{width:.1f}"/>',
        f'<polygon points="{pts}" fill="{escape(tint)}"/>',
    ]


def _draw_quiver(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    s = a.style
    starts = [(sx(x), sy(y)) for x, y in zip(a.xs, a.ys)]
    gaps = [
        math.hypot(p[0] - q[0], p[1] - q[1]) for i, p in enumerate(starts) for q in starts[i + 1 :]
    ]
    gap = min((g for g in gaps if g > 1), default=40.0)
    # directions in data units, drawn in pixels: the y axis points down on screen
    vectors = [
        (sx(x + u) - sx(x), sy(y + v) - sy(y)) for x, y, u, v in zip(a.xs, a.ys, s["u"], s["v"])
    ]
    longest = max((math.hypot(*p) for p in vectors), default=0.0) or 1.0
    out = []
    for (px, py), (du, dv) in zip(starts, vectors):
        k = 0.9 * gap / longest
        out += _arrow(px, py, px + du * k, py + dv * k, s["colour"], 1.6)
    return out


def _draw_annotate(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    s = a.style
    x0, y0, x1, y1 = sx(a.xs[0]), sy(a.ys[0]), sx(a.xs[1]), sy(a.ys[1])
    out = _arrow(x0, y0, x1, y1, s["colour"], 1.2) if s["arrow"] else []
    if s["text"]:
        out.append(_text(x0, y0, s["text"], s["size"], "middle", fill=s["colour"]))
    return out


def _draw_text(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    s = a.style
    return [_text(sx(a.xs[0]), sy(a.ys[0]), s["text"], s["size"], s["anchor"], fill=s["colour"])]


def _draw_cells(a: _Artist, sx: _Scale, sy: _Scale, box: tuple[float, ...]) -> list[str]:
    """Filled runs of grid cells (the decision boundary's two sides)."""
    out = []
    for x_low, x_high, y_low, y_high, tint in a.style["cells"]:
        left, right = sx(x_low), sx(x_high)
        top, bottom = sorted((sy(y_high), sy(y_low)))
        out.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left + 0.5:.1f}"'
            f' height="{bottom - top + 0.5:.1f}" fill="{escape(tint)}"/>'
        )
    return out


_ARTISTS: dict[str, Callable[[_Artist, _Scale, _Scale, tuple[float, ...]], list[str]]] = {
    "line": _draw_line,
    "scatter": _draw_scatter,
    "hline": _draw_rule,
    "vline": _draw_rule,
    "bar": _draw_bar,
    "contour": _draw_contour,
    "quiver": _draw_quiver,
    "annotate": _draw_annotate,
    "text": _draw_text,
    "cells": _draw_cells,
}


class Figure:
    """A drawing of one or more axes; Jupyter shows it as SVG (``_repr_svg_``)."""

    def __init__(
        self, size: tuple[float, float], rows: int, cols: int, widths: Sequence[float]
    ) -> None:
        self.width = float(size[0]) * DPI
        self.height = float(size[1]) * DPI
        self.rows, self.cols = rows, cols
        self.widths = [float(w) for w in widths]
        self.axes = [Axes(self) for _ in range(rows * cols)]

    def to_svg(self) -> str:
        """The figure as a standalone SVG document."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}"'
            f' height="{self.height:.0f}" viewBox="0 0 {self.width:.0f} {self.height:.0f}"'
            f' font-family="{FONT}">',
            f'<rect width="{self.width:.0f}" height="{self.height:.0f}" fill="white"/>',
        ]
        cell_height = self.height / self.rows
        total = sum(self.widths)
        for index, axes in enumerate(self.axes):
            row, col = divmod(index, self.cols)
            left = self.width * sum(self.widths[:col]) / total
            width = self.width * self.widths[col] / total
            parts += axes._render(left, row * cell_height, width, cell_height)
        parts.append("</svg>")
        return "\n".join(parts)

    def _repr_svg_(self) -> str:
        if self in _unshown:
            _unshown.remove(self)  # shown as the cell's value: show() need not show it again
        return self.to_svg()

    def savefig(self, path: str | os.PathLike[str]) -> None:
        """Write the figure as SVG (the file name must end in ``.svg``)."""
        if not os.fspath(path).endswith(".svg"):
            raise ValueError(f"savefig: this figure writes SVG only, not {os.fspath(path)!r}")
        directory = os.path.dirname(os.fspath(path))
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.to_svg())


class AxesGrid:
    """The axes of a figure with several: ``axes[0]``, ``axes[row, col]``, ``axes.flat``."""

    def __init__(self, axes: list[Axes], rows: int, cols: int) -> None:
        self.flat = axes
        self.rows, self.cols = rows, cols

    def __getitem__(self, key: int | tuple[int, int]) -> Any:
        if isinstance(key, tuple):
            return self.flat[key[0] * self.cols + key[1]]
        if self.rows > 1 and self.cols > 1:
            return self.flat[key * self.cols : (key + 1) * self.cols]
        return self.flat[key]

    def __iter__(self) -> Iterator[Any]:
        if self.rows > 1 and self.cols > 1:
            return iter([self[r] for r in range(self.rows)])
        return iter(self.flat)

    def __len__(self) -> int:
        return self.rows if self.rows > 1 and self.cols > 1 else len(self.flat)


def subplots(
    nrows: int = 1,
    ncols: int = 1,
    figsize: tuple[float, float] = (6.4, 4.8),
    gridspec_kw: dict[str, Any] | None = None,
    **_: Any,
) -> tuple[Figure, Any]:
    """A figure of ``nrows`` × ``ncols`` axes: ``(figure, axes)``, one Axes when 1 × 1."""
    widths = (gridspec_kw or {}).get("width_ratios", [1.0] * ncols)
    if len(widths) != ncols:
        raise ValueError(f"subplots: {len(widths)} width_ratios for {ncols} columns")
    figure = Figure(figsize, nrows, ncols, widths)
    _unshown.append(figure)
    if nrows * ncols == 1:
        return figure, figure.axes[0]
    return figure, AxesGrid(figure.axes, nrows, ncols)


def show() -> None:
    """Display the figures made since the last ``show`` in Jupyter; in a script, nothing.

    (A script saves a figure with ``savefig``.)
    """
    figures = list(_unshown)
    _unshown.clear()
    try:
        import IPython
        from IPython.display import display
    except ImportError:
        return
    if IPython.get_ipython() is None:  # a plain script: no page to show it on
        return
    for figure in figures:
        display(figure)  # type: ignore[no-untyped-call]  # IPython's display has no hints


def tight_layout() -> None:
    """Nothing to do: every figure is laid out to fit its labels when it is drawn."""


# -- the decision boundary ---------------------------------------------------------------


def _score(output: Any) -> float:
    if isinstance(output, Value):
        return output.data
    raise TypeError(
        "plot_decision_boundary: the model must return one Value per example (a score), "
        f"got {type(output).__name__}"
    )


def plot_decision_boundary(
    model: Callable[[list[float]], Any],
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    path: str | os.PathLike[str] | None = None,
    *,
    threshold: float = 0.0,
    steps: int = 120,
    title: str | None = None,
) -> Figure:
    """Draw where ``model(x) > threshold`` over the data's box; return the :class:`Figure`.

    Examples with a label above 0 (class 1, or +1) are blue, the others red. The model is
    evaluated under ``no_grad`` at ``steps`` × ``steps`` grid points covering the data's
    range plus a margin of 0.5; each grid cell is coloured by the side its centre falls on.
    With ``path`` the figure is also saved there: SVG for a ``.svg`` name, a PNG through
    matplotlib (``train`` extra) for any other.
    """
    if len(X) == 0 or any(len(x) != 2 for x in X):  # len: NumPy arrays have no truth value
        raise ValueError("plot_decision_boundary: needs 2-D points (each x of length 2)")
    if steps < 2:
        raise ValueError(f"plot_decision_boundary: steps must be at least 2, got {steps}")
    xs = [float(x[0]) for x in X]
    ys = [float(x[1]) for x in X]
    x_low, x_high = min(xs) - 0.5, max(xs) + 0.5
    y_low, y_high = min(ys) - 0.5, max(ys) + 0.5
    dx, dy = (x_high - x_low) / steps, (y_high - y_low) / steps
    tints = ("#f4c7b8", "#b8d4f4")
    cells = []
    with no_grad():
        for j in range(steps):
            cy = y_low + (j + 0.5) * dy
            sides = [_score(model([x_low + (i + 0.5) * dx, cy])) > threshold for i in range(steps)]
            start = 0
            for i in range(1, steps + 1):  # one rectangle per run of cells on the same side
                if i == steps or sides[i] != sides[start]:
                    cells.append(
                        (
                            x_low + start * dx,
                            x_low + i * dx,
                            cy - dy / 2,
                            cy + dy / 2,
                            tints[sides[start]],
                        )
                    )
                    start = i
    figure, axes = subplots(figsize=(5.0, 4.5))
    _unshown.remove(figure)  # returned: the caller shows it (or it is the cell's value)
    axes.artists.append(
        _Artist("cells", [x_low, x_high], [y_low, y_high], {"cells": cells}, None, 0.0)
    )
    colours = ["#1f5fbf" if label > 0 else "#c0392b" for label in y]  # labels 0/1 or -1/+1
    for tint, name in (("#1f5fbf", "label > 0"), ("#c0392b", "label ≤ 0")):
        chosen = [i for i, c in enumerate(colours) if c == tint]
        axes.scatter(
            [xs[i] for i in chosen],
            [ys[i] for i in chosen],
            color=tint,
            s=22,
            edgecolor="black",
            linewidth=0.4,
            label=name,
            zorder=2,
        )
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)
    axes.set_xlabel("x0")
    axes.set_ylabel("x1")
    if title:
        axes.set_title(title)
    if path is not None:
        if os.fspath(path).endswith(".svg"):
            figure.savefig(path)
        else:
            _save_png(cells, xs, ys, colours, (x_low, x_high, y_low, y_high), title, path)
    return figure


def _save_png(
    cells: list[tuple[float, float, float, float, str]],
    xs: list[float],
    ys: list[float],
    colours: list[str],
    box: tuple[float, float, float, float],
    title: str | None,
    path: str | os.PathLike[str],
) -> None:
    """The same picture as a raster file, drawn by matplotlib (for the command line's PNG)."""
    try:
        from matplotlib.figure import Figure as MatplotlibFigure
        from matplotlib.patches import Rectangle
    except ImportError:
        raise ImportError(
            "plot_decision_boundary: a PNG needs matplotlib (pip install 'backprop-lab[train]');"
            " a path ending in .svg needs nothing"
        ) from None
    figure = MatplotlibFigure(figsize=(5.0, 4.5), dpi=100)
    axes = figure.add_subplot()
    for x_low, x_high, y_low, y_high, tint in cells:
        axes.add_patch(Rectangle((x_low, y_low), x_high - x_low, y_high - y_low, color=tint, lw=0))
    axes.scatter(xs, ys, c=colours, s=22, edgecolors="k", linewidths=0.4)
    axes.set_xlim(box[0], box[1])
    axes.set_ylim(box[2], box[3])
    axes.set_xlabel("x0")
    axes.set_ylabel("x1")
    if title:
        axes.set_title(title)
    figure.tight_layout()
    directory = os.path.dirname(os.fspath(path))
    if directory:
        os.makedirs(directory, exist_ok=True)
    figure.savefig(path)
