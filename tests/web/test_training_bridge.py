"""The training lab's bridge in CPython: settings from links are checked, training is cut short.

Each refused value gets the message ``python -m nn train`` gives for it, naming the field;
values the CLI accepts but the lab's form does not offer are refused with the limit.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import autodiff
import nn

ROOT = Path(__file__).resolve().parents[2]


def ask(bridge: ModuleType, method: str, **arguments: Any) -> Any:
    answer = json.loads(bridge.handle(method, json.dumps(arguments)))
    assert set(answer) in ({"ok"}, {"error"}), answer
    return answer


def refusal(bridge: ModuleType, **settings: Any) -> str:
    answer = ask(bridge, "training.build", settings=settings)
    assert "error" in answer, answer
    return str(answer["error"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"lr": "NaN"}, "learning rate (lr): must be a number > 0, got 'NaN'"),
        ({"lr": "Infinity"}, "learning rate (lr): must be a number > 0, got 'Infinity'"),
        ({"lr": ""}, "learning rate (lr): must be a number > 0, got ''"),
        ({"lr": "0"}, "learning rate (lr): must be a number > 0, got '0'"),
        ({"lr": "-1"}, "learning rate (lr): must be a number > 0, got '-1'"),
        ({"lr": "1e9"}, "learning rate (lr): at most 10 in the lab, got '1e9'"),
        ({"noise": ""}, "noise (noise): must be a number >= 0, got ''"),
        ({"noise": "-0.1"}, "noise (noise): must be a number >= 0, got '-0.1'"),
        ({"noise": "1e308"}, "noise (noise): at most 2 in the lab, got '1e308'"),
        ({"n": ""}, "points (n): must be a whole number >= 8, got ''"),
        ({"n": "8.5"}, "points (n): must be a whole number >= 8, got '8.5'"),
        ({"n": 8.5}, "points (n): must be a whole number >= 8, got '8.5'"),
        ({"n": "1000000"}, "points (n): at most 1000 in the lab, got '1000000'"),
        ({"epochs": "1e9"}, "epochs per run (epochs): must be a whole number >= 1, got '1e9'"),
        ({"epochs": "0"}, "epochs per run (epochs): must be a whole number >= 1, got '0'"),
        ({"epochs": "1000000000"}, "epochs per run (epochs): at most 10000 in the lab"),
        ({"batch_size": "NaN"}, "mini-batch size (batch_size): must be a whole number >= 1"),
        ({"seed": "x"}, "seed (seed): must be a whole number >= 0, got 'x'"),
        ({"rate": "NaN"}, "regularization rate (rate): must be a number >= 0, got 'NaN'"),
        ({"test": "95"}, "test data % (test): at most 90 in the lab, got '95'"),
        ({"test": "5"}, "test data % (test): must be a whole number >= 10, got '5'"),
        ({"hidden": "8,x"}, "hidden layers (hidden): takes layer sizes >= 1 separated by commas"),
        ({"hidden": "8.5"}, "hidden layers (hidden): takes layer sizes >= 1 separated by commas"),
        ({"hidden": "8,0"}, "hidden layers (hidden): takes layer sizes >= 1 separated by commas"),
        ({"hidden": "1000,1000"}, "hidden layers (hidden): at most 6 layers of at most 16"),
        ({"hidden": "2,2,2,2,2,2,2"}, "hidden layers (hidden): at most 6 layers"),
        ({"features": "x1,cos"}, "features (features): choose one or more of x1, x2,"),
        ({"features": ""}, "features (features): choose one or more of"),
    ],
)
def test_bad_link_values_are_refused_naming_the_field(
    bridge: ModuleType, settings: dict[str, Any], message: str
) -> None:
    """NaN, Infinity, an emptied field, 8.5 for a count, values beyond the form: a message."""
    assert refusal(bridge, **settings).startswith(message)


@pytest.mark.parametrize(
    ("field", "option", "text"),
    [
        ("lr", "--lr", "NaN"),
        ("lr", "--lr", "0"),
        ("lr", "--lr", "-1"),
        ("lr", "--lr", ""),
        ("noise", "--noise", "inf"),
        ("rate", "--l2", "NaN"),
    ],
)
def test_the_words_are_the_clis(bridge: ModuleType, field: str, option: str, text: str) -> None:
    """After the field's name, the lab's message is the one ``python -m nn train`` prints."""
    cli = subprocess.run(
        [sys.executable, "-m", "nn", "train", f"{option}={text}", "--epochs", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert cli.returncode == 2
    said = cli.stderr.strip().splitlines()[-1].split(f"argument {option}: ", 1)[1]
    assert refusal(bridge, **{field: text}).split(": ", 1)[1] == said


def test_a_time_budget_of_zero_makes_one_update(bridge: ModuleType) -> None:
    """A call stops after its first update when its time is up; the next one goes on.

    Stochastic descent on 800 training points: one epoch is 800 updates, and the page's
    Pause and Reset wait for at most one update, not one epoch (or a whole run).
    """
    lab = bridge.TrainingLab({"n": "1000", "batch": "stochastic", "epochs": "10000"})
    lab.run(10_000, seconds=0.0)
    assert (lab.epoch, lab.updates) == (0, 1)
    lab.run(10_000, seconds=0.0)
    assert (lab.epoch, lab.updates) == (0, 2)
    lab.run(1)  # the rest of the epoch
    assert (lab.epoch, lab.updates) == (1, 800)


def test_divergence_names_the_epoch_it_happened_in(bridge: ModuleType) -> None:
    """Trained one epoch per call, the divergence message counts the epochs of the whole run."""
    lab = bridge.TrainingLab({"optimizer": "sgd", "loss": "mse", "lr": "2", "hidden": "16,16,16"})
    for _ in range(50):
        lab.run(1)
        if lab.diverged:
            break
    assert lab.epoch >= 2
    assert f"at epoch {lab.epoch + 1} " in lab.diverged
    assert lab.warning.startswith(f"update {lab.updates} (epoch {lab.epoch}) moved the weights")
    state = lab.state()
    assert state["diverged"] == lab.diverged and math.isfinite(state["weights"][0][0][0])


def test_the_lectures_xor_gets_a_learning_rate_hint(bridge: ModuleType) -> None:
    """XOR, sigmoid, squared error, stochastic SGD at η = 0.5: stuck, with a hint that works."""
    lecture = {
        "dataset": "xor",
        "noise": "0",
        "activation": "sigmoid",
        "loss": "mse",
        "optimizer": "sgd",
        "batch": "stochastic",
        "hidden": "2",
    }
    stuck = bridge.TrainingLab({**lecture, "lr": "0.5"})
    stuck.run(100)
    assert stuck.accuracy < 0.6
    assert "Try η = 0.1" in stuck.state()["hint"]
    advised = bridge.TrainingLab({**lecture, "lr": "0.1"})
    advised.run(100)
    assert advised.accuracy == 1.0 and advised.state()["hint"] == ""


def test_the_test_share_follows_the_slider(bridge: ModuleType) -> None:
    """test=50 holds out half the points, test=10 a tenth."""
    half = bridge.TrainingLab({"n": "200", "test": "50"}).state()
    tenth = bridge.TrainingLab({"n": "200", "test": 10}).state()
    assert (len(half["train"]), len(half["val"])) == (100, 100)
    assert (len(tenth["train"]), len(tenth["val"])) == (180, 20)


def test_features_are_the_first_layers_inputs(bridge: ModuleType) -> None:
    """With x₁² and x₂² on, circles are fitted perfectly by one hidden layer of 2 neurons."""
    lab = bridge.TrainingLab(
        {"dataset": "circles", "features": "x1sq,x2sq", "hidden": "2", "activation": "tanh"}
    )
    assert lab.train[0][0] == [v * v for v in lab.points[0][0]]
    assert len(lab.model.layers[0].neurons[0].w) == 2
    lab.run(200)
    assert lab.accuracy == 1.0
    plain = bridge.TrainingLab({"dataset": "circles", "hidden": "2", "activation": "tanh"})
    plain.run(200)
    assert plain.accuracy < 0.9  # two lines cannot enclose a circle


def test_every_feature_is_its_formula(bridge: ModuleType) -> None:
    """Each switchable input is the function its name says, in the table's order."""
    lab = bridge.TrainingLab({"features": "sin2,x1x2,x1,x2,x1sq,x2sq,sin1"})
    a, b = 0.3, -1.2
    assert lab.inputs([a, b]) == [a, b, a * a, b * b, a * b, math.sin(a), math.sin(b)]


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_regularization_shrinks_the_weights(bridge: ModuleType, kind: str) -> None:
    """The same run with a penalty ends with smaller weights (Σ|w| for L1, Σw² for L2)."""

    def size(lab: Any) -> float:
        params = [p.data for p in lab.params]
        return sum(map(abs, params)) if kind == "l1" else sum(p * p for p in params)

    common = {"dataset": "circles", "hidden": "8"}
    free = bridge.TrainingLab(common)
    free.run(100)
    penalized = bridge.TrainingLab({**common, "regularization": kind, "rate": "0.01"})
    penalized.run(100)
    assert size(penalized) < 0.8 * size(free)


