"""Redraw the pictures in docs/ that the README shows: ``python docs/draw_pictures.py``.

Needs the Graphviz ``dot`` program. Every picture is made by ``autodiff.draw_dot``.
"""

from __future__ import annotations

from pathlib import Path

from autodiff import Value, draw_dot, render
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


if __name__ == "__main__":
    render(draw_dot(neuron(), formulas=True), HERE / "neuron.svg")
    render(draw_dot(mlp_loss(), fold="neuron"), HERE / "mlp_folded.svg")
    render(draw_dot(mlp_loss(), fold="layer", unfold=("L3",)), HERE / "mlp_layers.svg")
    for name in ("neuron.svg", "mlp_folded.svg", "mlp_layers.svg"):
        print(HERE / name)
