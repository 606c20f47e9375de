"""Labels, op names and number formats are data in every language we write (issue 18).

The HTML player's inline script, the DOT of ``draw_dot`` (plain and HTML-like labels), and
``explain(...).to_markdown()`` (Markdown prose, tables and LaTeX) each get hostile text and
must show it as typed; a DOT that Graphviz refuses is reported as our bug, not Graphviz's.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import autodiff
from autodiff import Value
from autodiff.ops import UnaryOp
from autodiff.viz import escape
from tests import browser

ROOT = Path(__file__).resolve().parents[2]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")

HOSTILE = [
    "<!--<script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a & b &amp; &lt;",
    "tw\\",
    "a\\l",
    "a\\lb\\n",
    'q"x',
    "line\nbreak",
    "x\u2028y",
    "`tick` | pipe * star _under_ $dollar$ {brace} #hash ^hat ~tilde %pct",
]


def custom_op(name: str) -> UnaryOp:
    """A doubling op whose drawn name is ``name``."""

    class Named(UnaryOp):
        def output(self, m: Any, x: Any) -> Any:
            return x * 2

        def derivatives(self, m: Any, y: Any, x: Any) -> tuple[Any, ...]:
            return (2.0,)

    Named.name = name
    return Named()


def svg_texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


# --- JSON inside an inline <script> ------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_round_trips_without_markup(text: str) -> None:
    """script_json reads back as the same value and holds no < > & the HTML parser would see."""
    value = [[1, text, None], {"k": text}]
    written = escape.script_json(value)
    assert json.loads(written) == value
    assert not set("<>&") & set(written)


@needs_dot
@pytest.mark.skipif(browser.CHROMIUM is None, reason=browser.NO_CHROMIUM)
@pytest.mark.parametrize("label", ["<!--<script>", "</script><b>x</b>"])
def test_player_script_runs_with_a_hostile_label(tmp_path: Path, label: str) -> None:
    """A label with <!--<script> used to stop the player's script: the page still steps."""
    a = Value(2.0, label=label)
    b = Value(-3.0, label="b")
    out = (a * b).tanh()
    out.label = "o"
    path = autodiff.export_html(out, tmp_path / "backward.html")
    page = path.read_text(encoding="utf-8")
    script = page[page.rindex("<script>") : page.rindex("</script>")]
    assert "<!--" not in script and "<script" not in script[1:]
    dom = browser.run(
        tmp_path / "profile", "--dump-dom", path.resolve().as_uri() + "#step=2"
    ).stdout
    assert '<body data-step="2">' in dom  # set by the script: it ran
    assert re.findall(r'<section class="frame" data-step="(\d+)">', dom) == ["2"]


# --- DOT -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_text_has_no_live_backslash_or_entity(text: str) -> None:
    """Every backslash is doubled, & < > " are entities, line ends are shown as \\n."""
    written = escape.dot_text(text)
    assert not set('<>"\n\r\u2028') & set(written)
    assert "\\" not in written.replace("\\\\", "")


@needs_dot
@pytest.mark.parametrize("name", HOSTILE)
def test_op_names_and_labels_render_as_typed_with_real_dot(name: str) -> None:
    """An op name ending in \\, a\\l or <!--: valid DOT, and the picture shows the text itself."""
    a = Value(1.5, label=name)
    out = autodiff.apply(custom_op(name), a)
    out.backward()
    svg = autodiff.to_svg(out, formulas=True)  # raises on a DOT syntax error
    shown = svg_texts(svg)
    visible = name.replace("\n", "\\n").replace("\u2028", "\\u2028")
    assert shown.count(visible) >= 2  # the leaf's box (HTML-like label) and the op's oval


@needs_dot
@pytest.mark.parametrize("spec", ["<>10", "&>10", "|>10", "$^10", "\\>10", "{<8"])
def test_a_number_format_whose_fill_is_markup_is_refused(spec: str) -> None:
    """'<>10' passed the format check and broke the HTML-like label: now a clear ValueError."""
    a = Value(1.5, label="a")
    with pytest.raises(ValueError, match="fill character"):
        autodiff.draw_dot(a * 2, number_format=spec)
    with pytest.raises(ValueError, match="fill character"):
        autodiff.explain(a * 2, a, number_format=spec)


@needs_dot
def test_a_harmless_fill_still_draws() -> None:
    """A fill of '0', '.' or a space is fine, and the picture shows it."""
    a = Value(1.5, label="a")
    svg = autodiff.to_svg(a * 2, number_format=".>8.2f")
    assert "data ....1.50" in svg_texts(svg)


