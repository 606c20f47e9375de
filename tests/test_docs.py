"""The documentation: its examples run, its links resolve, it builds, its pictures are current.

Every ```python block of README.md and docs/*.md runs in a fresh interpreter in a temporary
folder; every relative link of those pages names a file (and heading) that exists;
`mkdocs build --strict` succeeds; and each committed picture is what docs/draw_pictures.py and
docs/make_player.py draw today (`make pictures` redraws them).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _blocks() -> list[tuple[str, str]]:
    """(id, code) of every Python block, the id naming its page and its number on the page."""
    found = []
    for page in PAGES:
        for k, code in enumerate(_BLOCK.findall(page.read_text(encoding="utf-8")), start=1):
            found.append((f"{page.relative_to(ROOT)}:{k}", code))
    return found


def _needs(code: str) -> str | None:
    """Why a block cannot run on this machine (a missing optional tool), or None."""
    if (
        re.search(r"^import torch|^from torch", code, re.M)
        and importlib.util.find_spec("torch") is None
    ):
        return "PyTorch is not installed (pip install torch==2.13.0)"
    if re.search(r"\brender\(|\.pipe\(", code) and shutil.which("dot") is None:
        return "the Graphviz dot program is missing"
    return None


@pytest.mark.parametrize(("where", "code"), _blocks(), ids=[where for where, _ in _blocks()])
def test_every_python_block_runs(where: str, code: str, tmp_path: Path) -> None:
    """A Python block of the README or a docs page runs without error, in a temporary folder."""
    reason = _needs(code)
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, f"{where} failed:\n{result.stderr[-3000:]}"


def _slug(heading: str) -> str:
    """The anchor MkDocs (and GitHub) give a heading: lower case, punctuation dropped."""
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s+", "-", text)


def _anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page (outside code blocks)."""
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def test_every_relative_link_names_a_file_that_exists() -> None:
    """Links between pages and to the repository's files resolve, headings included."""
    broken = []
    for page in PAGES:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):  # https:, mailto: ...: not checked offline
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []


def test_readme_fits_a_screen_of_bytes() -> None:
    """The README stays an entrance (at most 10 KB); the rest belongs in docs/."""
    assert len((ROOT / "README.md").read_bytes()) <= 10_000


def test_every_page_is_in_the_navigation() -> None:
    """mkdocs.yml lists every page of docs/, so none is built but unreachable."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert [p for p in pages if f": {p}" not in config] == []


@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mkdocs", "material", "mkdocstrings")),
    reason="the docs extra is not installed (pip install '.[docs]')",
)
def test_the_documentation_builds_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict` succeeds (API reference included) and writes every page."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("index.html", "engine/index.html", "api/autodiff/index.html"):
        assert (tmp_path / page).is_file()
    api = (tmp_path / "api" / "autodiff" / "index.html").read_text(encoding="utf-8")
    assert 'id="autodiff.Value.backward"' in api  # generated from the docstrings


def _script(name: str) -> ModuleType:
    """One of the scripts in docs/ that make the pictures, imported from its file."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_VERSION = re.compile(r"<!-- Generated by graphviz version ([^\n]*)\n -->\n")


def _normalised(text: str) -> str:
    """Picture text without Graphviz's version line and trailing blanks."""
    return "\n".join(line.rstrip() for line in _VERSION.sub("", text).splitlines())


def _same_graphviz(committed: str) -> None:
    """Skip when the committed file was laid out by another Graphviz (other coordinates)."""
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True).stderr
    found = _VERSION.search(committed)
    if found and found.group(1).strip() not in dot:
        pytest.skip(f"committed with Graphviz {found.group(1).strip()}, here: {dot.strip()}")


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is missing")
@pytest.mark.parametrize("script", ["draw_pictures", "make_player"])
def test_committed_pictures_are_what_the_code_draws(script: str, tmp_path: Path) -> None:
    """Each committed picture equals a fresh drawing of it: `make pictures` after a change."""
    pytest.importorskip("graphviz")
    module = _script(script)
    if script == "make_player":
        written = module.write(tmp_path, screenshots=False)
    else:
        written = module.write(tmp_path)
    assert written
    stale = []
    for fresh in written:
        committed = (DOCS / fresh.name).read_text(encoding="utf-8")
        _same_graphviz(committed)
        if _normalised(fresh.read_text(encoding="utf-8")) != _normalised(committed):
            stale.append(fresh.name)
    assert stale == [], f"run `make pictures` and commit: {stale} differ from what the code draws"
