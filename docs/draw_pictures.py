"""Redraw the pictures the docs show: ``python docs/draw_pictures.py [folder]``.

``make pictures`` runs it and ``docs/make_player.py``. Needs the Graphviz ``dot`` program.
Every picture is made by ``autodiff.draw_dot``; ``tests/test_docs.py`` fails when a committed
picture differs from what this script draws.
"""

from __future__ import annotations

import sys
from pathlib import Path

from autodiff import Value, draw_dot, render
from autodiff.viz.drawing import Drawing
from nn import MLP, mse

HERE = Path(__file__).resolve().parent


def neuron() -> Value:
    """o = tanh(x1·w1 + x2·w2 + b), the lecture's neuron, after backward()."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def mlp_loss() -> Value:
    """The squared error of a 2-3-3-1 MLP on one example, after backward()."""
    model = MLP(2, [3, 3, 1], seed=7)
    loss = mse([model([0.5, -1.0])], [1.0])
    loss.label = "loss"
    loss.backward()
    return loss


def pictures() -> dict[str, Drawing]:
    """Every picture, by its file name in docs/."""
    return {
        "neuron.svg": draw_dot(neuron(), formulas=True),
        "mlp_folded.svg": draw_dot(mlp_loss(), fold="neuron"),
        "mlp_layers.svg": draw_dot(mlp_loss(), fold="layer", unfold=("L3",)),
    }


def write(folder: Path = HERE) -> list[Path]:
    """Render every picture into ``folder``; returns the files written."""
    return [render(drawing, folder / name) for name, drawing in pictures().items()]


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
