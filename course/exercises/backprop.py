"""Notebook 07's exercises: backpropagation by hand for a 2-2-1 sigmoid network.

The network is the notebook's shape (``MLP(2, [2, 1])``, sigmoid hidden and output neurons)
with other numbers: ``WEIGHTS``, input ``X``, desired output ``D``, learning rate ``ALPHA``,
and the error E = ½(d − y)². The student computes

- 7.1 the output neuron's δ = ∂E/∂z = (y − d)·y(1 − y);
- 7.2 the hidden neurons' δⱼ = δ·wⱼ²·hⱼ(1 − hⱼ), j = 1, 2;
- 7.3 every update Δwᵢⱼᵏ = −α·∂E/∂wᵢⱼᵏ (∂E/∂w = the δ of the neuron the weight feeds,
  times the input the weight multiplies; a bias's input is 1).

The right answers come from the engine: the grads of the nodes ``L2.N1.z``, ``L1.N1.z``,
``L1.N2.z`` and of the parameters after ``E.backward()``.
"""

from __future__ import annotations

import math

from autodiff import Value, topological_order
from nn.losses import half_squared_error
from nn.module import MLP

from . import verdict

WEIGHTS = {
    "L1.N1.w0": 0.5, "L1.N1.w1": -0.3, "L1.N1.b": 0.2,
    "L1.N2.w0": -0.4, "L1.N2.w1": 0.9, "L1.N2.b": 0.1,
    "L2.N1.w0": 0.8, "L2.N1.w1": -0.6, "L2.N1.b": 0.3,
}  # fmt: skip
X = (1.0, 2.0)
D = 0.0
ALPHA = 0.5


def _sigma(t: float) -> float:
    return 1 / (1 + math.exp(-t))


def engine() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(data of each labelled node, grad of each labelled node, grad of each parameter)."""
    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    params = net.parameters()
    for p in params:
        assert p.label is not None
        p.data = WEIGHTS[p.label]
    y = net(list(X))
    assert isinstance(y, Value)
    E = half_squared_error(y, D)
    E.backward()
    nodes = [n for n in topological_order(E) if n.label]
    data = {n.label: n.data for n in nodes if n.label}
    grads = {n.label: n.grad for n in nodes if n.label}
    return data, grads, {p.label: p.grad for p in params if p.label}


def output_delta(delta_out: object) -> None:
    """Exercise 7.1: δ of the output neuron, ∂E/∂z = (y − d)·y(1 − y)."""

    def judge() -> str:
        answer = verdict.number(delta_out, "delta_out")
        data, grads, _ = engine()
        y, expected = data["y"], grads["L2.N1.z"]
        verdict.expect(
            answer,
            expected,
            "delta_out",
            (y - D, "that is ∂E/∂y = y − d; the output sigmoid adds its slope y(1 − y)"),
            ((D - y) * y * (1 - y), "sign: ∂E/∂y = −(d − y) = y − d"),
            (y * (1 - y), "that is the sigmoid's slope alone; multiply by ∂E/∂y = y − d"),
            (0.5 * (y - D) * y * (1 - y), "the ½ of E cancels against the 2 of the square"),
        )
        return f"δ = {expected:.6g}"

    verdict.run("7.1", judge)


def hidden_deltas(delta_hidden: object) -> None:
    """Exercise 7.2: [δ₁, δ₂] of the hidden neurons, δⱼ = δ·wⱼ²·hⱼ(1 − hⱼ)."""

    def judge() -> str:
        answer = verdict.numbers(delta_hidden, "delta_hidden", 2)
        data, grads, _ = engine()
        y = data["y"]
        d_out = grads["L2.N1.z"]
        expected = [grads["L1.N1.z"], grads["L1.N2.z"]]
        if all(verdict.same(a, e) for a, e in zip(answer, expected)):
            return f"δ₁ = {expected[0]:.6g}, δ₂ = {expected[1]:.6g}"
        if verdict.same(answer[0], expected[1]) and verdict.same(answer[1], expected[0]):
            raise verdict.Wrong("δ₁ and δ₂ are swapped")
        for j in (1, 2):
            h = data[f"L1.N{j}.out"]
            w = WEIGHTS[f"L2.N1.w{j - 1}"]
            other = WEIGHTS[f"L2.N1.w{2 - j}"]
            slope = h * (1 - h)
            verdict.expect(
                answer[j - 1],
                expected[j - 1],
                f"δ{j} (delta_hidden[{j - 1}])",
                (d_out * w, f"that is ∂E/∂h{j}; the hidden sigmoid adds its slope h{j}(1 − h{j})"),
                (
                    d_out * slope,
                    f"the weight is missing: δ reaches h{j} along w{j}² = L2.N1.w{j - 1}",
                ),
                (
                    d_out * other * slope,
                    f"wrong weight: h{j} feeds the output along L2.N1.w{j - 1}",
                ),
                ((y - D) * w * slope, "start from the output's δ (with its y(1 − y)), not y − d"),
                (d_out * w * h, f"the sigmoid's slope is h{j}(1 − h{j}), not h{j}"),
            )
        raise AssertionError("unreachable: some entry differs")

    verdict.run("7.2", judge)


def _input_of(label: str, data: dict[str, float]) -> float:
    """What the parameter ``label`` multiplies: an input, a hidden output, or 1 for a bias."""
    name = label.rsplit(".", 1)[1]
    if name == "b":
        return 1.0
    i = int(name[1:])
    return X[i] if label.startswith("L1.") else data[f"L1.N{i + 1}.out"]


def updates(delta_w: object) -> None:
    """Exercise 7.3: ``delta_w[label]`` = Δw = −α·∂E/∂w for all nine parameters, α = 0.5."""

    def judge() -> str:
        if verdict.is_placeholder(delta_w):
            raise verdict.Placeholder("replace the ... in delta_w with a dict of nine updates")
        if not isinstance(delta_w, dict):
            raise verdict.Wrong(
                f"delta_w should be a dict label -> Δw, got {type(delta_w).__name__}"
            )
        missing = [k for k in WEIGHTS if k not in delta_w]
        extra = [k for k in delta_w if k not in WEIGHTS]
        if extra:
            raise verdict.Wrong(f"unknown labels {extra}; the nine are {list(WEIGHTS)}")
        if missing:
            raise verdict.Wrong(f"{len(missing)} of the nine updates are missing: {missing}")
        data, grads, pgrads = engine()
        for label in WEIGHTS:
            answer = verdict.number(delta_w[label], f"delta_w[{label!r}]")
            g = pgrads[label]
            neuron = label.rsplit(".", 1)[0]
            delta = grads[f"{neuron}.z"]
            x = _input_of(label, data)
            verdict.expect(
                answer,
                -ALPHA * g,
                f"Δ{label}",
                (ALPHA * g, "sign: the update goes against the gradient, Δw = −α·∂E/∂w"),
                (g, "that is ∂E/∂w; the update is −α times it"),
                (-g, "the learning rate α = 0.5 is missing"),
                (-ALPHA * delta, f"∂E/∂w = δ · (the input the weight multiplies, here {x:.4g})"),
            )
        return "all nine Δw = −α·∂E/∂w"

    verdict.run("7.3", judge)
