// The Web Worker that hosts Python: Pyodide (WebAssembly CPython), this repository's
// autodiff and nn from the wheel the build made, and the bridge playground.py. The pages
// post {id, method, args}; the answer is {id, ok} or {id, error}. Python runs here, off
// the page's thread, so a long training step never freezes the page.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const here = new URL("./", import.meta.url);

async function start() {
  const began = performance.now();
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", here).href });
  const python = performance.now();
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const wheels = await (await fetch(new URL("wheels/index.json", here))).json();
  for (const name of wheels) {
    const response = await fetch(new URL(`wheels/${name}`, here));
    if (!response.ok) throw new Error(`cannot load wheels/${name}: HTTP ${response.status}`);
    pyodide.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: sitePackages });
  }
  const bridge = await (await fetch(new URL("playground.py", here))).text();
  pyodide.FS.writeFile(`${sitePackages}/playground.py`, bridge);
  const handle = pyodide.pyimport("playground").handle;
  const version = pyodide.runPython("import sys; sys.version.split()[0]");
  const ready = performance.now();
  postMessage({
    ready: true,
    python: version,
    pyodide: pyodide.version,
    seconds: { runtime: (python - began) / 1000, packages: (ready - python) / 1000 },
  });
  return handle;
}

const handle = start();
handle.catch((error) => postMessage({ ready: false, error: String(error) }));

onmessage = async (event) => {
  const { id, method, args } = event.data;
  try {
    const answer = JSON.parse((await handle)(method, JSON.stringify(args ?? {})));
    postMessage({ id, ...answer });
  } catch (error) {
    // an unexpected Python exception: its last line names it (the traceback is in the console)
    console.error(error);
    const lines = String(error.message ?? error).trim().split("\n");
    postMessage({ id, error: lines[lines.length - 1] });
  }
};
