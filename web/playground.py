"""The browser playground's one bridge into the packages: what the pages ask, in JSON.

The Web Worker (``worker.js``) runs this module in Pyodide, next to the ``autodiff`` and
``nn`` wheels built from this repository, and calls :func:`handle` with a method name
and JSON arguments; every answer is JSON too, so no Python object crosses into
JavaScript. All the mathematics is the packages' own: this module only builds graphs
with their public functions, keeps them between calls, and turns results into numbers,
text and DOT source (which the page renders with viz.js). It runs unchanged in CPython,
which is how ``tests/web/test_bridge.py`` checks it without a browser.

Two labs keep their state here between calls: :class:`ExpressionLab` (an expression's
graph, replayed when a slider moves, stepped backward node by node, explained for one
leaf) and :class:`TrainingLab` (a data set, an MLP and its optimizer, trained a fraction
of a second per call so the page can play, pause and step).
"""

from __future__ import annotations

import ast
import itertools
import json
import math
import random
import re
import tempfile
import time
from collections.abc import Callable
from typing import Any, ClassVar

import autodiff
import nn
from autodiff import Value

# The safe expression language, shared with the command line ``python -m autodiff draw``.
from autodiff.expression import (
    ExpressionError,
    evaluate,
    normalize_name,
    parse,
    parse_bindings,
)
from autodiff.viz import labels
from nn.tapes import BatchTapes

NUMBER_FORMAT = ".6g"  # numbers in tables and texts; the drawings use draw_dot's default


class BridgeError(Exception):
    """A request the page made that cannot be answered (bad input, unknown method)."""


def _number(x: float) -> str:
    return format(x, NUMBER_FORMAT).replace("-", "−")


# a float printed with more digits than a person reads (``-1.7999999999999998``); not one
# inside quotes, which is text the user typed and is quoted as typed
_LONG_FLOAT = re.compile(r"(?<![\w.'\"])-?\d+\.\d{7,}(?:e[+-]?\d+)?(?![\w.'\"])")


def short_numbers(message: str) -> str:
    """``"got -1.7999999999999998"`` -> ``"got -1.8"``: a message's long floats, shortly."""
    return _LONG_FLOAT.sub(lambda m: format(float(m.group()), NUMBER_FORMAT), message)


def _finite(x: float) -> float | None:
    """JSON has no inf or NaN: those travel as null (the text form says what they were)."""
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------------------------------
# The expression lab


