"""The lecture's notation on a network's graph: names, δ terms in explain, δ in the stepper."""

from __future__ import annotations

import math

import pytest

from autodiff import Constant, Value, explain
from autodiff.viz.names import latex_name, lecture_name, lecture_names, node_names
from autodiff.viz.stepper import BackwardStepper, format_steps
from nn import MLP


def _sigmoid(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t))


def net_loss(x: tuple[float, float] = (0.5, -1.0), d: float = 1.0) -> tuple[MLP, Value, Value]:
    """A 2-2-1 sigmoid network's E = ½(d − y)², labelled as nn's losses label it."""
    model = MLP(2, [2, 1], seed=1, activation="sigmoid", output_activation="sigmoid")
    y = model(list(x))
    assert isinstance(y, Value)
    y.label = "y"
    e = Constant(d, "d") - y
    e.label = "e"
    loss = e**2 * 0.5
    loss.label = "E"
    return model, y, loss


def test_lecture_names_of_nn_labels() -> None:
    """Every nn label maps to one lecture name wᵢⱼ⁽ᵏ⁾ (from i, to j, leaving layer k)."""
    assert lecture_name("L2.N1.z") == "z₁⁽²⁾"
    assert lecture_name("L1.N2.out") == "a₂⁽¹⁾"
    # L1.N2.w0 multiplies x0 = x₁, neuron 1 of layer 0, and enters neuron 2 of layer 1
    assert lecture_name("L1.N2.w0") == "w₁₂⁽⁰⁾"
    # the weight from hidden neuron a₁⁽¹⁾ to the output neuron: w₁₁⁽¹⁾ (issue 20: was w⁽²⁾₁₀)
    assert lecture_name("L2.N1.w0") == "w₁₁⁽¹⁾"
    assert lecture_name("L1.N12.w3") == "w₄,₁₂⁽⁰⁾"
    # a bias is the weight from the constant neuron 0 (a₀ = 1) of the layer below
    assert lecture_name("L3.N1.b") == "w₀₁⁽²⁾"
    assert lecture_name("x0") == "x₁"
    assert lecture_name("x1") == "x₂"
    assert lecture_name("y2") == "y₂"
    assert lecture_name("E") is None
    assert lecture_name("L2.N1.zz") is None
    assert latex_name("w₂₁⁽¹⁾") == "w_{21}^{(1)}"
    assert latex_name("δ₁⁽²⁾") == r"\delta_{1}^{(2)}"
    assert latex_name("e²") == "e^{2}"


def test_plain_expressions_keep_their_names() -> None:
    """Without nn labels, lecture_names is node_names exactly (v1, v2, numbers, labels)."""
    a = Value(2.0, label="a")
    y = (a * 2 + 0.1).tanh()
    assert lecture_names(y) == node_names(y)
    assert "v1" in lecture_names(y).values()


def test_no_chain_of_unnamed_nodes_on_a_networks_loss() -> None:
    """explain on E names every node the lecture's way: no ``v1``, no raw ``L1.N1`` label."""
    model, _, loss = net_loss()
    text = str(explain(loss, model.parameters()[0]))
    assert "E ← e² ← e ← y ← z₁⁽²⁾ ← a₁⁽¹⁾ ← z₁⁽¹⁾ ← w₁₁⁽⁰⁾" in text
    assert "v1" not in text and "L1.N1" not in text
    markdown = explain(loss, model.parameters()[0]).to_markdown()
    assert r"z_{1}^{(2)} \leftarrow a_{1}^{(1)}" in markdown
    assert "L1.N1" not in markdown


def test_deltas_match_the_lectures_formulas() -> None:
    """δ₁⁽²⁾ = −(d − y)·y(1−y) and δⱼ⁽¹⁾ = a(1−a)·wⱼ₁⁽¹⁾·δ₁⁽²⁾, computed here by hand."""
    model, _, loss = net_loss()
    w1 = model.layers[0].neurons[0].w
    layer1 = model.layers[0].neurons
    layer2 = model.layers[1].neurons[0]
    x = (0.5, -1.0)
    zs = [n.b.data + sum(w.data * xi for w, xi in zip(n.w, x)) for n in layer1]
    a = [_sigmoid(z) for z in zs]
    z2 = layer2.b.data + sum(w.data * ai for w, ai in zip(layer2.w, a))
    out = _sigmoid(z2)
    delta2 = -(1.0 - out) * out * (1 - out)
    delta1 = [a[j] * (1 - a[j]) * layer2.w[j].data * delta2 for j in range(2)]
    e = explain(loss, w1[0])
    deltas = {d.name: d.value for d in e.deltas}
    assert deltas.keys() == {"δ₁⁽²⁾", "δ₁⁽¹⁾"}
    assert deltas["δ₁⁽²⁾"] == pytest.approx(delta2, rel=1e-12)
    assert deltas["δ₁⁽¹⁾"] == pytest.approx(delta1[0], rel=1e-12)
    assert e.by_delta[0][0] == "δ₁⁽¹⁾" and e.by_delta[0][2] == x[0]
    text = str(e)
    assert "δ₁⁽¹⁾ = ∂a₁⁽¹⁾/∂z₁⁽¹⁾ · (∂z₁⁽²⁾/∂a₁⁽¹⁾ · δ₁⁽²⁾)" in text
    assert "so  ∂E/∂w₁₁⁽⁰⁾ = δ₁⁽¹⁾ · ∂z₁⁽¹⁾/∂w₁₁⁽⁰⁾" in text
    assert "down to z₁⁽²⁾: ∂E/∂e² · ∂e²/∂e · ∂e/∂y · ∂y/∂z₁⁽²⁾" in text
    assert r"\delta_{1}^{(1)} &=" in e.to_markdown()
    # a hidden input feeds both hidden neurons: its δ sum has two terms
    both = explain(loss, model.layers[1].neurons[0].w[1])
    assert [d.name for d in both.deltas] == ["δ₁⁽²⁾"]
    assert both.gradient == pytest.approx(delta2 * a[1], rel=1e-12)


def test_plain_explanations_have_no_delta_section() -> None:
    """A plain expression gets no δ fields and no δ text."""
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    y = (a * b).tanh()
    e = explain(y, a)
    assert e.deltas == () and e.by_delta == ()
    assert "δ" not in str(e) and "by layer" not in str(e)


def test_stepper_names_each_delta_when_it_is_complete() -> None:
    """Each z's δ is announced once, at the step after which its grad no longer changes."""
    _, _, loss = net_loss()
    stepper = BackwardStepper(loss)
    announced: dict[str, float] = {}
    for step in stepper:
        for name, _z, value in step.deltas:
            assert name not in announced
            announced[name] = value
    # complete: the value announced is the grad the z still holds when backward is done
    zs = {n: n.grad for n in stepper.order if n.label and n.label.endswith(".z")}
    assert sorted(announced.values()) == sorted(zs.values())
    assert set(announced) == {"δ₁⁽²⁾", "δ₁⁽¹⁾", "δ₂⁽¹⁾"}
    text = format_steps(net_loss()[2])
    assert "δ₁⁽²⁾ = ∂E/∂z₁⁽²⁾ = " in text and "d.grad" not in text and "v1" not in text
