"""fold(): grouping a graph's nodes into neuron or layer boxes from their labels alone."""

from __future__ import annotations

import pytest

from autodiff import Value, dot, walk
from autodiff.viz.fold import fold, scope


def _two_layers() -> Value:
    """x0, x1 -> neurons L1.N1, L1.N2 -> neuron L2.N1 -> (out - 1)², labelled like nn does."""
    xs = [Value(0.5, label="x0"), Value(-1.0, label="x1")]
    for layer, size in ((1, 2), (2, 1)):
        outs = []
        for j in range(1, size + 1):
            name = f"L{layer}.N{j}"
            w = [Value(0.3 * (i - j), label=f"{name}.w{i}") for i in range(len(xs))]
            z = dot(w, xs, Value(0.1, label=f"{name}.b"))
            z.label = f"{name}.z"
            out = z.tanh()
            out.label = f"{name}.out"
            outs.append(out)
        xs = outs
    return (xs[0] - 1.0) ** 2


def test_neuron_folds_members_and_outputs() -> None:
    """Each neuron holds its w, b, z, out; its only output is out; order follows computation."""
    folding = fold(walk(_two_layers()), "neuron")
    assert [f.name for f in folding.folds] == ["L1.N1", "L1.N2", "L2.N1"]
    first = folding.folds[0]
    assert sorted(n.label or "" for n in first.members) == [
        "L1.N1.b",
        "L1.N1.out",
        "L1.N1.w0",
        "L1.N1.w1",
        "L1.N1.z",
    ]
    assert [n.label for f in folding.folds for n in f.outputs] == [
        "L1.N1.out",
        "L1.N2.out",
        "L2.N1.out",
    ]
    assert not any((n.label or "").startswith("x") for n in folding.module_of)


def test_layer_fold_and_unfold() -> None:
    """fold by layer gives L1 and L2; unfold keeps a neuron's nodes out of its layer."""
    graph = walk(_two_layers())
    assert [f.name for f in fold(graph, "layer").folds] == ["L1", "L2"]
    opened = fold(graph, "layer", unfold=("L1.N2",))
    l1 = opened.folds[0]
    assert l1.name == "L1" and all("N2" not in (n.label or "") for n in l1.members)


def test_unlabelled_constants_fold_only_when_used_inside() -> None:
    """A constant used only inside a neuron folds into it; the loss's constant stays out."""
    x = Value(2.0, label="x0")
    w = Value(0.5, label="P.w0")
    z = w * x * 3.0  # the 3.0 and the unlabelled product are used only inside P
    z.label = "P.z"
    loss = z - 1.0
    folding = fold(walk(loss), "neuron")
    (perceptron,) = folding.folds
    assert {n.data for n in perceptron.members if n.label is None} == {3.0, 1.0}
    assert all(n.data != -1.0 for n in folding.module_of)  # -1.0 from '- 1.0' is the loss's


def test_bad_options() -> None:
    """An unknown level or an unfold scope that matches nothing is refused."""
    graph = walk(_two_layers())
    with pytest.raises(ValueError, match="'neuron' or 'layer'"):
        fold(graph, "block")
    with pytest.raises(ValueError, match="L7"):
        fold(graph, "neuron", unfold=("L7",))


def test_scope_of_labels() -> None:
    """The neuron scope is the label up to its last dot; the layer one level further up."""
    assert scope("L1.N3.w0", "neuron") == "L1.N3"
    assert scope("L1.N3.w0", "layer") == "L1"
    assert scope("P.w0", "neuron") == scope("P.w0", "layer") == "P"
    assert scope("x0", "neuron") is None
    assert scope(None, "layer") is None
    with pytest.raises(ValueError, match="neuron"):
        scope("L1.N1.b", "module")
