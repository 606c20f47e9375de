"""Drawings in a browser's Python (Pyodide), where there is no ``dot`` program to run.

Pyodide cannot start processes, so ``graphviz`` cannot call ``dot``. The site that serves
the notebooks (``make site``) also serves Graphviz compiled to WebAssembly, ``viz.js``, the
one the labs draw with, at ``vendor/viz.js`` next to Pyodide's own folder. This module
loads it through Pyodide's bridge to JavaScript and lays the DOT text out with it, so a
notebook in JupyterLite shows the same drawing as in JupyterLab.

Nothing here runs outside Pyodide: :func:`in_browser` says whether we are in one.
"""

from __future__ import annotations

import json
import sys
from typing import Any

_viz: Any = None  # the viz.js instance, loaded on the first drawing and kept


def in_browser() -> bool:
    """True in Pyodide (CPython compiled to WebAssembly, ``sys.platform == "emscripten"``)."""
    return sys.platform == "emscripten"


def render_svg(source: str) -> str:
    """The SVG of the DOT ``source``, laid out by ``dot`` in viz.js; raises if it cannot.

    The first call imports ``../vendor/viz.js`` relative to Pyodide's folder and waits
    for it (``run_sync``: the cell pauses, the page does not).
    """
    global _viz
    import js
    import pyodide_js
    from pyodide.code import run_js
    from pyodide.ffi import run_sync, to_js

    if _viz is None:
        url = js.URL.new("../vendor/viz.js", pyodide_js._api.config.indexURL).href
        # the URL is data: json.dumps writes it as a JavaScript string literal
        _viz = run_sync(run_js(f"import({json.dumps(url)}).then((m) => m.instance())"))
    options = to_js({"format": "svg", "engine": "dot"}, dict_converter=js.Object.fromEntries)
    return str(_viz.renderString(source, options))
