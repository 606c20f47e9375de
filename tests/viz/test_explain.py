"""autodiff.explain: paths, their products, the sum equal to the grad, the accumulation view."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from autodiff import Value, topological_order
from autodiff.viz.chain import check as _check
from autodiff.viz.explain import Explanation, count_paths, explain
from tests.expressions import random_pool

# a + b, a·b, tanh, 2·sigmoid, a·a (one op using the same node twice), a − b/2
OPS: list[Callable[[Value, Value], Value]] = [
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a, b: a.tanh(),
    lambda a, b: a.sigmoid() * 2.0,
    lambda a, b: a * a,
    lambda a, b: a - b * 0.5,
]


def random_expression(seed: int, n_ops: int = 12) -> tuple[list[Value], Value]:
    """Leaves and an output built from random ops that reuse earlier nodes (fan-out)."""
    pool = random_pool(seed, n_ops, OPS)
    leaves, out = pool[:3], pool[-1]
    for node in pool[3:-1]:  # every node reaches the output, so x_i usually has many paths
        out = out + node * 0.1
    return leaves, out


def brute_force_paths(out: Value, x: Value) -> int:
    """Paths from x to out counted the obvious, exponential, recursive way."""
    if out is x:
        return 1
    return sum(brute_force_paths(p, x) for p in out.parents)


def test_single_path_is_the_product_of_local_derivatives() -> None:
    """For L = tanh(a·b + c) there is one path and its product is the hand-derived (1-L²)·b."""
    a, b, c = Value(0.5, label="a"), Value(-0.75, label="b"), Value(0.25, label="c")
    z = a * b + c
    L = z.tanh()
    L.label = "L"
    e = explain(L, a)
    assert e.path_count == 1 and e.paths is not None
    (path,) = e.paths
    assert path.nodes[0] == "L" and path.nodes[-1] == "a"
    assert path.product == pytest.approx((1 - math.tanh(z.data) ** 2) * b.data, rel=1e-15)
    assert e.total == e.gradient == path.product


@pytest.mark.parametrize("seed", range(25))
def test_sum_over_paths_equals_backward_on_random_graphs(seed: int) -> None:
    """On random expressions with fan-out, the path sum equals x.grad after a real backward()."""
    leaves, out = random_expression(seed)
    out.backward()
    for x in leaves:
        e = explain(out, x, max_paths=10_000)
        assert e.view == "paths"
        assert e.path_count == brute_force_paths(out, x)
        assert len(e.paths or ()) == e.path_count
        scale = sum(abs(p.product) for p in e.paths or ())
        assert abs(e.total - x.grad) <= 1e-12 * max(scale, 1.0)
        assert e.gradient == x.grad  # one fresh backward() from zeroed leaves


def test_sum_matches_central_differences() -> None:
    """An independent oracle: the path sum equals a finite-difference slope of the forward pass."""

    def f(t: float) -> float:
        x = Value(t, label="x")
        y = x * x
        return ((y + x).tanh() * y + x.sigmoid()).data

    x = Value(0.3, label="x")
    y = x * x
    out = (y + x).tanh() * y + x.sigmoid()
    e = explain(out, x)
    h = 1e-6
    assert e.path_count == 6  # y twice (2 each: via tanh(y + x) and via ·y), x in y + x, σ(x)
    assert e.total == pytest.approx((f(0.3 + h) - f(0.3 - h)) / (2 * h), rel=1e-7)


def test_explain_leaves_every_grad_as_it_was() -> None:
    """explain() runs backward internally but restores all grads, including accumulated ones."""
    leaves, out = random_expression(3)
    out.backward()
    out.backward()  # leaves now hold twice the gradient
    before = [node.grad for node in topological_order(out)]
    e = explain(out, leaves[0])
    assert [node.grad for node in topological_order(out)] == before
    assert e.stored_grad == leaves[0].grad
    assert e.gradient == pytest.approx(leaves[0].grad / 2, rel=1e-15)
    assert "holds" in str(e)  # the text notes the accumulated, doubled grad


def test_reused_node_shows_both_paths() -> None:
    """For c = a + a the two paths through the two inputs are both listed and both marked."""
    a = Value(3.0, label="a")
    c = a + a
    c.label = "c"
    e = explain(c, a)
    assert e.path_count == 2 and e.paths is not None
    assert [p.inputs for p in e.paths] == [(0,), (1,)]
    text = str(e)
    assert "∂c/∂a[input 1]" in text and "∂c/∂a[input 2]" in text
    assert e.total == 2.0


def test_count_paths_doubles_per_block_without_enumerating() -> None:
    """y ← y + y repeated k times gives exactly 2^k paths, counted exactly even for k = 1000."""
    x = Value(1e-3, label="x")
    y = x
    for _ in range(1000):
        y = y + y
    assert count_paths(y, x)[y] == 2**1000
    e = explain(y, x)
    assert e.view == "accumulation" and e.paths is None
    assert e.path_count == 2**1000
    assert "max_paths=200" in str(e)


def test_accumulation_view_totals_are_the_backward_grads() -> None:
    """Each node's listed contributions add up, in backward's order, to exactly its grad."""
    leaves, out = random_expression(11)
    x = leaves[1]
    e = explain(out, x, max_paths=0)
    assert e.view == "accumulation"
    out.backward()
    by_name = {s.name: s for s in e.accumulation}
    from autodiff.viz.names import node_names

    names = node_names(out)
    for node, name in names.items():
        if name in by_name:
            assert by_name[name].total == node.grad
            added = 1.0 if node is out else 0.0
            for c in by_name[name].contributions:
                assert c.value == c.grad * c.partial
                added += c.value
            assert added == node.grad
    assert e.accumulation[0].name == names[out] and e.accumulation[-1].name == names[x]
    assert e.total == x.grad


def test_unrelated_input_has_no_path_and_zero_gradient() -> None:
    """A value the output does not depend on gets 0 paths, a zero gradient and a clear sentence."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    e = explain(a * 3.0, b)
    assert e.path_count == 0 and e.total == 0.0 and e.gradient == 0.0
    assert "does not depend on b" in str(e)


