"""Build the browser playground into ``site/``: ``python web/build.py [--out DIR]`` (``make site``).

Everything the pages load ends up in the one folder, so it runs with no network:

* ``web/`` itself: the HTML pages, CSS, the JavaScript modules, the Web Worker and the
  Python bridge ``playground.py``;
* ``pyodide/``: the WebAssembly CPython and its standard library, from the pinned npm
  package ``pyodide`` (``npm ci`` from ``package-lock.json`` when ``node_modules`` is
  missing or older than the lock file);
* ``vendor/viz.js``: Graphviz compiled to WebAssembly, from the pinned ``@viz-js/viz``;
* ``wheels/``: this repository's ``autodiff`` and ``nn`` as a wheel built from the
  working tree (``pip wheel --no-deps .``) and the pure-Python ``graphviz`` package that
  ``draw_dot`` builds its DOT text with (``pip download``, pinned below); the worker
  unpacks them into Pyodide's ``site-packages``. ``wheels/index.json`` lists them.

The folder is built next to the target and renamed into place, so a failed build never
leaves half a site behind.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
GRAPHVIZ = "graphviz==0.21"  # the Python package (pure Python): only builds DOT text here
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
SOURCES = ("*.html", "*.css", "*.js", "playground.py")


def _run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def node_modules() -> Path:
    """``node_modules`` installed from the lock file (``npm ci``) unless already up to date."""
    modules = ROOT / "node_modules"
    stamp = modules / ".package-lock.json"  # npm writes it on every install
    lock = ROOT / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("build: npm is not installed (Debian: apt-get install nodejs npm)")
        _run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
    return modules


def build(out: Path) -> Path:
    """Write the site into ``out`` (replacing it); return ``out``."""
    modules = node_modules()
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for pattern in SOURCES:
        for source in sorted(WEB.glob(pattern)):
            shutil.copy2(source, staging / source.name)
    (staging / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        shutil.copy2(modules / "pyodide" / name, staging / "pyodide" / name)
    (staging / "vendor").mkdir()
    shutil.copy2(modules / "@viz-js" / "viz" / "dist" / "viz.js", staging / "vendor" / "viz.js")
    wheels = staging / "wheels"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    _run(*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    _run(
        *pip,
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--dest",
        str(wheels),
        GRAPHVIZ,
    )
    names = sorted(path.name for path in wheels.glob("*.whl"))
    (wheels / "index.json").write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    """The command line: build, then say where and how long it took."""
    parser = argparse.ArgumentParser(description="Build the browser playground.")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="default: site/")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = build(args.out.resolve())
    print(f"built {out} in {time.perf_counter() - started:.1f} s; serve it: make serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
