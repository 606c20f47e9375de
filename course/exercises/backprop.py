"""Notebook 07's exercises: backpropagation by hand for a 2-2-1 sigmoid network.

The network is the notebook's shape (``MLP(2, [2, 1])``, sigmoid hidden and output neurons)
with other numbers: ``WEIGHTS``, input ``X``, desired output ``D``, learning rate ``ALPHA``,
and the error E = ½(d − y)². The student computes

- 7.1 the output neuron's δ = ∂E/∂z = (y − d)·y(1 − y);
- 7.2 the hidden neurons' δⱼ = δ·wⱼ₁⁽¹⁾·hⱼ(1 − hⱼ), j = 1, 2;
- 7.3 every update Δwᵢⱼ⁽ᵏ⁾ = −α·∂E/∂wᵢⱼ⁽ᵏ⁾ (∂E/∂w = the δ of the neuron the weight feeds,
  times the input the weight multiplies; a bias's input is 1).

The right answers come from the engine: the grads of the nodes ``L2.N1.z``, ``L1.N1.z``,
``L1.N2.z`` and of the parameters after ``E.backward()``.

δ here is ∂E/∂z, so the output's δ is (y − d)·f′(z) and the update subtracts. Many texts define
δ = −∂E/∂z = (d − y)·f′(z) and add α·δ·x instead: the same update, every δ with the other
sign. The checks recognise δ's written that way and say so.

7.3 takes its keys as ``nn`` labels (``L1.N2.w0``) or as the lecture's names wᵢⱼ⁽ᵏ⁾, the weight
from neuron i of layer k to neuron j of layer k + 1, read by ``autodiff.viz.labels.label_of``
(the one table between the two notations).
"""

from __future__ import annotations

import math

from autodiff import Value, topological_order
from autodiff.viz.labels import label_of, lecture_name
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

#: The second network, for the hidden tests of a graded assignment (``verdict.second_problem``).
SECOND = (
    {
        "L1.N1.w0": -0.7, "L1.N1.w1": 0.4, "L1.N1.b": 0.3,
        "L1.N2.w0": 0.2, "L1.N2.w1": -0.5, "L1.N2.b": -0.1,
        "L2.N1.w0": -0.9, "L2.N1.w1": 0.6, "L2.N1.b": 0.2,
    },
    (2.0, -1.0),
    1.0,
    0.25,
)  # fmt: skip


def data() -> tuple[dict[str, float], tuple[float, float], float, float]:
    """(weights, input x, desired output d, learning rate α) of the problem being judged."""
    return (WEIGHTS, X, D, ALPHA) if verdict.problem() == 1 else SECOND


def _sigma(t: float) -> float:
    return 1 / (1 + math.exp(-t))


@verdict.reference
def engine() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """(data of each labelled node, grad of each labelled node, grad of each parameter)."""
    weights, x, d, _ = data()
    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    params = net.parameters()
    for p in params:
        assert p.label is not None
        p.data = weights[p.label]
    y = net(list(x))
    assert isinstance(y, Value)
    E = half_squared_error(y, d)
    E.backward()
    nodes = [n for n in topological_order(E) if n.label]
    values = {n.label: n.data for n in nodes if n.label}
    grads = {n.label: n.grad for n in nodes if n.label}
    return values, grads, {p.label: p.grad for p in params if p.label}


def output_delta(delta_out: object) -> None:
    """Exercise 7.1: δ of the output neuron, ∂E/∂z = (y − d)·y(1 − y)."""

    def judge() -> str:
        answer = verdict.number(delta_out, "delta_out")
        values, grads, _ = engine()
        d = data()[2]
        y, expected = values["y"], grads["L2.N1.z"]
        verdict.expect(
            answer,
            expected,
            "delta_out",
            (y - d, "that is ∂E/∂y = y − d; the output sigmoid adds its slope y(1 − y)"),
            (
                (d - y) * y * (1 - y),
                "that is (d − y)·f′(z), the δ of texts that define δ = −∂E/∂z and add α·δ·x in "
                "the update; here δ = ∂E/∂z = (y − d)·f′(z) (∂E/∂y = −(d − y) = y − d), and the "
                "update subtracts",
            ),
            (y * (1 - y), "that is the sigmoid's slope alone; multiply by ∂E/∂y = y − d"),
            (0.5 * (y - d) * y * (1 - y), "the ½ of E cancels against the 2 of the square"),
        )
        return f"δ = {expected:.6g}"

    verdict.run("7.1", judge)


