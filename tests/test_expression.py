"""autodiff.expression: the safe expression language (parse, evaluate, bindings)."""

from __future__ import annotations

import math

import pytest

from autodiff.expression import ExpressionError, evaluate, parse_bindings


def test_evaluate_builds_the_graph_with_named_leaves() -> None:
    """tanh(a*b + c) gets leaves labelled a, b, c whose grads match the hand derivative."""
    out = evaluate("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 1.0})
    out.backward()
    product, c = out.parents[0].parents
    leaves = {n.label: n for n in (*product.parents, c)}
    slope = 1 - math.tanh(2.0 * -3.0 + 1.0) ** 2
    assert out.data == math.tanh(-5.0)
    assert leaves["a"].grad == pytest.approx(slope * -3.0)
    assert leaves["b"].grad == pytest.approx(slope * 2.0)
    assert leaves["c"].grad == pytest.approx(slope)


def test_every_allowed_form() -> None:
    """Numbers, + - * / **, unary signs and all seven functions evaluate like math does."""
    a = 0.7
    got = evaluate(
        "-a + +a*2 - a/4 + a**2 + 2**a + exp(a) + log(a) + sqrt(a) + sigmoid(a)"
        " + relu(-a) + abs(-a) + tanh(a) + 2*3",
        {"a": a},
    ).data
    want = (
        -a
        + a * 2
        - a / 4
        + a**2
        + 2**a
        + math.exp(a)
        + math.log(a)
        + math.sqrt(a)
        + 1 / (1 + math.exp(-a))
        + 0.0
        + a
        + math.tanh(a)
        + 6
    )
    assert got == pytest.approx(want, rel=1e-14)


def test_number_exponent_stays_a_constant_power() -> None:
    """a**2 with a negative base is the op **2 (no ln of a negative), grad 2a."""
    out = evaluate("a**2", {"a": -3.0})
    out.backward()
    assert out.op is not None and out.op.name == "**2"
    assert out.parents[0].grad == -6.0


def test_constants_fold_and_no_variable_gives_a_leaf() -> None:
    """2*3 is one constant; an expression without names is a single leaf."""
    out = evaluate("a * (2*3)", {"a": 1.5})
    assert sorted(p.data for p in out.parents) == [1.5, 6.0]
    assert evaluate("2 + 3", {}).parents == ()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a + d", "unknown name 'd'"),
        ("__import__('os').system('true')", "not text in quotes"),
        ("__import__(os).system(a)", "'.' at column 15 is not allowed"),
        ("exp(a)(a)", "unknown function: 'exp\\(a\\)' cannot be called"),
        ("open(x)", "unknown function 'open'"),
        ("a.real", "not allowed"),
        ("[a][0]", "not allowed"),
        ("lambda: a", "not allowed"),
        ("a if a else a", "not allowed"),
        ("a < 1", "not allowed"),
        ("tanh(a, a)", "exactly one argument"),
        ("tanh", "is a function"),
        ("'text'", "only real numbers"),
        ("True", "only real numbers"),
        ("1j", "only real numbers"),
        ("a +", "cannot parse"),
        ("(-8) ** (1/3)", "not a real number"),
    ],
)
def test_refusals(expression: str, message: str) -> None:
    """Anything outside the whitelist is refused with a message saying what."""
    with pytest.raises(ExpressionError, match=message):
        evaluate(expression, {"a": 2.0})


def test_bindings() -> None:
    """NAME=NUMBER pairs parse; bad names, numbers, repeats and function names are refused."""
    assert parse_bindings(["a=2", "b = -3.5", "c=1e-3"]) == {"a": 2.0, "b": -3.5, "c": 1e-3}
    for bad, message in [
        (["a"], "NAME=NUMBER"),
        (["3a=1"], "NAME=NUMBER"),
        (["for=1"], "NAME=NUMBER"),
        (["a=x"], "not a number"),
        (["a=1", "a=2"], "twice"),
        (["exp=1"], "function"),
        (["a=nan"], "NaN"),
    ]:
        with pytest.raises(ExpressionError, match=message):
            parse_bindings(bad)


HUGE = {
    "a 5,000-term sum": "+".join(["a"] * 5_000),
    "3,000 nested minus signs": "-" * 3_000 + "a",
    "a 3,000-deep power tower": "**".join(["a"] * 3_000),
    "1,000 minus signs in 1,001 characters": "-" * 1_000 + "a",
    "brackets 60 deep": "(" * 60 + "a" + ")" * 60,
}


