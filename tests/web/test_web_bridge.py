"""The playground's Python bridge, run in CPython: the numbers the pages show, without a browser."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from types import ModuleType
from typing import Any

import pytest

from autodiff.cli.commands import main as cli


def ask(bridge: ModuleType, method: str, **arguments: Any) -> Any:
    answer = json.loads(bridge.handle(method, json.dumps(arguments)))
    assert set(answer) in ({"ok"}, {"error"}), answer
    return answer


def ok(bridge: ModuleType, method: str, **arguments: Any) -> Any:
    answer = ask(bridge, method, **arguments)
    assert "ok" in answer, answer
    return answer["ok"]


def grads(state: dict[str, Any]) -> dict[str, float]:
    return {leaf["name"]: leaf["grad"] for leaf in state["leaves"]}


def neuron_formula(a: float, b: float, c: float) -> float:
    return math.tanh(a * b + c)


def central(f: Any, args: list[float], i: int, h: float = 1e-6) -> float:
    up, down = list(args), list(args)
    up[i] += h
    down[i] -= h
    return float((f(*up) - f(*down)) / (2 * h))


def test_expression_grads_match_the_derivative_and_finite_differences(bridge: ModuleType) -> None:
    """tanh(a*b+c) at (2, -3, 10): the bridge's grads are (1-tanh²)·(b, a, 1) and the FD slopes."""
    state = ok(
        bridge, "expression.build", expression="tanh(a*b+c)", values={"a": 2, "b": -3, "c": 10}
    )
    got = grads(state)
    slope = 1 - math.tanh(4.0) ** 2
    assert got["a"] == pytest.approx(slope * -3, rel=1e-12)
    assert got["b"] == pytest.approx(slope * 2, rel=1e-12)
    assert got["c"] == pytest.approx(slope, rel=1e-12)
    for i, name in enumerate("abc"):
        assert got[name] == pytest.approx(central(neuron_formula, [2, -3, 10], i), rel=1e-5)
    assert round(got["a"], 5) == -0.00402
    assert state["leaves"][0]["grad_text"] == "−0.00402285"
    assert state["dot"].startswith("digraph")


def test_replayed_slider_move_equals_a_fresh_graph(bridge: ModuleType) -> None:
    """Moving sliders replays the tape; the grads equal those of a graph built at the new values."""
    ok(
        bridge,
        "expression.build",
        expression="a*log(b) + a**2 / c",
        values={"a": 2, "b": 3, "c": 4},
    )
    moved = ok(bridge, "expression.set", values={"a": -1.5, "c": 0.5})
    fresh = ok(
        bridge,
        "expression.build",
        expression="a*log(b) + a**2 / c",
        values={"a": -1.5, "b": 3, "c": 0.5},
    )
    assert grads(moved) == grads(fresh)
    assert moved["data"] == fresh["data"]
    assert moved["data"] == pytest.approx(-1.5 * math.log(3) + 2.25 / 0.5)


def test_a_slider_outside_the_domain_gets_the_cli_error(bridge: ModuleType) -> None:
    """Sliding log's input below 0 reports what the CLI reports for that number; then recovers."""
    ok(bridge, "expression.build", expression="log(a) * b", values={"a": 3, "b": 2})
    moved = ask(bridge, "expression.set", values={"a": -1})
    built = ask(bridge, "expression.build", expression="log(a) * b", values={"a": -1, "b": 2})
    assert moved["error"] == built["error"] and moved["error"].startswith("log: ")
    ok(bridge, "expression.build", expression="log(a) * b", values={"a": 3, "b": 2})
    ask(bridge, "expression.set", values={"a": -1})
    back = ok(bridge, "expression.set", values={"a": 4})
    assert grads(back) == {"a": pytest.approx(2 / 4), "b": pytest.approx(math.log(4))}


@pytest.mark.parametrize(
    "expression",
    ["tanh(a*", "foo(a)", "a.b", "exp(a, b)", "a @ b", "'text'", "a / (b - b)", "sqrt(a - 5)"],
)
def test_bad_expressions_give_the_cli_error(bridge: ModuleType, expression: str) -> None:
    """A refused expression answers with exactly the message the CLI prints after 'error: '."""
    answer = ask(bridge, "expression.build", expression=expression, values={"a": 1, "b": 2})
    assert "error" in answer
    names = bridge.variable_names(expression)
    bindings = [f"{n}={ {'a': 1.0, 'b': 2.0}.get(n, 1.0)!r}" for n in names]
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(SystemExit) as exited:
            cli(["draw", "--", expression, *bindings])
        status = exited.value.code
    assert status == 2
    assert stderr.getvalue().strip().splitlines()[-1] == (
        f"python -m autodiff draw: error: {answer['error']}"
    )


