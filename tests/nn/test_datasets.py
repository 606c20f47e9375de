"""Data sets: deterministic from a seed, the right shapes and labels, and their geometry."""

from __future__ import annotations

import math

import pytest

from nn import blobs, circles, moons, regression_1d, signed, spirals, xor


@pytest.mark.parametrize("make", [moons, circles, spirals, blobs, regression_1d])
def test_same_seed_same_data(make: object) -> None:
    """The same seed gives identical lists; another seed different ones; plain Python types."""
    X1, y1 = make(30, seed=1)  # type: ignore[operator]
    X2, y2 = make(30, seed=1)  # type: ignore[operator]
    X3, y3 = make(30, seed=2)  # type: ignore[operator]
    assert (X1, y1) == (X2, y2)
    assert (X1, y1) != (X3, y3)
    assert len(X1) == len(y1) == 30
    assert all(type(x) is list and all(type(c) is float for c in x) for x in X1)


def test_moons_geometry() -> None:
    """Without noise, class 0 lies on the unit upper arc and class 1 on the shifted lower arc."""
    X, y = moons(50, noise=0.0, seed=0)
    assert sorted(set(y)) == [0, 1]
    assert y.count(0) == 25
    for (a, b), label in zip(X, y):
        if label == 0:
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-12
        else:
            assert math.hypot(a - 1.0, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-12


def test_circles_radii() -> None:
    """Without noise the classes sit at radius 1 and radius `factor`."""
    X, y = circles(40, noise=0.0, factor=0.3, seed=0)
    for x, label in zip(X, y):
        assert math.hypot(*x) == pytest.approx(0.3 if label else 1.0)


def test_xor_truth_table() -> None:
    """n=4 without noise is the XOR truth table in order."""
    assert xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    _, y = xor(12, noise=0.1, seed=0)
    assert y.count(1) == 6


def test_blobs_are_separated_by_the_margin() -> None:
    """Every blob point is at least `margin` from the line x0 + x1 = 0, on its class's side."""
    X, y = blobs(60, spread=1.0, margin=0.3, seed=0)
    for (a, b), label in zip(X, y):
        assert (a + b) * (1 if label else -1) / math.sqrt(2) >= 0.3


def test_spirals_classes_and_regression_targets() -> None:
    """Spirals have `classes` labels; the regression targets are sin(x) without noise."""
    _, y = spirals(30, classes=3, seed=0)
    assert sorted(set(y)) == [0, 1, 2]
    X, d = regression_1d(11, noise=0.0)
    assert d == [math.sin(x[0]) for x in X]
    assert X[0] == [-3.0] and X[-1] == [3.0]


def test_signed_and_bad_sizes() -> None:
    """signed maps 0/1 to -1/+1 and refuses other labels; too-small n is refused."""
    assert signed([0, 1, 1]) == [-1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="labels must be 0 or 1, got 2"):
        signed([2])
    with pytest.raises(ValueError, match="moons: n must be at least 2"):
        moons(1)


def test_a_count_that_is_not_a_whole_number_is_named() -> None:
    """moons(100.0) or moons('100') raises a TypeError naming the generator and the value."""
    with pytest.raises(TypeError, match=r"moons: n must be a whole number, got float 100\.0"):
        moons(100.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="xor: n must be a whole number, got str '4'"):
        xor("4")  # type: ignore[arg-type]
