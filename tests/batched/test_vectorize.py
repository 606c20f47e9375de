"""The batched engine against the scalar engine: same losses and gradients, same refusals."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy", reason="the batched engine needs NumPy (the batched extra)")

from autodiff import Value  # noqa: E402
from autodiff.batched import vectorize  # noqa: E402
from nn import MLP, hinge, l2, moons, mse, signed, softmax_cross_entropy  # noqa: E402


def _close(a: float, b: float, rel: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-15) or (math.isnan(a) and math.isnan(b))


def _scalar_loss_and_grads(
    per_example: Any, params: list[Value], columns: list[Any], penalty: Any = None
) -> tuple[float, list[float]]:
    """The oracle: the scalar graph of the whole batch, mean of the terms, backward()."""
    for p in params:
        p.grad = 0.0
    n = len(columns[0])
    terms = []
    for i in range(n):
        args = [
            Value(float(c[i])) if np.ndim(c[i]) == 0 else [Value(float(x)) for x in c[i]]
            for c in columns
        ]
        terms.append(per_example(*args))
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    loss = total * (1.0 / n)
    if penalty is not None:
        loss = loss + penalty()
    loss.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return loss.data, grads


def _batched(step: Any, params: list[Value], *columns: Any) -> tuple[float, list[float]]:
    for p in params:
        p.grad = 0.0
    loss = step(*columns)
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return loss, grads


def _moons() -> tuple[Any, Any]:
    X, y = moons(60, noise=0.1, seed=0)
    return np.array(X), np.array(signed(y), dtype=float)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_an_mlp_with_hinge_and_l2_matches_the_scalar_graph(activation: str) -> None:
    """micrograd's demo loss (hinge + L2): the same loss and gradients as backward(), to 1e-12."""
    model = MLP(2, [8, 8, 1], activation=activation, seed=3)
    params = model.parameters()
    X, Y = _moons()

    def per_example(x: Any, d: Any) -> Value:
        return hinge([model(x)], [d])

    def penalty() -> Value:
        return l2(params, 1e-3)

    step = vectorize(per_example, params, penalty=penalty)
    got, grads = _batched(step, params, X, Y)
    want, want_grads = _scalar_loss_and_grads(per_example, params, [X, Y], penalty)
    assert _close(got, want)
    assert all(_close(g, w, 1e-10) for g, w in zip(grads, want_grads))
    assert "@" in step.source  # the layers became matrix products
    assert "def penalty(theta):\n    c0 = theta[iP]" in step.source  # L2 as array code


def test_softmax_cross_entropy_with_one_hot_rows_and_outputs() -> None:
    """Ten logits per example, one-hot targets as a 2-D column; outputs() gives the logits."""
    model = MLP(5, [6, 4], seed=1)
    params = model.parameters()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 5))
    T = np.eye(4)[rng.integers(0, 4, size=30)]

    def per_example(x: Any, t: Any) -> Value:
        return softmax_cross_entropy([model(x)], [t])

    step = vectorize(per_example, params)
    got, grads = _batched(step, params, X, T)
    want, want_grads = _scalar_loss_and_grads(per_example, params, [X, T])
    assert _close(got, want, 1e-11)
    assert all(_close(g, w, 1e-10) for g, w in zip(grads, want_grads))
    logits = vectorize(lambda x: model(x), params).outputs(X)
    assert logits.shape == (30, 4)
    want_logits = [[v.data for v in model(list(row))] for row in X.tolist()]
    assert np.allclose(logits, want_logits, rtol=1e-13, atol=1e-15)


_UNARY = ["tanh", "sigmoid", "relu", "exp_small", "abs", "square", "log_pos", "sqrt_pos"]


def _apply(name: str, v: Value) -> Value:
    if name == "exp_small":
        return (v * 0.1).exp()
    if name == "square":
        return v**2
    if name == "log_pos":
        return (v * v + 1.0).log()
    if name == "sqrt_pos":
        return (v * v + 0.5).sqrt()
    return getattr(v, name)()


