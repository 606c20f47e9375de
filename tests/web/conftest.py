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
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, float]]:
    """The site, built once into a temporary folder and served on a free loopback port.

    Yields the base URL and the build's duration in seconds.
    """
    import time

    build = load("build")
    started = time.perf_counter()
    site = build.build(tmp_path_factory.mktemp("web") / "site")
    seconds = time.perf_counter() - started
    httpd = load("serve").server(site, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/", seconds
    finally:
        httpd.shutdown()
        httpd.server_close()
