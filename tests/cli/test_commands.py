"""autodiff.cli.commands: draw, explain and step, in-process and as `python -m autodiff`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "autodiff", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def test_explain_prints_each_named_input(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --wrt every bound name is explained, and the sums are the gradients."""
    assert main(["explain", "a*b + a", "a=2", "b=-3"]) == 0
    text = capsys.readouterr().out
    assert "∂out/∂a by the chain rule: 2 paths" in text
    assert "a.grad from one fresh backward(): -2" in text  # b + 1
    assert "∂out/∂b by the chain rule: 1 path" in text
    assert "b.grad from one fresh backward(): 2" in text  # a


def test_explain_wrt_markdown_and_max_paths(capsys: pytest.CaptureFixture[str]) -> None:
    """--wrt picks one input, --markdown gives LaTeX, --max-paths 0 the accumulation view."""
    assert main(["explain", "tanh(a*a)", "a=0.5", "--wrt", "a", "--markdown"]) == 0
    md = capsys.readouterr().out
    assert r"\frac{\partial \mathrm{out}}{\partial a}" in md and "∂out/∂b" not in md
    assert main(["explain", "a*a", "a=3", "--max-paths", "0"]) == 0
    assert "accumulation view" in capsys.readouterr().out


def test_explain_unknown_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--wrt with a name the expression does not have exits with status 2 and names it."""
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", "a*2", "a=1", "--wrt", "z"])
    assert exit_info.value.code == 2
    assert "'z' is not a name in the expression" in capsys.readouterr().err


def test_step_prints_the_pass_one_node_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    """step prints the seed and one block per node, ending with the leaves' grads."""
    assert main(["step", "a*b", "a=2", "b=-3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("start:")
    assert "a.grad: 0 + 1 · (-3) = -3" in text


def test_bad_expression_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """An expression outside the whitelist exits with status 2 and a message."""
    with pytest.raises(SystemExit) as exit_info:
        main(["step", "__import__('os')", "a=1"])
    assert exit_info.value.code == 2
    assert "python -m autodiff step: error" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")
def test_step_html_writes_the_player(tmp_path: Path) -> None:
    """python -m autodiff step ... --html FILE writes the player (run as a real subprocess)."""
    pytest.importorskip("graphviz")
    target = tmp_path / "b.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autodiff",
            "step",
            "tanh(a*b + c)",
            "a=2",
            "b=-3",
            "c=10",
            "--html",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {target}" in done.stderr
    assert target.read_text(encoding="utf-8").count('<section class="frame"') == 4


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
