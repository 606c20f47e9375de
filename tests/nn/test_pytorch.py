"""``nn.to_torch`` / ``nn.from_torch``: the same network in PyTorch, the same numbers."""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
from typing import Any

import pytest

import nn
from nn import MLP, SGD, Adam, hinge, l2, moons, signed

needs_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None, reason="torch is not installed"
)


def test_import_nn_does_not_import_torch() -> None:
    """``import nn`` (and ``autodiff``) leaves torch unimported, checked in a fresh interpreter."""
    code = "import sys, nn, autodiff; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_without_torch_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """With torch missing, ``to_torch`` raises ImportError naming the pinned install command."""
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ImportError, match=r"pip install torch==2\.13\.0"):
        nn.to_torch(MLP(2, [3, 1], seed=0))


def _torch_out(module: Any, x: list[float]) -> list[float]:
    import torch

    with torch.no_grad():
        out: list[float] = module(torch.tensor([x], dtype=torch.float64))[0].tolist()
    return out


@needs_torch
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("output_activation", ["linear", "tanh", "sigmoid"])
def test_same_outputs(activation: str, output_activation: str) -> None:
    """For random inputs the torch module's outputs equal the model's to 1e-12."""
    import torch

    model = MLP(3, [5, 4, 2], activation=activation, output_activation=output_activation, seed=7)
    module = nn.to_torch(model)
    assert all(p.dtype == torch.float64 for p in module.parameters())
    rng = random.Random(11)
    for _ in range(25):
        x = [rng.uniform(-3, 3) for _ in range(3)]
        ours = [v.data for v in model(x)]  # type: ignore[union-attr]  # two outputs: a list
        theirs = _torch_out(module, x)
        assert max(abs(a - b) for a, b in zip(ours, theirs)) < 1e-12


@needs_torch
def test_step_activation_is_refused_by_name() -> None:
    """A step layer has no PyTorch module: the error names the layer and the activation."""
    with pytest.raises(ValueError, match="L1 uses the step activation"):
        nn.to_torch(MLP(2, [3, 1], activation="step", seed=0))


@needs_torch
def test_from_torch_copies_back_and_checks_shapes() -> None:
    """Weights changed in torch come back into the model; a wrong shape is named, nothing copied."""
    import torch

    model = MLP(2, [3, 1], activation="tanh", seed=1)
    module = nn.to_torch(model)
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(-2.0).add_(0.25)
    before = [p.data for p in model.parameters()]
    assert nn.from_torch(module, model) is model
    assert [p.data for p in model.parameters()] == [-2.0 * b + 0.25 for b in before]

    other = MLP(2, [4, 1], seed=2)
    kept = [p.data for p in other.parameters()]
    with pytest.raises(ValueError, match=r"layer L1 has 4 neurons on 2 inputs.*\(3, 2\)"):
        nn.from_torch(module, other)
    assert [p.data for p in other.parameters()] == kept
    with pytest.raises(ValueError, match="2 Linear layers, the model 3"):
        nn.from_torch(module, MLP(2, [3, 3, 1], seed=0))


def _train_ours(model: MLP, X: list[list[float]], y: list[float], adam: bool) -> list[float]:
    params = model.parameters()
    opt = Adam(params, lr=0.01) if adam else SGD(params, lr=lambda k: 1.0 - 0.9 * k / 100)
    losses = []
    for _ in range(20):
        scores = [model(x) for x in X]
        loss = hinge(scores, y) + l2(params, 1e-4)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
    return losses


def _train_torch(module: Any, X: list[list[float]], y: list[float], adam: bool) -> list[float]:
    import torch

    inputs = torch.tensor(X, dtype=torch.float64)
    labels = torch.tensor(y, dtype=torch.float64)
    params = list(module.parameters())
    opt = torch.optim.Adam(params, lr=0.01) if adam else torch.optim.SGD(params, lr=1.0)
    losses = []
    for k in range(20):
        if not adam:
            opt.param_groups[0]["lr"] = 1.0 - 0.9 * k / 100  # the demo's falling rate
        scores = module(inputs).squeeze(1)
        hinge_loss = torch.relu(1 - labels * scores).mean()
        loss = hinge_loss + 1e-4 * sum((p * p).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@needs_torch
@pytest.mark.parametrize("adam", [False, True], ids=["SGD", "Adam"])
def test_training_the_moons_demo_gives_the_same_losses(adam: bool) -> None:
    """20 full-batch steps of the moons demo here and in PyTorch give the same losses to 1e-9."""
    points, classes = moons(100, noise=0.1, seed=1)
    X, y = [list(p) for p in points], signed(classes)
    model = MLP(2, [16, 16, 1], seed=1337)
    module = nn.to_torch(model)
    ours = _train_ours(model, X, y, adam)
    theirs = _train_torch(module, X, y, adam)
    assert ours[-1] < ours[0]  # it trained
    assert max(abs(a - b) for a, b in zip(ours, theirs)) < 1e-9
    # and the trained weights agree too
    trained = nn.from_torch(module, MLP(2, [16, 16, 1], seed=0))
    assert (
        max(abs(a.data - b.data) for a, b in zip(trained.parameters(), model.parameters())) < 1e-9
    )
