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
    """The text rendering shown in the docs is exactly what the command prints."""
    assert main(["draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "--formulas"]) == 0
    printed = capsys.readouterr().out.strip()
    readme = (ROOT / "docs" / "drawings.md").read_text(encoding="utf-8")
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


@pytest.mark.parametrize("command", ["draw", "explain", "step"])
def test_huge_expression_exits_2_with_one_line(command: str) -> None:
    """A 5,000-term sum on the command line: exit 2 and one line on stderr, no traceback."""
    result = _run(command, "+".join(["a"] * 5_000), "a=1")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "at most" in result.stderr and "Traceback" not in result.stderr


def test_nested_minus_signs_after_double_dash_exit_2() -> None:
    """3,000 nested minus signs (after --, as an expression starting with - needs): exit 2."""
    result = _run("draw", "--", "-" * 3_000 + "a", "a=1")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "at most" in result.stderr


DEEP_WITHOUT_OPERATORS = {
    "999 attribute dots": "a" + ".b" * 999,
    "1,999 tildes": "~" * 1_999 + "a",
    "500 nots": "not " * 499 + "a",
    "600 chained calls": "exp" + "(a)" * 600,
}


@pytest.mark.parametrize("command", ["draw", "explain", "step"])
@pytest.mark.parametrize(
    "expression", DEEP_WITHOUT_OPERATORS.values(), ids=DEEP_WITHOUT_OPERATORS.keys()
)
def test_deep_expression_without_operators_exits_2_with_one_line(
    command: str, expression: str
) -> None:
    """Deep input the operator count misses (a.b.b..., ~~~...a): one line and exit 2."""
    result = _run(command, "--", expression, "a=1")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr


def test_draw_into_a_reader_that_stops_early_ends_quietly() -> None:
    """`python -m autodiff draw ... | head -1`: no "error: [Errno 32] Broken pipe", no traceback."""
    pytest.importorskip("graphviz")
    expression = "+".join(f"tanh(a*{k})" for k in range(1, 66))  # 200 operators
    process = subprocess.Popen(  # about 160 KB of text and DOT: more than a pipe buffers
        [
            sys.executable,
            "-m",
            "autodiff",
            "draw",
            expression,
            "a=0.5",
            "--text",
            "--dot",
            "--formulas",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away with most of the output unread
    err = process.stderr.read().decode()
    process.wait()
    assert "Broken pipe" not in err and "Traceback" not in err


def test_overflow_exits_2_naming_the_op() -> None:
    """9**9**9 says which op overflowed, on one line, instead of (34, 'Numerical result...')."""
    result = _run("draw", "9**9**9")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "**" in result.stderr and "too large for a float" in result.stderr


@pytest.mark.parametrize("command", ["draw", "explain", "step"])
@pytest.mark.parametrize("spec", [".18g", ".1000f", ".100000000f", "100000000"])
def test_number_format_precision_and_width_are_bounded(
    command: str, spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--number-format past 17 digits (or a huge width) is a one-line error with exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        main([command, "a*b", "a=2", "b=-3", "--number-format", spec])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and spec in err


def test_unicode_binding_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """draw "ℌ*2" ℌ=3 binds the name; explain --wrt ℌ finds it too."""
    assert main(["draw", "ℌ*2", "ℌ=3"]) == 0
    assert "out = H * 2" in capsys.readouterr().out
    assert main(["explain", "ℌ*2", "ℌ=3", "--wrt", "ℌ"]) == 0
    assert "H.grad from one fresh backward(): 2" in capsys.readouterr().out


BROKEN_DOT = """#!/bin/sh
echo 'Format: "svg" not recognized. No formats found.' >&2
echo 'Perhaps "dot -c" needs to be run (with installer'"'"'s privileges) to register the' >&2
echo 'plugins?' >&2
exit 1
"""


def _broken_dot(folder: Path) -> str:
    """A `dot` that exists but fails as a Graphviz with a lost plugin list does; the new PATH."""
    fake = folder / "dot"
    fake.write_text(BROKEN_DOT, encoding="utf-8")
    fake.chmod(0o755)
    return f"{folder}:/usr/local/bin:/usr/bin:/bin"


@pytest.mark.parametrize("command", ["draw", "step"])
def test_a_dot_that_fails_is_one_line_with_graphviz_message_and_fix(
    command: str, tmp_path: Path
) -> None:
    """A broken dot (CalledProcessError) is reported like a missing one: one line, exit 1."""
    pytest.importorskip("graphviz")
    target = (
        ["-o", str(tmp_path / "g.svg")]
        if command == "draw"
        else ["--html", str(tmp_path / "b.html")]
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": _broken_dot(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "autodiff", command, "a*b", "a=2", "b=3", *target],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert 'Format: "svg" not recognized' in result.stderr  # Graphviz's own words
    assert "dot -c" in result.stderr and "reinstall" in result.stderr  # the fix


@pytest.mark.parametrize("command", ["draw", "step"])
@pytest.mark.parametrize("where", ["missing folder", "a folder", "under a file"])
def test_an_unwritable_output_is_bad_input_exit_2(
    command: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o / --html that cannot be written exits 2 like every other input error (it was 1)."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    path = {
        "missing folder": tmp_path / "no" / "g.svg",
        "a folder": tmp_path,
        "under a file": blocker / "g.svg",
    }[where]
    option = "-o" if command == "draw" else "--html"
    with pytest.raises(SystemExit) as stop:
        main([command, "a*b", "a=2", "b=3", option, str(path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"python -m autodiff {command}: error: {option}: cannot write ")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="needs Graphviz's dot (apt install graphviz)"
)
def test_ctrl_c_while_graphviz_works_ends_in_one_line(tmp_path: Path) -> None:
    """Ctrl-C during a long layout: exit status 130 and one line, never a traceback."""
    import signal
    import time

    expression = "*".join(["tanh(a+b)"] * 100)  # inside the limits; Graphviz needs minutes
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autodiff",
            "draw",
            "-o",
            str(tmp_path / "big.svg"),
            "--",
            expression,
            "a=0.5",
            "b=0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)  # well into the layout (Python and the graph take about a second)
    assert process.poll() is None, "the layout ended too soon to be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert "interrupted (Ctrl-C)" in err
