"""Compiled tapes (autodiff.compile): exactness against rebuilt graphs, every op, refusals."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

import autodiff
import nn
from autodiff import Value, formula, ops, topological_order
from autodiff.compiler import CompiledTape
from autodiff.formula import SYMBOLS, Algebra
from autodiff.value import Constant, apply
from tests.expressions import same


def assert_same_graph(compiled: Sequence[Value], rebuilt: Sequence[Value]) -> None:
    """Node by node: bit-equal data; grads equal (an inner zero grad may be -0.0, see compile)."""
    assert len(compiled) == len(rebuilt)
    for k, (a, b) in enumerate(zip(compiled, rebuilt)):
        assert (a.op and a.op.name) == (b.op and b.op.name), (k, a, b)
        assert same(a.data, b.data), (k, a, b)
        if a.parents:
            assert a.grad == b.grad or (math.isnan(a.grad) and math.isnan(b.grad)), (k, a, b)
        else:
            assert same(a.grad, b.grad), (k, a, b)


# --- every op, both ways: op.forward (what the engine stores) vs the generated code -------

_KINKS = [0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 2.0, 0.5, -2.5, 30.0, -30.0, 700.0, -745.0]


def _inputs(op: ops.Op, arity: int, rng: random.Random) -> list[list[float]]:
    """Random inputs plus the kinks, each one placed in every argument position."""
    cases = [[rng.uniform(-4, 4) for _ in range(arity)] for _ in range(60)]
    for k in _KINKS:
        for position in range(arity):
            case = [rng.uniform(0.1, 3) for _ in range(arity)]
            case[position] = k
            cases.append(case)
    return cases


_OPS: list[tuple[ops.Op, int]] = [
    (ops.ADD, 2),
    (ops.SUB, 2),
    (ops.MUL, 2),
    (ops.DIV, 2),
    (ops.POW, 2),
    (ops.EXP, 1),
    (ops.LOG, 1),
    (ops.SQRT, 1),
    (ops.TANH, 1),
    (ops.SIGMOID, 1),
    (ops.RELU, 1),
    (ops.ABS, 1),
    (ops.Power(2.0), 1),
    (ops.Power(3.0), 1),
    (ops.Power(0.5), 1),
    (ops.Power(-1.0), 1),
    (ops.Power(1.5), 1),
    (ops.Power(-0.5), 1),
    (ops.Power(0.0), 1),
    (ops.DOT, 6),
    (ops.DOT_BIAS, 7),
]


@pytest.mark.parametrize(("op", "arity"), _OPS, ids=[f"{op.name}/{n}" for op, n in _OPS])
def test_every_op_generated_code_equals_op_forward(op: ops.Op, arity: int) -> None:
    """Random inputs and kinks (relu/abs/sqrt at 0): the generated code equals op.forward."""
    rng = random.Random(14)
    for xs in _inputs(op, arity, rng):
        try:
            y, partials = op.forward(*xs)
        except (ValueError, ArithmeticError) as error:
            leaves = [Value(1.0, label=f"a{i}") for i in range(arity)]
            try:
                node = apply(op, *leaves)
            except (ValueError, ArithmeticError):
                continue
            tape = autodiff.compile(node * 1.0)
            for leaf, x in zip(leaves, xs):
                leaf.data = x
            # an output error comes from forward; an error in a local derivative (a slope
            # that overflows) from backward, where the generated code computes slopes
            with pytest.raises(type(error), match=re.escape(str(error))):
                tape.forward()
                tape.backward()
            continue
        leaves = [Value(x, label=f"a{i}") for i, x in enumerate(xs)]
        node = apply(op, *leaves)
        tape = autodiff.compile(node)
        assert same(tape.forward(), y), (op, xs)
        tape.backward()
        for leaf, partial in zip(leaves, partials):
            assert same(leaf.grad, 0.0 + 1.0 * partial), (op, xs, leaf.grad, partial)


def test_sqrt_at_zero_has_an_infinite_slope_in_generated_code() -> None:
    """√x at 0: data 0, slope +inf, as the engine."""
    x = Value(0.0, label="x")
    tape = autodiff.compile(x.sqrt())
    tape.backward()
    assert x.grad == math.inf


# --- the source ----------------------------------------------------------------------


def test_source_of_a_neuron_reads_like_the_lecture() -> None:
    """One line per node, labels in comments; backward lines: grad += grad · local derivative."""
    w0, x0, b = Value(0.5, label="w0"), Value(2.0, label="x0"), Value(0.1, label="b")
    z = autodiff.dot([w0], [x0], b)
    z.label = "z"
    out = z.tanh()
    out.label = "out"
    tape = autodiff.compile(out, inner=False)
    source = tape.source
    assert str(tape) == source
    # names come from positions (w0 x0 b z out are nodes 0..4); labels are in the comments
    assert re.search(r"v3 = v2 \+ v0 \* v1 +# z = dot\+b\n", source)
    assert re.search(r"v4 = tanh\(v3\) +# out = tanh\n", source)
    assert "g3 = g4 * (1.0 - v4 * v4)" in source and "# ∂v4/∂v3 = 1-v4²" in source
    assert "g0 += g3 * v1" in source and "# ∂v3/∂v0 = v1" in source
    assert "g2 += g3" in source


# --- refusals and errors, as Tape's ------------------------------------------------------


class _Cube(ops.UnaryOp):
    """An op of one's own that only overrides forward: it has no formulas to compile."""

    name = "cube"

    def forward(self, x: float) -> tuple[float, ops.Partials]:  # type: ignore[override]
        return x**3, (3 * x**2,)