def test_l1_runs_the_penalized_objective(bridge: ModuleType) -> None:
    """The first epoch's loss with L1 is the data loss plus rate · Σ|w| at the start."""
    start = bridge.TrainingLab({"hidden": "4"})
    data_loss = start.data_loss(*start.train)
    penalty = 0.1 * sum(abs(p.data) for p in start.params)
    lab = bridge.TrainingLab({"hidden": "4", "regularization": "l1", "rate": "0.1"})
    lab.run(1)
    assert lab.loss[0] == pytest.approx(data_loss + penalty, rel=1e-12)


def test_a_weight_is_set_by_its_position(bridge: ModuleType) -> None:
    """training.set_weight sets w or b; NaN and a missing neuron are refused by name."""
    ask(bridge, "training.build", settings={"hidden": "3"})
    answer = ask(bridge, "training.set_weight", layer=1, index=2, weight=1, value="0.25")
    assert answer["ok"]["weights"][0][1][1] == 0.25
    answer = ask(bridge, "training.set_weight", layer=2, index=1, weight=3, value=-1.5)
    assert answer["ok"]["weights"][1][0][3] == -1.5  # the output neuron's bias
    lab = bridge._labs["training"]
    assert lab.model.layers[1].neurons[0].b.data == -1.5
    bad = ask(bridge, "training.set_weight", layer=1, index=2, weight=0, value="NaN")
    assert bad["error"] == "L1.N2 weight: must be a finite number of size at most 1e6, got 'NaN'"
    assert (
        "no neuron L3.N1"
        in ask(bridge, "training.set_weight", layer=3, index=1, weight=0, value=1)["error"]
    )


