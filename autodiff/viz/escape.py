"""Text from outside (labels, op names, numbers) written safely into the languages we generate.

A label is data: whatever it holds, it must come out as the same characters on the page,
never as markup or code. Each function below escapes for one language, at the point
where the text is embedded:

* :func:`dot_text` for a plain (quoted) Graphviz label: ``\\`` would start an escape
  sequence (``\\l`` is a line break; a final ``\\`` swallows the closing quote) and
  ``&name;`` is read as an HTML entity even outside HTML-like labels;
* :func:`script_json` for JSON inside an inline ``<script>``: the HTML parser ends the
  script at ``</script>`` and treats ``<!--<script>`` specially, before JavaScript reads
  a character, so ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes, which
  JSON and JavaScript read back as the same characters;
* :func:`markdown_text` and :func:`markdown_code` for Markdown prose and table cells
  (``<img ...>`` is HTML in Markdown; ``*``, ``_``, ``|`` and ``$`` are markup).

:func:`html_text` is :func:`html.escape` with line ends shown, for HTML and HTML-like
Graphviz labels; LaTeX names are escaped by ``names.latex_name``.
"""

from __future__ import annotations

import html
import json
import re
import string
from typing import Any

# what str.splitlines breaks on: each is shown as a visible escape, never as a line end
_LINE_ENDS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_MARKDOWN_PUNCTUATION = frozenset(string.punctuation) - set("<>&")


def _visible_line_ends(text: str) -> str:
    """Line ends written as the escapes that name them (``\\n``, ``\\u2028``): one line."""
    return _LINE_ENDS.sub(lambda m: m[0].encode("unicode_escape").decode(), text)


def html_text(text: str) -> str:
    """``text`` for HTML or an HTML-like Graphviz label, on one line (``\\n`` shown)."""
    return html.escape(_visible_line_ends(text))


def dot_text(text: str) -> str:
    """``text`` for a quoted Graphviz label: entities and backslashes shown as typed."""
    return html_text(text).replace("\\", "\\\\")


def script_json(value: Any) -> str:
    """``value`` as JSON safe to place inside ``<script>…</script>`` in an HTML page."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text``: punctuation backslash-escaped,
    ``< > &`` as HTML entities, line ends as visible ``\\n``."""
    text = _visible_line_ends(text)
    out = []
    for char in text:
        if char in "<>&":
            out.append(html.escape(char))
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def markdown_code(text: str) -> str:
    """``text`` as an inline code span that also survives a table cell.

    Backticks inside are fenced by a longer run of backticks; ``|`` is written ``\\|``,
    which a GitHub table reads as a ``|`` even inside code; line ends are shown as ``\\n``.
    """
    text = _visible_line_ends(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
