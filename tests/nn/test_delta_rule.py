"""The layer-wise delta rule of the lecture, in plain Python, against our autodiff gradients.

Notation: ``wᵢⱼᵏ`` connects neuron ``i`` of layer ``k`` to neuron ``j`` of layer ``k+1``;
the error is ``E = ½ Σⱼ (dⱼ - yⱼ)²``; every neuron is a sigmoid, ``σ' = σ(1 - σ)``.
Output layer: ``δⱼ = (yⱼ - dⱼ)·yⱼ(1 - yⱼ)``; hidden layer: ``δᵢ = hᵢ(1 - hᵢ)·Σⱼ wᵢⱼ δⱼ``;
then ``∂E/∂wᵢⱼᵏ = δⱼ·(output i of layer k)`` and ``Δwᵢⱼᵏ = -α ∂E/∂wᵢⱼᵏ``.
"""

from __future__ import annotations

import math

import pytest

from autodiff import Value, dot
from nn import MLP, SGD, half_squared_error


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_delta_rule_equals_autodiff(seed: int) -> None:
    """The textbook δ terms and Δw equal autodiff's gradients and SGD's step to 1e-12."""
    x = [0.5, -1.2, 0.8]
    d = [1.0, 0.0]
    alpha = 0.5
    net = MLP(3, [4, 2], "sigmoid", "sigmoid", seed=seed)
    hidden, output = net.layers
    # weights as plain numbers: w1[i][j] from input i to hidden j, w2[i][j] hidden i to output j
    w1 = [[n.w[i].data for n in hidden.neurons] for i in range(3)]
    b1 = [n.b.data for n in hidden.neurons]
    w2 = [[n.w[i].data for n in output.neurons] for i in range(4)]
    b2 = [n.b.data for n in output.neurons]

    # forward pass, by hand
    h = [_sigmoid(b1[j] + sum(x[i] * w1[i][j] for i in range(3))) for j in range(4)]
    y = [_sigmoid(b2[j] + sum(h[i] * w2[i][j] for i in range(4))) for j in range(2)]
    # backward pass: the delta rule, layer by layer
    delta_out = [(y[j] - d[j]) * y[j] * (1 - y[j]) for j in range(2)]
    delta_hidden = [
        h[i] * (1 - h[i]) * sum(w2[i][j] * delta_out[j] for j in range(2)) for i in range(4)
    ]
    dE_dw2 = [[delta_out[j] * h[i] for j in range(2)] for i in range(4)]
    dE_dw1 = [[delta_hidden[j] * x[i] for j in range(4)] for i in range(3)]

    # the same with autodiff
    outputs = net(x)
    assert isinstance(outputs, list)
    E = half_squared_error([outputs], [d])
    assert E.data == pytest.approx(0.5 * sum((dj - yj) ** 2 for dj, yj in zip(d, y)), rel=1e-12)
    net.zero_grad()
    E.backward()
    for j, neuron in enumerate(output.neurons):
        assert neuron.b.grad == pytest.approx(delta_out[j], rel=1e-12, abs=1e-15)
        for i in range(4):
            assert neuron.w[i].grad == pytest.approx(dE_dw2[i][j], rel=1e-12, abs=1e-15)
    for j, neuron in enumerate(hidden.neurons):
        assert neuron.b.grad == pytest.approx(delta_hidden[j], rel=1e-12, abs=1e-15)
        for i in range(3):
            assert neuron.w[i].grad == pytest.approx(dE_dw1[i][j], rel=1e-12, abs=1e-15)
    # the δ of a hidden neuron is ∂E/∂z there: read it off the graph too
    z_out = outputs[0]._parents[0]  # L2.N1.z, whose parents are w0..w3, h0..h3, b
    z_hidden = [h_node._parents[0] for h_node in z_out._parents[4:8]]
    assert [z.label for z in z_hidden] == ["L1.N1.z", "L1.N2.z", "L1.N3.z", "L1.N4.z"]
    assert [z.grad for z in z_hidden] == pytest.approx(delta_hidden, rel=1e-12, abs=1e-15)

    # one gradient-descent step is w ← w + Δw with Δw = -α ∂E/∂w
    SGD(net.parameters(), lr=alpha).step()
    after = {p.label: p.data for p in net.parameters()}
    for i in range(4):
        for j in range(2):
            expected = w2[i][j] + -alpha * dE_dw2[i][j]
            assert after[f"L2.N{j + 1}.w{i}"] == pytest.approx(expected, rel=1e-12)
    for i in range(3):
        for j in range(4):
            expected = w1[i][j] + -alpha * dE_dw1[i][j]
            assert after[f"L1.N{j + 1}.w{i}"] == pytest.approx(expected, rel=1e-12)


def test_delta_rule_single_sigmoid_neuron() -> None:
    """One sigmoid neuron: ∂E/∂wᵢ = (y - d)·y(1 - y)·xᵢ, i.e. δ times the lecture's ∂Z/∂wᵢ = xᵢ."""
    w = [Value(0.3, "w0"), Value(-0.6, "w1")]
    b = Value(0.1, "b")
    x = [2.0, 1.5]
    y = dot(w, x, b).sigmoid()
    E = half_squared_error(y, 1.0)
    E.backward()
    delta = (y.data - 1.0) * y.data * (1 - y.data)
    assert [wi.grad for wi in w] == pytest.approx([delta * xi for xi in x], rel=1e-12)
    assert b.grad == pytest.approx(delta, rel=1e-12)
