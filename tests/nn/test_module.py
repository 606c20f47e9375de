"""Neuron, Layer, MLP: micrograd's surface, defaults and numbers; labels; activations; init."""

from __future__ import annotations

import math
import random

import pytest

import nn
from autodiff import Value
from nn.datasets import moons, signed

micrograd_nn = pytest.importorskip("micrograd.nn")
micrograd_engine = pytest.importorskip("micrograd.engine")


def _demo_step(lib: str, steps: int) -> list[tuple[float, list[float], list[float]]]:
    """micrograd's demo loop, written once, run on either library after random.seed(1337)."""
    random.seed(1337)
    model = micrograd_nn.MLP(2, [16, 16, 1]) if lib == "micrograd" else nn.MLP(2, [16, 16, 1])
    X, labels = moons(30, 0.1, seed=1)
    y = signed(labels)
    trace = []
    for k in range(steps):
        inputs = [list(map(micrograd_engine.Value, x)) for x in X] if lib == "micrograd" else X
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        params = model.parameters()
        trace.append((total.data, [p.data for p in params], [p.grad for p in params]))
        for p in params:
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
    return trace


def test_same_code_gives_micrograds_numbers() -> None:
    """The demo loop gives micrograd's weights and loss bit for bit, and its grads to 1e-12.

    Measured: the forward numbers are identical; 163 of the 337 gradients differ in the
    last bits (at most 1.7e-16 absolute; 208 and 5.6e-16 on the 100-point demo) because
    micrograd sums a fan-out node's contributions in set order and we sum them in
    topological order. Later steps inherit those bits.
    """
    theirs, ours = _demo_step("micrograd", 3), _demo_step("ours", 3)
    (loss_m, data_m, grad_m), (loss_o, data_o, grad_o) = theirs[0], ours[0]
    assert data_o == data_m
    assert loss_o == loss_m
    assert len(grad_o) == len(grad_m) == 337
    for g_o, g_m in zip(grad_o, grad_m):
        assert g_o == pytest.approx(g_m, rel=1e-12, abs=1e-12)
    for (loss_m, data_m, grad_m), (loss_o, data_o, grad_o) in zip(theirs[1:], ours[1:]):
        assert loss_o == pytest.approx(loss_m, rel=1e-12)
        assert data_o == pytest.approx(data_m, rel=1e-12, abs=1e-12)
        assert grad_o == pytest.approx(grad_m, rel=1e-12, abs=1e-12)


def test_single_forward_equals_micrograd_exactly() -> None:
    """One neuron, layer and MLP give micrograd's outputs exactly from the same seed."""
    x = [0.3, -1.2, 2.5]
    for make in (
        lambda m: m.Neuron(3),
        lambda m: m.Neuron(3, nonlin=False),
        lambda m: m.Layer(3, 4),
        lambda m: m.MLP(3, [4, 4, 2]),
    ):
        random.seed(7)
        theirs = make(micrograd_nn)(x)
        random.seed(7)
        ours = make(nn)(x)
        if isinstance(theirs, list):
            assert [o.data for o in ours] == [t.data for t in theirs]
        else:
            assert ours.data == theirs.data


def test_defaults_and_reprs_match_micrograd() -> None:
    """Parameter order, bias 0, ReLU hidden and linear output layers, reprs: all micrograd's."""
    random.seed(3)
    theirs = micrograd_nn.MLP(3, [4, 1])
    random.seed(3)
    ours = nn.MLP(3, [4, 1])
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert repr(ours) == repr(theirs)
    assert repr(nn.Neuron(2)) == "ReLUNeuron(2)" == repr(micrograd_nn.Neuron(2))
    assert repr(nn.Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    assert repr(nn.Neuron(2, activation="tanh")) == "TanhNeuron(2)"
    neuron = nn.Neuron(5)
    assert neuron.b.data == 0.0
    assert neuron.parameters() == [*neuron.w, neuron.b]
    assert all(-1.0 <= w.data <= 1.0 for w in neuron.w)
    assert [layer.neurons[0].nonlin for layer in ours.layers] == [True, False]


def test_layer_returns_bare_value_for_one_output() -> None:
    """A one-neuron Layer (and MLP) returns a Value, a wider one a list, as in micrograd."""
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), Value)
    wide = nn.Layer(2, 3)([1.0, 2.0])
    assert isinstance(wide, list)
    assert len(wide) == 3
    assert isinstance(nn.MLP(2, [3, 1])([1.0, 2.0]), Value)
    assert isinstance(nn.MLP(2, [3, 2])([1.0, 2.0]), list)


