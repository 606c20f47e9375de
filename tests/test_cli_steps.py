"""autodiff.cli_steps: the explain and step commands, called as `python -m autodiff` calls them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autodiff.cli_steps import main


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
        [sys.executable, "-m", "autodiff", "step", "tanh(a*b + c)", "a=2", "b=-3", "c=10",
         "--html", str(target)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {target}" in done.stderr
    assert target.read_text(encoding="utf-8").count('<section class="frame"') == 4