def test_names_in_order_of_appearance(bridge: ModuleType) -> None:
    """Sliders follow the expression: first appearance order, functions are not variables."""
    assert bridge.variable_names("tanh(w1*x1 + w0*x0 + b) * x1") == ["w1", "x1", "w0", "x0", "b"]
    assert bridge.variable_names("exp(2) + 3") == []
    assert bridge.variable_names("tanh(a*") == []


def test_stepping_ends_with_the_grads_of_backward(bridge: ModuleType) -> None:
    """Step by step: the seed with step 1, one text per inner node, then backward's grads."""
    full = ok(
        bridge, "expression.build", expression="tanh(a*b+c)", values={"a": 2, "b": -3, "c": 10}
    )
    texts = []
    for _ in range(3):
        state = ok(bridge, "expression.step")
        texts.append(state["text"])
    assert texts[0].startswith("start:")
    assert [re.findall(r"^step \d of 3", t, re.M) for t in texts] == [
        ["step 1 of 3"],
        ["step 2 of 3"],
        ["step 3 of 3"],
    ]
    assert grads(state) == grads(full)
    assert 'color="#' in state["dot"] or "penwidth" in state["dot"]  # the step is highlighted


def test_explain_names_the_path_and_the_sum(bridge: ModuleType) -> None:
    """Explain ∂out/∂a: one path, and its sum printed as the grad."""
    ok(bridge, "expression.build", expression="tanh(a*b+c)", values={"a": 2, "b": -3, "c": 10})
    text = ok(bridge, "expression.explain", name="a")["text"]
    assert "1 path" in text and "-0.00402285" in text
    assert "error" in ask(bridge, "expression.explain", name="z")


def test_training_defaults_reach_full_training_accuracy(bridge: ModuleType) -> None:
    """The lab's default run (moons, 200 epochs) fits every training point; grid = model outputs."""
    state = ok(bridge, "training.build")
    assert state["accuracy"] < 1.0
    perfect = None
    for _ in range(40):
        state = ok(bridge, "training.run", epochs=5, grid=False)
        if state["accuracy"] == 1.0 and perfect is None:
            perfect = state["epoch"]
    assert state["epoch"] == 200 and perfect is not None
    assert len(state["loss"]) == len(state["val_loss"]) == 200
    lab = bridge._labs["training"]
    full = lab.state(grid=True)
    left, right, bottom, top = full["bounds"]
    size = full["grid_size"]
    row, col = 3, size - 2
    point = [left + (right - left) * (col + 0.5) / size, top - (top - bottom) * (row + 0.5) / size]
    assert full["grid"][row * size + col] == pytest.approx(lab.model(point).data, abs=1e-5)


def test_neuron_drawing_unfolds_the_chosen_neuron(bridge: ModuleType) -> None:
    """Clicking L2.N1 draws its weights unfolded and the first layer's neurons folded."""
    ok(bridge, "training.build", settings={"hidden": [3, 2]})
    answer = ok(bridge, "training.neuron", layer=2, index=1)
    dot = answer["dot"]
    assert answer["caption"].startswith("L2.N1 on training point (")
    assert "L2.N1.w0" in dot and "L2.N1.b" in dot
    assert "L1.N1.w0" not in dot and "<B>L1.N1</B>" in dot
    assert "L3.N1.z" in ok(bridge, "training.neuron", layer=3, index=1)["dot"]  # linear output
    assert "error" in ask(bridge, "training.neuron", layer=4, index=1)
    assert "error" in ask(bridge, "training.neuron", layer=1, index=0)


def test_training_settings_are_checked(bridge: ModuleType) -> None:
    """Unknown data sets and settings are refused with a message naming them."""
    assert (
        "dataset must be one of"
        in ask(bridge, "training.build", settings={"dataset": "iris"})["error"]
    )
    assert "unknown settings" in ask(bridge, "training.build", settings={"colour": 1})["error"]


TOO_BIG_FOR_THE_PARSER = {
    "1,000 minus signs": "-" * 1_000 + "a",
    "201 nested brackets": "(" * 201 + "a" + ")" * 201,
    "5,000 terms": "+".join(["a"] * 5_000),
    "999 attribute dots": "a" + ".b" * 999,
    "1,999 tildes": "~" * 1_999 + "a",
}