SYNTAX_ERROR_DOT = """#!/bin/sh
cat > /dev/null
echo "Error: <stdin>: syntax error in line 8 near '->'" >&2
exit 1
"""


def test_a_dot_syntax_error_is_our_bug_not_a_broken_graphviz() -> None:
    """dot refusing its input names the DOT as autodiff's bug and does not say to reinstall."""
    from autodiff.viz.draw import graphviz_problem

    error = subprocess.CalledProcessError(
        1, ["dot"], stderr=b"Error: <stdin>: syntax error in line 8 near '->'\n"
    )
    message = graphviz_problem(error)
    assert "bug in autodiff" in message and "syntax error in line 8" in message
    assert "reinstall" not in message and "install" not in message.replace("bug", "")
    broken = subprocess.CalledProcessError(1, ["dot"], stderr=b'Format: "svg" not recognized.')
    assert "reinstall" in graphviz_problem(broken)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell for the fake dot")
def test_the_cli_reports_a_dot_syntax_error_as_ours(tmp_path: Path) -> None:
    """draw -o with a dot that finds a syntax error in its input: one line, exit 1, our bug."""
    pytest.importorskip("graphviz")
    fake = tmp_path / "dot"
    fake.write_text(SYNTAX_ERROR_DOT, encoding="utf-8")
    fake.chmod(0o755)
    env = {"PYTHONPATH": str(ROOT), "PATH": f"{tmp_path}:/usr/local/bin:/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "autodiff", "draw", "a*b", "a=2", "b=3", "-o", "g.svg"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "bug in autodiff" in result.stderr and "reinstall" not in result.stderr


# --- Markdown and LaTeX --------------------------------------------------------------------


def markdown_html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_and_code_show_the_text_itself(text: str) -> None:
    """Rendered, the escaped text is the text: no tag, no emphasis, one table cell."""
    visible = text.replace("\n", "\\n").replace("\u2028", "\\u2028")
    rendered = markdown_html(escape.markdown_text(text))
    assert "<img" not in rendered and "<script" not in rendered and "<em>" not in rendered
    assert html.unescape(re.sub(r"</?p>", "", rendered)).strip() == visible
    table = markdown_html(f"| a | b |\n|---|---|\n| {escape.markdown_code(text)} | x |\n")
    cells = re.findall(r"<td>(.*?)</td>", table, re.DOTALL)
    assert len(cells) == 2 and cells[1] == "x"
    assert html.unescape(re.sub(r"</?code>", "", cells[0])).strip() == visible.strip()


def math_segments(markdown: str) -> list[str]:
    return re.findall(r"\$\$(.*?)\$\$|\$([^$]+?)\$", markdown, re.DOTALL)


@pytest.mark.parametrize("label", HOSTILE)
def test_explain_markdown_escapes_labels_for_markdown_and_latex(label: str) -> None:
    """explain(...).to_markdown() with a hostile label: no HTML tag in the rendered page,
    balanced LaTeX braces, and no raw < > or unescaped $ in the formulas."""
    a = Value(2.0, label=label)
    b = Value(-3.0, label="b")
    out = a * b + a
    out.label = "out"
    md = autodiff.explain(out, a).to_markdown()
    # the formulas: LaTeX that MathJax reads as text, not markup
    for display, inline in math_segments(md.replace("\\$", "")):
        formula = display or inline
        assert "<" not in formula and ">" not in formula, formula
        braces = formula.replace("\\{", "").replace("\\}", "")
        assert braces.count("{") == braces.count("}"), formula
    # the prose and the table: Markdown that shows the label as typed
    prose = re.sub(r"\$\$.*?\$\$|\$[^$]+?\$", "", md.replace("\\$", ""), flags=re.DOTALL)
    rendered = markdown_html(prose)
    assert "<img" not in rendered and "<script" not in rendered and "<!--" not in rendered
    visible = label.replace("\n", "\\n").replace("\u2028", "\\u2028")
    if "$" not in label:  # a $ in the label is escaped as \\$ for the formulas' sake
        assert visible in html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_a_line_end_in_a_label_never_breaks_the_latex() -> None:
    """Every line end str.splitlines knows becomes a space in a label's LaTeX: one line of math."""
    from autodiff.viz.names import latex_name

    for end in ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"]:
        text = latex_name(f"a{end}\n{end}b")
        assert len(text.splitlines()) == 1, repr(text)
