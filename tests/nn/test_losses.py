"""Losses: values and gradients against their closed forms, stability at extreme logits."""

from __future__ import annotations

import math

import pytest

from autodiff import Constant, Value, topological_order
from nn import MLP, losses


def _values(numbers: list[float]) -> list[Value]:
    return [Value(x, f"y{i}") for i, x in enumerate(numbers)]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


def test_half_squared_error_gradient_is_y_minus_d() -> None:
    """E = ½Σ(d - y)² per example: the value and ∂E/∂y = y - d; 'sum' adds examples."""
    ys = [[Value(0.2), Value(-0.7)], [Value(1.5), Value(0.0)]]
    ds = [[1.0, 0.5], [1.0, -1.0]]
    per_example = [0.5 * sum((d - y.data) ** 2 for y, d in zip(yy, dd)) for yy, dd in zip(ys, ds)]
    total = losses.half_squared_error(ys, ds, reduction="sum")
    assert total.data == pytest.approx(sum(per_example), rel=1e-15)
    total.backward()
    for yy, dd in zip(ys, ds):
        for y, d in zip(yy, dd):
            assert y.grad == pytest.approx(y.data - d, rel=1e-15)
    mean = losses.half_squared_error(ys, ds)
    assert mean.data == pytest.approx(sum(per_example) / 2, rel=1e-15)
    y = Value(0.25)
    single = losses.half_squared_error(y, 1.0)
    single.backward()
    assert (single.data, y.grad) == (pytest.approx(0.5 * 0.75**2), pytest.approx(-0.75))


def test_mse_and_mae() -> None:
    """MSE = mean (y-d)², gradient 2(y-d)/m; MAE = mean |y-d|, gradient sign(y-d)/m, 0 at a hit."""
    ys = _values([0.5, -1.0, 2.0, 3.0])
    ds = [1.0, -1.5, 2.0, 0.0]
    m = len(ys)
    loss = losses.mse(ys, ds)
    assert loss.data == pytest.approx(sum((y.data - d) ** 2 for y, d in zip(ys, ds)) / m)
    loss.backward()
    assert [y.grad for y in ys] == pytest.approx([2 * (y.data - d) / m for y, d in zip(ys, ds)])
    ys = _values([0.5, -1.0, 2.0, 3.0])
    loss = losses.mae(ys, ds)
    assert loss.data == pytest.approx(sum(abs(y.data - d) for y, d in zip(ys, ds)) / m)
    loss.backward()
    assert [y.grad for y in ys] == [-0.25, 0.25, 0.0, 0.25]


def test_hinge_margin_and_gradient() -> None:
    """Hinge = mean max(0, 1 - y·s); only examples inside the margin get gradient -y/n."""
    scores = _values([2.0, 0.5, -0.3, -4.0])
    labels = [1.0, 1.0, 1.0, -1.0]
    loss = losses.hinge(scores, labels)
    expected = [max(0.0, 1 - y * s.data) for s, y in zip(scores, labels)]
    assert loss.data == pytest.approx(sum(expected) / 4)
    loss.backward()
    assert [s.grad for s in scores] == [0.0, -0.25, -0.25, 0.0]
    with pytest.raises(ValueError, match="labels must be -1 or \\+1, got 0"):
        losses.hinge(scores, [1.0, 0, 1.0, -1.0])


@pytest.mark.parametrize("z", [-1000.0, -30.0, -2.5, -1e-3, 0.0, 1e-3, 0.7, 30.0, 1000.0])
@pytest.mark.parametrize("label", [0.0, 1.0, 0.3])
def test_bce_with_logits_value_and_gradient(z: float, label: float) -> None:
    """BCE on logits equals softplus(z) - zy and has gradient σ(z) - y, finite even at ±1000."""
    logit = Value(z)
    loss = losses.bce_with_logits([logit], [label])
    expected = (max(z, 0.0) - z * label) + math.log1p(math.exp(-abs(z)))  # softplus(z) - zy
    assert loss.data == pytest.approx(expected, rel=1e-12, abs=1e-15)
    loss.backward()
    assert logit.grad == pytest.approx(_sigmoid(z) - label, rel=1e-12, abs=1e-15)


def test_softmax_cross_entropy_stable_and_correct() -> None:
    """CE = logsumexp(z) - z_c with gradient softmax - onehot, finite for logits near ±1000."""
    for logits in ([1.0, 2.0, 0.5], [1000.0, 998.0, -1000.0]):
        zs = _values(logits)
        loss = losses.softmax_cross_entropy([zs], [1])
        m = max(logits)
        lse = m + math.log(sum(math.exp(z - m) for z in logits))
        assert loss.data == pytest.approx(lse - logits[1], rel=1e-12)
        loss.backward()
        softmax = [math.exp(z - lse) for z in logits]
        onehot = [0.0, 1.0, 0.0]
        assert [z.grad for z in zs] == pytest.approx(
            [p - t for p, t in zip(softmax, onehot)], rel=1e-12, abs=1e-15
        )
    zs = _values([0.3, -0.2])
    by_index = losses.softmax_cross_entropy([zs, zs], [0, 1]).data
    by_vector = losses.softmax_cross_entropy([zs, zs], [[1.0, 0.0], [0.0, 1.0]]).data
    assert by_index == pytest.approx(by_vector, rel=1e-15)
    with pytest.raises(ValueError, match=r"class 3 is not in 0\.\.1"):
        losses.softmax_cross_entropy([zs], [3])


def test_l2_regularization() -> None:
    """L2 = α Σ p² with gradient 2αp."""
    params = _values([0.5, -2.0, 3.0])
    loss = losses.l2(params, 0.01)
    assert loss.data == pytest.approx(0.01 * (0.25 + 4.0 + 9.0))
    loss.backward()
    assert [p.grad for p in params] == pytest.approx([0.01, -0.04, 0.06])


