// The expression lab: an expression and one slider per name, drawn by the real engine.
// State lives in the URL (?expr=tanh(a*b+c)&a=2&b=-3&c=10&formulas=1) so a link reopens it.
import { call, ready, showStartup } from "./engine.js";
import { zoomable } from "./zoom.js";

const $ = (id) => document.getElementById(id);
const input = $("expression");
const form = $("form");
const errorLine = $("error");
const leavesTable = $("leaves");
const graph = $("graph");
const text = $("text");
const formulas = $("formulas");
const explainLeaf = $("explain-leaf");
const buttons = ["step", "backward", "explain"].map($);
const graphStatus = $("graph-status");

let values = {}; // name -> number, what the sliders show
let output = "out";
let busy = false; // one request at a time; slider moves made meanwhile are sent after it
let pendingValues = null;
let pictureStale = false; // the numbers moved on since the picture's DOT was written
let firstGraph = true;
let fromURLValues = fromURL(); // the numbers the link gave, used by the first build

// The query read by hand, not with URLSearchParams: that turns a literal "+" into a space,
// and links people type or copy from the docs (?expr=tanh(a*b+c)) mean a plus.
function queryPairs(search) {
  const pairs = [];
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const at = part.indexOf("=");
    const [key, value] = at < 0 ? [part, ""] : [part.slice(0, at), part.slice(at + 1)];
    pairs.push([decode(key), decode(value)]);
  }
  return pairs;
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray "%": the text as written, which Python then refuses by name
  }
}

function fromURL() {
  const query = queryPairs(location.search);
  const get = (key) => query.find(([k]) => k === key)?.[1];
  const expr = get("expr");
  if (expr !== undefined) input.value = expr;
  formulas.checked = get("formulas") === "1";
  // the text as the link has it ("Infinity", "", "abc"): Python parses it as the CLI
  // does and names the field in its refusal, instead of a number that JSON turns to null
  const given = {};
  for (const [key, value] of query) {
    if (key !== "expr" && key !== "formulas") given[key] = value;
  }
  return given;
}

function toURL() {
  // encodeURIComponent writes "+" as %2B and a space as %20, and leaves ( ) * readable
  const pairs = [["expr", input.value], ...Object.entries(values).map(([k, v]) => [k, String(v)])];
  if (formulas.checked) pairs.push(["formulas", "1"]);
  const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  history.replaceState(null, "", `?${search.join("&")}`);
}

function showError(message) {
  errorLine.textContent = message ? `error: ${message}` : "";
}

// The picture is laid out in its own worker (layout.js), never on this thread: show()
// updates the numbers at once and hands the DOT over. While a layout runs, newer DOT
// waits and only the newest is drawn; a layout that has run for more than a second is
// abandoned (the worker restarted) when newer DOT arrives, its picture already stale.
const LAYOUT_PATIENCE_MS = 1000;
let layout = null; // the worker
let layoutJob = null; // {id, dot, began, resolve} of the layout in flight
let waitingDot = null; // the newest DOT not yet sent
let nextLayoutId = 1;
let drawnVersion = 0;

function startLayoutWorker() {
  layout = new Worker(new URL("./layout.js", import.meta.url), { type: "module" });
  layout.onmessage = (event) => {
    const job = layoutJob;
    if (!job || event.data.id !== job.id) return;
    layoutJob = null;
    if ("svg" in event.data) placePicture(event.data.svg, job);
    else showError(`drawing: ${event.data.error}`);
    sendLayout();
    pump(); // newer numbers may wait for their picture
  };
}

function placePicture(svgText, job) {
  const svg = new DOMParser().parseFromString(svgText, "image/svg+xml").documentElement;
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.classList.add("graph");
  const placed = document.importNode(svg, true);
  graph.replaceChildren(placed);
  zoomable(graph, placed); // the player's zoom and pan, readable text
  graph.dataset.version = String(++drawnVersion);
  graph.dataset.redrawMs = (performance.now() - job.began).toFixed(1); // layout only
  if (!waitingDot) graphStatus.textContent = "";
  if (firstGraph) {
    firstGraph = false;
    firstGraphShown();
  }
}

function sendLayout() {
  if (!waitingDot || layoutJob) return;
  const { dot, nodes } = waitingDot;
  waitingDot = null;
  layoutJob = { id: nextLayoutId++, began: performance.now() };
  if (nodes > 100) graphStatus.textContent = `laying out ${nodes} nodes in the background…`;
  layout.postMessage({ id: layoutJob.id, dot });
}

function redraw(dot, nodes) {
  waitingDot = { dot, nodes };
  if (layoutJob && performance.now() - layoutJob.began > LAYOUT_PATIENCE_MS) {
    layout.terminate(); // its answer would be stale: start the newest layout instead
    layoutJob = null;
    startLayoutWorker();
  }
  sendLayout();
}

async function firstGraphShown() {
  const seconds = performance.now() / 1000; // since the navigation started
  document.body.dataset.firstGraphSeconds = seconds.toFixed(2);
  const info = await ready; // how the start-up divides: the runtime, then our packages
  document.body.dataset.runtimeSeconds = info.seconds.runtime.toFixed(2);
  document.body.dataset.packagesSeconds = info.seconds.packages.toFixed(2);
  $("status").textContent += ` · first graph ${seconds.toFixed(1)} s after opening the page`;
}