def hidden_deltas(delta_hidden: object) -> None:
    """Exercise 7.2: [δ₁, δ₂] of the hidden neurons, δⱼ = δ·wⱼ₁⁽¹⁾·hⱼ(1 − hⱼ)."""

    def judge() -> str:
        answer = verdict.numbers(delta_hidden, "delta_hidden", 2)
        values, grads, _ = engine()
        weights, _, d, _ = data()
        y = values["y"]
        d_out = grads["L2.N1.z"]
        expected = [grads["L1.N1.z"], grads["L1.N2.z"]]
        if all(verdict.same(a, e) for a, e in zip(answer, expected)):
            return f"δ₁ = {expected[0]:.6g}, δ₂ = {expected[1]:.6g}"
        if verdict.same(answer[0], expected[1]) and verdict.same(answer[1], expected[0]):
            raise verdict.Wrong("δ₁ and δ₂ are swapped")
        if all(verdict.agrees_to(-a, e, verdict.DIGITS) for a, e in zip(answer, expected)):
            raise verdict.Wrong(
                "both δ's have the other sign: that is the convention δ = −∂E/∂z = "
                "(d − y)·f′(z) at the output; here δ = ∂E/∂z, which starts from y − d"
            )
        for j in (1, 2):
            h = values[f"L1.N{j}.out"]
            w = weights[f"L2.N1.w{j - 1}"]
            other = weights[f"L2.N1.w{2 - j}"]
            slope = h * (1 - h)
            verdict.expect(
                answer[j - 1],
                expected[j - 1],
                f"δ{j} (delta_hidden[{j - 1}])",
                (d_out * w, f"that is ∂E/∂h{j}; the hidden sigmoid adds its slope h{j}(1 − h{j})"),
                (
                    d_out * slope,
                    f"the weight is missing: δ reaches h{j} along "
                    f"{_lecture(f'L2.N1.w{j - 1}')} = L2.N1.w{j - 1}",
                ),
                (
                    d_out * other * slope,
                    f"wrong weight: h{j} feeds the output along L2.N1.w{j - 1}",
                ),
                ((y - d) * w * slope, "start from the output's δ (with its y(1 − y)), not y − d"),
                (d_out * w * h, f"the sigmoid's slope is h{j}(1 − h{j}), not h{j}"),
            )
        raise AssertionError("unreachable: some entry differs")

    verdict.run("7.2", judge)


def _input_of(label: str, values: dict[str, float]) -> float:
    """What the parameter ``label`` multiplies: an input, a hidden output, or 1 for a bias."""
    name = label.rsplit(".", 1)[1]
    if name == "b":
        return 1.0
    i = int(name[1:])
    return data()[1][i] if label.startswith("L1.") else values[f"L1.N{i + 1}.out"]


def _lecture(label: str) -> str:
    """The lecture's name of a parameter label (``autodiff.viz.labels``, the one table)."""
    return lecture_name(label) or label


def _by_label(delta_w: dict[object, object]) -> dict[str, object]:
    """``delta_w`` with every key an ``nn`` label; :class:`verdict.Wrong` for an unknown key."""
    labelled: dict[str, object] = {}
    for key, value in delta_w.items():
        label = key if key in WEIGHTS else label_of(key) if isinstance(key, str) else None
        if label not in WEIGHTS:
            raise verdict.Wrong(
                f"unknown key {key!r}; name the nine by their labels {list(WEIGHTS)} or the "
                "lecture's way, w_ij^(k) (from neuron i of layer k to neuron j of layer k + 1, "
                "the inputs being layer 0 and w_0j^(k) a bias), e.g. 'w_21^(0)' for L1.N1.w1"
            )
        if label in labelled:
            raise verdict.Wrong(f"{key!r} and another key both name {label}")
        labelled[label] = value
    return labelled


def updates(delta_w: object) -> None:
    """Exercise 7.3: ``delta_w[name]`` = Δw = −α·∂E/∂w for all nine parameters, α = 0.5.

    A name is an ``nn`` label or the lecture's wᵢⱼ⁽ᵏ⁾ (``autodiff.viz.labels.label_of``).
    """

    def judge() -> str:
        if verdict.is_placeholder(delta_w):
            raise verdict.Placeholder("replace the ... in delta_w with a dict of nine updates")
        if not isinstance(delta_w, dict):
            raise verdict.Wrong(
                f"delta_w should be a dict label -> Δw, got {type(delta_w).__name__}"
            )
        delta_w_ = _by_label(delta_w)
        missing = [k for k in WEIGHTS if k not in delta_w_]
        if missing:
            raise verdict.Wrong(f"{len(missing)} of the nine updates are missing: {missing}")
        values, grads, pgrads = engine()
        alpha = data()[3]
        for label in WEIGHTS:
            answer = verdict.number(delta_w_[label], f"Δ{label} ({_lecture(label)})")
            g = pgrads[label]
            neuron = label.rsplit(".", 1)[0]
            delta = grads[f"{neuron}.z"]
            x = _input_of(label, values)
            verdict.expect(
                answer,
                -alpha * g,
                f"Δ{label} ({_lecture(label)})",
                (alpha * g, "sign: the update goes against the gradient, Δw = −α·∂E/∂w"),
                (g, "that is ∂E/∂w; the update is −α times it"),
                (-g, "the learning rate α = 0.5 is missing"),
                (-alpha * delta, f"∂E/∂w = δ · (the input the weight multiplies, here {x:.4g})"),
            )
        return "all nine Δw = −α·∂E/∂w"

    verdict.run("7.3", judge)
