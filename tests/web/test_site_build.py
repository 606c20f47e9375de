"""web/build.py's pieces that need no browser: the Pyodide lock it writes, the drawing path in
Pyodide, and the size of the whole site."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from autodiff import Value, draw_dot
from tests.web.conftest import load


@pytest.fixture
def build() -> ModuleType:
    return load("build")


def fake_pyodide(tmp_path: Path, build: ModuleType, six_version: str) -> Path:
    """node_modules with a Pyodide whose lock knows six and numpy."""
    folder = tmp_path / "node_modules" / "pyodide"
    folder.mkdir(parents=True)
    for name in build.PYODIDE_FILES:
        (folder / name).write_text("runtime")
    entry = {"depends": [], "imports": [], "install_dir": "site", "package_type": "package"}
    lock = {
        "info": {"python": "3.14.2"},
        "packages": {
            "six": {**entry, "name": "six", "version": six_version, "sha256": "repacked"},
            "numpy": {**entry, "name": "numpy", "version": "2.0", "file_name": "numpy.whl"},
        },
    }
    (folder / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder.parent


def wheels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: ModuleType) -> Path:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "six-1.17.0-py2.py3-none-any.whl").write_bytes(b"six from the index")
    (cache / "comm-0.2.3-py3-none-any.whl").write_bytes(b"comm from the index")
    monkeypatch.setattr(build, "pinned_wheels", lambda: {"six": "1.17.0", "comm": "0.2.3"})
    empty = tmp_path / "kernel"
    empty.mkdir()
    monkeypatch.setattr(build, "kernel_pypi", lambda: empty)
    own = tmp_path / "backprop_lab-0.1.0-py3-none-any.whl"
    own.write_bytes(b"ours")
    return cache


def test_the_lock_lists_exactly_the_shipped_wheels_with_their_checksums(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: ModuleType
) -> None:
    """Pyodide's entries get the index's file and its sha256; unshipped entries are dropped."""
    modules = fake_pyodide(tmp_path, build, "1.17.0")
    cache = wheels(tmp_path, monkeypatch, build)
    target = tmp_path / "pyodide"
    build.pyodide_folder(modules, target, tmp_path / "backprop_lab-0.1.0-py3-none-any.whl", cache)
    packages = json.loads((target / "pyodide-lock.json").read_text())["packages"]
    assert sorted(packages) == ["backprop-lab", "comm", "six"]  # numpy: not shipped, not listed
    six = packages["six"]
    assert six["file_name"] == "six-1.17.0-py2.py3-none-any.whl"
    assert six["sha256"] == hashlib.sha256(b"six from the index").hexdigest()
    assert packages["backprop-lab"]["imports"] == ["autodiff", "nn", "course"]
    assert (target / six["file_name"]).read_bytes() == b"six from the index"


def test_a_pin_that_disagrees_with_pyodide_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: ModuleType
) -> None:
    """six pinned 1.17.0 but Pyodide's lock has 1.16.0: the message says which pin to write."""
    modules = fake_pyodide(tmp_path, build, "1.16.0")
    cache = wheels(tmp_path, monkeypatch, build)
    own = tmp_path / "backprop_lab-0.1.0-py3-none-any.whl"
    with pytest.raises(SystemExit, match=r"pin six==1\.16\.0"):
        build.pyodide_folder(modules, tmp_path / "pyodide", own, cache)


def test_the_pins_file_pins_every_line(build: ModuleType) -> None:
    """web/pyodide-wheels.txt: name==version on every line, graphviz and comm included."""
    pins = build.pinned_wheels()
    assert {"graphviz", "comm", "ipython", "micropip"} <= set(pins)
    assert all(version[0].isdigit() for version in pins.values())


def test_a_drawing_in_pyodide_is_laid_out_by_viz_js(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot start (Pyodide), the drawing is viz.js's SVG of its DOT text."""
    graphviz = pytest.importorskip("graphviz")
    from autodiff.viz import drawing

    def no_processes(*args: object, **kwargs: object) -> dict[str, str]:
        raise OSError(138, "emscripten does not support processes.")

    monkeypatch.setattr(graphviz.Digraph, "_repr_mimebundle_", no_processes)
    monkeypatch.setattr(drawing, "in_browser", lambda: True)
    monkeypatch.setattr(drawing, "render_svg", lambda source: f"<svg>{len(source)}</svg>")
    a = Value(2.0, label="a")
    picture = draw_dot(a * a)
    bundle = picture._repr_mimebundle_()
    assert bundle["image/svg+xml"] == f"<svg>{len(picture.source)}</svg>"
    assert bundle["text/plain"] == picture.summary
    monkeypatch.setattr(drawing, "in_browser", lambda: False)  # elsewhere: not ours to hide
    with pytest.raises(OSError, match="processes"):
        picture._repr_mimebundle_()


@pytest.mark.skipif(shutil.which("npm") is None, reason="Node.js and npm are not installed")
def test_the_site_is_at_most_60_mb(build: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole built site (labs, Pyodide, JupyterLite, notebooks) fits in 60 MB."""
    pytest.importorskip("jupyterlite_core", reason="the site extra is not installed")
    site, _ = build.cached_build()
    sizes = {}
    for top in site.iterdir():
        files = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()]
        sizes[top.name] = sum(p.stat().st_size for p in files)
    total = sum(sizes.values())
    biggest = ", ".join(
        f"{k} {v / 1e6:.1f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
    )
    with capsys.disabled():
        print(f"\n[site] size {total / 1e6:.1f} MB ({biggest} MB); {os.cpu_count()} cores")
    assert total <= 60e6


def test_notebook_titles_are_escaped_html(build: ModuleType) -> None:
    """A heading's `code` becomes <code>; anything else that looks like markup is escaped."""
    assert build._inline_code("The `Value` engine <b>") == "The <code>Value</code> engine &lt;b&gt;"


def test_the_landing_page_links_the_docs_when_built(tmp_path: Path, build: ModuleType) -> None:
    """With make docs' output the page links docs/index.html (copied in), else the README."""
    docs = tmp_path / "site-docs"
    docs.mkdir()
    (docs / "index.html").write_text("<h1>docs</h1>")
    with_docs = tmp_path / "a"
    with_docs.mkdir()
    build.landing(with_docs, docs)
    page = (with_docs / "index.html").read_text()
    assert 'href="docs/index.html"' in page and (with_docs / "docs" / "index.html").exists()
    assert page.count("lite/notebooks/index.html?path=") == 13
    without = tmp_path / "b"
    without.mkdir()
    build.landing(without, tmp_path / "missing")
    assert 'href="README.md"' in (without / "index.html").read_text()
    assert (without / "README.md").exists()
