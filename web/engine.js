// The page's side of the worker: call(method, args) returns a promise of the answer.
// A call made before Python has started waits for it; calls run in order, one at a time.

const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 1;
let readyResolve, readyReject;

/** Resolves with {python, pyodide, seconds} once Python and the packages are loaded. */
export const ready = new Promise((resolve, reject) => {
  readyResolve = resolve;
  readyReject = reject;
});

worker.onmessage = (event) => {
  const message = event.data;
  if ("ready" in message) {
    if (message.ready) readyResolve(message);
    else readyReject(new Error(message.error));
    return;
  }
  const { resolve, reject } = pending.get(message.id);
  pending.delete(message.id);
  if ("error" in message) reject(new EngineError(message.error));
  else resolve(message.ok);
};
worker.onerror = (event) => readyReject(new Error(event.message || "the worker failed to start"));

/** An answer the Python side refused, with its one-line message. */
export class EngineError extends Error {}

/** Run a bridge method (see playground.py's METHODS) in the worker. */
export function call(method, args = {}) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args });
  });
}

/** Show start-up progress in the element #status until Python is ready. */
export function showStartup(status) {
  const began = performance.now();
  status.textContent = "starting Python in your browser (Pyodide)…";
  ready.then(
    (info) => {
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      status.textContent = `Python ${info.python} (Pyodide ${info.pyodide}) ready in ${seconds} s`;
      status.dataset.ready = "true";
    },
    (error) => {
      status.textContent = `Python failed to start: ${error.message}`;
      status.classList.add("error");
    },
  );
}
