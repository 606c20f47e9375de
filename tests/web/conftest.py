"""Fixtures for the browser playground's tests: the bridge module, the built site, a server.

``web/`` is not a package (it is the site's source folder), so its Python files are
loaded by path under names of their own.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


def load(name: str) -> ModuleType:
    """``web/<name>.py`` as the module ``web_<name>``."""
    module_name = f"web_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, WEB / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bridge() -> ModuleType:
    """The Python bridge the worker runs, here in CPython."""
    return load("playground")


@pytest.fixture(scope="session")
def served() -> Iterator[tuple[str, float]]:
    """The site, served on a free loopback port: built once into a temporary cache folder.

    ``web/build.py``'s ``cached_build`` keys the folder on every input of the site (``.ci/run``
    builds it before the tests, so the JupyterLite build is not part of their time). Yields
    the base URL and the build's duration in seconds (0 when the cache was up to date).
    Skips when the site's build tools (the ``site`` extra) are not installed.
    """
    pytest.importorskip(
        "jupyterlite_core", reason="the site extra is not installed (pip install -e '.[site]')"
    )
    site, seconds = load("build").cached_build()
    httpd = load("serve").server(site, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/", seconds
    finally:
        httpd.shutdown()
        httpd.server_close()