def test_refuses_an_op_with_forward_only_naming_it() -> None:
    """An op without output/derivatives is refused at compile time, naming the op."""
    node = apply(_Cube(), Value(2.0, label="x"))
    node.label = "c"
    with pytest.raises(
        ValueError, match=r"op 'cube' \(_Cube\) of node cube 'c'.*only defines forward"
    ):
        autodiff.compile(node + 1.0)


def test_domain_error_of_an_inner_input_reports_its_new_value() -> None:
    """The failing node's inputs are reported with the values of this forward, not the old ones."""
    x = Value(2.0, label="x")
    u = x - 1.0
    u.label = "u"
    tape = autodiff.compile(u.sqrt() + 0.0, inner=False)
    x.data = 0.5
    with pytest.raises(
        ValueError, match=r"sqrt: input must be >= 0, got -0.5 \[input 'u' = -0.5\]"
    ):
        tape.forward()


def test_views_len_and_repr() -> None:
    """leaves, named_leaves, nodes, len and repr, as a Tape's; constants are leaves too."""
    w, x = Value(0.5, label="w"), Value(2.0, label="x")
    out = (w * x + 1.0).tanh()
    out.label = "out"
    tape = autodiff.compile(out)
    assert tape.leaves[:2] == [w, x] and len(tape.leaves) == 3
    assert isinstance(tape.leaves[2], Constant)
    assert tape.named_leaves == {"w": w, "x": x}
    assert len(tape) == 6 and tape.nodes[-1] is out and tape.root is out
    assert repr(tape).startswith("<CompiledTape: 6 nodes (3 ops, 3 leaves, 1 chunk(s)), root tanh")
    assert isinstance(tape, CompiledTape)
    dup = autodiff.compile(Value(1.0, label="x") * Value(2.0, label="x"))
    with pytest.raises(ValueError, match="two leaves are labelled 'x'"):
        dup.named_leaves  # noqa: B018  # the property access is the test


def test_labels_that_are_not_identifiers_or_collide_get_safe_names() -> None:
    """Labels such as 'L0.N1.z', 'if', 'tanh', 'v1' or a repeated label still compile and run."""
    a = Value(1.0, label="if")
    b = Value(2.0, label="tanh")
    c = Value(3.0, label="v2")
    d = Value(4.0, label="L0.N1.z")
    e = a * b + c * d + Value(0.5)
    e2 = e * Value(2.0, label="if")
    tape = autodiff.compile(e2)
    assert tape.forward() == (1.0 * 2.0 + 3.0 * 4.0 + 0.5) * 2.0
    tape.backward()
    assert (a.grad, b.grad, c.grad, d.grad) == (4.0, 2.0, 8.0, 6.0)


def test_a_long_chain_compiles_in_chunks() -> None:
    """A 30,000-node chain in chunks of 1,000: equal to the rebuilt chain's value and grad."""
    x = Value(0.3, label="x")
    node = x
    for _ in range(15_000):
        node = (node * 0.999).tanh()
    tape = autodiff.compile(node, chunk=1_000)
    x.data = 0.7
    value = tape.forward()
    tape.backward()
    y = Value(0.7)
    rebuilt = y
    for _ in range(15_000):
        rebuilt = (rebuilt * 0.999).tanh()
    rebuilt.backward()
    assert same(value, rebuilt.data) and same(x.grad, y.grad)


# --- fit(..., engine="compile") ------------------------------------------------------------


