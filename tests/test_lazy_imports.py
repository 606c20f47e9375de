"""autodiff/__init__.py: the engine loads alone; the tools' names load on first use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import autodiff

ROOT = Path(__file__).resolve().parent.parent
# what using Value and backward() may load: the engine and nothing else
ENGINE = {
    "autodiff",
    "autodiff.value",
    "autodiff.ops",
    "autodiff.formula",
    "autodiff.graph",
    "autodiff.modes",
    "autodiff.anomaly",
    "autodiff.tape",
    "autodiff.algebra",
    "autodiff.primitive",
    "autodiff.checks",
}


def _loaded_after(code: str) -> list[str]:
    """The autodiff modules a fresh interpreter has loaded after running ``code``."""
    script = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'autodiff')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_value_and_backward_load_only_the_engine() -> None:
    """`from autodiff import Value` and a backward() load no drawing, explaining or CLI module."""
    loaded = _loaded_after(
        "from autodiff import Value\n"
        "a = Value(2.0, label='a'); y = (a * a + 1).tanh(); y.backward()\n"
        "assert a.grad != 0.0"
    )
    assert set(loaded) <= ENGINE, sorted(set(loaded) - ENGINE)
    assert "autodiff.value" in loaded


def test_a_tool_name_loads_its_module_on_first_use() -> None:
    """Using `autodiff.to_text` loads autodiff.viz.text (and what it needs), not the CLI."""
    loaded = _loaded_after("import autodiff\nautodiff.to_text(autodiff.Value(1.0) * 2)")
    assert "autodiff.viz.text" in loaded
    assert not [m for m in loaded if m.startswith("autodiff.cli")]
    assert "autodiff.viz.draw" not in loaded


def test_every_name_in_all_resolves_in_a_fresh_interpreter() -> None:
    """Each name of __all__ is an attribute of autodiff, and dir() lists it."""
    code = (
        "import autodiff\n"
        "missing = [n for n in autodiff.__all__ if getattr(autodiff, n, None) is None]\n"
        "assert not missing, missing\n"
        "assert set(autodiff.__all__) <= set(dir(autodiff))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_unknown_names_raise_attribute_error() -> None:
    """A name that is neither loaded nor in the table is an AttributeError naming it."""
    try:
        autodiff.no_such_name  # noqa: B018  # the attribute access is the test
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("autodiff.no_such_name did not raise AttributeError")


def test_gradcheck_stays_the_function_after_its_module_is_imported() -> None:
    """Importing the submodule first (a fresh interpreter) does not shadow the function."""
    code = (
        "from autodiff.gradient_check import GradcheckReport\n"
        "import autodiff\n"
        "assert callable(autodiff.gradcheck) and autodiff.gradcheck.__name__ == 'gradcheck'\n"
        "assert autodiff.GradcheckReport is GradcheckReport\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_version_is_the_distribution_version() -> None:
    """autodiff.__version__ is the version pyproject.toml states (read from the metadata)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert autodiff.__version__ == project["version"]
    assert "__version__" in dir(autodiff)


def _imported(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports (relative imports resolved)."""
    import ast

    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_imports_point_one_way() -> None:
    """The engine imports no tool and no nn; autodiff.viz never imports autodiff.cli."""
    entry = ("__init__.py", "__main__.py")  # the package face and the CLI entry point
    engine = [p for p in (ROOT / "autodiff").glob("*.py") if p.name not in entry]
    for path in engine:
        wrong = {m for m in _imported(path) if m.startswith(("autodiff.viz", "autodiff.cli", "nn"))}
        assert not wrong, f"{path.name} imports {sorted(wrong)}"
    for path in (ROOT / "autodiff" / "viz").glob("*.py"):
        wrong = {m for m in _imported(path) if m.startswith("autodiff.cli")}
        assert not wrong, f"viz/{path.name} imports {sorted(wrong)}"
    # the check itself sees relative imports: commands.py reaches viz through "..viz"
    assert "autodiff.viz.names" in _imported(ROOT / "autodiff" / "cli" / "commands.py")
