"""Small 2-D classification sets and a 1-D regression set, as plain lists, from a seed.

Every function returns ``(X, y)``: ``X`` a list of points (lists of floats), ``y`` a
list of labels (class indices ``0, 1, ...``) or of targets (floats). The same seed
always gives the same numbers (``random.Random(seed)``; no global state, no NumPy, no
scikit-learn). For the hinge loss, :func:`signed` turns 0/1 labels into -1/+1.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence

Points = list[list[float]]


def _check(n: int, minimum: int, where: str) -> None:
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"{where}: n must be a whole number, got {type(n).__name__} {n!r}")
    if n < minimum:
        raise ValueError(f"{where}: n must be at least {minimum}, got {n!r}")


def _shuffled(X: Points, y: list[int], rng: random.Random) -> tuple[Points, list[int]]:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[Points, list[int]]:
    """Two interleaving half circles: class 0 the upper arc, class 1 the lower, shifted one.

    Upper: ``(cos t, sin t)``; lower: ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly spaced in
    ``[0, π]`` (``n // 2`` points upper, the rest lower, as scikit-learn's ``make_moons``),
    plus Gaussian noise of standard deviation ``noise`` on each coordinate; then shuffled.
    """
    _check(n, 2, "moons")
    rng = random.Random(seed)
    upper, lower = n // 2, n - n // 2
    X: Points = []
    y: list[int] = []
    for count, label in ((upper, 0), (lower, 1)):
        for i in range(count):
            t = math.pi * i / (count - 1) if count > 1 else 0.0
            if label == 0:
                point = [math.cos(t), math.sin(t)]
            else:
                point = [1.0 - math.cos(t), 0.5 - math.sin(t)]
            X.append([c + rng.gauss(0.0, noise) for c in point])
            y.append(label)
    return _shuffled(X, y, rng)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0
) -> tuple[Points, list[int]]:
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1), with noise."""
    _check(n, 2, "circles")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"circles: factor must be in (0, 1), got {factor!r}")
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    X: Points = []
    y: list[int] = []
    for count, radius, label in ((outer, 1.0, 0), (inner, factor, 1)):
        for i in range(count):
            t = 2.0 * math.pi * i / count
            X.append(
                [
                    radius * math.cos(t) + rng.gauss(0.0, noise),
                    radius * math.sin(t) + rng.gauss(0.0, noise),
                ]
            )
            y.append(label)
    return _shuffled(X, y, rng)


def xor(n: int = 4, noise: float = 0.0, seed: int = 0) -> tuple[Points, list[int]]:
    """The XOR truth table: corners (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0.

    ``n = 4`` with ``noise = 0`` is the table itself, in that order; larger ``n`` cycles
    through the corners, adds Gaussian noise of standard deviation ``noise``, and shuffles.
    No straight line separates the classes: a single neuron cannot learn it.
    """
    _check(n, 4, "xor")
    corners = [([0.0, 0.0], 0), ([0.0, 1.0], 1), ([1.0, 0.0], 1), ([1.0, 1.0], 0)]
    rng = random.Random(seed)
    X: Points = []
    y: list[int] = []
    for i in range(n):
        point, label = corners[i % 4]
        X.append([c + rng.gauss(0.0, noise) if noise else c for c in point])
        y.append(label)
    if n == 4 and not noise:
        return X, y
    return _shuffled(X, y, rng)


def spirals(
    n: int = 100, classes: int = 2, noise: float = 0.2, seed: int = 0
) -> tuple[Points, list[int]]:
    """``classes`` arms winding out from the origin, class ``k`` the ``k``-th arm.

    Point ``i`` of an arm has radius ``r = i/m`` (``m`` points per arm) and angle
    ``4r + 2πk/classes`` plus Gaussian angle noise of standard deviation ``noise``.
    """
    _check(n, classes, "spirals")
    if classes < 2:
        raise ValueError(f"spirals: needs at least 2 classes, got {classes!r}")
    rng = random.Random(seed)
    X: Points = []
    y: list[int] = []
    for k in range(classes):
        m = n // classes + (1 if k < n % classes else 0)
        for i in range(m):
            r = i / max(m - 1, 1)
            angle = 4.0 * r + 2.0 * math.pi * k / classes + rng.gauss(0.0, noise)
            X.append([r * math.sin(angle), r * math.cos(angle)])
            y.append(k)
    return _shuffled(X, y, rng)


def blobs(
    n: int = 100, spread: float = 0.5, margin: float = 0.2, seed: int = 0
) -> tuple[Points, list[int]]:
    """Two Gaussian clouds around (-1, -1) (class 0) and (1, 1) (class 1), linearly separable.

    Points have standard deviation ``spread`` per coordinate; a point closer than
    ``margin`` to the line ``x₀ + x₁ = 0`` (or on its wrong side) is drawn again, so
    that line separates the classes with room to spare: the perceptron rule converges.
    """
    _check(n, 2, "blobs")
    if margin < 0.0:
        raise ValueError(f"blobs: margin must be >= 0, got {margin!r}")
    rng = random.Random(seed)
    X: Points = []
    y: list[int] = []
    for i in range(n):
        label = i % 2
        centre = 1.0 if label else -1.0
        while True:
            point = [centre + rng.gauss(0.0, spread), centre + rng.gauss(0.0, spread)]
            # signed distance to x0 + x1 = 0, positive on this class's side
            if (point[0] + point[1]) * centre / math.sqrt(2.0) >= margin:
                break
        X.append(point)
        y.append(label)
    return _shuffled(X, y, rng)


def regression_1d(
    n: int = 50, noise: float = 0.1, low: float = -3.0, high: float = 3.0, seed: int = 0
) -> tuple[Points, list[float]]:
    """Samples of ``d = sin(x)`` plus Gaussian noise, ``x`` evenly spaced in ``[low, high]``.

    ``X`` is ``[[x0], [x1], ...]`` (one feature per example) and ``y`` the targets.
    """
    _check(n, 2, "regression_1d")
    rng = random.Random(seed)
    X = [[low + (high - low) * i / (n - 1)] for i in range(n)]
    y = [math.sin(x[0]) + rng.gauss(0.0, noise) for x in X]
    return X, y


def signed(labels: Sequence[int]) -> list[float]:
    """0/1 labels as -1.0/+1.0, the form the hinge loss expects (``2y - 1``)."""
    out = []
    for label in labels:
        if label not in (0, 1):
            raise ValueError(f"signed: labels must be 0 or 1, got {label!r}")
        out.append(2.0 * label - 1.0)
    return out


def digits() -> tuple[Points, list[int]]:
    """The 1,797 handwritten 8×8 digits that ship inside scikit-learn, pixels scaled to [0, 1].

    ``X[i]`` holds 64 pixels row by row (0 = paper, 1 = full ink), ``y[i]`` the digit 0-9.
    The images are a file inside the scikit-learn package (``load_digits``): nothing is
    downloaded. scikit-learn is needed for this data set only (the ``digits`` extra).
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "nn.digits needs scikit-learn, which ships the images: pip install scikit-learn "
            "(or, in a clone of backprop-lab, pip install '.[digits]')"
        ) from None
    bunch = load_digits()
    X = [[float(p) / 16.0 for p in row] for row in bunch.data.tolist()]
    return X, [int(d) for d in bunch.target.tolist()]
