// The expression lab: an expression and one slider per name, drawn by the real engine.
// State lives in the URL (?expr=tanh(a*b+c)&a=2&b=-3&c=10&formulas=1) so a link reopens it.
import { call, ready, showStartup } from "./engine.js";
import { draw } from "./graph.js";
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

let values = {}; // name -> number, what the sliders show
let output = "out";
let busy = false; // one request at a time; slider moves made meanwhile are sent after it
let pendingValues = null;
let firstGraph = true;
let fromURLValues = fromURL(); // the numbers the link gave, used by the first build

function fromURL() {
  const query = new URLSearchParams(location.search);
  if (query.has("expr")) input.value = query.get("expr");
  formulas.checked = query.get("formulas") === "1";
  const given = {};
  for (const [key, value] of query) {
    if (key !== "expr" && key !== "formulas" && value.trim() !== "" && !isNaN(Number(value))) {
      given[key] = Number(value);
    }
  }
  return given;
}

function toURL() {
  const query = new URLSearchParams({ expr: input.value });
  for (const [name, value] of Object.entries(values)) query.set(name, String(value));
  if (formulas.checked) query.set("formulas", "1");
  // keep the operators readable in the address bar: only what must be escaped is
  const search = query.toString().replace(/%28/g, "(").replace(/%29/g, ")").replace(/%2A/g, "*");
  history.replaceState(null, "", `?${search}`);
}

function showError(message) {
  errorLine.textContent = message ? `error: ${message}` : "";
}

async function show(state, stepText) {
  output = state.output;
  for (const leaf of state.leaves) {
    const cell = document.getElementById(`grad-${leaf.name}`);
    if (cell) cell.textContent = `∂${output}/∂${leaf.name} = ${leaf.grad_text}`;
  }
  $("step-count").textContent = state.stepping
    ? `backward step ${state.step_done} of ${state.step_total}`
    : `${output} = ${state.data_text}`;
  text.textContent = stepText ?? "";
  zoomable(graph, await draw(graph, state.dot)); // the player's zoom and pan, readable text
  graph.dataset.version = String(Number(graph.dataset.version ?? 0) + 1);
  if (firstGraph) {
    firstGraph = false;
    const seconds = performance.now() / 1000; // since the navigation started
    document.body.dataset.firstGraphSeconds = seconds.toFixed(2);
    const info = await ready; // how the start-up divides: the runtime, then our packages
    document.body.dataset.runtimeSeconds = info.seconds.runtime.toFixed(2);
    document.body.dataset.packagesSeconds = info.seconds.packages.toFixed(2);
    $("status").textContent += ` · first graph ${seconds.toFixed(1)} s after opening the page`;
  }
}

function sliderRange(value) {
  const reach = Math.max(5, Math.ceil(Math.abs(value) * 2));
  return [-reach, reach];
}

function buildSliders(leaves) {
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
      if (box.value === "" || isNaN(Number(box.value))) return;
      slider.value = box.value;
      changed(leaf.name, Number(box.value));
    });
    explainLeaf.appendChild(new Option(leaf.name, leaf.name));
  }
}

async function request(method, args) {
  busy = true;
  try {
    return await call(method, { formulas: formulas.checked, ...args });
  } finally {
    busy = false;
  }
}

async function build() {
  const given = { ...values, ...fromURLValues };
  fromURLValues = {};
  try {
    const state = await request("expression.build", { expression: input.value, values: given });
    showError("");
    values = Object.fromEntries(state.leaves.map((leaf) => [leaf.name, leaf.data]));
    buildSliders(state.leaves);
    buttons.forEach((button) => (button.disabled = false));
    toURL();
    await show(state);
  } catch (error) {
    showError(error.message);
    buttons.forEach((button) => (button.disabled = true));
    leavesTable.replaceChildren();
    graph.replaceChildren();
    text.textContent = "";
  }
}

async function changed(name, value) {
  values[name] = value;
  pendingValues = { ...(pendingValues ?? {}), [name]: value };
  if (busy) return; // sent when the answer in flight arrives
  while (pendingValues) {
    const sending = pendingValues;
    pendingValues = null;
    try {
      const began = performance.now();
      const state = await request("expression.set", { values: sending });
      showError("");
      await show(state);
      graph.dataset.redrawMs = (performance.now() - began).toFixed(1); // replay + DOT + layout
    } catch (error) {
      showError(error.message);
    }
  }
  toURL();
}

showStartup($("status"));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  build();
});
formulas.addEventListener("change", () => build());
$("step").addEventListener("click", async () => {
  const state = await request("expression.step", {});
  await show(state, state.text);
});
$("backward").addEventListener("click", async () => {
  const state = await request("expression.set", { values: {} });
  await show(state);
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
