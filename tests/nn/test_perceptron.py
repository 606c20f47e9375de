"""The perceptron: Z = Σ xᵢwᵢ + b with ∂Z/∂wᵢ = xᵢ, the step unit and the perceptron rule."""

from __future__ import annotations

import pytest

from autodiff import Value
from nn import Perceptron, blobs, fit, perceptron_rule, train_perceptron, xor


def test_weighted_sum_gradient_is_the_input() -> None:
    """Backward from Z gives ∂Z/∂wᵢ = xᵢ and ∂Z/∂b = 1, as in the lecture."""
    p = Perceptron(3, "linear", seed=0)
    x = [0.5, -2.0, 3.0]
    z = p(x)
    assert z.label == "P.z"
    z.backward()
    assert [w.grad for w in p.w] == x
    assert p.b.grad == 1.0


def test_step_output_and_zero_slope() -> None:
    """The step unit outputs 1 for Z ≥ 0 and 0 below, and passes no gradient."""
    p = Perceptron(2, seed=0)
    p.w[0].data, p.w[1].data, p.b.data = 1.0, 1.0, -1.0
    assert [p(x).data for x in ([0.0, 0.0], [0.5, 0.5], [2.0, 0.0])] == [0.0, 1.0, 1.0]
    out = p([2.0, 0.0])
    out.backward()
    assert [w.grad for w in p.w] == [0.0, 0.0]


def test_perceptron_rule_update() -> None:
    """A wrong output moves each weight by η(d - y)xᵢ and the bias by η(d - y); a right one by 0."""
    p = Perceptron(2, seed=0)
    p.w[0].data, p.w[1].data, p.b.data = 0.5, -0.5, 0.0
    error = perceptron_rule(p, [1.0, 2.0], d=1.0, lr=0.1)  # Z = -0.5, y = 0
    assert error == 1.0
    assert [w.data for w in p.w] == [0.5 + 0.1 * 1.0, -0.5 + 0.1 * 2.0]
    assert p.b.data == 0.1
    assert all(param.grad == 0.0 for param in p.parameters())
    before = [param.data for param in p.parameters()]
    assert perceptron_rule(p, [1.0, 2.0], d=1.0, lr=0.1) == 0.0  # Z = 0.6 - 0.6 + 0.1 > 0
    assert [param.data for param in p.parameters()] == before


def test_perceptron_converges_on_separable_data_not_on_xor() -> None:
    """On linearly separable blobs the rule reaches zero mistakes; on XOR it never does."""
    X, y = blobs(40, seed=3)
    p = Perceptron(2, seed=0)
    p.w[0].data, p.w[1].data = -1.0, -1.0  # start wrong on purpose
    mistakes = train_perceptron(p, X, y, lr=0.5, max_epochs=50)
    assert mistakes[0] > 0
    assert mistakes[-1] == 0
    assert all(p(x).data == label for x, label in zip(X, y))
    X, y = xor()
    mistakes = train_perceptron(Perceptron(2, seed=0), X, y, max_epochs=20)
    assert len(mistakes) == 20
    assert min(mistakes) > 0


def test_sigmoid_perceptron_trains_by_gradient_descent() -> None:
    """A sigmoid perceptron trained with fit on blobs classifies them all."""
    X, y = blobs(30, seed=1)
    p = Perceptron(2, "sigmoid", seed=0)
    history = fit(p, X, [float(v) for v in y], loss="half_squared_error", epochs=40, progress=False)
    assert history.loss[-1] < history.loss[0]
    assert all((p(x).data > 0.5) == bool(label) for x, label in zip(X, y))
    assert repr(p) == "Perceptron(2, activation='sigmoid')"
    assert isinstance(p([0.0, 0.0]), Value)


def test_mismatched_lengths() -> None:
    """train_perceptron refuses examples and targets of different lengths."""
    with pytest.raises(ValueError, match="2 examples but 1 targets"):
        train_perceptron(Perceptron(2), [[0.0, 0.0], [1.0, 1.0]], [1.0])


def test_a_neuron_gives_its_weighted_sum_and_activation_apart() -> None:
    """Neuron.weighted_sum is the z node (P.z); apply_activation(z) gives the neuron's output."""
    p = Perceptron(2, "sigmoid", seed=0)
    x = [0.5, -1.0]
    z = p.weighted_sum(x)
    assert z.label == "P.z"
    assert z.data == p.b.data + sum(w.data * xi for w, xi in zip(p.w, x))
    out = p.apply_activation(z)
    assert out.label == "P.out"
    assert out.data == p(x).data
    assert out.parents == (z,)
    linear = Perceptron(2, "linear", seed=0)
    z = linear.weighted_sum(x)
    assert linear.apply_activation(z) is z


def test_nn_uses_only_the_engines_public_names() -> None:
    """No module of nn reads a Value's private fields (_parents, _partials, _op), issue 10."""
    import pathlib
    import re

    import nn

    private = re.compile(r"\._(parents|partials|op)\b")
    offenders = [
        f"{path.name}:{number}"
        for path in pathlib.Path(nn.__file__).parent.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if private.search(line)
    ]
    assert offenders == []


def test_the_unused_activate_helper_is_gone() -> None:
    """nn.activations keeps what is used (Step, step, the names), not a second dispatch table."""
    import nn.activations

    assert not hasattr(nn.activations, "activate")
