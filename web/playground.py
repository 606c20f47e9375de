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
leaf) and :class:`TrainingLab` (a data set, an MLP and its optimizer, trained a few
epochs per call so the page can play, pause and step).
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Callable
from typing import Any, ClassVar

import autodiff
import nn
from autodiff import Value

# The safe expression language, shared with the command line ``python -m autodiff draw``.
from autodiff.expression import ExpressionError, evaluate, parse, parse_bindings

NUMBER_FORMAT = ".6g"  # numbers in tables and texts; the drawings use draw_dot's default


class BridgeError(Exception):
    """A request the page made that cannot be answered (bad input, unknown method)."""


def _number(x: float) -> str:
    return format(x, NUMBER_FORMAT).replace("-", "−")


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
        self.expression = expression
        names = variable_names(expression)
        variables = _numbers({name: values.get(name, 1.0) for name in names})
        self.root = evaluate(expression, variables)
        if self.root.label is None and "out" not in variables:
            self.root.label = "out"
        self.order = autodiff.topological_order(self.root)
        self.leaves: dict[str, Value] = {}
        for node in self.order:
            if not node.parents and node.label in variables:
                self.leaves.setdefault(node.label, node)
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
                evaluate(self.expression, {n: leaf.data for n, leaf in self.leaves.items()})
                raise
        self._backward()

    def step(self) -> str:
        """One node further backward (the first call resets and seeds); the step's text."""
        if self.stepper is None or self.stepper.done == self.stepper.total:
            for leaf in self.leaves.values():
                leaf.grad = 0.0
            self.stepper = autodiff.BackwardStepper(self.root, number_format=NUMBER_FORMAT)
            self.stepper.seed()
            self.last_step = None
            return self.stepper.seed_text()
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
            "nodes": len(self.order),  # the page says "laying out N nodes" for big ones
            "stepping": stepping,
            "step_done": self.stepper.done if self.stepper is not None else 0,
            "step_total": self.stepper.total if self.stepper is not None else 0,
            **({"dot": self.dot(formulas)} if dot else {}),
        }


# ---------------------------------------------------------------------------------------
# The training lab

DATASETS: dict[str, Callable[..., tuple[list[list[float]], list[int]]]] = {
    "moons": nn.moons,
    "circles": nn.circles,
    "xor": nn.xor,
    "spirals": nn.spirals,
    "blobs": nn.blobs,
}
# the keyword each data set calls its noise
NOISE_KEYWORD = {
    "moons": "noise",
    "circles": "noise",
    "xor": "noise",
    "spirals": "noise",
    "blobs": "spread",
}
LOSSES = ("hinge", "bce", "mse")
BATCHES = ("full", "stochastic", "mini")
OPTIMIZERS = ("adam", "sgd")
GRID = 28  # the decision boundary is sampled on GRID × GRID points


def _targets(labels: list[int], loss: str) -> list[float]:
    """0/1 labels as the loss reads them: ±1 for hinge and mse (sign decides), 0/1 for bce."""
    return [float(label) for label in labels] if loss == "bce" else nn.signed(labels)


def _accuracy(loss: str) -> Callable[[list[Any], list[Any]], float]:
    return nn.binary_accuracy if loss == "bce" else nn.sign_accuracy