def test_output_with_respect_to_itself_is_one() -> None:
    """∂out/∂out is the empty product 1, along the one path of length zero."""
    a = Value(2.0, label="a")
    out = a.exp()
    e = explain(out, out)
    assert e.path_count == 1 and e.total == 1.0 and e.gradient == 1.0


def test_markdown_uses_the_lecture_notation() -> None:
    """The Markdown has ∂L/∂w as LaTeX fractions, the formulas, the numbers and a legend table."""
    w0, x0, b = Value(0.5, label="w0"), Value(2.0, label="x0"), Value(-1.0, label="b")
    z = w0 * x0 + b
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    L = (y - 1.0) ** 2
    L.label = "L"
    md = explain(L, w0).to_markdown()
    assert r"\frac{\partial L}{\partial w_{0}}" in md
    assert r"\frac{\partial y}{\partial z}" in md
    assert r"y(1-y)" in md  # the sigmoid's local rule, written as a formula
    assert "| `z` | `v1 + b` |" in md  # w0*x0 is the unlabelled v1
    assert md == explain(L, w0)._repr_markdown_()


def test_the_check_fails_on_a_wrong_sum() -> None:
    """The internal assertion is not vacuous: an explanation whose sum is off raises."""
    a = Value(2.0, label="a")
    good = explain(a * a, a)
    bad = Explanation(**{**good.__dict__, "gradient": good.gradient + 1.0})
    with pytest.raises(ArithmeticError, match="differs from backward"):
        _check(bad)


def test_bad_arguments_are_named() -> None:
    """Non-Values and a bad number format give errors that say what is wrong."""
    a = Value(1.0)
    with pytest.raises(TypeError, match="explain"):
        explain(a, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="number_format"):
        str(explain(a * 2.0, a, number_format="zz"))


@pytest.mark.parametrize("seed", range(5))
def test_markdown_math_is_well_formed(seed: int) -> None:
    """Every LaTeX block has balanced braces and matching begin/end, in both views."""
    leaves, out = random_expression(seed)
    for max_paths in (10_000, 0):
        md = explain(out, leaves[0], max_paths=max_paths).to_markdown()
        blocks = md.split("$$")[1::2]
        assert blocks
        for block in blocks:
            depth = 0
            for char in block.replace(r"\{", "").replace(r"\}", ""):
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0
            assert depth == 0
            assert block.count(r"\begin{aligned}") == block.count(r"\end{aligned}")


def test_reused_input_is_marked_in_markdown_and_legend_names_helpers() -> None:
    """a·a marks input 1 / input 2 in LaTeX; an off-path helper used on a path is defined."""
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    c = a * a * (b + 1.0)  # b + 1 is off the path from a, but it is ∂c/∂(a·a) on that path
    c.label = "c"
    e = explain(c, a)
    md = e.to_markdown()
    assert r"\Big|_{\text{input 1}}" in md and r"\Big|_{\text{input 2}}" in md
    assert any(definition == "b + 1" for _, definition, _ in e.legend)
    rows = [line.strip() for line in str(explain(a + a, a)).splitlines()]
    assert rows.count("= 1") == 2  # one per path: formula, number and product rows coincide


def test_readme_example_prints_what_the_readme_shows(capsys: pytest.CaptureFixture[str]) -> None:
    """The code in the docs' explain section prints exactly the text shown under it."""
    readme = (Path(__file__).parents[2] / "docs" / "drawings.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: explain -->")[1].split("<!-- /section: explain -->")[0]
    code = section.split("```python\n")[1].split("```")[0]
    shown = section.split("```text\n")[1].split("```")[0]
    exec(compile(code, "docs/drawings.md", "exec"), {})
    assert capsys.readouterr().out == shown
