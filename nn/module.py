"""Neurons, layers and multi-layer perceptrons, with micrograd's surface and defaults.

A neuron computes ``z = b + Σᵢ wᵢxᵢ`` as one ``autodiff.dot`` node (local derivatives
``∂z/∂wᵢ = xᵢ``, ``∂z/∂xᵢ = wᵢ``, ``∂z/∂b = 1``) and then ``out = f(z)`` for its
activation ``f``. Code written for micrograd 0.1.0 runs unchanged after swapping the
import: ``Neuron(nin, nonlin=True)``, ``Layer(nin, nout)``, ``MLP(nin, nouts)``, ReLU
hidden layers and a linear last layer, weights ``U(-1, 1)`` from the module-level
``random`` (so ``random.seed(1337)`` gives micrograd's weights), biases 0, parameters
ordered ``w0..wn-1, b`` per neuron, and the same sums in the same order, so the numbers
agree bit for bit.

Every node a module creates is labelled: parameters ``L1.N3.w0``, ``L1.N3.b``, the
weighted sum ``L1.N3.z``, the activation output ``L1.N3.out``, the network's input
leaves ``x0, x1, ...``. Layers and neurons count from 1. Everything up to the last
``.`` is the node's module scope, which drawings use to fold a neuron or a layer.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Callable, Sequence

from autodiff import Value, dot
from autodiff.viz import labels

from .activations import Activation, check_activation, step
from .init import initial_weights, make_rng

Input = Sequence["Value | float"] | Value | float


class Module:
    """Anything with parameters: ``parameters()`` lists them, ``zero_grad()`` clears their grads."""

    def parameters(self) -> list[Value]:
        """The trainable leaves, in a fixed order (``w`` then ``b`` per neuron)."""
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (leaves accumulate across ``backward()`` calls)."""
        for p in self.parameters():
            p.grad = 0.0


def _activation_of(nonlin: bool, activation: str | None, where: str) -> Activation:
    if activation is None:
        return "relu" if nonlin else "linear"
    return check_activation(activation, where)


def _size(n: object, what: str, where: str) -> int:
    """``n`` as an int (a count of inputs or neurons), else a ``TypeError`` naming ``where``."""
    if isinstance(n, bool):
        raise TypeError(f"{where}: {what} must be a whole number, got bool {n!r}")
    try:
        return operator.index(n)  # type: ignore[arg-type]  # non-ints are rejected below
    except TypeError:
        raise TypeError(
            f"{where}: {what} must be a whole number, got {type(n).__name__} {n!r}"
        ) from None


def _wrap_inputs(x: Input, labels: list[str], where: str) -> list[Value]:
    """The inputs as Values, numbers wrapped once into leaves labelled ``x0, x1, ...``."""
    if isinstance(x, (Value, int, float)):
        x = [x]
    if not hasattr(x, "__len__") or isinstance(x, (str, bytes)):
        raise TypeError(
            f"{where}: inputs must be a list of numbers or Values, got {type(x).__name__} {x!r}"
        )
    if len(x) != len(labels):
        raise ValueError(f"{where}: expected {len(labels)} inputs, got {len(x)}")
    return [xi if isinstance(xi, Value) else Value(xi, labels[i]) for i, xi in enumerate(x)]


