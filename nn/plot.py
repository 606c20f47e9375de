"""The decision boundary of a 2-D classifier, drawn with matplotlib (imported only when used).

The model is evaluated under ``no_grad`` on a grid covering the data; each grid point
is coloured by the side of the threshold its output falls on, and the examples are
drawn on top, coloured by their labels.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from autodiff import Value, no_grad


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
) -> Any:
    """Draw where ``model(x) > threshold`` over the data's box; return the matplotlib Figure.

    Examples with a label above 0 (class 1, or +1) are blue, the others red.

    ``steps`` grid points per axis (``steps²`` forward passes); the box is the data's
    range plus a margin of 0.5. With ``path`` the figure is also saved there (PNG by
    the file's extension; directories are created). Needs matplotlib (``train`` extra).
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "plot_decision_boundary needs matplotlib: pip install 'backprop-lab[train]'"
        ) from None
    if len(X) == 0 or any(len(x) != 2 for x in X):  # len: NumPy arrays have no truth value
        raise ValueError("plot_decision_boundary: needs 2-D points (each x of length 2)")
    xs = [x[0] for x in X]
    ys = [x[1] for x in X]
    x_low, x_high = min(xs) - 0.5, max(xs) + 0.5
    y_low, y_high = min(ys) - 0.5, max(ys) + 0.5
    grid_x = [x_low + (x_high - x_low) * i / (steps - 1) for i in range(steps)]
    grid_y = [y_low + (y_high - y_low) * j / (steps - 1) for j in range(steps)]
    with no_grad():
        side = [[float(_score(model([gx, gy])) > threshold) for gx in grid_x] for gy in grid_y]
    figure = Figure(figsize=(5.0, 4.5), dpi=100)
    axes = figure.add_subplot()
    axes.contourf(grid_x, grid_y, side, levels=[-0.5, 0.5, 1.5], colors=["#f4c7b8", "#b8d4f4"])
    colours = ["#1f5fbf" if label > 0 else "#c0392b" for label in y]  # labels 0/1 or -1/+1
    axes.scatter(xs, ys, c=colours, s=22, edgecolors="k", linewidths=0.4)
    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)
    axes.set_xlabel("x0")
    axes.set_ylabel("x1")
    if title:
        axes.set_title(title)
    figure.tight_layout()
    if path is not None:
        directory = os.path.dirname(os.fspath(path))
        if directory:
            os.makedirs(directory, exist_ok=True)
        figure.savefig(path)
    return figure
