"""Graduating to PyTorch: the same network as a ``torch.nn.Module``, and back.

``to_torch(model)`` builds a ``torch.nn.Sequential`` of ``Linear`` layers and activation
modules, in float64, holding the same numbers: the weights of neuron ``j`` of a layer
become row ``j`` of that layer's ``weight`` matrix (``W[j][i] = L.Nj.wi``), its bias
entry ``j`` of ``bias``. A layer then computes ``z = W·x + b`` for a whole batch at once,
where our neurons make one ``dot`` node each per example: the same sums, as tensors.

``from_torch(module, model)`` copies the tensors back into the model's ``Value`` s, e.g.
after training in PyTorch. torch is imported inside these functions only, so
``import nn`` works, and stays fast, without it (install: ``pip install torch==2.13.0``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .module import MLP, Layer

if TYPE_CHECKING:  # only for the annotations: importing nn must not import torch
    import torch

__all__ = ["from_torch", "to_torch"]

_INSTALL = "PyTorch is not installed; install the pinned CPU build with: pip install torch==2.13.0"


def _require_torch() -> None:
    """An ``ImportError`` saying how to install torch, if it is missing."""
    try:
        import torch  # noqa: F401  (only checking that it imports)
    except ImportError:
        raise ImportError(_INSTALL) from None


def _layers(model: MLP | Layer, where: str) -> list[Layer]:
    if isinstance(model, MLP):
        return model.layers
    if isinstance(model, Layer):
        return [model]
    raise TypeError(f"{where}: expected an nn.MLP or nn.Layer, got {type(model).__name__}")


def _activation(layer: Layer) -> str:
    """The one activation all of the layer's neurons share."""
    kinds = {n.activation for n in layer.neurons}
    if len(kinds) != 1:
        raise ValueError(f"to_torch: layer {layer.name} mixes activations {sorted(kinds)}")
    (kind,) = kinds
    return kind


def to_torch(model: MLP | Layer) -> torch.nn.Sequential:
    """A float64 ``torch.nn.Sequential`` with ``model``'s architecture, activations and weights.

    Each layer of ``n`` neurons on ``m`` inputs becomes ``Linear(m, n)`` (``weight`` of
    shape ``(n, m)``, ``weight[j, i] = Nj.wi``, ``bias[j] = Nj.b``) followed by ``ReLU``,
    ``Tanh`` or ``Sigmoid`` (nothing for a linear layer). The module maps a batch
    ``(k, m)`` to ``(k, outputs)``; ``model(x)`` is row ``x`` of it. The copy is
    independent: training one does not change the other (see :func:`from_torch`).

    Raises ``ValueError`` for the ``step`` activation, whose slope is 0 everywhere: it
    trains with the perceptron rule, not with gradients, and PyTorch has no module for it.
    """
    _require_torch()
    import torch

    modules: list[Any] = []
    activations = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    for layer in _layers(model, "to_torch"):
        kind = _activation(layer)
        if kind == "step":
            raise ValueError(
                f"to_torch: layer {layer.name} uses the step activation, which has no "
                "gradient to train with; PyTorch has no module for it"
            )
        linear = torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64)
            )
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        modules.append(linear)
        if kind in activations:
            modules.append(activations[kind]())
    # annotated, so that mypy without torch installed (torch is then Any) stays strict-clean
    sequential: torch.nn.Sequential = torch.nn.Sequential(*modules)
    return sequential


def from_torch(module: torch.nn.Module, model: MLP | Layer) -> MLP | Layer:
    """Copy the weights of ``module``'s ``Linear`` layers into ``model``; returns ``model``.

    The ``Linear`` layers are taken in order (``module.modules()``) and must match the
    model's layers one to one in shape: ``weight`` ``(neurons, inputs)``, ``bias``
    ``(neurons,)``. A mismatch raises ``ValueError`` naming the layer and both shapes,
    before any weight is changed. Only ``data`` is written; grads stay as they were.
    """
    _require_torch()
    import torch

    layers = _layers(model, "from_torch")
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"from_torch: expected a torch.nn.Module, got {type(module).__name__}")
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    if len(linears) != len(layers):
        raise ValueError(
            f"from_torch: the module has {len(linears)} Linear layers, the model {len(layers)}"
        )
    for layer, linear in zip(layers, linears):
        want = (len(layer.neurons), len(layer.neurons[0].w))
        got = tuple(linear.weight.shape)
        if got != want:
            raise ValueError(
                f"from_torch: layer {layer.name} has {want[0]} neurons on {want[1]} inputs, "
                f"so its weight must have shape {want}; the Linear layer's is {got}"
            )
        if linear.bias is None:
            raise ValueError(f"from_torch: the Linear layer for {layer.name} has no bias")
    for layer, linear in zip(layers, linears):
        weights = linear.weight.detach().to(torch.float64).tolist()
        biases = linear.bias.detach().to(torch.float64).tolist()
        for neuron, row, bias in zip(layer.neurons, weights, biases):
            for w, number in zip(neuron.w, row):
                w.data = number
            neuron.b.data = bias
    return model