def test_the_pictures_equal_the_model(bridge: ModuleType) -> None:
    """Each neuron's picture and the output grid are the model's own outputs at those points."""
    lab = bridge.TrainingLab({"hidden": "3,2", "features": "x1,x2,x1x2"})
    lab.run(5)
    state = lab.state(grid=True)
    left, right, bottom, top = state["bounds"]
    size = state["grid_size"]
    row, col = 5, size - 3
    point = [left + (right - left) * (col + 0.5) / size, top - (top - bottom) * (row + 0.5) / size]
    assert state["grid"][row * size + col] == pytest.approx(
        lab.model(lab.inputs(point)).data, abs=1e-5
    )
    small = state["neuron_grid_size"]
    point = [left + (right - left) * 1.5 / small, top - (top - bottom) * 0.5 / small]
    neuron = lab.model.layers[0].neurons[2]
    assert state["neuron_grids"][0][2][1] == pytest.approx(neuron(lab.inputs(point)).data, abs=1e-4)


def test_l1_is_exported_by_nn() -> None:
    """nn.l1 is the penalty the lab's L1 setting adds."""
    assert nn.l1 is nn.losses.l1


def test_a_weights_step_is_delta_times_input(bridge: ModuleType) -> None:
    """∂E/∂w = δ · a and Δw = −η ∂E/∂w, each number the graph's own, on the chosen point."""
    lab = bridge.TrainingLab({"hidden": "3,2", "lr": "0.1", "optimizer": "sgd"})
    lab.run(3)
    point = lab.choose_point(*lab.points[0][7])
    assert point == 7
    step = lab.weight_step(2, 1, 2)  # w₃₁⁽¹⁾: the weight from L1.N3 into L2.N1
    X, targets = lab.train
    inputs = [autodiff.Value(v) for v in X[7]]
    error = lab.loss_fn([lab.model(inputs)], [targets[7]])
    lab.model.zero_grad()
    error.backward()
    weight = lab.model.layers[1].neurons[0].w[2]
    assert step["grad"] == pytest.approx(weight.grad, rel=1e-12)
    assert step["delta"] * step["input"] == pytest.approx(weight.grad, rel=1e-9)
    assert step["step"] == pytest.approx(-0.1 * weight.grad, rel=1e-12)
    first_layer = lab.model.layers[0].neurons[2]
    assert step["input"] == pytest.approx(first_layer(X[7]).data, rel=1e-12)
    text = step["text"]
    assert "the one you chose" in text and "δ₁⁽²⁾ = ∂E/∂z₁⁽²⁾" in text
    assert "Δw₃₁⁽¹⁾ = −η · ∂E/∂w₃₁⁽¹⁾ = −0.1 · " in text
    bias = lab.weight_step(1, 1, 2)  # two inputs: weight 2 is the bias
    assert bias["input"] == 1.0 and "a bias multiplies the constant input 1" in bias["text"]
    assert "the one you chose" in lab.neuron(1, 1)["caption"]


