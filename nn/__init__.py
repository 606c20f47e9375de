"""nn: neurons, layers, MLPs and the perceptron on top of ``autodiff``, with losses,
optimizers, a training loop, small data sets, save/load and a decision-boundary plot.

    >>> from nn import MLP, fit, moons, signed
    >>> X, labels = moons(100, noise=0.1, seed=1)
    >>> model = MLP(2, [16, 16, 1], seed=1337)      # micrograd's demo network
    >>> history = fit(model, X, signed(labels), loss="hinge", l2=1e-4, epochs=2, progress=False)
    >>> history.epochs
    2
"""

from typing import Any

from .activations import ACTIVATIONS, Step, step
from .datasets import blobs, circles, digits, moons, regression_1d, signed, spirals, xor
from .init import SCHEMES, initial_weights
from .losses import (
    bce_with_logits,
    half_squared_error,
    hinge,
    l1,
    l2,
    mae,
    mse,
    softmax_cross_entropy,
)
from .metrics import argmax_accuracy, binary_accuracy, sign_accuracy
from .module import MLP, Layer, Module, Neuron
from .optim import SGD, Adam, Optimizer
from .perceptron import Perceptron, perceptron_rule, train_perceptron
from .pytorch import from_torch, to_torch  # torch is imported only when they are called
from .serialize import ParameterFileError, load, save
from .stopping import EarlyStopping
from .train import LOSSES, History, evaluate, fit, train_val_split


def _version() -> str:
    """The installed distribution's version; ``'0+unknown'`` in a source tree never installed."""
    from importlib import metadata  # here, not at the top: it costs `import nn` ~30 ms

    try:
        return metadata.version("backprop-lab")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """``nn.__version__``, read from the package metadata when first asked for."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'nn' has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MLP",
    "SCHEMES",
    "SGD",
    "Adam",
    "EarlyStopping",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "ParameterFileError",
    "Perceptron",
    "Step",
    "argmax_accuracy",
    "bce_with_logits",
    "binary_accuracy",
    "blobs",
    "circles",
    "digits",
    "evaluate",
    "fit",
    "from_torch",
    "half_squared_error",
    "hinge",
    "initial_weights",
    "l1",
    "l2",
    "load",
    "mae",
    "moons",
    "mse",
    "perceptron_rule",
    "regression_1d",
    "save",
    "sign_accuracy",
    "signed",
    "softmax_cross_entropy",
    "spirals",
    "step",
    "to_torch",
    "train_perceptron",
    "train_val_split",
    "xor",
]
