"""The micrograd demo's training step, written once and run on every engine.

``MLP(2, [16, 16, 1])`` on 100 two-moons points, SVM max-margin loss plus 1e-4·L2,
``zero_grad``, ``backward``, an SGD update with the demo's schedule ``1 - 0.9·k/100``.
Every engine starts from the *same* weights: micrograd's, from ``random.seed(1337)``,
copied into the others. The step code is the demo's, character for character, with
only the ``Value`` class and the model swapped, which is what a user porting the demo
does. Engines:

- ``ours``: ``nn.MLP`` on ``autodiff``, the graph rebuilt every step;
- ``replay``: the same graph recorded once with ``autodiff.record`` and replayed;
- ``compiled``: the same graph compiled once to Python with ``autodiff.compile``;
- ``micrograd``: micrograd 0.1.0;
- ``torch``: PyTorch autograd on 0-d float64 tensors, when torch is installed;
- ``floats``: no graph at all, forward and backward written out by hand on floats,
  doing the same arithmetic (every sample, active or not), in loops;
- ``floor``: the same dense float step written out as straight-line code, every number a
  local variable (``bench/floor.py``): the real pure-Python floor for any engine.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import micrograd.engine
import micrograd.nn

import autodiff
import nn

Weights = list[list[tuple[list[float], float]]]  # layer -> neuron -> (w, b)
Step = Callable[[], float]

SIZES = (2, 16, 16, 1)
ALPHA = 1e-4


def data(n: int = 100) -> tuple[list[list[float]], list[float]]:
    """100 two-moons points (``nn.moons``, noise 0.1, seed 0) and labels ±1."""
    points, labels = nn.moons(n, noise=0.1, seed=0)
    return points, [float(label) for label in nn.signed(labels)]


def micrograd_weights() -> Weights:
    """The weights of micrograd's ``MLP(2, [16, 16, 1])`` after ``random.seed(1337)``."""
    state = random.getstate()
    random.seed(1337)
    model = micrograd.nn.MLP(SIZES[0], list(SIZES[1:]))
    random.setstate(state)
    return [
        [([w.data for w in neuron.w], neuron.b.data) for neuron in layer.neurons]
        for layer in model.layers
    ]


def _set(parameters: Sequence[Any], weights: Weights) -> None:
    """Copy ``weights`` into ``parameters`` (w0..wn-1, b per neuron, layer by layer)."""
    flat = [x for layer in weights for w, b in layer for x in (*w, b)]
    if len(flat) != len(parameters):
        raise ValueError(f"{len(flat)} weights for {len(parameters)} parameters")
    for p, x in zip(parameters, flat):
        p.data = x