class Neuron(Module):
    """One unit: ``out = f(b + Σᵢ wᵢxᵢ)``, ``f`` its activation.

    ``Neuron(nin, nonlin=True)`` is micrograd's ReLU neuron; ``nonlin=False`` makes it
    linear. ``activation=`` (``'relu'``, ``'tanh'``, ``'sigmoid'``, ``'linear'``,
    ``'step'``) overrides ``nonlin``. Weights come from :mod:`nn.init` (``init``,
    ``seed``/``rng``; the global ``random`` by default), the bias starts at 0. ``name``
    prefixes the labels of its parameters and nodes (``name.w0``, ``name.b``,
    ``name.z``, ``name.out``); a linear neuron's output is its ``z`` node.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str | None = None,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
        name: str = "N",
    ) -> None:
        self.activation: Activation = _activation_of(nonlin, activation, f"Neuron {name}")
        nin = _size(nin, "nin (the number of inputs)", f"Neuron {name}")
        weights = initial_weights(nin, init, make_rng(seed, rng))
        self.w = [Value(wi, labels.weight_label(name, i)) for i, wi in enumerate(weights)]
        self.b = Value(0.0, labels.bias_label(name))
        self.name = name
        # labels are made once here: a forward pass only assigns them
        self._z_label = labels.sum_label(name)
        self._out_label = labels.output_label(name)
        self._input_labels = [labels.input_label(i) for i in range(nin)]
        self._f: Callable[[Value], Value] | None = {
            "relu": Value.relu,
            "tanh": Value.tanh,
            "sigmoid": Value.sigmoid,
            "linear": None,
            "step": step,
        }[self.activation]

    @property
    def nonlin(self) -> bool:
        """True unless the activation is ``'linear'`` (micrograd's flag)."""
        return self.activation != "linear"

    def __call__(self, x: Input) -> Value:
        """``f(b + Σᵢ wᵢxᵢ)`` for inputs ``x`` (Values or numbers, one per weight)."""
        return self._forward(_wrap_inputs(x, self._input_labels, f"Neuron {self.name}"))

    def weighted_sum(self, x: Input) -> Value:
        """``z = b + Σᵢ wᵢxᵢ`` alone, before the activation: one ``dot`` node labelled ``name.z``.

        Its local derivatives are ``∂z/∂wᵢ = xᵢ``, ``∂z/∂xᵢ = wᵢ`` and ``∂z/∂b = 1``; the
        perceptron rule reads them from here. ``apply_activation(weighted_sum(x))`` is ``self(x)``.
        """
        return self._sum(_wrap_inputs(x, self._input_labels, f"Neuron {self.name}"))

    def apply_activation(self, z: Value) -> Value:
        """``out = f(z)`` labelled ``name.out``; a linear neuron returns ``z`` itself."""
        if self._f is None:
            return z
        out = self._f(z)
        out.label = self._out_label
        return out

    def _sum(self, x: list[Value]) -> Value:
        z = dot(self.w, x, self.b)
        z.label = self._z_label
        return z

    def _forward(self, x: list[Value]) -> Value:
        """The neuron on inputs that are already Values (a layer checks and wraps them once)."""
        return self.apply_activation(self._sum(x))

    def parameters(self) -> list[Value]:
        """``[w0, ..., wn-1, b]``: micrograd's order."""
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{self.activation.capitalize().replace('Relu', 'ReLU')}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs.

    Calling it returns a list of ``nout`` Values, **or a bare Value when ``nout == 1``**
    (micrograd's behaviour, kept so ported code runs: ``loss = (layer(x) - y)**2``).
    Plain-number inputs are wrapped into leaves ``x0, x1, ...`` once per call and shared
    by all neurons. A bare Value (a one-output layer's result) is accepted as one input.
    Neurons are named ``{name}.N1``, ``{name}.N2``, ...; other arguments go to
    :class:`Neuron`.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        nonlin: bool = True,
        *,
        activation: str | None = None,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
        name: str = "L",
    ) -> None:
        nin = _size(nin, "nin (the number of inputs)", f"Layer {name}")
        nout = _size(nout, "nout (the number of neurons)", f"Layer {name}")
        if nout < 1:
            raise ValueError(f"Layer {name}: needs at least one neuron, got nout={nout!r}")
        source = make_rng(seed, rng)
        self.name = name
        self.neurons = [
            Neuron(
                nin,
                nonlin,
                activation=activation,
                init=init,
                rng=source,
                name=labels.neuron_scope(name, j),
            )
            for j in range(1, nout + 1)
        ]
        self._input_labels = [labels.input_label(i) for i in range(nin)]

    def __call__(self, x: Input) -> Value | list[Value]:
        """Every neuron's output for inputs ``x``; a bare Value if the layer has one neuron."""
        xs = _wrap_inputs(x, self._input_labels, f"Layer {self.name}")
        out = [n._forward(xs) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        """Each neuron's parameters in turn."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``nouts`` on ``nin`` inputs.

    ``MLP(2, [16, 16, 1])`` is micrograd's: ReLU hidden layers, a linear output layer.
    ``activation`` sets the hidden layers' activation (one name, or one per hidden
    layer), ``output_activation`` the last layer's. Layers are named ``L1, L2, ...``.
    With one output neuron a call returns a bare Value, otherwise a list (as micrograd).
    ``seed`` or ``rng`` makes the weights reproducible without touching global ``random``.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Sequence[str] = "relu",
        output_activation: str = "linear",
        *,
        init: str = "uniform",
        seed: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        nin = _size(nin, "nin (the number of inputs)", "MLP")
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence):
            raise TypeError(
                f"MLP: nouts must be a list of layer sizes such as [16, 16, 1], "
                f"got {type(nouts).__name__} {nouts!r}"
            )
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer size")
        nouts = [_size(n, f"nouts[{i}] (a layer size)", "MLP") for i, n in enumerate(nouts)]
        hidden = len(nouts) - 1
        if isinstance(activation, str):
            # checked even with no hidden layer, so a misspelt name never passes silently
            check_activation(activation, "MLP")
        names = [activation] * hidden if isinstance(activation, str) else list(activation)
        if len(names) != hidden:
            raise ValueError(
                f"MLP: {len(names)} hidden activations given for {hidden} hidden layers"
            )
        names.append(output_activation)
        source = make_rng(seed, rng)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation=names[i],
                init=init,
                rng=source,
                name=labels.layer_scope(i + 1),
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Input) -> Value | list[Value]:
        """The network's output for one example ``x``; a bare Value if it has one output."""
        out: Input = x
        for layer in self.layers:
            out = layer(out)
        return out  # type: ignore[return-value]  # a layer returns a Value or a list of them

    def parameters(self) -> list[Value]:
        """Each layer's parameters in turn."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
