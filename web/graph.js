// DOT text (from autodiff.draw_dot(...).source in the worker) to an SVG, with viz.js:
// Graphviz compiled to WebAssembly, so the pictures are the ones the notebooks show.
import { instance } from "./vendor/viz.js";

const viz = instance();

// viz.js has no fonts: it sizes text with the metrics of the few families it knows (Times,
// Helvetica, Arial, Courier) and treats any other name, a list such as
// "Helvetica,Arial,sans-serif" included, as Times, which is narrower: the text then runs
// out of its box. Each font list is given to viz.js as its first family; the page shows it
// in that family or one with the same metrics (Liberation Sans for Helvetica and Arial).
const FONT_LIST = /fontname\s*=\s*"([^",]+),[^"]*"/g;

/** The DOT source with every font list replaced by its first family, which viz.js can size. */
export function measurable(dot) {
  return dot.replace(FONT_LIST, (_, first) => `fontname="${first.trim()}"`);
}

/** Replace the contents of `element` with the drawing of `dot`. */
export async function draw(element, dot) {
  const svg = (await viz).renderSVGElement(measurable(dot));
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.classList.add("graph");
  element.replaceChildren(svg);
  return svg;
}