def test_l1_regularization() -> None:
    """L1 = α Σ |p| with gradient α·sign(p), worked by hand: 0.01·(0.5 + 2 + 3) = 0.055."""
    params = _values([0.5, -2.0, 3.0, 0.0])
    loss = losses.l1(params, 0.01)
    assert loss.data == pytest.approx(0.055, rel=1e-15)
    loss.backward()
    assert [p.grad for p in params] == pytest.approx([0.01, -0.01, 0.01, 0.0], rel=1e-15)
    with pytest.raises(ValueError, match="l1: no parameters"):
        losses.l1([], 0.1)


def test_losses_against_torch() -> None:
    """BCE-with-logits and cross-entropy agree with torch.nn.functional on the same numbers."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    logits = [0.3, -2.0, 7.5, 0.0]
    labels = [1.0, 0.0, 0.0, 1.0]
    ours = losses.bce_with_logits(_values(logits), labels).data
    theirs = functional.binary_cross_entropy_with_logits(
        torch.tensor(logits, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)
    ).item()
    assert ours == pytest.approx(theirs, rel=1e-12)
    batch = [[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]]
    classes = [2, 0]
    ours = losses.softmax_cross_entropy([_values(row) for row in batch], classes).data
    theirs = functional.cross_entropy(
        torch.tensor(batch, dtype=torch.float64), torch.tensor(classes)
    ).item()
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_shape_errors_are_clear() -> None:
    """Mismatched example counts or output sizes raise ValueError naming the loss."""
    with pytest.raises(ValueError, match="mse: 2 outputs but 3 targets"):
        losses.mse(_values([1.0, 2.0]), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="example 0 has 2 outputs but 1 targets"):
        losses.half_squared_error([_values([1.0, 2.0])], [[1.0]])
    with pytest.raises(ValueError, match="no examples"):
        losses.mae([], [])


def test_bce_refuses_labels_outside_zero_one() -> None:
    """bce_with_logits given -1/+1 labels (hinge's) names the label instead of a wrong loss."""
    with pytest.raises(ValueError, match=r"bce_with_logits: labels must be in \[0, 1\].*got -1\.0"):
        losses.bce_with_logits([Value(0.5)], [-1.0])
    assert math.isfinite(losses.bce_with_logits([Value(0.5)], [0.25]).data)


def _labelled(loss: Value) -> dict[str, list[Value]]:
    """Every labelled node of a loss's graph, by label."""
    found: dict[str, list[Value]] = {}
    for node in topological_order(loss):
        if node.label is not None:
            found.setdefault(node.label, []).append(node)
    return found


def test_losses_name_their_nodes_as_the_lecture_does() -> None:
    """An MLP's half squared error has nodes E, y, d and e = d - y beside the network's labels."""
    net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    y = net([1.0, 0.5])
    assert isinstance(y, Value)
    E = losses.half_squared_error(y, 1.0)
    names = _labelled(E)
    assert E.label == "E" and y.label == "y"
    assert {"E", "y", "d", "e", "L2.N1.z", "L1.N1.z", "L1.N2.out", "x0"} <= set(names)
    (d,) = names["d"]
    (e,) = names["e"]
    assert d.data == 1.0 and e.data == pytest.approx(1.0 - y.data)
    # e = d - y is one subtraction of the constant d and the output y: ∂e/∂d = 1, ∂e/∂y = -1
    assert isinstance(d, Constant) and e.parents == (d, y) and e.partials == (1.0, -1.0)


def test_half_squared_error_of_one_example_builds_no_multiply_by_one() -> None:
    """E = ½e² for one example: no node multiplies by a constant 1 (the mean of one term is it)."""
    E = losses.half_squared_error(Value(0.3), 1.0)
    for node in topological_order(E):
        if node.op is not None and node.op.name == "*":
            assert all(p.data != 1.0 or p.parents for p in node.parents), "a multiply by 1"
    assert E.data == pytest.approx(0.5 * 0.7**2)


def test_losses_keep_a_callers_own_labels() -> None:
    """A caller's own labels on outputs and targets stay; unlabelled outputs become y1, y2."""
    score, target = Value(0.3, label="score"), Value(1.0, label="goal")
    losses.mse([score], [target])
    assert (score.label, target.label) == ("score", "goal")
    ys = [Value(0.1), Value(0.2, label="L2.N2.out")]
    E = losses.half_squared_error([ys], [[1.0, 0.0]])
    assert [y.label for y in ys] == ["y1", "y2"]
    assert {"E", "y1", "y2", "d1", "d2", "e1", "e2"} <= set(_labelled(E))
    for loss in (losses.mae, losses.mse):
        assert loss([Value(0.5)], [1.0]).label == "E"


def test_losses_take_numpy_targets() -> None:
    """NumPy label arrays and scalars (int64, float32, bool) work like lists of numbers."""
    import numpy as np

    from autodiff import Value
    from nn import half_squared_error, hinge, mse

    ys = [Value(0.5), Value(-0.25)]
    assert mse(ys, np.array([1.0, 0.0])).data == mse(ys, [1.0, 0.0]).data
    assert hinge(ys, [np.int64(1), np.int64(-1)]).data == hinge(ys, [1, -1]).data
    assert (
        half_squared_error(ys, np.array([True, False])).data
        == half_squared_error(ys, [1.0, 0.0]).data
    )
    assert mse(ys, np.array([1.0, 0.0], dtype=np.float32)).data == mse(ys, [1.0, 0.0]).data
