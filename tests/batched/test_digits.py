"""scikit-learn's digits on the batched engine, small: it learns, and agrees with backward()."""

from __future__ import annotations

import math
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="the batched engine needs NumPy (the batched extra)")
pytest.importorskip("sklearn", reason="nn.digits needs scikit-learn (the digits extra)")

import nn  # noqa: E402
from autodiff.batched import vectorize  # noqa: E402


def test_digits_are_the_scikit_learn_images_scaled_to_unit_range() -> None:
    """1,797 images of 64 pixels in [0, 1], digits 0-9, each digit about a tenth."""
    X, y = nn.digits()
    assert len(X) == len(y) == 1797
    assert all(len(row) == 64 for row in X)
    assert min(min(r) for r in X) == 0.0 and max(max(r) for r in X) == 1.0
    assert sorted(set(y)) == list(range(10))


def test_a_small_mlp_learns_digits_and_matches_the_scalar_graph() -> None:
    """600 training images, 12 epochs of Adam: over 80 % on 300 others; one batch's loss and
    gradients equal the scalar graph's (softmax cross-entropy, backward()) to 1e-10."""
    X, y = nn.digits()
    X_train, y_train, X_test, y_test = np.array(X[:600]), y[:600], np.array(X[600:900]), y[600:900]
    model = nn.MLP(64, [16, 10], seed=0)
    params = model.parameters()

    def per_example(x: Any, t: Any) -> Any:
        return nn.softmax_cross_entropy([model(x)], [t])

    step = vectorize(per_example, params)
    targets = np.eye(10)[y_train]
    model.zero_grad()
    loss = step(X_train[:20], targets[:20])
    grads = [p.grad for p in params]
    model.zero_grad()
    scalar = nn.softmax_cross_entropy([model(list(x)) for x in X_train[:20].tolist()], y_train[:20])
    scalar.backward()
    assert math.isclose(loss, scalar.data, rel_tol=1e-12)
    assert all(math.isclose(g, p.grad, rel_tol=1e-10, abs_tol=1e-14) for g, p in zip(grads, params))
    optimizer = nn.Adam(params, lr=0.01)
    rng = np.random.default_rng(0)
    for _ in range(12):
        for batch in np.array_split(rng.permutation(600), 10):
            model.zero_grad()
            step(X_train[batch], targets[batch])
            optimizer.step()
    logits = vectorize(lambda x: model(x), params).outputs(X_test)
    accuracy = float((logits.argmax(axis=1) == np.array(y_test)).mean())
    assert accuracy > 0.8, accuracy