@pytest.mark.parametrize(
    ("batch_size", "loss", "l2"), [(None, "hinge", 1e-4), (8, "hinge", 0.0), (3, "mse", 1e-3)]
)
def test_fit_compiled_gives_the_same_history_as_rebuilding(
    batch_size: int | None, loss: str, l2: float
) -> None:
    """fit(engine="compile"): exactly the losses, accuracies and weights of rebuilding each step."""
    X, labels = nn.moons(20, noise=0.1, seed=5)
    y = nn.signed(labels)

    def run(engine: str) -> tuple[list[float], list[float], list[float]]:
        model = nn.MLP(2, [6, 6, 1], seed=2)
        history = nn.fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=nn.SGD(model.parameters(), lr=0.2, momentum=0.5),
            epochs=4,
            batch_size=batch_size,
            l2=l2,
            progress=False,
            accuracy=nn.sign_accuracy,
            engine=engine,
        )
        return history.step_loss, history.accuracy, [p.data for p in model.parameters()]

    assert run("compile") == run("rebuild")


def test_fit_compiled_with_class_indices_equals_replay() -> None:
    """Class-index targets (one-hot leaves) compile as they replay: the same run, bit for bit."""
    X, labels = nn.spirals(21, classes=3, seed=0)

    def run(engine: str) -> tuple[list[float], list[float]]:
        model = nn.MLP(2, [8, 3], seed=4)
        history = nn.fit(
            model,
            X,
            labels,
            loss="softmax_ce",
            optimizer=nn.SGD(model.parameters(), lr=0.3),
            epochs=3,
            batch_size=5,
            progress=False,
            engine=engine,
        )
        return history.step_loss, history.accuracy

    assert run("compile") == run("replay")


# --- labels and names are data, never code (issue 18) -------------------------------------

# Every character str.splitlines breaks on: a label holding one must never end a comment.
LINE_ENDS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def _payloads(tmp_path: Path) -> list[str]:
    """Code that, if it ever ran, would create a file: at column 0 and indented as a body."""
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').close()"
    # " #" hides the rest of the old comment; "def _():" gives the lines after a column-0
    # payload a function to belong to: both made the old generated code run the payload
    return [
        f"{end}{indent}{code}{tail}"
        for end in LINE_ENDS
        for indent, tail in (("    ", " #"), ("", f"{end}def _(): #"), ("", ""), ("    ", ""))
    ]


class _Named(ops.UnaryOp):
    """A custom op (as autodiff.apply takes one) whose name a user chose."""

    def __init__(self, name: str) -> None:
        self.name = name

    def output(self, m: Algebra, x: object) -> object:
        return x * 2.0  # type: ignore[operator]  # a symbol, a float or a Value

    def derivatives(self, m: Algebra, y: object, x: object) -> tuple[object, ...]:
        return (2.0,)


def _run_all(tape: CompiledTape) -> None:
    tape.forward()
    tape.backward()


def test_a_label_never_runs_as_code(tmp_path: Path) -> None:
    """Every line end, a payload at column 0 or indented, in leaf and inner labels: none runs."""
    for payload in _payloads(tmp_path):
        x = Value(1.5, label=payload)
        y = x * x
        y.label = payload
        tape = autodiff.compile(y.tanh())
        _run_all(tape)
        assert not (tmp_path / "ran").exists(), repr(payload)
        assert len(tape.source.splitlines()) == tape.source.count("\n"), repr(payload)


def test_an_op_name_never_runs_as_code(tmp_path: Path) -> None:
    """A custom op's name (autodiff.apply) holding a line end and code: nothing runs."""
    for payload in _payloads(tmp_path):
        x = Value(1.5, label="x")
        tape = autodiff.compile(apply(_Named(payload), x) * x)
        _run_all(tape)
        assert x.grad == 2.0 * 1.5 + 3.0
        assert not (tmp_path / "ran").exists(), repr(payload)


@pytest.mark.parametrize("kind", ["layer", "neuron"])
def test_a_layer_or_neuron_name_never_runs_as_code_in_fit(tmp_path: Path, kind: str) -> None:
    """nn.Layer(name=...) / nn.Neuron(name=...) with fit(engine="compile"): nothing runs."""
    X, y = [[0.5, -1.0], [1.0, 2.0]], [1.0, -1.0]
    for payload in _payloads(tmp_path)[::3]:
        model: nn.Layer | nn.Neuron = (
            nn.Layer(2, 1, name=payload, seed=0) if kind == "layer" else nn.Neuron(2, name=payload)
        )
        nn.fit(model, X, y, loss="mse", epochs=2, progress=False, engine="compile")
        assert not (tmp_path / "ran").exists(), repr(payload)


def _code(source: str) -> str:
    """The generated source without its comments (the only place labels may appear)."""
    return "\n".join(line.split("#", 1)[0].rstrip() for line in source.splitlines())


