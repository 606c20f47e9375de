// DOT text (from autodiff.draw_dot(...).source in the worker) to an SVG, with viz.js:
// Graphviz compiled to WebAssembly, so the pictures are the ones the notebooks show.
import { instance } from "./vendor/viz.js";

const viz = instance();

/** Replace the contents of `element` with the drawing of `dot`. */
export async function draw(element, dot) {
  const svg = (await viz).renderSVGElement(dot);
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.classList.add("graph");
  element.replaceChildren(svg);
  return svg;
}
