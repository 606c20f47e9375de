"""Build the course's static site into ``site/``: ``python web/build.py [--out DIR]``.

``make site`` runs it.

Everything the pages load ends up in the one folder, so it runs with no network:

* ``index.html``: the landing page (``web/index.html`` with the list of notebooks filled in);
* the two labs: ``web/``'s HTML pages, CSS, JavaScript modules, the Web Worker and the Python
  bridge ``playground.py``; ``wheels/``: this repository's wheel (``autodiff``, ``nn``,
  ``course``, built from the working tree) and ``graphviz``, which the labs' worker unpacks;
* ``pyodide/``: one WebAssembly CPython for the labs and the notebooks, from the pinned npm
  package ``pyodide`` (``npm ci`` from ``package-lock.json``), with the pure-Python wheels
  the Jupyter kernel needs (``web/pyodide-wheels.txt``, from the package index), the
  kernel's own wheels (from ``jupyterlite-pyodide-kernel``) and this repository's wheel. Its
  ``pyodide-lock.json`` is rewritten to list exactly those files with their checksums, so
  ``import autodiff`` loads the project and ``import numpy`` fails at once instead of asking
  another host;
* ``vendor/viz.js``: Graphviz compiled to WebAssembly, from the pinned ``@viz-js/viz``;
* ``lite/``: JupyterLite (``jupyterlite-core`` and ``jupyterlite-pyodide-kernel``, the
  ``site`` extra) holding the 13 notebooks, its kernel preloading the project's wheel;
* ``docs/``: the documentation, when ``make docs`` has built it (``--docs DIR``, default
  ``site-docs``, where ``make docs`` writes it); otherwise the landing page links to
  ``README.md``, copied in.

JupyterLite is built from scratch in a temporary folder every time (its build cache once
dropped a setting on a rebuild). The folder is built next to the target and renamed into
place, so a failed build never leaves half a site behind. ``cached_build`` reuses a build
whose inputs have not changed (the tests use it).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
NOTEBOOKS = ROOT / "notebooks"
KERNEL_WHEELS = WEB / "pyodide-wheels.txt"
DOCS = ROOT / "site-docs"  # where `make docs` (MkDocs) writes the documentation
WHEEL_CACHE = ROOT / "build" / "wheels"
# Packages the notebook kernel loads when it starts, from pyodide/pyodide-lock.json. Naming
# the kernel's own packages here also stops it from installing them one by one with piplite.
PRELOAD = (
    "micropip",
    "piplite",
    "pyodide-kernel",
    "ipykernel",
    "comm",
    "jedi",
    "ipython",
    "backprop-lab",
    "graphviz",
)
# Lock entries for the wheels Pyodide's lock does not know: name -> (imports, depends)
EXTRA_ENTRIES = {
    "comm": (["comm"], []),
    "graphviz": (["graphviz"], []),
    "piplite": (["piplite"], ["micropip"]),
    "pyodide-kernel": (["pyodide_kernel"], ["comm", "ipython"]),
    "ipykernel": (["ipykernel"], ["pyodide-kernel"]),
    "backprop-lab": (["autodiff", "nn", "course"], []),
}
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
SOURCES = ("*.html", "*.css", "*.js", "playground.py")
LANDING = "index.html"


def _run(*command: str, cwd: Path = ROOT) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, check=True)


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


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_wheels() -> dict[str, str]:
    """``web/pyodide-wheels.txt`` as {normalised name: version}."""
    pins = {}
    for line in KERNEL_WHEELS.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            if not version:
                raise SystemExit(f"build: {KERNEL_WHEELS.name}: pin {line!r} as name==version")
            pins[_normal(name)] = version.strip()
    return pins


def download_wheels(pins: dict[str, str], cache: Path) -> dict[str, Path]:
    """The pinned wheels from the package index (kept in ``cache``): {name: file}."""
    cache.mkdir(parents=True, exist_ok=True)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    found = {}
    missing = []
    for name, version in pins.items():
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        hits = [p for p in cache.glob("*.whl") if _normal(p.name.split("-")[0]) == name]
        hits = [p for p in hits if p.name.split("-")[1] == version] or list(cache.glob(pattern))
        if hits:
            found[name] = hits[0]
        else:
            missing.append(f"{name}=={version}")
    if missing:
        # pure-Python wheels for the browser's CPython 3.14, whatever Python runs the build
        _run(
            *pip,
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.14",
            "--dest",
            str(cache),
            *missing,
        )
        return download_wheels(pins, cache)
    return found


def kernel_pypi() -> Path:
    """The folder of wheels ``jupyterlite-pyodide-kernel`` ships (piplite, pyodide-kernel …)."""
    share = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    folder = share / "@jupyterlite" / "pyodide-kernel-extension" / "static" / "pypi"
    if not folder.is_dir():
        raise SystemExit(
            "build: jupyterlite-pyodide-kernel is not installed: pip install -e '.[site]'"
        )
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pyodide_folder(modules: Path, target: Path, own_wheel: Path, cache: Path) -> None:
    """Pyodide's runtime, the wheels the site's Python loads, and a lock listing exactly them."""
    target.mkdir()
    for name in PYODIDE_FILES:
        if name != "pyodide-lock.json":
            shutil.copy2(modules / "pyodide" / name, target / name)
    lock = json.loads((modules / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    given = lock["packages"]
    pins = pinned_wheels()
    files = download_wheels(pins, cache)
    for wheel in sorted(kernel_pypi().glob("*.whl")):
        name = _normal(wheel.name.split("-")[0])
        if name in EXTRA_ENTRIES and not name.startswith("widgets"):
            files[name] = wheel
    files["backprop-lab"] = own_wheel
    packages = {}
    for name, wheel in sorted(files.items()):
        version = wheel.name.split("-")[1]
        if name in given:
            entry = dict(given[name])
            if entry["version"] != version:
                raise SystemExit(
                    f"build: {KERNEL_WHEELS.name} pins {name}=={version} but Pyodide's lock "
                    f"has {entry['version']}: pin {name}=={entry['version']}"
                )
        elif name in EXTRA_ENTRIES:
            imports, depends = EXTRA_ENTRIES[name]
            entry = {
                "name": name,
                "version": version,
                "imports": imports,
                "depends": depends,
                "install_dir": "site",
                "package_type": "package",
                "unvendored_tests": False,
            }
        else:
            raise SystemExit(f"build: {name} is in neither Pyodide's lock nor EXTRA_ENTRIES")
        shutil.copy2(wheel, target / wheel.name)
        # the package index's file, not the one Pyodide repacked: its own checksum
        entry.update(file_name=wheel.name, sha256=_sha256(wheel))
        packages[name] = entry
    for name, entry in packages.items():
        unknown = [d for d in entry["depends"] if _normal(d) not in packages]
        if unknown:
            raise SystemExit(f"build: {name} depends on {unknown}, which the site does not ship")
    lock["packages"] = packages
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n", "utf-8")


def notebook_titles() -> list[tuple[str, str]]:
    """(file name, title) of every notebook, in teaching order; the title is its first heading."""
    titles = []
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        title = notebook.stem
        for cell in cells:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
                if heading:
                    title = heading.group(1).strip()
                    break
        titles.append((notebook.name, title))
    return titles


def jupyterlite(staging: Path, work: Path) -> None:
    """JupyterLite with the notebooks into ``staging/lite``; its kernel uses ``staging/pyodide``."""
    lite = work / "lite"
    (lite / "files").mkdir(parents=True)
    for notebook, _ in notebook_titles():
        shutil.copy2(NOTEBOOKS / notebook, lite / "files" / notebook)
    settings = {
        # one Pyodide for the labs and the notebooks; resolved against the page's address,
        # and every JupyterLite page (lite/lab/, lite/notebooks/ …) is one folder deep
        "pyodideUrl": "../../pyodide/pyodide.mjs",
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": list(PRELOAD)},
    }
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "backprop-lab",
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": settings},
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=1), "utf-8")
    share = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    lite_cli = Path(sys.executable).with_name("jupyter-lite")
    if not lite_cli.exists():
        raise SystemExit("build: jupyterlite-core is not installed: pip install -e '.[site]'")
    _run(
        str(lite_cli),
        "build",
        "--lite-dir",
        str(lite),
        "--contents",
        str(lite / "files"),
        "--output-dir",
        str(staging / "lite"),
        "--no-sourcemaps",
        "--no-unused-shared-packages",
        # only the kernel's extension: not every JupyterLab extension in this environment
        "--ignore-sys-prefix",
        "--LiteBuildConfig.federated_extensions",
        str(share / "@jupyterlite" / "pyodide-kernel-extension"),
        cwd=work,  # its build database (.jupyterlite.doit.db) goes there, and is thrown away
    )
    written = json.loads((staging / "lite" / "jupyter-lite.json").read_text("utf-8"))
    kernel = written["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"
    ]
    if (
        kernel.get("disablePyPIFallback") is not True
        or kernel.get("pyodideUrl") != (settings["pyodideUrl"])
    ):
        raise SystemExit(f"build: JupyterLite's jupyter-lite.json lost our settings: {kernel}")


def _inline_code(markdown: str) -> str:
    """A heading's text as HTML: escaped, with Markdown's `code` spans as <code>."""
    parts = html.escape(markdown).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def landing(staging: Path, docs: Path) -> None:
    """``index.html`` with the notebooks listed and the documentation linked."""
    items = "\n".join(
        f'      <li><a href="lite/notebooks/index.html?path={html.escape(name)}">'
        f"{_inline_code(title)}</a></li>"
        for name, title in notebook_titles()
    )
    if (docs / "index.html").exists():
        shutil.copytree(docs, staging / "docs")
        link = '<a href="docs/index.html">the documentation</a>'
    else:
        shutil.copy2(ROOT / "README.md", staging / "README.md")
        link = '<a href="README.md">the README</a> (the documentation is not built in)'
    page = (WEB / LANDING).read_text(encoding="utf-8")
    for marker, text in (("<!-- notebooks -->", items), ("<!-- docs -->", link)):
        if marker not in page:
            raise SystemExit(f"build: web/{LANDING} has no {marker} to fill in")
        page = page.replace(marker, text)
    (staging / LANDING).write_text(page, encoding="utf-8")


def build(out: Path, *, docs: Path = DOCS, cache: Path = WHEEL_CACHE) -> Path:
    """Write the site into ``out`` (replacing it); return ``out``."""
    modules = node_modules()
    staging = out.with_name(out.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for pattern in SOURCES:
        for source in sorted(WEB.glob(pattern)):
            if source.name != LANDING:
                shutil.copy2(source, staging / source.name)
    (staging / "vendor").mkdir()
    shutil.copy2(modules / "@viz-js" / "viz" / "dist" / "viz.js", staging / "vendor" / "viz.js")
    wheels = staging / "wheels"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    _run(*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    own = next(wheels.glob("backprop_lab-*.whl"))
    graphviz = download_wheels({"graphviz": pinned_wheels()["graphviz"]}, cache)["graphviz"]
    shutil.copy2(graphviz, wheels / graphviz.name)
    names = sorted(path.name for path in wheels.glob("*.whl"))
    (wheels / "index.json").write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
    pyodide_folder(modules, staging / "pyodide", own, cache)
    with tempfile.TemporaryDirectory(prefix="backprop-lab-lite-") as work:
        jupyterlite(staging, Path(work))
    landing(staging, docs)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def inputs_key(docs: Path = DOCS) -> str:
    """A hash of everything the site is built from (sources, notebooks, locks, pins)."""
    digest = hashlib.sha256()
    paths = [ROOT / "package-lock.json", ROOT / "pyproject.toml", ROOT / "README.md"]
    for folder, pattern in (
        (WEB, "*"),
        (NOTEBOOKS, "*.ipynb"),
        (ROOT / "autodiff", "**/*.py"),
        (ROOT / "nn", "**/*.py"),
        (ROOT / "course", "**/*.py"),
        (docs, "**/*"),
    ):
        paths += sorted(p for p in folder.glob(pattern) if p.is_file())
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def cached_build(cache: Path | None = None) -> tuple[Path, float]:
    """The site built into a temporary cache folder keyed on its inputs: (folder, build seconds).

    A second call with unchanged inputs returns the same folder and 0 seconds.
    """
    cache = cache or Path(tempfile.gettempdir()) / "backprop-lab-site"
    out = cache / inputs_key() / "site"
    if (out / LANDING).exists():
        return out, 0.0
    started = time.perf_counter()
    build(out, cache=cache / "wheels")
    return out, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """The command line: build, then say where and how long it took."""
    parser = argparse.ArgumentParser(description="Build the course's static site.")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="default: site/")
    parser.add_argument("--docs", type=Path, default=DOCS, help="built docs (default: site-docs)")
    parser.add_argument(
        "--cache", action="store_true", help="build into the tests' cache (unless up to date)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.cache:
        out, seconds = cached_build()
        state = f"built in {seconds:.1f} s" if seconds else "up to date"
        print(f"site in {out} ({state})")
        return 0
    out = build(args.out.resolve(), docs=args.docs.resolve())
    print(f"built {out} in {time.perf_counter() - started:.1f} s; serve it: make serve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
