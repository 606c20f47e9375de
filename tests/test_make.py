"""The Makefile set-up: a too-old Python is refused in one line; the quiet install is announced."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _fake_python(folder: Path, version: tuple[int, int, int]) -> Path:
    """A script that answers like a Python of ``version`` and refuses to do anything else."""
    script = folder / f"python{version[0]}.{version[1]}"
    new_enough = int(version >= (3, 10, 0))
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        f"  *version_info*) echo {new_enough} ;;\n"
        f"  --version) echo 'Python {'.'.join(map(str, version))}' ;;\n"
        '  *) echo "fake python was asked to run: $*" >&2; exit 3 ;;\n'
        "esac\n"
    )
    script.chmod(0o755)
    return script


def _project_copy(tmp_path: Path) -> Path:
    """The Makefile and pyproject.toml alone in a fresh folder (no .venv yet)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, project / name)
    return project


@pytest.mark.parametrize("target", ["demo", "test"])
def test_a_too_old_python_is_refused_in_one_line(tmp_path: Path, target: str) -> None:
    """`make demo`/`make test` with Python 3.9 stop at once, saying 3.10 is needed, with no venv."""
    project = _project_copy(tmp_path)
    old = _fake_python(tmp_path, (3, 9, 18))
    result = subprocess.run(
        ["make", "-C", str(project), target, f"PYTHON={old}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    said = [line for line in (result.stdout + result.stderr).splitlines() if "3.10" in line]
    assert len(said) == 1
    assert "Python 3.9.18" in said[0]
    assert "PYTHON=" in said[0]  # how to choose another interpreter
    assert "fake python was asked" not in result.stderr  # no venv, no pip attempted
    assert not (project / ".venv").exists()


def test_the_silent_install_is_announced_first(tmp_path: Path) -> None:
    """Before the quiet pip install, make prints one line saying what it does and how long."""
    project = _project_copy(tmp_path)
    new = _fake_python(tmp_path, (3, 12, 1))
    result = subprocess.run(
        ["make", "-n", "-C", str(project), ".venv/.installed", f"PYTHON={new}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    announce = next(i for i, line in enumerate(lines) if "creating .venv and installing" in line)
    install = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert announce < install
    assert re.search(r"\d+ (s|min)|minute", lines[announce])  # and how long it takes


@pytest.mark.parametrize(
    ("target", "extras", "unwanted"),
    [("demo", "train", "dev"), ("test", "dev", None), ("docs", "viz,docs", "dev")],
)
def test_each_target_installs_only_what_it_needs(
    tmp_path: Path, target: str, extras: str, unwanted: str | None
) -> None:
    """`make demo` installs the train extra, not the developer tools; `make test` installs them."""
    project = _project_copy(tmp_path)
    new = _fake_python(tmp_path, (3, 12, 1))
    result = subprocess.run(
        ["make", "-n", "-C", str(project), target, f"PYTHON={new}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    installs = [line for line in lines if "pip install" in line]
    assert installs and all(f"-e '.[{extras}]'" in line for line in installs)
    if unwanted:
        assert not any(f"[{unwanted}" in line or f",{unwanted}" in line for line in installs)
    announce = next(i for i, line in enumerate(lines) if "installing backprop-lab" in line)
    assert announce < lines.index(installs[0])
    assert re.search(r"\d+ (s|min)|minute", lines[announce])  # says how long