def demo_loss(value: Callable[[float], Any], model: Any, X: Any, y: Any) -> Any:
    """micrograd's demo ``loss()``: mean SVM max-margin loss + ALPHA·L2, in any engine's scalars.

    Every engine runs this same code, so the timings compare engines, not loss formulas.
    """
    inputs = [list(map(value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def _demo_step(value: Callable[[float], Any], model: Any, X: Any, y: Any) -> Step:
    """The demo's ``loss()`` and update, for any engine with micrograd's surface."""
    k = 0

    def step() -> float:
        nonlocal k
        total_loss = demo_loss(value, model, X, y)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        k += 1
        return float(total_loss.data)

    return step


def ours_step(weights: Weights, X: Any, y: Any) -> Step:
    """``nn.MLP`` on ``autodiff``: the graph is rebuilt on every step."""
    model = nn.MLP(SIZES[0], list(SIZES[1:]), seed=0)
    _set(model.parameters(), weights)
    return _demo_step(autodiff.Value, model, X, y)


def replay_step(weights: Weights, X: Any, y: Any) -> Step:
    """``nn.MLP`` on ``autodiff``, its loss graph recorded once and replayed every step."""
    return _taped_step(weights, X, y, autodiff.record)


def compiled_step(weights: Weights, X: Any, y: Any) -> Step:
    """``nn.MLP`` on ``autodiff``, its loss graph compiled once (``autodiff.compile``, inner
    nodes not written back) and run as generated Python every step."""
    return _taped_step(weights, X, y, lambda root: autodiff.compile(root, inner=False))


def _taped_step(weights: Weights, X: Any, y: Any, make_tape: Callable[[Any], Any]) -> Step:
    """The demo's loss built once from ``demo_loss``, then run by a tape every step."""
    model = nn.MLP(SIZES[0], list(SIZES[1:]), seed=0)
    params = model.parameters()
    _set(params, weights)
    tape = make_tape(demo_loss(autodiff.Value, model, X, y))
    k = 0

    def step() -> float:
        nonlocal k
        loss: float = tape.forward()
        model.zero_grad()
        tape.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= learning_rate * p.grad
        k += 1
        return loss

    return step


def micrograd_step(weights: Weights, X: Any, y: Any) -> Step:
    """micrograd 0.1.0, the demo as published."""
    model = micrograd.nn.MLP(SIZES[0], list(SIZES[1:]))
    _set(model.parameters(), weights)
    return _demo_step(micrograd.engine.Value, model, X, y)


class _TorchMLP:
    """micrograd's MLP, line for line, on 0-d float64 tensors."""

    def __init__(self, torch: Any, weights: Weights) -> None:
        def tensor(x: float) -> Any:
            return torch.tensor(x, dtype=torch.float64, requires_grad=True)

        self.layers = [
            [([tensor(w) for w in ws], tensor(b)) for ws, b in layer] for layer in weights
        ]

    def __call__(self, x: list[Any]) -> Any:
        for i, layer in enumerate(self.layers):
            out = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = [o.relu() for o in out] if i < len(self.layers) - 1 else out
        return x[0]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None


def torch_step(torch: Any, weights: Weights, X: Any, y: Any) -> Step:
    """PyTorch autograd on 0-d float64 tensors; the update runs under ``torch.no_grad()``."""
    model = _TorchMLP(torch, weights)
    k = 0

    def value(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64)

    def step() -> float:
        nonlocal k
        total_loss = demo_loss(value, model, X, y)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        with torch.no_grad():
            for p in model.parameters():
                p -= learning_rate * p.grad
        k += 1
        return float(total_loss.item())

    return step


def floats_step(weights: Weights, X: Any, y: Any) -> Step:
    """The same step on plain floats, forward and backward written out: no graph at all.

    The forward sums run in the engines' order, so its loss equals theirs bit for bit;
    the gradient sums may differ in the last bits (another summation order).
    """
    W = [[list(w) for w, _ in layer] for layer in weights]
    B = [[b for _, b in layer] for layer in weights]
    last = len(W) - 1
    k = 0

    def step() -> float:
        nonlocal k
        gW = [[[0.0] * len(w) for w in layer] for layer in W]
        gB = [[0.0] * len(layer) for layer in B]
        total = 0.0
        scale = 1.0 / len(X)
        for xrow, yi in zip(X, y):
            acts = [list(xrow)]  # the input of each layer
            zs = []
            for i, (Wl, Bl) in enumerate(zip(W, B)):
                h = acts[-1]
                z = []
                for w, b in zip(Wl, Bl):
                    s = b
                    for wj, hj in zip(w, h):
                        s += wj * hj
                    z.append(s)
                zs.append(z)
                acts.append([v if v > 0.0 else 0.0 for v in z] if i < last else z)
            u = 1.0 + -yi * acts[-1][0]
            total = total + (u if u > 0.0 else 0.0)
            # backward through relu(u), u = 1 - y·s, then the layers
            g = [scale * -yi] if u > 0.0 else [0.0]
            for i in range(last, -1, -1):
                if i < last:
                    g = [gj if zj > 0.0 else 0.0 for gj, zj in zip(g, zs[i])]
                h = acts[i]
                below = [0.0] * len(h)
                for j, gj in enumerate(g):
                    w, gw = W[i][j], gW[i][j]
                    gB[i][j] += gj
                    for m, hm in enumerate(h):
                        gw[m] += gj * hm
                        below[m] += gj * w[m]
                g = below
        squares = 0.0
        for w_layer, b_layer in zip(W, B):
            for w, b in zip(w_layer, b_layer):
                for p in (*w, b):
                    squares = squares + p * p
        loss = total * scale + ALPHA * squares
        rate = 1.0 - 0.9 * k / 100
        for i in range(len(W)):
            for j in range(len(W[i])):
                w, gw = W[i][j], gW[i][j]
                for m in range(len(w)):
                    w[m] -= rate * (gw[m] + 2.0 * ALPHA * w[m])
                B[i][j] -= rate * (gB[i][j] + 2.0 * ALPHA * B[i][j])
        k += 1
        return loss

    return step