class TrainingLab:
    """A 2-D data set, an MLP with one output, an optimizer; trained a few epochs per call.

    ``settings`` (all optional): ``dataset`` (moons, circles, xor, spirals, blobs),
    ``n`` points, ``noise``, ``seed``, ``hidden`` layer sizes, ``activation``, ``loss``
    (hinge, bce, mse), ``optimizer`` (adam, sgd), ``lr``, ``batch`` (full, stochastic,
    mini with ``batch_size``). A fifth of the points is held out for validation. Training
    is ``nn.fit`` with graph replay, its optimizer kept across calls so that the steps
    continue one run.
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
    }

    def __init__(self, settings: dict[str, Any]) -> None:
        unknown = set(settings) - set(self.DEFAULTS)
        if unknown:
            raise BridgeError(f"training: unknown settings {', '.join(sorted(unknown))}")
        s = {**self.DEFAULTS, **settings}
        for key, allowed in (
            ("dataset", DATASETS),
            ("loss", LOSSES),
            ("batch", BATCHES),
            ("optimizer", OPTIMIZERS),
        ):
            if s[key] not in allowed:
                raise BridgeError(f"training: {key} must be one of {', '.join(allowed)}")
        self.settings = s
        make = DATASETS[s["dataset"]]
        X, labels = make(
            int(s["n"]), **{NOISE_KEYWORD[s["dataset"]]: float(s["noise"])}, seed=int(s["seed"])
        )
        self.X, self.labels = X, labels
        Xt, yt, Xv, yv = nn.train_val_split(X, labels, 0.2, seed=int(s["seed"]))
        self.train = (Xt, _targets(yt, s["loss"]))
        self.val = (Xv, _targets(yv, s["loss"]))
        self.train_labels, self.val_labels = yt, yv
        hidden = [int(h) for h in s["hidden"]]
        self.model = nn.MLP(2, [*hidden, 1], activation=s["activation"], seed=int(s["seed"]))
        params = self.model.parameters()
        lr = float(s["lr"])
        self.optimizer: nn.Optimizer = (
            nn.Adam(params, lr=lr) if s["optimizer"] == "adam" else nn.SGD(params, lr=lr)
        )
        self.batch_size = {"full": None, "stochastic": 1, "mini": int(s["batch_size"])}[s["batch"]]
        self.loss: list[float | None] = []
        self.val_loss: list[float | None] = []
        self.accuracy = 0.0
        self.val_accuracy = 0.0
        self.epoch = 0
        self.diverged = ""
        self._grid: Any = None  # the replayed one-example forward pass for the boundary
        self._grid_inputs: list[Value] = []
        self._measure()

    def run(self, epochs: int) -> None:
        """Train ``epochs`` more epochs (one fit call; its seed moves on with the epoch)."""
        if self.diverged or epochs <= 0:
            return
        history = nn.fit(
            self.model,
            *self.train,
            loss=self.settings["loss"],
            optimizer=self.optimizer,
            epochs=epochs,
            batch_size=self.batch_size,
            seed=self.epoch,
            validation=self.val,
            accuracy=_accuracy(self.settings["loss"]),
            progress=False,
            engine="replay",
        )
        self.epoch += history.epochs
        self.loss += [_finite(x) for x in history.loss]
        self.val_loss += [_finite(x) for x in history.val_loss]
        if history.stop_reason == "diverged":
            self.diverged = history.stop_message
        self._measure()

    def _measure(self) -> None:
        """Accuracy of the current weights (after the last update) on both sets."""
        loss = self.settings["loss"]
        _, acc = nn.evaluate(self.model, *self.train, loss, _accuracy(loss))
        _, val_acc = nn.evaluate(self.model, *self.val, loss, _accuracy(loss))
        self.accuracy, self.val_accuracy = acc or 0.0, val_acc or 0.0

    def bounds(self) -> tuple[float, float, float, float]:
        """The square the pictures show: every point with a margin."""
        xs = [p[0] for p in self.X]
        ys = [p[1] for p in self.X]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 0.3
        return cx - half, cx + half, cy - half, cy + half

    def grid(self) -> list[float]:
        """The network's output on a GRID × GRID lattice over :meth:`bounds`, rows from the top.

        One forward pass is recorded once and replayed per point (no graph per point).
        """
        if self._grid is None:
            self._grid_inputs = [Value(0.0, label="x0"), Value(0.0, label="x1")]
            output = self.model(self._grid_inputs)
            assert isinstance(output, Value)  # the lab's networks have one output
            self._grid = autodiff.record(output)
        x0, x1 = self._grid_inputs
        left, right, bottom, top = self.bounds()
        out = []
        for row in range(GRID):
            x1.data = top - (top - bottom) * (row + 0.5) / GRID
            for col in range(GRID):
                x0.data = left + (right - left) * (col + 0.5) / GRID
                out.append(self._grid.forward())
        # bce's outputs are logits: 0 is the boundary for all three losses
        return [max(-1e6, min(1e6, v)) if math.isfinite(v) else 0.0 for v in out]

    def neuron(self, layer: int, index: int) -> dict[str, Any]:
        """Neuron ``L{layer}.N{index}``'s graph on the worst-fitted training point, with grads.

        The point is the one with the largest loss (where training still pushes hardest);
        its loss is built and backward runs on it, so every box shows ∂E/∂(that box) for
        that one example. The drawing is the graph of the neuron's output, with the
        neurons of earlier layers folded into one box each. Returns the DOT source and a
        sentence saying which point it is.
        """
        layers = self.model.layers
        if not 1 <= layer <= len(layers) or not 1 <= index <= len(layers[layer - 1].neurons):
            raise BridgeError(f"neuron: there is no neuron L{layer}.N{index}")
        name = f"L{layer}.N{index}"
        loss_fn = nn.LOSSES[self.settings["loss"]]
        X, targets = self.train
        with autodiff.no_grad():
            losses = [loss_fn([self.model(x)], [t]).data for x, t in zip(X, targets)]
        worst = max(range(len(X)), key=lambda i: losses[i])
        inputs = [Value(v, label=f"x{i}") for i, v in enumerate(X[worst])]
        error = loss_fn([self.model(inputs)], [targets[worst]])
        self.model.zero_grad()
        error.backward()
        # the neuron's last node: its activation L.N.out, or L.N.z for a linear output neuron
        order = autodiff.topological_order(error)
        out = [n for n in order if (n.label or "").startswith(f"{name}.")][-1]
        dot = autodiff.draw_dot(out, fold="neuron", unfold=(name,)).source
        self.model.zero_grad()  # the optimizer's next step starts from zero grads anyway
        point = ", ".join(_number(v) for v in X[worst])
        caption = (
            f"{name} on training point ({point}), the one with the largest loss, "
            f"E = {_number(error.data)}; grads are ∂E/∂node for that point"
        )
        if error.data == 0.0:
            caption += " (every point's loss is 0 here, so every grad is 0 too)"
        return {"dot": str(dot), "caption": caption}

    def state(self, with_grid: bool = True) -> dict[str, Any]:
        """Curves, accuracies, points and (unless asked not to) the boundary grid."""
        result: dict[str, Any] = {
            "epoch": self.epoch,
            "loss": self.loss,
            "val_loss": self.val_loss,
            "accuracy": self.accuracy,
            "val_accuracy": self.val_accuracy,
            "diverged": self.diverged,
            "layers": [len(layer.neurons) for layer in self.model.layers],
            "parameters": len(self.model.parameters()),
        }
        if with_grid:
            result["bounds"] = self.bounds()
            result["grid_size"] = GRID
            result["grid"] = self.grid()
            result["train"] = [[*p, c] for p, c in zip(self.train[0], self.train_labels)]
            result["val"] = [[*p, c] for p, c in zip(self.val[0], self.val_labels)]
        return result


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
    lab.run(int(args.get("epochs", 1)))
    return lab.state(bool(args.get("grid", True)))


def _neuron(args: dict[str, Any]) -> dict[str, Any]:
    return _training_lab().neuron(int(args["layer"]), int(args["index"]))


METHODS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "expression.build": _build_expression,
    "expression.set": _set_values,
    "expression.dot": _dot,
    "expression.step": _step,
    "expression.explain": _explain,
    "training.build": _build_training,
    "training.run": _train,
    "training.neuron": _neuron,
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
        return json.dumps({"error": str(error)})