@pytest.mark.parametrize(
    "labels",
    [
        ("fi", "ﬁ"),
        ("v2", "ｖ2"),
        ("g_x", "ｇ_x"),
        ("gradient", "ｇradient"),
        ("ｅｘｐ", "exp"),
        ("__debug__", "L"),
        ("v0", "g0"),
        ("D", "N"),
    ],
)
def test_labels_equal_after_nfkc_are_still_different_nodes(labels: tuple[str, str]) -> None:
    """Labels Python reads as one identifier: the same code as no labels, bit-equal results."""

    def build(names: tuple[str | None, str | None]) -> tuple[list[Value], Value]:
        a, b = Value(0.75, label=names[0]), Value(-1.25, label=names[1])
        c = a * b
        c.label = names[0]
        d = (c + b).exp() * a
        d.label = names[1]
        return [a, b], d

    leaves, root = build(labels)
    tape = autodiff.compile(root)
    _, plain = build((None, None))
    assert _code(tape.source) == _code(autodiff.compile(plain).source)
    fresh_leaves, rebuilt = build(labels)
    rebuilt.backward()
    assert same(tape.forward(), rebuilt.data)
    tape.backward()
    assert_same_graph(tape.nodes, topological_order(rebuilt))
    assert [same(p.grad, q.grad) for p, q in zip(leaves, fresh_leaves)] == [True, True]


FLOATS = [math.inf, -math.inf, math.nan, -0.0, 0.0, 5e-324, -5e-324, 1e308, -1e308]


@pytest.mark.parametrize("number", FLOATS, ids=repr)
def test_every_float_round_trips_through_generated_code(number: float) -> None:
    """±inf, nan, -0.0, 5e-324, 1e308 as exponents and constants: equal to the rebuilt graph."""

    def build(x: Value, z: Value) -> Value:
        # a NaN exponent is refused by the engine itself: NaN goes in as a constant only
        powered = x if math.isnan(number) else x**number
        return powered * number + (z + number) / 2.0 + (z * 1.0) ** 2.0

    x, z = Value(1.0, label="x"), Value(1.5, label="z")
    tape = autodiff.compile(build(x, z))
    x2, z2 = Value(1.0, label="x"), Value(1.5, label="z")
    rebuilt = build(x2, z2)
    rebuilt.backward()
    assert same(tape.forward(), rebuilt.data)
    tape.backward()
    assert same(x.grad, x2.grad) and same(z.grad, z2.grad)
    assert_same_graph(tape.nodes, topological_order(rebuilt))


@pytest.mark.parametrize(
    ("before", "after"), [(2.0, 3.5), (math.inf, 2.0), (2.0, -math.inf), (-math.inf, math.inf)]
)
def test_a_changed_constant_is_refused_naming_it(before: float, after: float) -> None:
    """Every constant, finite or infinite, is code: changing one after compiling is refused."""
    x = Value(0.5, label="x")
    root = (x * before).tanh() + 1.0
    constant = next(
        n for n in topological_order(root) if isinstance(n, Constant) and n.data == before
    )
    tape = autodiff.compile(root)
    tape.forward()
    constant.data = after
    message = rf"constant leaf \(data {re.escape(repr(after))}\) was {re.escape(repr(before))}"
    with pytest.raises(RuntimeError, match=message):
        tape.forward()
    with pytest.raises(RuntimeError, match=message):
        tape.backward()
    constant.data = before
    tape.forward()  # back as compiled: accepted again


def test_a_dot_of_ten_thousand_inputs_compiles() -> None:
    """The printers are iterative and deep formulas are cut into statements: 10,000 inputs."""
    rng = random.Random(3)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(10_000)]
    xs = [Value(rng.uniform(-1, 1)) for _ in range(10_000)]
    tape = autodiff.compile(autodiff.dot(ws, xs).tanh())
    ws2 = [Value(w.data) for w in ws]
    xs2 = [Value(x.data) for x in xs]
    rebuilt = autodiff.dot(ws2, xs2).tanh()
    rebuilt.backward()
    assert same(tape.forward(), rebuilt.data)
    tape.backward()
    assert all(same(a.grad, b.grad) for a, b in zip(ws + xs, ws2 + xs2))


def test_fit_compiled_on_a_wide_mlp() -> None:
    """fit(engine="compile") on MLP(1024, [2, 1]): the same losses as rebuilding."""
    rng = random.Random(1)
    X = [[rng.uniform(-1, 1) for _ in range(1024)] for _ in range(3)]
    y = [1.0, -1.0, 1.0]

    def run(engine: str) -> list[float]:
        model = nn.MLP(1024, [2, 1], seed=0)
        return nn.fit(model, X, y, loss="mse", epochs=2, progress=False, engine=engine).step_loss

    assert run("compile") == run("rebuild")