@pytest.mark.parametrize("expression", HUGE.values(), ids=HUGE.keys())
def test_expressions_too_big_or_too_deep_are_refused_before_parsing(expression: str) -> None:
    """Size and depth are bounded before ast.parse: an ExpressionError, not a RecursionError."""
    with pytest.raises(ExpressionError, match="at most") as error:
        evaluate(expression, {"a": 0.5})
    assert "\n" not in str(error.value)


DEEP_WITHOUT_OPERATORS = {
    "999 attribute dots": ("a" + ".b" * 999, "'.' at column 2 is not allowed"),
    "1,999 tildes": ("~" * 1_999 + "a", "'~' at column 1 is not allowed"),
    "499 nots": ("not " * 499 + "a", "'not' is not allowed"),
    "600 chained calls": ("exp" + "(a)" * 600, "unknown function: 'exp\\(a\\)' cannot be called"),
    "a called group": ("(a)(a)", "unknown function"),
    "a called number": ("2(a)", "unknown function"),
    "a NUL character": ("a\x00", "U\\+0000"),
}


@pytest.mark.parametrize(
    ("expression", "message"), DEEP_WITHOUT_OPERATORS.values(), ids=DEEP_WITHOUT_OPERATORS.keys()
)
def test_deep_input_without_operators_is_refused_before_parsing(
    expression: str, message: str
) -> None:
    """Attribute chains, ~, not and chained calls are refused by the scan, not a RecursionError."""
    with pytest.raises(ExpressionError, match=message) as error:
        evaluate(expression, {"a": 0.5})
    assert "\n" not in str(error.value)


def test_messages_quote_the_source_not_a_rebuilt_tree() -> None:
    """A 199-operator divisor that is 0 is named by its text, cut short (no recursive unparse)."""
    divisor = "+".join(["a"] * 100) + "-" + "-".join(["a"] * 100)
    with pytest.raises(ZeroDivisionError, match="division by zero") as error:
        evaluate(f"1/({divisor})", {"a": 0.5})
    assert "…" in str(error.value) and len(str(error.value)) < 200


def test_the_limits_leave_room_for_real_expressions() -> None:
    """A 100-term sum and brackets 40 deep are still evaluated, to the right number."""
    assert evaluate("+".join(["a"] * 100), {"a": 0.5}).data == 50.0
    assert evaluate("(" * 40 + "a" + ")" * 40, {"a": 0.5}).data == 0.5


@pytest.mark.parametrize(
    ("expression", "op"),
    [
        ("9**9**9", r"\*\*"),  # float pow raises OverflowError (34, 'Numerical result ...')
        ("a**400", r"\*\*"),  # the same overflow inside a Value op
        ("exp(a*100)", "exp"),
        ("1" + "0" * 400, "401 digits"),  # an int literal no float can hold
    ],
)
def test_overflow_is_one_line_naming_the_op(expression: str, op: str) -> None:
    """A result too large for a float is an ExpressionError naming the operation."""
    with pytest.raises(ExpressionError, match=f"{op}.*too large for a float") as error:
        evaluate(expression, {"a": 10.0})
    assert "\n" not in str(error.value) and "(34," not in str(error.value)


def test_unicode_names_in_bindings_are_normalised_like_the_expression() -> None:
    """ℌ=3 binds the H that Python reads ℌ*2 as (NFKC); two spellings of H are one name."""
    variables = parse_bindings(["ℌ=3"])
    assert variables == {"H": 3.0}
    out = evaluate("ℌ*2", variables)
    assert out.data == 6.0
    assert [p.label for p in out.parents] == ["H", None]
    with pytest.raises(ExpressionError, match="bound twice"):
        parse_bindings(["ℌ=3", "H=4"])


def test_both_readers_import_the_language_from_its_own_module() -> None:
    """The CLI and the browser lab import autodiff.expression; the lab nothing of the CLI."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]

    def imported(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add("." * node.level + node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        return names

    lab = imported(root / "web" / "playground.py")
    assert "autodiff.expression" in lab
    assert not {name for name in lab if name.startswith("autodiff.cli")}
    assert "..expression" in imported(root / "autodiff" / "cli" / "commands.py")
    assert not (root / "autodiff" / "cli" / "expression.py").exists()
