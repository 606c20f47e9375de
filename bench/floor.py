"""The real pure-Python floor: the demo step as hand-optimised straight-line float code.

``moons.floats_step`` is a plain float step: loops over layers, neurons and weights,
lists of activations. The floor here is what a person writes to make that step as fast
as pure Python allows: every weight, activation and grad a local variable, each layer
written out line by line (one line per neuron's sum, no inner loops, no lists), only the
loop over the examples kept. It does all the arithmetic of the step for every example,
active or not (a dense step, like the other float step), so it is the column a compiled
tape has to beat. The text is generated once for the network's sizes, because writing
the 337 weights of ``MLP(2, [16, 16, 1])`` out by hand is what the generator saves, not
what it measures; :func:`source` shows it.

The forward sums run in the engines' order, so the loss equals theirs bit for bit; the
gradient sums may differ in the last bits (another summation order), as for the other
float step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .moons import ALPHA, Step, Weights


def source(sizes: tuple[int, ...]) -> str:
    """The straight-line step for an MLP of ``sizes`` (relu hidden layers, one linear output)."""
    if sizes[-1] != 1:
        raise ValueError("the floor is written for one output (the demo's score)")
    layers = len(sizes) - 1
    w = [
        [[f"w{i}_{j}_{k}" for k in range(sizes[i])] for j in range(sizes[i + 1])]
        for i in range(layers)
    ]
    b = [[f"b{i}_{j}" for j in range(sizes[i + 1])] for i in range(layers)]
    params = [p for i in range(layers) for j in range(sizes[i + 1]) for p in (*w[i][j], b[i][j])]
    inputs = [f"x{k}" for k in range(sizes[0])]
    lines = [
        "def step(P, X, Y, rate):",
        f"    {', '.join(params)}, = P",
        *(f"    g{p} = 0.0" for p in params),
        "    total = 0.0",
        "    scale = 1.0 / len(X)",
        f"    for ({', '.join(inputs)},), yi in zip(X, Y):",
    ]
    below = inputs
    for i in range(layers):
        for j in range(sizes[i + 1]):
            terms = " + ".join(f"{wk} * {h}" for wk, h in zip(w[i][j], below))
            lines.append(f"        z{i}_{j} = {b[i][j]} + {terms}")
            if i < layers - 1:
                lines.append(f"        h{i}_{j} = z{i}_{j} if z{i}_{j} > 0.0 else 0.0")
        below = [f"h{i}_{j}" for j in range(sizes[i + 1])]
    last = layers - 1
    lines += [
        f"        u = 1.0 + -yi * z{last}_0",
        "        total = total + (u if u > 0.0 else 0.0)",
        "        t = scale * -yi",
        f"        gz{last}_0 = t if u > 0.0 else 0.0",
    ]
    for i in range(last, -1, -1):
        below = inputs if i == 0 else [f"h{i - 1}_{k}" for k in range(sizes[i])]
        for j in range(sizes[i + 1]):
            lines.append(f"        g{b[i][j]} += gz{i}_{j}")
            for wk, h in zip(w[i][j], below):
                lines.append(f"        g{wk} += gz{i}_{j} * {h}")
        if i > 0:
            for k in range(sizes[i]):
                back = " + ".join(f"gz{i}_{j} * {w[i][j][k]}" for j in range(sizes[i + 1]))
                # dense: the sum is computed for an inactive unit too, then masked
                lines.append(f"        t = {back}")
                lines.append(f"        gz{i - 1}_{k} = t if z{i - 1}_{k} > 0.0 else 0.0")
    squares = " + ".join(f"{p} * {p}" for p in params)
    lines += [
        f"    loss = total * scale + {ALPHA!r} * ({squares})",
        "    return loss, ["
        + ", ".join(f"{p} - rate * (g{p} + {2 * ALPHA!r} * {p})" for p in params)
        + "]",
    ]
    return "\n".join(lines) + "\n"


def floor_step(weights: Weights, X: Any, y: Any) -> Step:
    """The demo's step as straight-line floats (see :func:`source`), with its schedule."""
    sizes = (len(weights[0][0][0]), *(len(layer) for layer in weights))
    namespace: dict[str, Any] = {}
    exec(compile(source(sizes), "<bench floor>", "exec"), namespace)  # our own generated text
    run: Callable[..., tuple[float, list[float]]] = namespace["step"]
    params = [x for layer in weights for w, b in layer for x in (*w, b)]
    rows = [tuple(row) for row in X]
    k = 0

    def step() -> float:
        nonlocal k, params
        loss, params = run(params, rows, y, 1.0 - 0.9 * k / 100)
        k += 1
        return loss

    return step
