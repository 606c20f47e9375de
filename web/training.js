// The training lab: settings (in the URL), play / pause / one epoch, and what to draw.
// All the training is nn.fit in the worker; this file only draws numbers it is sent.
import { call, ready, showStartup } from "./engine.js";
import { draw } from "./graph.js";

const $ = (id) => document.getElementById(id);
const form = $("settings");
const playButton = $("play");
const errorLine = $("error");
const CHUNK = 5; // epochs per worker message while playing: few enough to redraw often
const NUMBERS = ["noise", "n", "seed", "lr", "batch_size"];

let state = null;
let playing = false;
let runEpochs = 200;
let firstPerfect = null; // the epoch training accuracy first reached 100%
let chosen = null; // [layer, index] of the neuron shown
let generation = 0; // a reset starts a new one: answers for an older one are dropped

function settingsFromForm() {
  const data = new FormData(form);
  const settings = {};
  for (const [key, value] of data) {
    if (key === "epochs") continue;
    if (key === "hidden") {
      settings.hidden = String(value).split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    } else settings[key] = NUMBERS.includes(key) ? Number(value) : value;
  }
  runEpochs = Math.max(1, Number(data.get("epochs")) || 200);
  return settings;
}

function fromURL() {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of query) {
    if (form.elements[key]) form.elements[key].value = value;
  }
}

function toURL() {
  const query = new URLSearchParams(new FormData(form));
  history.replaceState(null, "", `?${query.toString().replace(/%2C/g, ",")}`);
}

function color(output) {
  // class 1 (output > 0) blue, class 0 orange; paler near the boundary
  const strength = Math.tanh(Math.abs(output));
  const [r, g, b] = output > 0 ? [44, 109, 179] : [224, 123, 0];
  const mix = (c) => Math.round(255 - (255 - c) * strength * 0.55);
  return [mix(r), mix(g), mix(b)];
}

function drawBoundary() {
  const canvas = $("boundary");
  const context = canvas.getContext("2d");
  const size = state.grid_size;
  const small = new OffscreenCanvas(size, size);
  const smallContext = small.getContext("2d");
  const image = smallContext.createImageData(size, size);
  state.grid.forEach((value, i) => {
    const [r, g, b] = color(value);
    image.data.set([r, g, b, 255], 4 * i);
  });
  smallContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  const [left, right, bottom, top] = state.bounds;
  const px = (x) => ((x - left) / (right - left)) * canvas.width;
  const py = (y) => ((top - y) / (top - bottom)) * canvas.height;
  for (const [points, ring] of [[state.train, false], [state.val, true]]) {
    for (const [x, y, label] of points) {
      context.beginPath();
      context.arc(px(x), py(y), ring ? 4.5 : 4, 0, 2 * Math.PI);
      const fill = label === 1 ? "#2c6db3" : "#e07b00";
      context.fillStyle = ring ? "#fff" : fill;
      context.strokeStyle = ring ? fill : "#fff";
      context.lineWidth = ring ? 2 : 1;
      context.fill();
      context.stroke();
    }
  }
}

function drawCurve() {
  const canvas = $("curve");
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  const pad = 30;
  context.clearRect(0, 0, width, height);
  const series = [[state.loss, "#2c6db3"], [state.val_loss, "#e07b00"]];
  const all = series.flatMap(([values]) => values).filter((v) => v !== null);
  const high = Math.max(1e-9, ...all);
  const epochs = Math.max(runEpochs, state.epoch);
  context.strokeStyle = "#999";
  context.strokeRect(pad, 5, width - pad - 5, height - pad);
  context.fillStyle = "#666";
  context.font = "10px sans-serif";
  context.fillText(high.toPrecision(3), 2, 12);
  context.fillText("0", 2, height - pad + 5);
  context.fillText(`epoch ${epochs}`, width - 60, height - 10);
  for (const [values, stroke] of series) {
    context.beginPath();
    values.forEach((v, i) => {
      if (v === null) return;
      const x = pad + ((i + 1) / epochs) * (width - pad - 5);
      const y = 5 + (1 - v / high) * (height - pad);
      i === 0 ? context.moveTo(x, y) : context.lineTo(x, y);
    });
    context.strokeStyle = stroke;
    context.lineWidth = 1.5;
    context.stroke();
  }
}

