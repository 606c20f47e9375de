"""python -m autodiff draw: the safe parser tested in-process, the command line by subprocess."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.__main__ import ExpressionError, evaluate, main, parse_bindings

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "autodiff", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_evaluate_builds_the_graph_with_named_leaves() -> None:
    """tanh(a*b + c) gets leaves labelled a, b, c whose grads match the hand derivative."""
    out = evaluate("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 1.0})
    out.backward()
    product, c = out._parents[0]._parents
    leaves = {n.label: n for n in (*product._parents, c)}
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
    want = (-a + a * 2 - a / 4 + a**2 + 2**a + math.exp(a) + math.log(a) + math.sqrt(a)
            + 1 / (1 + math.exp(-a)) + 0.0 + a + math.tanh(a) + 6)
    assert got == pytest.approx(want, rel=1e-14)


def test_number_exponent_stays_a_constant_power() -> None:
    """a**2 with a negative base is the op **2 (no ln of a negative), grad 2a."""
    out = evaluate("a**2", {"a": -3.0})
    out.backward()
    assert out._op is not None and out._op.name == "**2"
    assert out._parents[0].grad == -6.0


def test_constants_fold_and_no_variable_gives_a_leaf() -> None:
    """2*3 is one constant; an expression without names is a single leaf."""
    out = evaluate("a * (2*3)", {"a": 1.5})
    assert sorted(p.data for p in out._parents) == [1.5, 6.0]
    assert evaluate("2 + 3", {})._parents == ()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a + d", "unknown name 'd'"),
        ("__import__('os').system('true')", "unknown function"),
        ("exp(a)(a)", "unknown function"),
        ("open('x')", "unknown function 'open'"),
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
    for bad, message in [(["a"], "NAME=NUMBER"), (["3a=1"], "NAME=NUMBER"),
                         (["for=1"], "NAME=NUMBER"), (["a=x"], "not a number"),
                         (["a=1", "a=2"], "twice"), (["exp=1"], "function"),
                         (["a=nan"], "NaN")]:
        with pytest.raises(ExpressionError, match=message):
            parse_bindings(bad)


def test_main_prints_the_text_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    """Without -o the command prints the text tree with the output named 'out'."""
    assert main(["draw", "a*b", "a=2", "b=-3", "--formulas"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[1].startswith("out = a * b")
    assert "∂out/∂a = b = -3" in text


def test_main_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad expression exits with status 2 and a one-line error, not a traceback."""
    with pytest.raises(SystemExit) as exit_:
        main(["draw", "a*q", "a=2"])
    assert exit_.value.code == 2
    assert "unknown name 'q'" in capsys.readouterr().err


def test_cli_help_and_dot_source() -> None:
    """--help works; --dot prints the DOT source with the edge derivatives (no dot program)."""
    pytest.importorskip("graphviz")
    assert "tanh(a*b + c)" in _run("draw", "--help").stdout
    result = _run("draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "--dot")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("digraph") and 'label=" 2 "' in result.stdout


def test_cli_error_for_unknown_name() -> None:
    """An unbound name is reported on stderr with exit status 2."""
    result = _run("draw", "a*z", "a=1")
    assert result.returncode == 2
    assert "unknown name 'z'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is missing")
def test_cli_writes_svg(tmp_path: Path) -> None:
    """-o graph.svg writes an SVG of the expression."""
    pytest.importorskip("graphviz")
    target = tmp_path / "graph.svg"
    result = _run("draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "<svg" in target.read_text(encoding="utf-8")


def test_readme_text_sample_is_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    """The text rendering shown in the README is exactly what the command prints."""
    assert main(["draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "--formulas"]) == 0
    printed = capsys.readouterr().out.strip()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert printed in readme


def test_only_paths_to_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    """--only-paths-to keeps the paths from one variable; --table prints one row per node."""
    assert main(["draw", "a*b + c", "a=2", "b=-3", "c=1", "--only-paths-to", "b"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.strip("│├└─ ").split()[0] for line in lines] == ["out", "v1", "b"]
    assert main(["draw", "a*b", "a=2", "b=-3", "--table"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split()[1] for row in rows[1:]] == ["a", "b", "out"]
    assert main(["draw", "a*b", "a=2", "b=-3", "c=1", "--only-paths-to", "c"]) == 1
    assert "does not use 'c'" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`python -m autodiff step ... | head -1` ends quietly: a closed pipe prints no traceback."""
    expression = "+".join(f"tanh(a*{k})" for k in range(1, 200))
    process = subprocess.Popen(
        [sys.executable, "-m", "autodiff", "step", expression, "a=0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away with most of the output unread
    err = process.stderr.read().decode()
    process.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err
