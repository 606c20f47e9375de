"""nn's label grammar lives in one module: nn writes with it, every tool reads with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autodiff import Value, explain
from autodiff.viz import labels
from autodiff.viz.labels import NOTATION, Label, label_of, lecture_name, parse
from autodiff.viz.stepper import BackwardStepper
from nn import MLP, Neuron, half_squared_error

ROOT = Path(__file__).resolve().parents[2]


def test_every_label_nn_writes_parses_and_has_one_lecture_name() -> None:
    """Each parameter and node of a 3-layer MLP parses, and its lecture name reads back to it."""
    model = MLP(3, [4, 2, 1], seed=0)
    y = model([1.0, 2.0, 3.0])
    assert isinstance(y, Value)
    names = set()
    for node in _nodes(y):
        if node.label is None:
            continue
        if node.label.startswith("x"):
            assert parse(node.label) is None
        else:
            assert parse(node.label) is not None, node.label
        name = lecture_name(node.label)
        assert name is not None and label_of(name) == node.label
        names.add(name)
    # one name per node: no two labels share a lecture name
    assert len(names) == len({n.label for n in _nodes(y) if n.label is not None})


def test_one_numbering_for_neurons_inputs_and_layers() -> None:
    """Neuron i of layer k has the same number as a weight's source and as a node (issue 20)."""
    # the weight out of hidden neuron a₁⁽¹⁾ into output neuron 1 is w₁₁⁽¹⁾
    assert lecture_name("L1.N1.out") == "a₁⁽¹⁾"
    assert lecture_name("L2.N1.w0") == "w₁₁⁽¹⁾"
    # the input x0 is neuron 1 of layer 0, and its weight into hidden neuron 2 is w₁₂⁽⁰⁾
    assert lecture_name("x0") == "x₁"
    assert lecture_name("L1.N2.w0") == "w₁₂⁽⁰⁾"
    # neuron 0 is the constant 1: the biases are its weights
    assert lecture_name("L1.N2.b") == "w₀₂⁽⁰⁾"
    assert lecture_name("L2.N1.z") == "z₁⁽²⁾"


def test_the_notation_table_agrees_with_lecture_name() -> None:
    """Each row's example is what lecture_name prints, and reads back to its label."""
    for label, _, example, _ in NOTATION:
        given, _, printed = example.partition(" → ")
        given = given.removesuffix(".grad")
        name = lecture_name(given)
        if label.startswith("grad of "):
            assert name is not None and labels.delta_name(name) == printed
        elif given in ("y", "d", "e", "E"):
            assert name is None and given == printed
        else:
            assert name == printed and label_of(printed) == given
    assert "| `L{l}.N{j}.w{i}` | wᵢ₊₁,ⱼ⁽ˡ⁻¹⁾ |" in labels.notation_markdown()


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("w₁₁⁽¹⁾", "L2.N1.w0"),
        ("w_11^(1)", "L2.N1.w0"),
        ("w_{11}^{1}", "L2.N1.w0"),
        ("w^1_11", "L2.N1.w0"),
        (r"w_{21}^{(0)}", "L1.N1.w1"),
        ("w_01^0", "L1.N1.b"),
        ("w_{12,3}^{(1)}", "L2.N3.w11"),
        ("z_1^2", "L2.N1.z"),
        ("a₂⁽¹⁾", "L1.N2.out"),
        ("x_1", "x0"),
        ("a_1^0", "x0"),
        ("y₂", "y2"),
    ],
)
def test_label_of_reads_the_ways_a_student_types_a_name(typed: str, label: str) -> None:
    """An answer named the lecture's way maps back to nn's label (for exercise checks)."""
    assert label_of(typed) == label


@pytest.mark.parametrize(
    "typed", ["w11", "w_1^1", "z_1", "x^1_1", "z_1^0", "a_0^1", "w_10^1", "v1", ""]
)
def test_label_of_refuses_what_names_no_node(typed: str) -> None:
    """A name with an index missing, or no neuron 0 to go to, is no label."""
    assert label_of(typed) is None


def test_parse_reads_any_modules_labels() -> None:
    """A lone Neuron's and the perceptron's labels follow the same grammar as an MLP's."""
    assert parse("L1.N3.w0") == Label("L1.N3", "w", 0)
    assert parse("N.z") == Label("N", "z")
    assert parse("P.out") == Label("P", "out")
    assert parse("score") is None and parse("L1.N3.zz") is None
    assert labels.is_weighted_sum("N.z") and labels.is_output("P.out")
    assert labels.weight_label(labels.neuron_scope(labels.layer_scope(2), 3), 1) == "L2.N3.w1"


def test_explain_and_stepper_agree_on_a_lone_neurons_delta() -> None:
    """One rule for "a neuron's z": a lone Neuron's N.z gets its δ in explain and the stepper.

    Before, explain and the stepper took only ``L{l}.N{j}.z`` and the drawing any ``….z``.
    """
    neuron = Neuron(2, activation="sigmoid", seed=0)
    loss = half_squared_error(neuron([1.0, 0.5]), 1.0)
    e = explain(loss, neuron.w[0])
    assert [d.z for d in e.deltas] == ["N.z"]
    announced = [name for step in BackwardStepper(loss) for name, _, _ in step.deltas]
    assert announced == ["δ(N.z)"]


def test_no_other_module_parses_the_grammar() -> None:
    """Only labels.py spells the grammar as a pattern (no second, disagreeing rule)."""
    pattern = re.compile(r"""re\.compile\(r?["'][^"']*(\\\.z|\\\.out|N\\d|\.N\\)""")
    ends = re.compile(r"""endswith\(["']\.(z|out)["']\)""")
    offenders = []
    for package in ("autodiff", "nn", "web", "course"):
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "labels.py":
                continue
            text = path.read_text(encoding="utf-8")
            if pattern.search(text) or ends.search(text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _nodes(root: Value) -> list[Value]:
    from autodiff import topological_order

    return topological_order(root)


def test_labels_of_no_node_have_no_lecture_name() -> None:
    """Layer 0, neuron 0 or absurd numbers name no node of a network: None, not a made-up name."""
    from autodiff.viz.labels import lecture_name

    for label in ("L0.N1.w0", "L1.N0.w0", "L0.N1.z", "L99999999999999999.N1.w0", "x99999999"):
        assert lecture_name(label) is None, label
    assert lecture_name("L1.N1.w0") == "w₁₁⁽⁰⁾"