function drawNetwork() {
  const svg = $("network");
  const sizes = [2, ...state.layers];
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const ns = "http://www.w3.org/2000/svg";
  const at = (l, j) => [
    30 + (l * (width - 60)) / (sizes.length - 1),
    height / 2 + (j - (sizes[l] - 1) / 2) * Math.min(16, (height - 24) / sizes[l]),
  ];
  const make = (tag, attributes) => {
    const element = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    svg.appendChild(element);
    return element;
  };
  svg.replaceChildren();
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let i = 0; i < sizes[l - 1]; i++) {
        const [x1, y1] = at(l - 1, i);
        const [x2, y2] = at(l, j);
        make("line", { x1, y1, x2, y2 });
      }
    }
  }
  sizes.forEach((size, l) => {
    for (let j = 0; j < size; j++) {
      const [cx, cy] = at(l, j);
      const circle = make("circle", { cx, cy, r: 6 });
      if (l === 0) {
        circle.classList.add("input");
        continue;
      }
      const name = `L${l}.N${j + 1}`; // nn numbers neurons from 1
      circle.id = `neuron-${name}`;
      make("title", {}).textContent = name;
      circle.appendChild(svg.lastChild);
      if (chosen && chosen[0] === l && chosen[1] === j + 1) circle.classList.add("chosen");
      circle.addEventListener("click", () => showNeuron(l, j + 1));
    }
    const [x] = at(l, 0);
    make("text", { x: x - 8, y: height - 2 }).textContent = l === 0 ? "x" : `L${l}`;
  });
}

async function showNeuron(layer, index) {
  chosen = [layer, index];
  drawNetwork();
  await drawNeuron();
}

async function drawNeuron() {
  const answer = await call("training.neuron", { layer: chosen[0], index: chosen[1] });
  $("neuron-caption").textContent = answer.caption;
  await draw($("neuron-graph"), answer.dot);
}

function show() {
  const percent = (x) => `${(100 * x).toFixed(1)}%`;
  const last = (values) => (values.length ? values[values.length - 1] : null);
  const number = (x) => (x === null ? "–" : x.toPrecision(4));
  if (state.accuracy === 1 && firstPerfect === null) firstPerfect = state.epoch;
  $("stats").innerHTML = "";
  const items = [
    ["epoch", `epoch ${state.epoch} / ${runEpochs}`],
    ["loss", `loss ${number(last(state.loss))}`],
    ["val-loss", `validation loss ${number(last(state.val_loss))}`],
    ["accuracy", `training accuracy ${percent(state.accuracy)}`],
    ["val-accuracy", `validation accuracy ${percent(state.val_accuracy)}`],
    ["parameters", `${state.parameters} parameters`],
  ];
  if (firstPerfect !== null) items.push(["perfect", `100% first at epoch ${firstPerfect}`]);
  for (const [id, textContent] of items) {
    $("stats").appendChild(Object.assign(document.createElement("span"), { id, textContent }));
  }
  $("stats").dataset.accuracy = String(state.accuracy);
  $("stats").dataset.epoch = String(state.epoch);
  errorLine.textContent = state.diverged ? `error: ${state.diverged}` : "";
  if (state.grid) drawBoundary();
  drawCurve();
}

function setPlaying(on) {
  playing = on;
  playButton.textContent = on ? "Pause" : "Play";
  document.body.dataset.playing = String(on);
}

async function train(epochs) {
  const mine = generation;
  const answer = await call("training.run", { epochs });
  if (mine !== generation) return;
  state = { ...state, ...answer };
  show();
  if (chosen) await drawNeuron();
}

async function play() {
  setPlaying(true);
  const began = performance.now();
  const start = state.epoch;
  while (playing && state.epoch < runEpochs && !state.diverged) {
    await train(Math.min(CHUNK, runEpochs - state.epoch));
  }
  if (state.epoch >= runEpochs || state.diverged) {
    const seconds = (performance.now() - began) / 1000;
    document.body.dataset.runSeconds = seconds.toFixed(2);
    document.body.dataset.runEpochs = String(state.epoch - start);
    document.body.dataset.finished = "true";
  }
  setPlaying(false);
}

async function reset() {
  generation += 1;
  setPlaying(false);
  firstPerfect = null;
  chosen = null;
  delete document.body.dataset.finished;
  $("neuron-graph").replaceChildren();
  $("neuron-caption").textContent = "";
  toURL();
  try {
    state = await call("training.build", { settings: settingsFromForm() });
    errorLine.textContent = "";
    show();
    drawNetwork();
    for (const button of [playButton, $("one-step")]) button.disabled = false;
  } catch (error) {
    errorLine.textContent = `error: ${error.message}`;
    for (const button of [playButton, $("one-step")]) button.disabled = true;
  }
}

fromURL();
showStartup($("status"));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  reset();
});
form.addEventListener("change", () => reset());
playButton.addEventListener("click", () => (playing ? setPlaying(false) : play()));
$("one-step").addEventListener("click", () => !playing && train(1));
await ready;
$("reset").disabled = false;
await reset();
