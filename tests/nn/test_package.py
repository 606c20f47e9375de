"""The distribution around nn: the version, the licence file the metadata promises."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

import nn

ROOT = Path(__file__).resolve().parents[2]


def test_version_comes_from_the_package_metadata() -> None:
    """nn.__version__ is the installed distribution's version (pyproject's)."""
    assert nn.__version__ == metadata.version("backprop-lab")
    assert nn.__version__.count(".") >= 2


def test_version_falls_back_without_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    """From a source tree that was never installed, the version says it is unknown."""

    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert nn._version() == "0+unknown"


def test_the_licence_file_matches_the_metadata() -> None:
    """LICENSE is the MIT licence the metadata names, held by the backprop-lab authors."""
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Copyright (c)" in text and "the backprop-lab authors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text()