class _Sneaky(ops.UnaryOp):
    """An op whose formula names a function the algebra does not have."""

    name = "sneaky"

    def output(self, m: Algebra, x: object) -> object:
        return formula.Call("__import__", (formula.symbol("os"),)) if m is SYMBOLS else x

    def derivatives(self, m: Algebra, y: object, x: object) -> tuple[object, ...]:
        return (1.0,)


def test_a_formula_naming_an_unknown_function_is_refused() -> None:
    """Only the algebra's functions and the op's own placeholders may be written as code."""
    node = apply(_Sneaky(), Value(2.0, label="x"))
    with pytest.raises(ValueError, match=r"op 'sneaky'.*unknown function '__import__'"):
        autodiff.compile(node * 1.0)


# --- skipping zero grads, inlined relu, one check per step (issue 23) ----------------------


def test_zero_grads_are_skipped_without_changing_a_number() -> None:
    """A relu net where most units are off: the blocks of zero grads are skipped, bit-equal."""
    w = [Value(v, label=f"w{i}") for i, v in enumerate([0.5, -1.5, 2.0, -0.25])]
    x = Value(0.75, label="x")
    root = sum(((wi * x).relu() * wi for wi in w), Value(0.0))
    tape = autodiff.compile(root)
    assert re.search(r"\n    if g\d+ or dense:\n", tape.source)
    for data in (0.75, -0.75, 0.0, -0.0):
        x.data = data
        for leaf in tape.leaves:
            leaf.grad = 0.0
        tape.forward()
        tape.backward()
        w2 = [Value(wi.data) for wi in w]
        x2 = Value(data)
        rebuilt = sum(((wi * x2).relu() * wi for wi in w2), Value(0.0))
        rebuilt.backward()
        assert same(root.data, rebuilt.data)
        assert all(same(a.grad, b.grad) for a, b in zip([*w, x], [*w2, x2])), data


def test_a_zero_grad_times_an_infinite_derivative_stays_nan() -> None:
    """0·inf is NaN in the engine: with an inf anywhere no block is skipped, so NaN stays NaN."""

    def build(w: Value, big: Value) -> Value:
        return (-(w * big)).relu() + w  # relu blocks: w·big's grad is 0, ∂(w·big)/∂w = inf

    w, big = Value(1.0, label="w"), Value(math.inf, label="big")
    tape = autodiff.compile(build(w, big))
    tape.forward()
    tape.backward()
    w2, big2 = Value(1.0), Value(math.inf)
    build(w2, big2).backward()
    assert math.isnan(w2.grad) and same(w.grad, w2.grad) and same(big.grad, big2.grad)


@pytest.mark.parametrize(
    "x", [math.nan, 0.0, -0.0, 5e-324, -5e-324, math.inf, -math.inf, 1.5, -1.5]
)
def test_inlined_relu_and_its_step_equal_the_engine(x: float) -> None:
    """relu and step are written into the code: NaN, -0.0 and the kink as ops.FLOATS has them."""

    def build(u: Value) -> Value:
        # a leaf cannot hold NaN: NaN comes in as inf - inf
        a = u - math.inf if math.isnan(x) else u * 1.0
        return a.relu() * 1.0

    u = Value(math.inf if math.isnan(x) else x, label="u")
    tape = autodiff.compile(build(u), inner=False)
    assert "relu(" not in tape.source and "step(" not in tape.source
    assert re.search(r"v\d+ = \((v\d+) if \1 > 0\.0 or \1 != \1 else 0\.0\)", tape.source)
    u2 = Value(u.data)
    rebuilt = build(u2)
    rebuilt.backward()
    assert same(tape.forward(), rebuilt.data)
    assert math.isnan(rebuilt.data) == math.isnan(x)
    tape.backward()
    assert same(u.grad, u2.grad)


def test_the_graph_is_checked_once_per_step() -> None:
    """forward checks the graph; backward checks it only when no forward ran since the last."""
    a, b = Value(2.0), Value(3.0)
    prod = a * b
    tape = autodiff.compile(prod + 1.0)
    tape.forward()
    prod._parents = (a, a)
    tape.backward()  # this step's forward checked the graph: the rewiring shows next step
    with pytest.raises(RuntimeError, match="was changed after compiling"):
        tape.forward()
    with pytest.raises(RuntimeError, match="was changed after compiling"):
        tape.backward()