def test_labels_follow_the_convention() -> None:
    """Parameters, weighted sums, outputs and inputs carry L#.N#.* and x# labels."""
    model = nn.MLP(2, [3, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels[:4] == ["L1.N1.w0", "L1.N1.w1", "L1.N1.b", "L1.N2.w0"]
    assert labels[-4:] == ["L2.N1.w0", "L2.N1.w1", "L2.N1.w2", "L2.N1.b"]
    out = model([0.5, -0.5])
    assert out.label == "L2.N1.z"  # a linear neuron's output is its weighted sum
    hidden = out._parents[3:6]
    assert [h.label for h in hidden] == ["L1.N1.out", "L1.N2.out", "L1.N3.out"]
    z = hidden[0]._parents[0]
    assert z.label == "L1.N1.z"
    assert [p.label for p in z._parents] == ["L1.N1.w0", "L1.N1.w1", "x0", "x1", "L1.N1.b"]
    perceptron = nn.Perceptron(2, "sigmoid", seed=0)
    assert [p.label for p in perceptron.parameters()] == ["P.w0", "P.w1", "P.b"]
    y = perceptron([1.0, 2.0])
    assert (y.label, y._parents[0].label) == ("P.out", "P.z")


def test_layer_wraps_numbers_once_per_call() -> None:
    """All neurons of a layer read the same input leaves, made once per call."""
    layer = nn.Layer(2, 3, seed=0)
    outs = layer([1.0, 2.0])
    assert isinstance(outs, list)
    first_inputs = [out._parents[0]._parents[2:4] for out in outs]
    assert all(inputs[0] is first_inputs[0][0] for inputs in first_inputs)
    assert all(inputs[1] is first_inputs[0][1] for inputs in first_inputs)
    given = [Value(1.0, "a"), Value(2.0, "b")]
    out = nn.Layer(2, 1, seed=0)(given)
    assert isinstance(out, Value)
    assert out._parents[0]._parents[2] is given[0]


@pytest.mark.parametrize(
    ("name", "f"),
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1.0 / (1.0 + math.exp(-z))),
        ("linear", lambda z: z),
        ("step", lambda z: 1.0 if z >= 0 else 0.0),
    ],
)
def test_activation_per_neuron(name: str, f: object) -> None:
    """Each activation applies its formula to b + Σ wᵢxᵢ."""
    neuron = nn.Neuron(3, activation=name, seed=1)
    x = [0.5, -0.25, 2.0]
    z = neuron.b.data + sum(w.data * xi for w, xi in zip(neuron.w, x))
    assert neuron(x).data == pytest.approx(f(z), rel=1e-15)  # type: ignore[operator]


def test_mlp_activation_per_layer() -> None:
    """Hidden activations may be one name or one per hidden layer; the output has its own."""
    model = nn.MLP(2, [3, 3, 1], ["tanh", "sigmoid"], "sigmoid", seed=0)
    assert [layer.neurons[0].activation for layer in model.layers] == ["tanh", "sigmoid", "sigmoid"]
    with pytest.raises(ValueError, match="hidden activations"):
        nn.MLP(2, [3, 1], ["tanh", "relu"])
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        nn.MLP(2, [3, 1], "softplus")


def test_init_seeds_and_scaling() -> None:
    """A seed reproduces weights without touching global random; xavier/he shrink them by 1/√nin."""
    random.seed(0)
    state = random.getstate()
    a = nn.MLP(4, [8, 1], seed=5)
    assert random.getstate() == state
    b = nn.MLP(4, [8, 1], rng=random.Random(5))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    random.seed(5)
    c = nn.MLP(4, [8, 1])
    assert [p.data for p in a.parameters()] == [p.data for p in c.parameters()]
    nin = 50
    for scheme, bound in (("xavier", math.sqrt(3 / nin)), ("he", math.sqrt(6 / nin))):
        weights = nn.initial_weights(nin, scheme, random.Random(1))
        plain = nn.initial_weights(nin, "uniform", random.Random(1))
        assert weights == [bound * w for w in plain]
        assert max(abs(w) for w in weights) <= bound
    with pytest.raises(ValueError, match="either seed= or rng="):
        nn.MLP(2, [1], seed=1, rng=random.Random(1))
    with pytest.raises(ValueError, match="unknown scheme 'gauss'"):
        nn.Neuron(2, init="gauss")


def test_wrong_input_size_names_the_layer() -> None:
    """Too few inputs raise ValueError naming the layer and both sizes."""
    with pytest.raises(ValueError, match="Layer L1: expected 2 inputs, got 3"):
        nn.MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Neuron P: expected 2 inputs, got 1"):
        nn.Perceptron(2)([1.0])


def test_zero_grad_clears_parameters() -> None:
    """Module.zero_grad sets every parameter's grad to 0 after a backward pass."""
    model = nn.MLP(2, [2, 1], seed=0)
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    (out * out + 1.0).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: nn.MLP("2", [3]), r"MLP: nin .* must be a whole number, got str '2'"),
        (lambda: nn.MLP(2, 3), r"MLP: nouts must be a list of layer sizes .* got int 3"),
        (lambda: nn.MLP(2, [3.5]), r"MLP: nouts\[0\] .* got float 3.5"),
        (lambda: nn.Neuron("a"), r"Neuron N: nin .* got str 'a'"),
        (lambda: nn.Layer(2, "a"), r"Layer L: nout .* got str 'a'"),
        (lambda: nn.Perceptron(2.0), r"Neuron P: nin .* got float 2.0"),
    ],
)
def test_sizes_of_the_wrong_type_are_named(make: object, message: str) -> None:
    """A size that is not a whole number raises a TypeError naming the module and argument."""
    with pytest.raises(TypeError, match=message):
        make()  # type: ignore[operator]


def test_misspelt_activation_is_refused_without_hidden_layers() -> None:
    """MLP(2, [1], activation=...) checks the name even though no hidden layer uses it."""
    with pytest.raises(ValueError, match="MLP: unknown activation 'bogus'"):
        nn.MLP(2, [1], activation="bogus")


def test_calling_a_model_on_a_non_sequence_names_the_layer() -> None:
    """model(None) raises a TypeError naming the layer and what inputs must be."""
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(TypeError, match="Layer L1: inputs must be a list of numbers or Values"):
        model(None)  # type: ignore[arg-type]