@settings(max_examples=40, deadline=None)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(_UNARY), st.sampled_from(["+", "*", "-", "/"]), st.integers(0, 3)
        ),
        min_size=1,
        max_size=8,
    ),
    seed=st.integers(0, 1000),
)
def test_random_per_example_expressions_match_the_scalar_engine(ops: Any, seed: int) -> None:
    """Hypothesis-made expressions of two inputs and three parameters: loss and grads agree."""
    rng = random.Random(seed)
    params = [Value(rng.uniform(-1.5, 1.5), label=f"p{i}") for i in range(3)]

    def per_example(x: Any, d: Any) -> Value:
        pool = [x[0], x[1], d, *params]
        v = x[0] * params[0]
        for name, combine, k in ops:
            v = _apply(name, v)
            other = pool[k + 1] if k < 3 else params[2]
            if combine == "+":
                v = v + other
            elif combine == "*":
                v = v * other
            elif combine == "-":
                v = v - other
            else:
                v = v / (other * other + 1.0)
        return v

    X = np.array([[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(12)])
    D = np.array([rng.uniform(-1, 1) for _ in range(12)])
    step = vectorize(per_example, params)
    got, grads = _batched(step, params, X, D)
    want, want_grads = _scalar_loss_and_grads(per_example, params, [X, D])
    assert _close(got, want, 1e-9)
    assert all(_close(g, w, 1e-9) for g, w in zip(grads, want_grads))


def test_a_domain_error_names_the_op_and_the_example() -> None:
    """log of a negative input in example 37: the scalar engine's message plus the example."""
    w = Value(1.0, label="w")
    step = vectorize(lambda x: (x * w).log(), [w])
    column = np.ones(50)
    column[37] = -0.5
    with pytest.raises(ValueError, match=r"log: input must be > 0, got -0.5 \(example 37\)"):
        step(column)


def test_division_by_zero_names_the_example() -> None:
    """x / (x - 2) at x = 2: ZeroDivisionError naming the example, not a silent inf."""
    w = Value(1.0)
    step = vectorize(lambda x: w / (x - 2.0), [w])
    with pytest.raises(ZeroDivisionError, match=r"example 3"):
        step(np.array([0.0, 1.0, 3.0, 2.0]))


def test_nan_is_never_hidden_and_kinks_are_the_scalar_engines() -> None:
    """A NaN in the data gives a NaN loss; relu at exactly 0 has slope 0 as in backward()."""
    w = Value(1.0)
    step = vectorize(lambda x: (x * w).relu(), [w])
    assert math.isnan(step(np.array([1.0, float("nan")])))
    w.grad = 0.0
    step(np.array([0.0, 0.0]))
    assert w.grad == 0.0
    loss, grads = _batched(step, [w], np.array([0.0, 2.0]))
    want, want_grads = _scalar_loss_and_grads(lambda x: (x * w).relu(), [w], [[0.0, 2.0]])
    assert loss == want and grads == want_grads


def test_a_label_never_becomes_code(tmp_path: Any) -> None:
    """Labels with line breaks and a payload appear only as escaped comments; nothing runs."""
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w')"
    breaks = [
        "\n",
        "\r",
        "\r\n",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1d",
        "\x1e",
        "\x85",
        "\u2028",
        "\u2029",
    ]
    w = Value(0.5, label="w")

    def per_example(x: Any) -> Value:
        v = x * w
        for i, br in enumerate(breaks):
            v = v + 0.0
            v.label = f"a{br}{payload}{br}    {payload}#{i}"
        return v

    step = vectorize(per_example, [w])
    step(np.array([1.0, 2.0]))
    assert not marker.exists()
    assert payload not in step.source.replace("\\n", "").split("#")[0]
    for line in step.source.splitlines():
        code = line.split("#", 1)[0]
        assert "open(" not in code


def test_refusals_say_what_does_not_fit() -> None:
    """A stray leaf, mismatched columns, a penalty reading data, outputs without a loss."""
    w, stray = Value(1.0), Value(2.0, label="stray")
    with pytest.raises(ValueError, match=r"'stray'.*neither a data column nor one"):
        vectorize(lambda x: x * w * stray, [w])(np.ones(3))
    with pytest.raises(ValueError, match="column 1 has 2 examples but column 0 has 3"):
        vectorize(lambda x, d: x * w - d, [w])(np.ones(3), np.ones(2))
    with pytest.raises(TypeError, match="returns 2 outputs per example"):
        vectorize(lambda x: [x * w, x + w], [w])(np.ones(3))
    with pytest.raises(TypeError, match="must return a Value"):
        vectorize(lambda x: 3.0, [w])(np.ones(3))
    with pytest.raises(ValueError, match="reduction must be 'mean' or 'sum'"):
        vectorize(lambda x: x * w, [w], reduction="max")
    with pytest.raises(TypeError, match=r"parameters\[0\] must be a leaf Value"):
        vectorize(lambda x: x * w, [w * 2])


def test_sum_reduction_and_the_array_path_agree_with_the_values_path() -> None:
    """value_and_grad(θ) on an array gives what step() adds into the Values' grads."""
    model = MLP(3, [4, 1], seed=2)
    params = model.parameters()
    rng = np.random.default_rng(1)
    X, D = rng.normal(size=(20, 3)), rng.normal(size=20)
    step = vectorize(lambda x, d: mse([model(x)], [d]), params, reduction="sum")
    loss, grads = _batched(step, params, X, D)
    loss2, g2 = step.value_and_grad(step.theta(), X, D)
    assert loss == loss2 and grads == g2.tolist()
    want = sum((d - model(list(x)).data) ** 2 for x, d in zip(X.tolist(), D.tolist()))
    assert _close(loss, want, 1e-12)
    step.assign(step.theta() * 0.0)
    assert all(p.data == 0.0 for p in params)


def test_the_engine_never_imports_numpy() -> None:
    """Value and backward() load no NumPy; without NumPy the batched engine says how to install."""
    code = (
        "import sys\n"
        "from autodiff import Value\n"
        "a = Value(2.0); (a * a).backward()\n"
        "assert 'numpy' not in sys.modules, 'the engine imported numpy'\n"
        "sys.modules['numpy'] = None\n"
        "try:\n"
        "    import autodiff.batched\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install numpy" in out.stdout and "pip install '.[batched]'" in out.stdout
