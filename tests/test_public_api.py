"""The public surface of autodiff: __all__ is honest, documented, typed and dependency-free."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import autodiff
import nn

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict[str, Any]:
    """pyproject.toml parsed (tomllib is in the standard library from Python 3.11)."""
    tomllib = pytest.importorskip("tomllib")
    parsed: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return parsed


PACKAGES = {"autodiff": autodiff, "nn": nn}
# functions and classes; constants (a tuple of names, say) are documented where defined
EXPORTS = [
    (package, name)
    for package, module in PACKAGES.items()
    for name in module.__all__
    if callable(getattr(module, name, None)) or not hasattr(module, name)
]


def test_autodiff_exports_are_sorted() -> None:
    """autodiff.__all__ lists each name once, in sorted order."""
    assert autodiff.__all__ == sorted(set(autodiff.__all__))


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_exists(package: str) -> None:
    """Each name in the package's __all__ is an attribute of it, listed once."""
    module = PACKAGES[package]
    assert len(module.__all__) == len(set(module.__all__))
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


@pytest.mark.parametrize(("package", "name"), EXPORTS)
def test_every_exported_name_has_a_docstring(package: str, name: str) -> None:
    """Each export, and each public method of an exported class, says what it computes."""
    obj = getattr(PACKAGES[package], name)
    assert inspect.getdoc(obj), name
    if inspect.isclass(obj):
        for attribute, member in vars(obj).items():
            if attribute.startswith("_") or not callable(member):
                continue
            assert inspect.getdoc(member), f"{name}.{attribute}"


def test_no_module_is_named_like_a_public_name() -> None:
    """autodiff.gradcheck is the function, its module autodiff.gradient_check: no name is both.

    A module named like a function it exports (the old ``gradcheck.py``) is shadowed by the
    function or shadows it, depending on import order; none of the package's modules is.
    """
    from autodiff.gradient_check import GradcheckReport

    assert callable(autodiff.gradcheck) and autodiff.gradcheck.__name__ == "gradcheck"
    assert GradcheckReport is autodiff.GradcheckReport
    package = ROOT / "autodiff"
    modules = {p.stem for p in package.glob("*.py")} | {
        p.name for p in package.iterdir() if (p / "__init__.py").is_file()
    }
    assert not modules & set(autodiff.__all__)


def test_py_typed_is_shipped() -> None:
    """Both packages carry the PEP 561 marker and are the wheel's packages."""
    assert (ROOT / "autodiff" / "py.typed").is_file()
    assert (ROOT / "nn" / "py.typed").is_file()
    config = _pyproject()
    packages = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert set(packages) >= {"autodiff", "nn"}


def test_engine_has_no_runtime_dependencies() -> None:
    """Importing autodiff pulls in no third-party module, and the project declares none."""
    code = (
        "import sys, autodiff; "
        "print(sorted(m for m in ('numpy', 'sympy', 'graphviz', 'micrograd') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
    config = _pyproject()
    assert config["project"]["dependencies"] == []


def test_readme_engine_example_runs_and_prints_what_it_says() -> None:
    """The engine page's first example prints the output written in its comments."""
    readme = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: engine -->")[1].split("<!-- /section: engine -->")[0]
    code = section.split("```python\n")[1].split("```")[0]
    expected = [line.split("# ", 1)[1] for line in code.splitlines() if line.startswith("# ")] + [
        "True"
    ]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.splitlines() == expected


def test_readme_micrograd_port_prints_micrograd_numbers() -> None:
    """The README's ported micrograd example prints its comments' numbers, as micrograd does."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("Coming from micrograd?")[1].split("```python\n")[1].split("```")[0]
    promised = [line.split("# ")[1].split(",")[0] for line in code.splitlines() if "print(" in line]
    original = code.replace("from autodiff import Value", "from micrograd.engine import Value")
    outputs = [
        subprocess.run(
            [sys.executable, "-c", source], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
        for source in (code, original)
    ]
    assert outputs[0] == outputs[1] == promised