function show(state, stepText) {
  output = state.output;
  for (const leaf of state.leaves) {
    const cell = document.getElementById(`grad-${leaf.name}`);
    if (cell) cell.textContent = `∂${output}/∂${leaf.name} = ${leaf.grad_text}`;
  }
  $("step-count").textContent = state.stepping
    ? `backward step ${state.step_done} of ${state.step_total}`
    : `${output} = ${state.data_text}`;
  text.textContent = stepText ?? "";
  if (state.dot !== undefined) {
    pictureStale = false;
    redraw(state.dot, state.nodes);
  }
}

function sliderRange(value) {
  const reach = Math.max(5, Math.ceil(Math.abs(value) * 2));
  return [-reach, reach];
}

function buildSliders(leaves, constants) {
  leavesTable.replaceChildren();
  explainLeaf.replaceChildren();
  const head = leavesTable.insertRow();
  for (const title of ["input", "slide", "value", "gradient"]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.appendChild(th);
  }
  for (const leaf of leaves) {
    const row = leavesTable.insertRow();
    row.insertCell().textContent = leaf.name;
    const [low, high] = sliderRange(leaf.data);
    const slider = Object.assign(document.createElement("input"), {
      type: "range", min: low, max: high, step: 0.01, value: leaf.data, id: `slider-${leaf.name}`,
    });
    const box = Object.assign(document.createElement("input"), {
      type: "number", step: "any", value: leaf.data, id: `value-${leaf.name}`,
    });
    slider.setAttribute("aria-label", `${leaf.name} slider`);
    box.setAttribute("aria-label", `${leaf.name} value`);
    row.insertCell().appendChild(slider);
    row.insertCell().appendChild(box);
    const grad = row.insertCell();
    grad.id = `grad-${leaf.name}`;
    grad.className = "grad";
    slider.addEventListener("input", () => {
      box.value = slider.value;
      changed(leaf.name, Number(slider.value));
    });
    box.addEventListener("change", () => {
      // the text as typed: Python refuses "", "1e999" or "abc" naming the field, as the CLI
      if (Number.isFinite(Number(box.value)) && box.value.trim() !== "") slider.value = box.value;
      changed(leaf.name, box.value);
    });
    explainLeaf.appendChild(new Option(leaf.name, leaf.name));
  }
  for (const constant of constants ?? []) {
    // marked "const" after ";": a fixed number, no slider and no gradient
    const row = leavesTable.insertRow();
    row.id = `constant-${constant.name}`;
    row.insertCell().textContent = constant.name;
    row.insertCell().textContent = "constant";
    row.insertCell().textContent = constant.data_text;
    row.insertCell().textContent = "—";
  }
}

async function request(method, args) {
  busy = true;
  try {
    return await call(method, { formulas: formulas.checked, ...args });
  } finally {
    busy = false;
    queueMicrotask(pump); // slider moves made meanwhile, or a stale picture
  }
}

async function build() {
  const given = { ...values, ...fromURLValues };
  fromURLValues = {};
  try {
    const state = await request("expression.build", { expression: input.value, values: given });
    showError("");
    values = Object.fromEntries(state.leaves.map((leaf) => [leaf.name, leaf.data]));
    buildSliders(state.leaves, state.constants);
    buttons.forEach((button) => (button.disabled = false));
    toURL();
    show(state);
  } catch (error) {
    showError(error.message);
    buttons.forEach((button) => (button.disabled = true));
    leavesTable.replaceChildren();
    explainLeaf.replaceChildren();
    $("step-count").textContent = ""; // the old graph's "out = …" is not this expression's
    waitingDot = null;
    pictureStale = false;
    layoutJob = null; // a layout still running is for the old expression: its answer is dropped
    graphStatus.textContent = "";
    graph.replaceChildren();
    text.textContent = "";
  }
}

function changed(name, value) {
  values[name] = value;
  pendingValues = { ...(pendingValues ?? {}), [name]: value };
  pump();
}

// One request at a time. Slider values first: Python answers them without the DOT (the
// numbers follow the slider at once however big the graph); the picture's DOT is asked
// for only when no values wait and the layout worker is free, so a picture that takes
// long to lay out is redrawn as often as it can be, with the newest numbers.
async function pump() {
  if (busy) return;
  if (pendingValues) {
    const sending = pendingValues;
    pendingValues = null;
    try {
      const state = await request("expression.set", { values: sending, dot: false });
      showError("");
      show(state);
      pictureStale = true;
    } catch (error) {
      showError(error.message);
    }
    toURL();
  } else if (pictureStale && !layoutJob && !waitingDot) {
    pictureStale = false;
    try {
      const picture = await request("expression.dot", {});
      redraw(picture.dot, picture.nodes);
    } catch (error) {
      showError(error.message);
    }
  } else {
    return;
  }
  pump();
}

startLayoutWorker();
showStartup($("status"));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  build();
});
formulas.addEventListener("change", () => build());
$("step").addEventListener("click", async () => {
  const state = await request("expression.step", {});
  show(state, state.text);
});
$("backward").addEventListener("click", async () => {
  const state = await request("expression.set", { values: {} });
  show(state);
});
$("explain").addEventListener("click", async () => {
  try {
    const answer = await request("expression.explain", { name: explainLeaf.value });
    text.textContent = answer.text;
  } catch (error) {
    showError(error.message);
  }
});
await ready;
await build();