def test_the_export_rebuilds_the_same_network(bridge: ModuleType, tmp_path: Path) -> None:
    """weights.json and rebuild.py, run in a fresh namespace, give the lab's outputs."""
    lab = bridge.TrainingLab({"hidden": "4", "features": "x1,x2,x1x2,sin2"})
    lab.run(5)
    exported = lab.export()
    (tmp_path / "weights.json").write_text(exported["json"], encoding="utf-8")
    script = tmp_path / "rebuild.py"
    script.write_text(exported["python"], encoding="utf-8")
    namespace: dict[str, Any] = {}
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(script.read_text(encoding="utf-8"), str(script), "exec"), namespace)
    finally:
        os.chdir(here)
    for point in lab.points[0][:5]:
        rebuilt = namespace["model"](namespace["inputs"](*point)).data
        assert rebuilt == lab.model(lab.inputs(point)).data


def test_regression_sets_fit_with_squared_error(bridge: ModuleType) -> None:
    """plane is fitted by a linear model to its noise (0.1² = 0.01); class losses are refused."""
    lab = bridge.TrainingLab({"dataset": "plane", "loss": "mse", "hidden": "", "lr": "0.05"})
    assert len(lab.model.layers) == 1  # no hidden layer: a linear model
    lab.run(200)
    assert lab.loss[-1] < 0.02 and lab.val_loss[-1] < 0.02
    state = lab.state()
    assert state["regression"] and state["accuracy"] is None
    assert refusal(bridge, dataset="bumps").startswith(
        "dataset bumps has real-valued targets, but loss bce needs class labels"
    )


def test_points_are_added_and_removed_by_clicking(bridge: ModuleType) -> None:
    """A point added in the middle of the other class is trained on; removing it undoes that."""
    ask(bridge, "training.build", settings={"dataset": "blobs", "n": "40", "hidden": "4"})
    lab = bridge._labs["training"]
    before = len(lab.train[0])
    state = ask(bridge, "training.edit_point", x=1.0, y=1.0, action="add0")["ok"]
    assert len(state["train"]) == before + 1 and state["train"][-1] == [1.0, 1.0, 0]
    assert lab.train[1][-1] == 0.0  # bce reads class 0 as 0
    lab.run(1)
    assert lab.updates == 1 and lab.epoch == 1  # full batch: one update over all points
    state = ask(bridge, "training.edit_point", x=1.0, y=1.0, action="remove")["ok"]
    assert len(state["train"]) == before and [1.0, 1.0, 0] not in state["train"]
    assert "unknown action" in ask(bridge, "training.edit_point", x=0, y=0, action="x")["error"]
    ask(bridge, "training.build", settings={"dataset": "plane", "loss": "mse"})
    refused = ask(bridge, "training.edit_point", x=0, y=0, action="add1")["error"]
    assert refused == "points: adding and removing points works on the class data sets"


def test_three_classes_with_softmax_cross_entropy(bridge: ModuleType) -> None:
    """blobs3: one logit per class, softmax cross-entropy, argmax accuracy; others refused."""
    lab = bridge.TrainingLab({"dataset": "blobs3", "loss": "softmax_ce", "hidden": "8"})
    assert len(lab.model.layers[-1].neurons) == 3 and sorted(set(lab.labels)) == [0, 1, 2]
    lab.run(60)
    assert lab.accuracy > 0.95 and lab.val_accuracy > 0.9
    state = lab.state(grid=True)
    assert state["classes"] == 3 and len(state["grid"][0]) == 3
    point = lab.points[0][0]
    logits = lab.model(lab.inputs(point))
    assert [o.data for o in logits] == pytest.approx(lab.forward(lab.inputs(point))[-1])
    assert "largest" in lab.neuron(2, 3)["caption"]
    assert lab.weight_step(2, 1, 0)["text"].startswith("L2.N1.w0")
    assert "one logit per class" in lab.export()["python"]
    assert refusal(bridge, dataset="spirals3").startswith(
        "dataset spirals3 has 3 classes, but loss bce tells two apart"
    )
    assert refusal(bridge, dataset="plane", loss="softmax_ce").startswith(
        "dataset plane has real-valued targets"
    )