def variable_names(expression: str) -> list[str]:
    """The names an expression reads, in order of first appearance (functions excluded).

    The page gives each one a slider. The text goes through the language's own
    ``parse``, which bounds its size and depth before Python's parser sees it (a
    recursion in the parser is a fatal stack overflow in the browser's Python). A text
    that is refused or does not parse has no names: the engine's ``evaluate`` then
    reports the error exactly as the CLI does.
    """
    try:
        tree = parse(expression)
    except ExpressionError:
        return []
    called = {
        id(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    names = [
        node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    ]
    names.sort(key=lambda node: (node.lineno, node.col_offset))
    return list(dict.fromkeys(node.id for node in names))


def _numbers(values: dict[str, Any]) -> dict[str, float]:
    """The numbers the page sent, parsed as the CLI parses ``NAME=NUMBER``; finite only.

    The page sends a link's or a number box's text as it was typed (``"Infinity"``,
    ``"1e999"``, ``"abc"``, ``""``), so a refusal names the field and quotes the text; a
    JSON ``null`` (what JSON makes of infinity and NaN) is named as such. Infinity is
    refused here though the CLI takes it: a slider holds finite numbers.
    """
    bindings = []
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            shown = "an empty value (null)" if value is None else repr(value)
            raise BridgeError(f"{name}: {shown} is not a number")
        bindings.append(f"{name}={value if isinstance(value, str) else repr(float(value))}")
    numbers = parse_bindings(bindings)
    for (name, value), number in zip(values.items(), numbers.values()):
        if not math.isfinite(number):
            raise BridgeError(f"{name}: {str(value).strip()!r} is not a finite number")
    return numbers


def split_bindings(text: str) -> tuple[str, dict[str, float], set[str]]:
    """``"tanh(w*x+b); w=0.5, x=2, const d=1"`` -> the expression, its typed values, constants.

    After the first ``;`` come bindings as the CLI takes them (``NAME=NUMBER``, parsed by
    its ``parse_bindings``), separated by commas or spaces; ``const`` before a binding (or
    a bare name) marks that name a constant: a leaf with no slider and no gradient.
    """
    source, sep, rest = text.partition(";")
    if not sep:
        return text, {}, set()
    items: list[str] = []
    constants: set[str] = set()
    tokens = rest.replace(",", " ").split()
    marked = False
    for token in tokens:
        if token == "const":
            if marked:
                raise BridgeError("'const const': const marks one name, e.g. const d=1")
            marked = True
            continue
        name = normalize_name(token.partition("=")[0])
        if marked:
            if not name.isidentifier():
                raise BridgeError(f"const {token!r}: expected const NAME or const NAME=NUMBER")
            constants.add(name)
            marked = False
        if "=" in token:
            items.append(token)
        elif name not in constants:
            raise BridgeError(f"expected NAME=NUMBER or const NAME after ';', got {token!r}")
    if marked:
        raise BridgeError("'const' at the end: name the constant, e.g. const d=1")
    return source, parse_bindings(items), constants


class ExpressionLab:
    """One expression's graph: built once, replayed with new leaf values, stepped, explained.

    ``values`` maps names to numbers, or to the text a link or a box holds (parsed as
    the CLI parses ``NAME=TEXT``); a name the expression reads but ``values`` lacks
    starts at 1, and a value must be finite (a slider cannot hold infinity). The
    bindings go through the CLI's ``parse_bindings`` and the expression through its
    ``evaluate``, so the page refuses what ``python -m autodiff draw`` refuses, with the
    same message. The output is labelled ``out``, as the CLI labels it.
    """

    def __init__(self, expression: str, values: dict[str, Any]) -> None:
        self.expression, typed, self.constants = split_bindings(expression)
        names = variable_names(self.expression)
        for name in [*typed, *self.constants]:
            if name not in names:
                raise BridgeError(
                    f"{name!r} is bound after ';' but the expression does not read it"
                )
        given = {name: values.get(name, 1.0) for name in names if name not in typed}
        variables = {**_numbers(given), **typed}
        for name, number in typed.items():
            if not math.isfinite(number):
                raise BridgeError(f"{name}: {number!r} is not a finite number")
        self.root = evaluate(self.expression, variables, self.constants)
        if self.root.label is None and "out" not in variables:
            self.root.label = "out"
        self.order = autodiff.topological_order(self.root)
        self.leaves: dict[str, Value] = {}  # the variables: a slider and a gradient each
        self.fixed: dict[str, Value] = {}  # the constants
        for node in self.order:
            if not node.parents and node.label in variables:
                table = self.fixed if node.label in self.constants else self.leaves
                table.setdefault(node.label, node)
        # a bare leaf ("a" or "3") has no graph to record: backward() alone is instant there
        self.tape = autodiff.record(self.root) if self.root.parents else None
        self.stepper: autodiff.BackwardStepper | None = None
        self.last_step: autodiff.BackwardStep | None = None
        self._backward()

    def _backward(self) -> None:
        """Fresh grads everywhere: leaves accumulate across backward calls, so zero them."""
        for leaf in self.leaves.values():
            leaf.grad = 0.0
        if self.tape is not None:
            self.tape.backward()
        else:
            self.root.grad = 0.0
            self.root.backward()
        self.stepper = None
        self.last_step = None

    def set_values(self, values: dict[str, Any]) -> None:
        """New numbers in the leaves, then forward and backward again by replaying the tape."""
        for name in values:
            if name not in self.leaves:
                raise BridgeError(f"set_values: {name!r} is not a variable of the expression")
        for name, number in _numbers(values).items():
            self.leaves[name].data = number
        if self.tape is not None:
            try:
                self.tape.forward()
            except (ValueError, ArithmeticError):
                # say it as the CLI would for these numbers: evaluating afresh raises that
                numbers = {n: leaf.data for n, leaf in {**self.leaves, **self.fixed}.items()}
                evaluate(self.expression, numbers, self.constants)
                raise
        self._backward()

    def step(self) -> str:
        """One node further backward (the first call resets and seeds); the step's text."""
        if self.stepper is None or self.stepper.done == self.stepper.total:
            for leaf in self.leaves.values():
                leaf.grad = 0.0
            self.stepper = autodiff.BackwardStepper(self.root, number_format=NUMBER_FORMAT)
            self.stepper.seed()
            seed = self.stepper.seed_text()
            # the seed alone changes nothing on screen: the first click also takes step 1,
            # so it shows "step 1 of N" with that node highlighted
            if self.stepper.total == 0:
                self.last_step = None
                return seed
            self.last_step = next(self.stepper)
            return f"{seed}\n{self.last_step}"
        self.last_step = next(self.stepper)
        return str(self.last_step)

    def explain(self, name: str) -> str:
        """The chain-rule explanation of ∂out/∂``name`` (every path's product, their sum)."""
        if name not in self.leaves:
            raise BridgeError(f"explain: {name!r} is not a variable of the expression")
        return str(autodiff.explain(self.root, self.leaves[name], number_format=NUMBER_FORMAT))

    def dot(self, formulas: bool = False) -> str:
        """The DOT source of the graph, the node of the last step and its edges highlighted."""
        highlight: list[Value] = []
        edges: list[tuple[Value, Value]] = []
        if self.last_step is not None:
            highlight = [self.last_step.node]
            edges = self.last_step.edges()
        return str(
            autodiff.draw_dot(
                self.root, formulas=formulas, highlight=highlight, highlight_edges=edges
            ).source
        )

    def state(self, formulas: bool = False, dot: bool = True) -> dict[str, Any]:
        """What the page shows: the leaves with data and grad, the output, the DOT source.

        With ``dot=False`` the DOT is left out: writing it takes longer than the replay
        of a big graph, and a slider move must answer at once (the page asks for the
        picture with ``expression.dot`` when its layout worker is free).
        """
        stepping = self.stepper is not None
        return {
            "output": self.root.label or "out",
            "data": _finite(self.root.data),
            "data_text": _number(self.root.data),
            "leaves": [
                {
                    "name": name,
                    "data": _finite(leaf.data),
                    "grad": _finite(leaf.grad),
                    "grad_text": _number(leaf.grad),
                }
                for name, leaf in self.leaves.items()
            ],
            "constants": [
                {"name": name, "data": _finite(leaf.data), "data_text": _number(leaf.data)}
                for name, leaf in self.fixed.items()
            ],
            "nodes": len(self.order),  # the page says "laying out N nodes" for big ones
            "stepping": stepping,
            "step_done": self.stepper.done if self.stepper is not None else 0,
            "step_total": self.stepper.total if self.stepper is not None else 0,
            **({"dot": self.dot(formulas)} if dot else {}),
        }


# ---------------------------------------------------------------------------------------
# The training lab


def blobs3(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Three classes: Gaussian clouds (standard deviation ``0.3 + noise``) around three points
    of a circle of radius 1.5, at 90°, 210° and 330°; class ``k`` the ``k``-th cloud."""
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        k = i % 3
        angle = math.radians(90 + 120 * k)
        spread = 0.3 + noise
        X.append(
            [
                1.5 * math.cos(angle) + rng.gauss(0, spread),
                1.5 * math.sin(angle) + rng.gauss(0, spread),
            ]
        )
        y.append(k)
    return X, y


def spirals3(
    n: int = 100, noise: float = 0.1, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Three classes: ``nn.spirals`` with three arms."""
    return nn.spirals(n, classes=3, noise=noise, seed=seed)


# the class data sets with more than two classes, and how many
CLASSES = {"blobs3": 3, "spirals3": 3}

DATASETS: dict[str, Callable[..., tuple[list[list[float]], list[int]]]] = {
    "moons": nn.moons,
    "circles": nn.circles,
    "xor": nn.xor,
    "spirals": nn.spirals,
    "blobs": nn.blobs,
    "blobs3": blobs3,
    "spirals3": spirals3,
}
# the keyword each data set calls its noise
NOISE_KEYWORD = {
    "moons": "noise",
    "circles": "noise",
    "xor": "noise",
    "spirals": "noise",
    "blobs": "spread",
    "blobs3": "noise",
    "spirals3": "noise",
}


def plane(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """A regression set: points uniform in [−2, 2]², target ``(x₁ + x₂)/2`` plus Gaussian noise."""
    rng = random.Random(seed)
    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    return X, [(a + b) / 2 + rng.gauss(0, noise) for a, b in X]


def bumps(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """A regression set: a bump up at (1, 1) and one down at (−1, −1), plus Gaussian noise.

    Target ``exp(−|p − (1, 1)|²) − exp(−|p + (1, 1)|²)`` for points uniform in [−2, 2]².
    """
    rng = random.Random(seed)
    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    return X, [
        math.exp(-((a - 1) ** 2) - (b - 1) ** 2)
        - math.exp(-((a + 1) ** 2) - (b + 1) ** 2)
        + rng.gauss(0, noise)
        for a, b in X
    ]


REGRESSION: dict[str, Callable[..., tuple[list[list[float]], list[float]]]] = {
    "plane": plane,
    "bumps": bumps,
}
LOSSES = ("hinge", "bce", "mse", "softmax_ce")
BATCHES = ("full", "stochastic", "mini")
OPTIMIZERS = ("adam", "sgd")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "l1", "l2")
# The inputs the first layer can take, as Playground offers them: name → (text, f(x₁, x₂)).
FEATURES: dict[str, tuple[str, Callable[[float, float], float]]] = {
    "x1": ("x₁", lambda a, b: a),
    "x2": ("x₂", lambda a, b: b),
    "x1sq": ("x₁²", lambda a, b: a * a),
    "x2sq": ("x₂²", lambda a, b: b * b),
    "x1x2": ("x₁x₂", lambda a, b: a * b),
    "sin1": ("sin x₁", lambda a, b: math.sin(a)),
    "sin2": ("sin x₂", lambda a, b: math.sin(b)),
}
GRID = 40  # the decision boundary is sampled on GRID × GRID points (the page smooths it)
NEURON_GRID = 16  # each neuron's own picture: NEURON_GRID × NEURON_GRID points

# The form's limits, applied to a link's values too: a link can ask for nothing the form
# could not (hidden=1000,1000 or n=1000000 would keep the worker busy for minutes).
LIMITS: dict[str, tuple[float, float]] = {
    "n": (8, 1000),
    "noise": (0.0, 2.0),
    "seed": (0, 2**31 - 1),
    "lr": (0.0, 10.0),
    "batch_size": (1, 1000),
    "epochs": (1, 10_000),
    "rate": (0.0, 10.0),
    "test": (10, 90),
}
MAX_LAYERS = 6
MAX_WIDTH = 16
# how the page names each field in a message ("learning rate (lr): ...")
FIELD_NAMES = {
    "n": "points",
    "noise": "noise",
    "seed": "seed",
    "lr": "learning rate",
    "batch_size": "mini-batch size",
    "epochs": "epochs per run",
    "rate": "regularization rate",
    "test": "test data %",
    "hidden": "hidden layers",
    "features": "features",
}


def _field(key: str) -> str:
    return f"{FIELD_NAMES.get(key, key)} ({key})"


def _text(value: Any) -> str:
    """The text a field held: the page sends strings, tests and scripts may send numbers."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return repr(value)
    return value if isinstance(value, str) else repr(value)


def _whole(key: str, value: Any) -> int:
    """A whole number within the field's limits, refused as ``python -m nn train`` refuses one.

    ``int()`` of the text: ``8.5``, ``1e3``, an empty field and ``NaN`` are not whole
    numbers (never rounded, never read as 0).
    """
    low, high = LIMITS[key]
    text = _text(value)
    try:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(text)
        number = int(value)
    except ValueError:
        raise BridgeError(
            f"{_field(key)}: must be a whole number >= {low:g}, got {text!r}"
        ) from None
    if number < low:
        raise BridgeError(f"{_field(key)}: must be a whole number >= {low:g}, got {text!r}")
    if number > high:
        raise BridgeError(f"{_field(key)}: at most {high:g} in the lab, got {text!r}")
    return number


def _real(key: str, value: Any, *, inclusive: bool) -> float:
    """A finite number within the field's limits (``> low``, or ``>= low`` when inclusive).

    NaN, ±Infinity and an emptied field are refused with the CLI's words, never read as 0.
    """
    low, high = LIMITS[key]
    relation = ">=" if inclusive else ">"
    text = _text(value)
    try:
        number = float(text) if isinstance(value, str) else float(value)
        if isinstance(value, bool):
            raise ValueError(text)
    except (ValueError, TypeError):
        number = math.nan
    if not (number >= low if inclusive else number > low) or number == math.inf:
        raise BridgeError(f"{_field(key)}: must be a number {relation} {low:g}, got {text!r}")
    if number > high:
        raise BridgeError(f"{_field(key)}: at most {high:g} in the lab, got {text!r}")
    return number


def _hidden(value: Any) -> list[int]:
    """Hidden layer sizes: ``"8,8"`` or a list; empty means no hidden layer (a linear model)."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    text = value if isinstance(value, str) else ",".join(_text(p) for p in parts)
    if isinstance(value, str) and not value.strip():
        return []
    sizes = []
    for part in parts:
        part_text = _text(part).strip()
        if isinstance(part, bool) or not (
            isinstance(part, int) or (isinstance(part, str) and part_text.isdigit())
        ):
            sizes = []
            break
        sizes.append(int(part_text))
    if not sizes or min(sizes) < 1:
        raise BridgeError(
            f"{_field('hidden')}: takes layer sizes >= 1 separated by commas, like 8,8; "
            f"got {text!r}"
        )
    if len(sizes) > MAX_LAYERS or max(sizes) > MAX_WIDTH:
        raise BridgeError(
            f"{_field('hidden')}: at most {MAX_LAYERS} layers of at most {MAX_WIDTH} neurons "
            f"in the lab, got {text!r}"
        )
    return sizes


def _features(value: Any) -> list[str]:
    names = [p.strip() for p in value.split(",")] if isinstance(value, str) else list(value)
    names = [n for n in names if n]
    unknown = [n for n in names if n not in FEATURES]
    if unknown or not names:
        raise BridgeError(
            f"{_field('features')}: choose one or more of {', '.join(FEATURES)}, "
            f"got {_text(value)!r}"
        )
    return [n for n in FEATURES if n in names]  # the table's order, each once


def check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings with defaults filled in, every value checked and converted.

    A bad value is a :class:`BridgeError` naming its field, worded as ``python -m nn
    train`` words it (``learning rate (lr): must be a number > 0, got 'NaN'``); values
    beyond the form's limits are refused with the limit.
    """
    unknown = set(settings) - set(TrainingLab.DEFAULTS)
    if unknown:
        raise BridgeError(f"training: unknown settings {', '.join(sorted(unknown))}")
    s = {**TrainingLab.DEFAULTS, **settings}
    for key, allowed in (
        ("dataset", [*DATASETS, *REGRESSION]),
        ("loss", LOSSES),
        ("batch", BATCHES),
        ("optimizer", OPTIMIZERS),
        ("activation", ACTIVATIONS),
        ("regularization", REGULARIZATIONS),
    ):
        if s[key] not in allowed:
            raise BridgeError(f"training: {key} must be one of {', '.join(allowed)}")
    for key in ("n", "seed", "batch_size", "epochs", "test"):
        s[key] = _whole(key, s[key])
    if s["dataset"] in REGRESSION and s["loss"] != "mse":
        raise BridgeError(
            f"dataset {s['dataset']} has real-valued targets, but loss {s['loss']} needs class "
            "labels: choose squared error (mse)"
        )
    if s["dataset"] in CLASSES and s["loss"] != "softmax_ce":
        raise BridgeError(
            f"dataset {s['dataset']} has {CLASSES[s['dataset']]} classes, but loss {s['loss']} "
            "tells two apart: choose softmax cross-entropy (softmax_ce)"
        )
    if s["dataset"] in REGRESSION and s["loss"] == "softmax_ce":
        raise BridgeError(
            f"dataset {s['dataset']} has real-valued targets, but loss softmax_ce needs class "
            "labels: choose squared error (mse)"
        )
    s["noise"] = _real("noise", s["noise"], inclusive=True)
    s["lr"] = _real("lr", s["lr"], inclusive=False)
    s["rate"] = _real("rate", s["rate"], inclusive=True)
    s["hidden"] = _hidden(s["hidden"])
    s["features"] = _features(s["features"])
    return s


def _targets(labels: list[int], loss: str) -> list[Any]:
    """Class labels as the loss reads them: ±1 for hinge and mse (sign decides), 0/1 for bce,
    the class index for softmax cross-entropy."""
    if loss == "softmax_ce":
        return list(labels)
    return [float(label) for label in labels] if loss == "bce" else nn.signed(labels)


def _real_targets(values: list[float], loss: str) -> list[float]:
    """A regression set's targets, as they are (every loss here that takes them is mse)."""
    return [float(v) for v in values]


def _accuracy(loss: str) -> Callable[[list[Any], list[Any]], float]:
    if loss == "softmax_ce":
        return nn.argmax_accuracy
    return nn.binary_accuracy if loss == "bce" else nn.sign_accuracy


_FLOAT_ACTIVATIONS: dict[str, Callable[[float], float]] = {
    "relu": lambda z: z if z > 0 else 0.0,
    "tanh": math.tanh,
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z)),
    "linear": lambda z: z,
}


class TrainingLab:
    """A 2-D data set, an MLP with one output, an optimizer; trained a few updates per call.

    ``settings`` (all optional, checked by :func:`check_settings`): ``dataset`` (moons,
    circles, xor, spirals, blobs), ``n`` points, ``noise``, ``seed``, ``hidden`` layer
    sizes, ``activation``, ``loss`` (hinge, bce, mse), ``optimizer`` (adam, sgd), ``lr``,
    ``batch`` (full, stochastic, mini with ``batch_size``), ``regularization`` (none, l1,
    l2) with its ``rate``, ``test`` (the percentage held out as test data, 10–90), the
    input ``features`` and ``epochs`` (the length of a run the page plays).

    The network's inputs are the chosen features of each point. Training runs the
    compiled graph of each batch size (``nn.compiled``, as ``fit(compile=True)`` does),
    kept across calls, so that a call can stop after any update when its time is up
    and the next call continues the same epoch: the page gets an answer, and can pause or
    reset, a fraction of a second after it asks.
    """

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "dataset": "moons",
        "n": 100,
        "noise": 0.1,
        "seed": 1,
        "hidden": [8, 8],
        "activation": "relu",
        "loss": "bce",
        "optimizer": "adam",
        "lr": 0.05,
        "batch": "full",
        "batch_size": 10,
        "regularization": "none",
        "rate": 0.001,
        "test": 20,
        "features": ["x1", "x2"],
        "epochs": 200,
    }

    def __init__(self, settings: dict[str, Any]) -> None:
        s = check_settings(settings)
        self.settings = s
        self.regression = s["dataset"] in REGRESSION
        X: list[list[float]]
        labels: list[Any]
        if self.regression:
            X, labels = REGRESSION[s["dataset"]](s["n"], s["noise"], seed=s["seed"])
        else:
            make = DATASETS[s["dataset"]]
            X, labels = make(s["n"], **{NOISE_KEYWORD[s["dataset"]]: s["noise"]}, seed=s["seed"])
        self.X, self.labels = X, labels
        self.features = [FEATURES[name][1] for name in s["features"]]
        Xt, yt, Xv, yv = nn.train_val_split(X, labels, s["test"] / 100, seed=s["seed"])
        self.points = (Xt, Xv)
        targets = _real_targets if self.regression else _targets
        self.train = ([self.inputs(p) for p in Xt], targets(yt, s["loss"]))
        self.val = ([self.inputs(p) for p in Xv], targets(yv, s["loss"]))
        self.train_labels, self.val_labels = yt, yv
        self.classes = CLASSES.get(s["dataset"], 1 if self.regression else 2)
        # one output (its sign is the class), or one logit per class for softmax
        self.outputs = self.classes if s["loss"] == "softmax_ce" else 1
        self.model = nn.MLP(
            len(self.features),
            [*s["hidden"], self.outputs],
            activation=s["activation"],
            seed=s["seed"],
        )
        self.params = self.model.parameters()
        lr = s["lr"]
        self.optimizer: nn.Optimizer = (
            nn.Adam(self.params, lr=lr) if s["optimizer"] == "adam" else nn.SGD(self.params, lr=lr)
        )
        self.loss_fn = nn.LOSSES[s["loss"]]
        objective = self.loss_fn
        if s["regularization"] == "l1" and s["rate"] > 0:
            rate = s["rate"]

            def objective(outputs: list[Any], targets: list[Any]) -> Value:
                return self.loss_fn(outputs, targets) + nn.l1(self.params, rate)

        l2 = s["rate"] if s["regularization"] == "l2" else 0.0
        self.tapes = BatchTapes(self.model, objective, l2, self.params, "compile")
        self.batch_size = {"full": None, "stochastic": 1, "mini": s["batch_size"]}[s["batch"]]
        self.rng = random.Random(s["seed"])
        self.order = list(range(len(Xt)))
        self.position = 0  # the next update starts at order[position]
        self.updates = 0
        self.epoch_total = 0.0
        self.loss: list[float | None] = []
        self.val_loss: list[float | None] = []
        self.accuracy = 0.0
        self.val_accuracy = 0.0
        self.epoch = 0
        self.diverged = ""
        self.point: int | None = None  # the training point chosen for the gradients shown
        self.warning = ""
        self._epoch_warning = ""
        self.train_seconds = 0.0  # the last run's time (training and measuring)
        self._measure()

    def _output(self, layers: list[list[float]]) -> Any:
        """The network's output from :meth:`forward`'s layers: a number, or a list of logits."""
        return layers[-1] if self.outputs > 1 else layers[-1][0]

    def inputs(self, point: list[float]) -> list[float]:
        """The network's inputs for a point (x₁, x₂): the chosen features' values."""
        a, b = point
        return [f(a, b) for f in self.features]

    def run(self, epochs: int, seconds: float | None = None) -> None:
        """Train until ``epochs`` more epochs are complete, or ``seconds`` have passed.

        The clock is read after each update, so a call returns soon after its time is up
        even in the middle of an epoch (the next call finishes that epoch).
        """
        started = time.perf_counter()
        deadline = math.inf if seconds is None else started + seconds
        target = self.epoch + epochs
        while self.epoch < target and not self.diverged:
            self._update()
            if time.perf_counter() >= deadline:
                break
        self._measure()
        self.train_seconds = time.perf_counter() - started

    def _update(self) -> None:
        """One batch's forward, backward and optimizer step; the epoch's end when it is one."""
        X, y = self.train
        if self.position == 0:
            self._epoch_warning = ""
            if self.batch_size is not None:
                self.rng.shuffle(self.order)
        size = len(self.order) if self.batch_size is None else self.batch_size
        batch = self.order[self.position : self.position + size]
        epoch = self.epoch + 1
        self.optimizer.zero_grad()
        # One compiled one-example graph, run for each example of the batch: its grads add
        # up, and dividing by the batch size gives the mean loss's gradient (the penalty,
        # added once per example, also comes out once). A graph of the whole batch would
        # take seconds to compile; this one compiles in milliseconds.
        value = 0.0
        try:
            for i in batch:
                value += self.tapes.step(X, y, [i])[0]
        except OverflowError as error:
            self.diverged = (
                f"the loss overflowed at epoch {epoch} (update {self.updates + 1}): {error}"
            )
            return
        value /= len(batch)
        for p in self.params:
            p.grad /= len(batch)
        if not math.isfinite(value):
            self.diverged = f"the loss became {value} at epoch {epoch} (update {self.updates + 1})"
            return
        before = [p.data for p in self.params]
        self.optimizer.step()
        self.updates += 1
        for p in self.params:
            if not math.isfinite(p.data):
                self.diverged = (
                    f"parameter {p.label!r} became {p.data} at epoch {epoch} (update "
                    f"{self.updates}); the parameters are those before that update"
                )
                for q, data in zip(self.params, before):
                    q.data = data
                return
        moved = sum(abs(p.data - old) for p, old in zip(self.params, before))
        size = sum(abs(old) for old in before)
        if moved > size > 0:
            self._epoch_warning = (
                f"update {self.updates} (epoch {epoch}) moved the weights by more than their own "
                f"size (Σ|Δw| = {_number(moved)}, Σ|w| = {_number(size)}): the learning rate is "
                "probably too large, training may diverge"
            )
        self.epoch_total += value * len(batch)
        self.position += len(batch)
        if self.position >= len(self.order):
            self._end_epoch()

    def _end_epoch(self) -> None:
        self.epoch += 1
        self.loss.append(_finite(self.epoch_total / len(self.order)))
        self.epoch_total, self.position = 0.0, 0
        self.val_loss.append(_finite(self.data_loss(*self.val)))
        self.warning = self._divergence_warning() or self._epoch_warning

    def data_loss(self, X: list[list[float]], targets: list[float]) -> float:
        """The loss (no penalty) of the current weights on ``X``: outputs in plain floats."""
        numbers = self._numbers()
        layers = [self._forward(numbers, x)[-1] for x in X]
        if not all(math.isfinite(o) for out in layers for o in out):
            return math.inf
        outputs: list[Any] = [
            [Value(o) for o in out] if self.outputs > 1 else Value(out[0]) for out in layers
        ]
        try:
            with autodiff.no_grad():
                return self.loss_fn(outputs, targets).data
        except OverflowError:
            return math.inf

    def _divergence_warning(self) -> str:
        """A warning before an overflow: the training loss has grown five epochs running."""
        recent = self.loss[-6:]
        if len(recent) == 6 and all(
            a is not None and b is not None and b > a for a, b in itertools.pairwise(recent)
        ):
            return (
                f"the training loss has grown for 5 epochs running (epoch {self.epoch}): "
                "the learning rate is probably too large for this network"
            )
        return ""

    def hint(self) -> str:
        """Advice for the lecture's XOR (sigmoid, squared error, stochastic SGD, η = 0.5).

        There, every single example's step is large enough to jump past the minimum: the
        accuracy stays near 50 % for 100 epochs, or the loss overflows. At η = 0.1 the same
        network reaches 100 % within 100 epochs (``tests/web/test_training_bridge.py``).
        """
        s = self.settings
        lecture = (s["dataset"], s["activation"], s["loss"], s["optimizer"]) == (
            "xor",
            "sigmoid",
            "mse",
            "sgd",
        )
        stuck = self.diverged or (self.epoch >= 20 and self.accuracy < 0.9)
        if lecture and s["lr"] >= 0.5 and stuck:
            return (
                f"η = {s['lr']:g} is too large for this XOR: each update overshoots the minimum. "
                "Try η = 0.1 (it reaches 100% within 100 epochs here), or the Adam optimizer."
            )
        return ""

    def _measure(self) -> None:
        """Accuracy of the current weights (after the last update) on both sets."""
        if self.regression:  # no classes, no accuracy: the losses say how well it fits
            return
        accuracy = _accuracy(self.settings["loss"])
        numbers = self._numbers()
        for data, attribute in ((self.train, "accuracy"), (self.val, "val_accuracy")):
            outputs = [self._output(self._forward(numbers, x)) for x in data[0]]
            setattr(self, attribute, accuracy(outputs, data[1]))

    def bounds(self) -> tuple[float, float, float, float]:
        """The square the pictures show: every point with a margin."""
        xs = [p[0] for p in self.X]
        ys = [p[1] for p in self.X]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 0.3
        return cx - half, cx + half, cy - half, cy + half

    def forward(self, inputs: list[float]) -> list[list[float]]:
        """Every layer's outputs for one input row, in plain floats (no graph is built).

        The same arithmetic as the model's graph (``f(b + Σ wᵢxᵢ)`` per neuron), for the
        pictures: thousands of points per frame cost a fraction of what graphs would.
        """
        return self._forward(self._numbers(), inputs)

    def _numbers(self) -> list[list[tuple[list[float], float, Callable[[float], float]]]]:
        """Each neuron's weights, bias and activation as plain numbers, read once per picture."""
        return [
            [
                ([w.data for w in n.w], n.b.data, _FLOAT_ACTIVATIONS[n.activation])
                for n in layer.neurons
            ]
            for layer in self.model.layers
        ]

    @staticmethod
    def _forward(
        numbers: list[list[tuple[list[float], float, Callable[[float], float]]]],
        inputs: list[float],
    ) -> list[list[float]]:
        layers = []
        x = inputs
        for layer in numbers:
            out = []
            for weights, bias, f in layer:
                z = bias + sum(w * xi for w, xi in zip(weights, x))
                try:
                    out.append(f(z))
                except OverflowError:
                    out.append(math.inf)
            layers.append(out)
            x = out
        return layers

    def _lattice(self, size: int) -> list[list[float]]:
        left, right, bottom, top = self.bounds()
        return [
            [left + (right - left) * (col + 0.5) / size, top - (top - bottom) * (row + 0.5) / size]
            for row in range(size)
            for col in range(size)
        ]

    def grid(self) -> list[Any]:
        """The network's output on a GRID × GRID lattice over :meth:`bounds`, rows from the top."""
        numbers = self._numbers()
        out = [self._forward(numbers, self.inputs(p))[-1] for p in self._lattice(GRID)]

        def shown(v: float) -> float:
            return round(max(-1e6, min(1e6, v)), 5) if math.isfinite(v) else 0.0

        # bce's outputs are logits: 0 is the boundary for the three two-class losses
        if self.outputs > 1:
            return [[shown(v) for v in logits] for logits in out]  # type: ignore[misc]
        return [shown(logits[0]) for logits in out]

    def neuron_grids(self) -> list[list[list[float]]]:
        """Each neuron's output over the plane (NEURON_GRID² points): [layer][neuron][point]."""
        numbers = self._numbers()
        per_point = [self._forward(numbers, self.inputs(p)) for p in self._lattice(NEURON_GRID)]
        return [
            [
                [
                    round(max(-1e6, min(1e6, v[layer][j])), 4)
                    if math.isfinite(v[layer][j])
                    else 0.0
                    for v in per_point
                ]
                for j in range(len(self.model.layers[layer].neurons))
            ]
            for layer in range(len(self.model.layers))
        ]

    def weights(self) -> list[list[list[float]]]:
        """``[layer][neuron]`` → the neuron's weights then its bias."""
        return [
            [[*(w.data for w in neuron.w), neuron.b.data] for neuron in layer.neurons]
            for layer in self.model.layers
        ]

    def set_weight(self, layer: int, index: int, weight: int, value: Any) -> None:
        """Set one weight (``weight`` = number of inputs means the bias) to a finite number."""
        neuron = self._neuron(layer, index)
        if not 0 <= weight <= len(neuron.w):
            raise BridgeError(f"set_weight: L{layer}.N{index} has no weight {weight}")
        number = _real_any(value, f"L{layer}.N{index} weight")
        (neuron.w[weight] if weight < len(neuron.w) else neuron.b).data = number
        self._measure()

    def _neuron(self, layer: int, index: int) -> Any:
        layers = self.model.layers
        if not 1 <= layer <= len(layers) or not 1 <= index <= len(layers[layer - 1].neurons):
            raise BridgeError(f"there is no neuron L{layer}.N{index}")
        return layers[layer - 1].neurons[index - 1]

    def choose_point(self, x: float, y: float) -> int:
        """Show the gradients for the training point nearest to (x, y) from now on."""
        if not (math.isfinite(x) and math.isfinite(y)):
            raise BridgeError("point: the position must be two finite numbers")
        train = self.points[0]
        self.point = min(
            range(len(train)), key=lambda i: (train[i][0] - x) ** 2 + (train[i][1] - y) ** 2
        )
        return self.point

    def edit_point(self, x: float, y: float, action: str) -> None:
        """Add a training point of class 0 or 1 at (x, y), or remove the one nearest to it.

        The network keeps its weights; the epoch under way starts again on the new set
        (a student builds a case the network cannot fit, and watches it try).
        """
        if not (math.isfinite(x) and math.isfinite(y)):
            raise BridgeError("point: the position must be two finite numbers")
        if self.regression:
            raise BridgeError("points: adding and removing points works on the class data sets")
        train, labels = self.points[0], self.train_labels
        inputs, targets = self.train
        if action in ("add0", "add1"):
            if len(train) >= LIMITS["n"][1]:
                raise BridgeError(f"points: at most {LIMITS['n'][1]:g} training points")
            label = int(action[-1])
            train.append([x, y])
            labels.append(label)
            inputs.append(self.inputs([x, y]))
            targets.extend(_targets([label], self.settings["loss"]))
        elif action == "remove":
            if len(train) <= 1:
                raise BridgeError("points: the last training point cannot be removed")
            nearest = min(
                range(len(train)), key=lambda i: (train[i][0] - x) ** 2 + (train[i][1] - y) ** 2
            )
            for values in (train, labels, inputs, targets):
                del values[nearest]
        else:
            raise BridgeError(f"points: unknown action {action!r}; use add0, add1 or remove")
        self.order = list(range(len(train)))
        self.position, self.epoch_total, self.point = 0, 0.0, None
        self._measure()

    def _example(self) -> tuple[int, str]:
        """The training point the gradients are shown for, and why that one."""
        if self.point is not None:
            return self.point, "the one you chose"
        X, targets = self.train
        numbers = self._numbers()
        with autodiff.no_grad():
            outputs = [self._forward(numbers, x)[-1] for x in X]
            losses = [
                self.loss_fn(
                    [[Value(o) for o in out] if self.outputs > 1 else Value(out[0])], [t]
                ).data
                for out, t in zip(outputs, targets)
            ]
        return max(range(len(X)), key=lambda i: losses[i]), "the one with the largest loss"

    def _backward_on(self, example: int) -> tuple[Value, list[Value]]:
        """The example's loss E (no penalty), after backward: grads are ∂E/∂node."""
        X, targets = self.train
        inputs = [Value(v, label=f"x{i}") for i, v in enumerate(X[example])]
        error = self.loss_fn([self.model(inputs)], [targets[example]])
        self.model.zero_grad()
        error.backward()
        return error, autodiff.topological_order(error)

    def _point_text(self, example: int) -> str:
        return ", ".join(_number(v) for v in self.points[0][example])

    def neuron(self, layer: int, index: int) -> dict[str, Any]:
        """Neuron ``L{layer}.N{index}``'s graph on one training point, with grads.

        The point is the one the student chose by clicking, else the one with the largest
        loss (where training still pushes hardest); its loss is built and backward runs on
        it, so every box shows ∂E/∂(that box) for that one example. The drawing is the
        graph of the neuron's output, with the neurons of earlier layers folded into one
        box each. Returns the DOT source and a sentence saying which point it is.
        """
        self._neuron(layer, index)
        name = f"L{layer}.N{index}"
        example, why = self._example()
        error, order = self._backward_on(example)
        # the neuron's last node: its activation L.N.out, or L.N.z for a linear output neuron
        out = [n for n in order if (n.label or "").startswith(f"{name}.")][-1]
        dot = autodiff.draw_dot(out, fold="neuron", unfold=(name,)).source
        self.model.zero_grad()  # the optimizer's next step starts from zero grads anyway
        caption = (
            f"{name} on training point ({self._point_text(example)}), {why}, "
            f"E = {_number(error.data)}; grads are ∂E/∂node for that point"
        )
        if error.data == 0.0:
            caption += " (this point's loss is 0, so every grad is 0 too)"
        return {"dot": str(dot), "caption": caption, "point": example}

    def weight_step(self, layer: int, index: int, weight: int) -> dict[str, Any]:
        """The update of one weight on one example, in the lecture's notation and in numbers.

        ``∂E/∂w⁽ˡ⁾ⱼᵢ = δ⁽ˡ⁾ⱼ · a⁽ˡ⁻¹⁾ᵢ``: the neuron's error term ``δ = ∂E/∂z`` times the
        input the weight multiplies (1 for the bias), and a plain gradient step moves the
        weight by ``Δw = −η ∂E/∂w``. Each number is read from the graph after backward,
        and the product is checked against the weight's own grad.
        """
        neuron = self._neuron(layer, index)
        if not 0 <= weight <= len(neuron.w):
            raise BridgeError(f"weight: L{layer}.N{index} has no weight {weight}")
        example, why = self._example()
        error, order = self._backward_on(example)
        by_label = {n.label: n for n in order if n.label}
        z = by_label[f"L{layer}.N{index}.z"]
        parameter = neuron.w[weight] if weight < len(neuron.w) else neuron.b
        label = str(parameter.label)
        w_name = labels.lecture_name(label) or label
        z_name = labels.lecture_name(str(z.label)) or "z"
        delta = labels.delta_name(z_name)
        if weight == len(neuron.w):
            a_name, a_value, source = "1", 1.0, "a bias multiplies the constant input 1"
        elif layer == 1:
            feature = self.settings["features"][weight]
            a_name = FEATURES[feature][0]
            a_value = self.train[0][example][weight]
            source = f"input {weight}, the feature {a_name}"
        else:
            previous = f"L{layer - 1}.N{weight + 1}"
            node = by_label.get(f"{previous}.out", by_label.get(f"{previous}.z"))
            a_value = node.data if node is not None else 0.0
            a_name = labels.lecture_name(f"{previous}.out") or previous
            source = f"the output of {previous}"
        grad = parameter.grad
        lr = self.settings["lr"]
        self.model.zero_grad()
        step = -lr * grad + 0.0  # + 0.0: no −0 on screen

        def factor(x: float) -> str:
            return f"({_number(x)})" if x < 0 else _number(x)

        lines = [
            f"{label} = {w_name} = {_number(parameter.data)}, on training point "
            f"({self._point_text(example)}), {why}: E = {_number(error.data)}",
            f"{delta} = ∂E/∂{z_name} = {_number(z.grad)}",
            f"{a_name} = {_number(a_value)}  ({source})",
            f"∂E/∂{w_name} = {delta} · {a_name} = {factor(z.grad)} · {factor(a_value)} "
            f"= {_number(z.grad * a_value + 0.0)}",
            f"Δ{w_name} = −η · ∂E/∂{w_name} = −{_number(lr)} · {factor(grad)} = {_number(step)}",
        ]
        notes = []
        if self.settings["optimizer"] == "adam":
            notes.append("Adam rescales this step by its running averages")
        if len(self.train[0]) > 1 and self.batch_size != 1:
            notes.append("a batch's step averages this over its examples")
        if self.settings["regularization"] != "none":
            notes.append(f"the {self.settings['regularization'].upper()} penalty adds its own pull")
        if notes:
            lines.append(f"(the step of plain SGD on this one example; {'; '.join(notes)})")
        return {
            "text": "\n".join(lines),
            "grad": grad,
            "delta": z.grad,
            "input": a_value,
            "step": step,
            "point": example,
        }

    def export(self) -> dict[str, str]:
        """The trained network as the parameter file ``nn.load`` reads, and Python that loads it."""
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/weights.json"
            try:
                nn.save(self.model, path)
            except ValueError as error:
                raise BridgeError(f"export: {error}") from None
            with open(path, encoding="utf-8") as file:
                document = file.read()
        s = self.settings
        features = ", ".join(FEATURES[name][0] for name in s["features"])
        formulas = {
            "x1": "x1",
            "x2": "x2",
            "x1sq": "x1 * x1",
            "x2sq": "x2 * x2",
            "x1x2": "x1 * x2",
            "sin1": "math.sin(x1)",
            "sin2": "math.sin(x2)",
        }
        row = ", ".join(formulas[name] for name in s["features"])
        sizes = [*s["hidden"], 1]
        python = (
            "import math\n\n"
            "import nn\n\n"
            f"# the training lab's network: inputs {features}; hidden layers {s['hidden']}\n"
            f"model = nn.MLP({len(s['features'])}, {sizes}, activation={s['activation']!r})\n"
            'nn.load(model, "weights.json")  # the file the lab exported\n\n\n'
            "def inputs(x1: float, x2: float) -> list[float]:\n"
            f'    """The network\'s inputs for the point (x1, x2): {features}."""\n'
            f"    return [{row}]\n\n\n"
            "output = model(inputs(0.5, -0.25))\n"
            + (
                "print([o.data for o in output])  # one logit per class: the largest wins\n"
                if self.outputs > 1
                else "print(output.data)\n"
                if self.regression
                else 'print(output.data, "class 1" if output.data > 0 else "class 0")\n'
            )
        )
        return {"json": document, "python": python}

    def state(self, points: bool = True, grid: bool = False) -> dict[str, Any]:
        """Curves, accuracies and weights; the data points, and the pictures, when asked.

        The page draws its pictures from ``weights`` and ``activations`` itself (a forward
        pass in JavaScript costs microseconds, in Pyodide a fraction of a millisecond);
        ``grid`` sends the same pictures computed here, which the tests compare with.
        """
        result: dict[str, Any] = {
            "epoch": self.epoch,
            "updates": self.updates,
            "loss": self.loss,
            "val_loss": self.val_loss,
            "accuracy": None if self.regression else self.accuracy,
            "val_accuracy": None if self.regression else self.val_accuracy,
            "regression": self.regression,
            "classes": self.classes,
            "diverged": self.diverged,
            "warning": self.warning,
            "hint": self.hint(),
            "features": [FEATURES[name][0] for name in self.settings["features"]],
            "feature_names": self.settings["features"],
            "layers": [len(layer.neurons) for layer in self.model.layers],
            "activations": [layer.neurons[0].activation for layer in self.model.layers],
            "parameters": len(self.params),
            "weights": self.weights(),
            "run_epochs": self.settings["epochs"],
            "train_seconds": self.train_seconds,
        }
        if points or grid:
            result["bounds"] = self.bounds()
        if points:
            result["train"] = [[*p, c] for p, c in zip(self.points[0], self.train_labels)]
            result["val"] = [[*p, c] for p, c in zip(self.points[1], self.val_labels)]
        if grid:
            result["grid_size"] = GRID
            result["grid"] = self.grid()
            result["neuron_grid_size"] = NEURON_GRID
            result["neuron_grids"] = self.neuron_grids()
        return result


def _real_any(value: Any, name: str) -> float:
    """A finite number (any sign) from a page's field, or a BridgeError naming the field."""
    text = _text(value)
    try:
        number = float(text) if isinstance(value, str) else float(value)
    except (ValueError, TypeError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or abs(number) > 1e6:
        raise BridgeError(f"{name}: must be a finite number of size at most 1e6, got {text!r}")
    return number


# ---------------------------------------------------------------------------------------
# The message handler the worker calls

_labs: dict[str, Any] = {}


def _expression_lab() -> ExpressionLab:
    lab = _labs.get("expression")
    if not isinstance(lab, ExpressionLab):
        raise BridgeError("no expression yet: call expression.build first")
    return lab


def _training_lab() -> TrainingLab:
    lab = _labs.get("training")
    if not isinstance(lab, TrainingLab):
        raise BridgeError("no training run yet: call training.build first")
    return lab


def _build_expression(args: dict[str, Any]) -> dict[str, Any]:
    _labs.pop("expression", None)  # a refused expression leaves no stale graph behind
    lab = ExpressionLab(str(args["expression"]), dict(args.get("values", {})))
    _labs["expression"] = lab
    return lab.state(bool(args.get("formulas", False)))


def _set_values(args: dict[str, Any]) -> dict[str, Any]:
    lab = _expression_lab()
    lab.set_values(dict(args["values"]))
    return lab.state(bool(args.get("formulas", False)), dot=bool(args.get("dot", True)))


def _dot(args: dict[str, Any]) -> dict[str, Any]:
    lab = _expression_lab()
    return {"dot": lab.dot(bool(args.get("formulas", False))), "nodes": len(lab.order)}


def _step(args: dict[str, Any]) -> dict[str, Any]:
    lab = _expression_lab()
    text = lab.step()
    return {**lab.state(bool(args.get("formulas", False))), "text": text}


def _explain(args: dict[str, Any]) -> dict[str, Any]:
    return {"text": _expression_lab().explain(str(args["name"]))}


def _build_training(args: dict[str, Any]) -> dict[str, Any]:
    _labs.pop("training", None)
    lab = TrainingLab(dict(args.get("settings", {})))
    _labs["training"] = lab
    return lab.state()


def _train(args: dict[str, Any]) -> dict[str, Any]:
    lab = _training_lab()
    seconds = args.get("seconds")
    lab.run(int(args.get("epochs", 1)), None if seconds is None else float(seconds))
    return lab.state(points=False, grid=bool(args.get("grid", False)))


def _neuron(args: dict[str, Any]) -> dict[str, Any]:
    return _training_lab().neuron(int(args["layer"]), int(args["index"]))


def _weight_step(args: dict[str, Any]) -> dict[str, Any]:
    return _training_lab().weight_step(int(args["layer"]), int(args["index"]), int(args["weight"]))


def _choose_point(args: dict[str, Any]) -> dict[str, Any]:
    lab = _training_lab()
    return {"point": lab.choose_point(float(args["x"]), float(args["y"]))}


def _edit_point(args: dict[str, Any]) -> dict[str, Any]:
    lab = _training_lab()
    lab.edit_point(float(args["x"]), float(args["y"]), str(args["action"]))
    return lab.state()


def _export(args: dict[str, Any]) -> dict[str, Any]:
    return _training_lab().export()


def _set_weight(args: dict[str, Any]) -> dict[str, Any]:
    lab = _training_lab()
    lab.set_weight(int(args["layer"]), int(args["index"]), int(args["weight"]), args["value"])
    return lab.state(points=False)


METHODS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "expression.build": _build_expression,
    "expression.set": _set_values,
    "expression.dot": _dot,
    "expression.step": _step,
    "expression.explain": _explain,
    "training.build": _build_training,
    "training.run": _train,
    "training.neuron": _neuron,
    "training.set_weight": _set_weight,
    "training.weight": _weight_step,
    "training.point": _choose_point,
    "training.export": _export,
    "training.edit_point": _edit_point,
}


def handle(method: str, arguments: str) -> str:
    """Run ``method`` on JSON ``arguments``; JSON ``{"ok": result}`` or ``{"error": message}``.

    Bad input (the expression language's refusals, a bad number, an op outside its
    domain such as ``log`` of a negative) is an answer, not a crash: ``error`` holds the
    one-line message the CLI would print after ``error:``.
    """
    if method not in METHODS:
        return json.dumps({"error": f"unknown method {method!r}"})
    try:
        return json.dumps({"ok": METHODS[method](json.loads(arguments))}, allow_nan=False)
    except (ExpressionError, BridgeError, ValueError, ArithmeticError, TypeError) as error:
        return json.dumps({"error": short_numbers(str(error))})