@pytest.mark.parametrize(
    "expression", TOO_BIG_FOR_THE_PARSER.values(), ids=TOO_BIG_FOR_THE_PARSER.keys()
)
def test_expressions_too_big_to_parse_are_refused_before_parsing(
    bridge: ModuleType, expression: str
) -> None:
    """The crafted links that crashed the page's Python: a one-line refusal, names never parsed."""
    assert bridge.variable_names(expression) == []
    answer = ask(bridge, "expression.build", expression=expression, values={"a": "1"})
    assert "error" in answer and "\n" not in answer["error"]
    assert "at most" in answer["error"] or "is not allowed" in answer["error"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Infinity", "a: 'Infinity' is not a finite number"),
        ("-1e999", "a: '-1e999' is not a finite number"),
        ("NaN", "a: NaN is not allowed"),
        ("", "a: '' is not a number"),
        ("abc", "a: 'abc' is not a number"),
        (None, r"a: an empty value \(null\) is not a number"),
        (True, "a: True is not a number"),
    ],
)
def test_a_link_value_that_is_not_a_finite_number_is_named(
    bridge: ModuleType, value: Any, message: str
) -> None:
    """?expr=a*b&a=Infinity: the message names the field and its text, in build and in set."""
    import re

    built = ask(bridge, "expression.build", expression="a*b", values={"a": value, "b": 2})
    assert re.fullmatch(message, built["error"]), built
    ok(bridge, "expression.build", expression="a*b", values={"a": "3", "b": 2})
    moved = ask(bridge, "expression.set", values={"a": value})
    assert re.fullmatch(message, moved["error"]), moved
    assert ok(bridge, "expression.set", values={"a": "-2.5"})["data"] == -5.0


def test_a_slider_answer_can_leave_the_picture_for_later(bridge: ModuleType) -> None:
    """expression.set with dot=False answers the numbers only; expression.dot draws them."""
    state = ok(bridge, "expression.build", expression="a*b + a", values={"a": 2, "b": 3})
    assert state["nodes"] == 4 and "dot" in state  # a, b, a*b and the sum
    moved = ok(bridge, "expression.set", values={"a": 5}, dot=False)
    assert "dot" not in moved and moved["data"] == 20.0
    picture = ok(bridge, "expression.dot")
    assert picture["nodes"] == 4 and picture["dot"].startswith("digraph")
    assert "20" in picture["dot"]  # the new output's data is in the picture


def test_the_first_step_shows_step_one_highlighted(bridge: ModuleType) -> None:
    """The first "Step backward" seeds and takes step 1: never "step 0 of 3", nothing lit."""
    built = ok(
        bridge, "expression.build", expression="tanh(a*b+c)", values={"a": 2, "b": -3, "c": 10}
    )
    first = ok(bridge, "expression.step")
    assert (first["step_done"], first["step_total"]) == (1, 3)
    assert first["text"].startswith("start:") and "\nstep 1 of 3:" in first["text"]
    assert first["dot"] != built["dot"]  # the step's node is highlighted
    texts = [ok(bridge, "expression.step")["text"].split(":")[0] for _ in range(3)]
    assert texts[:2] == ["step 2 of 3", "step 3 of 3"], texts
    assert texts[2] == "start"  # one more click starts again, at step 1


def test_messages_print_numbers_shortly(bridge: ModuleType) -> None:
    """log(a - b) at a=0.1, b=1.9 is refused naming -1.8, not -1.7999999999999998."""
    answer = ask(bridge, "expression.build", expression="log(a - b)", values={"a": 0.1, "b": 1.9})
    assert "-1.8" in answer["error"] and "1.79999" not in answer["error"], answer
    # text the user typed is quoted as typed
    typed = ask(bridge, "expression.build", expression="a", values={"a": "0.12345678901x"})
    assert "'0.12345678901x'" in typed["error"]


def test_values_and_constants_typed_with_the_expression(bridge: ModuleType) -> None:
    """``(tanh(w*x+b) - d)**2; w=0.5, x=2, const d=1``: d gets no slider and no gradient."""
    state = ok(
        bridge,
        "expression.build",
        expression="(tanh(w*x+b) - d)**2; w=0.5, x=2 const d=0.25",
        values={"w": 9, "b": 0.1},
    )
    data = {leaf["name"]: leaf["data"] for leaf in state["leaves"]}
    assert data == {"w": 0.5, "x": 2.0, "b": 0.1}  # typed values win, others as given
    assert [c["name"] for c in state["constants"]] == ["d"]
    y = math.tanh(0.5 * 2 + 0.1)
    assert state["data"] == pytest.approx((y - 0.25) ** 2)
    assert grads(state)["w"] == pytest.approx(2 * (y - 0.25) * (1 - y * y) * 2)
    assert "error" in ask(bridge, "expression.set", values={"d": 3})  # no slider for d
    moved = ok(bridge, "expression.set", values={"x": 1})
    assert moved["data"] == pytest.approx((math.tanh(0.6) - 0.25) ** 2)
    for bad, words in [
        ("a*b; c=1", "does not read"),
        ("a*b; a=x", "not a number"),
        ("a*b; const", "const"),
        ("a*b; a=1 a=2", "bound twice"),
        ("a*b; b", "NAME=NUMBER"),
    ]:
        answer = ask(bridge, "expression.build", expression=bad, values={})
        assert words in answer.get("error", ""), (bad, answer)
