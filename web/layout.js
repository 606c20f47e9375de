// The expression lab's layout worker: Graphviz (viz.js, WebAssembly) turns DOT into SVG
// text here, off the page's thread. A big expression's layout can take many seconds;
// meanwhile the page keeps answering slider moves and only the picture waits.
// The page posts {id, dot}; the answer is {id, svg} or {id, error}.
import { measurable } from "./graph.js"; // font lists viz.js can size (its other import is idle here)
import { instance } from "./vendor/viz.js";

const viz = instance();

onmessage = async (event) => {
  const { id, dot } = event.data;
  try {
    postMessage({ id, svg: (await viz).renderString(measurable(dot), { format: "svg" }) });
  } catch (error) {
    postMessage({ id, error: String(error.message ?? error) });
  }
};
