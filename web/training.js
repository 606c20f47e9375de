// The training lab: settings (in the URL), play / pause / one epoch, and what to draw.
// All the training is in the worker (playground.py's TrainingLab); this file only sends
// the form's text as typed and draws the numbers it is sent back.
import { call, ready, showStartup } from "./engine.js";
import { draw } from "./graph.js";

const $ = (id) => document.getElementById(id);
const form = $("settings");
const playButton = $("play");
const errorLine = $("error");
const CHUNK_SECONDS = 0.09; // training time per worker call while playing: pause stays quick
const VIEW = ["show_test", "discretize"]; // settings of the pictures only, not of training
const CHECKBOX_GROUPS = ["features"];
const FEATURE_TEXT = {
  x1: "x₁", x2: "x₂", x1sq: "x₁²", x2sq: "x₂²", x1x2: "x₁x₂", sin1: "sin x₁", sin2: "sin x₂",
};
const FEATURE_FN = {
  x1: (a) => a, x2: (a, b) => b, x1sq: (a) => a * a, x2sq: (a, b) => b * b,
  x1x2: (a, b) => a * b, sin1: (a) => Math.sin(a), sin2: (a, b) => Math.sin(b),
};

let state = null;
let playing = false;
let runEpochs = 200;
let firstPerfect = null; // the epoch training accuracy first reached 100%
let chosen = null; // [layer, index] of the neuron shown
let generation = 0; // a reset starts a new one: answers for an older one are dropped
let frames = 0; // pictures drawn while playing (the browser test reads the rate)
let longestDraw = 0; // ms: the longest the page's thread spent drawing one frame
const raw = {}; // a link's text for fields whose input would alter it (a range clamps 95 to 90)

function settingsFromForm() {
  const data = new FormData(form);
  const settings = {};
  for (const [key, value] of data) {
    if (VIEW.includes(key) || CHECKBOX_GROUPS.includes(key)) continue;
    settings[key] = key in raw ? raw[key] : String(value);
  }
  settings.features = "features" in raw ? raw.features : data.getAll("features").join(",");
  return settings;
}

function fromURL() {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of query) {
    if (key === "features") {
      const names = value.split(",");
      for (const box of form.querySelectorAll("input[name=features]")) {
        box.checked = names.includes(box.value);
      }
      if (names.some((name) => !(name in FEATURE_FN))) raw.features = value;
      continue;
    }
    const element = form.elements[key];
    if (!element || element instanceof RadioNodeList) continue;
    if (element.type === "checkbox") element.checked = value === "on";
    else {
      element.value = value;
      if (element.value !== value) raw[key] = value; // send what the link said, not the clamp
    }
  }
  $("test-value").textContent = `${raw.test ?? form.elements.test.value}%`;
}

function toURL() {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(settingsFromForm())) query.set(key, value);
  for (const key of VIEW) query.set(key, form.elements[key].checked ? "on" : "off");
  history.replaceState(null, "", `?${query.toString().replace(/%2C/g, ",")}`);
}

// class 0 orange, class 1 blue, class 2 green (the three-class sets)
const CLASS_RGB = [[224, 123, 0], [44, 109, 179], [42, 157, 75]];
const CLASS_COLOR = ["#e07b00", "#2c6db3", "#2a9d4b"];

/** The colour of a vector of logits: the classes' colours weighted by their softmax. */
function classColor(logits, discrete) {
  const high = Math.max(...logits);
  const weights = logits.map((z) => Math.exp(z - high));
  const total = weights.reduce((a, b) => a + b, 0);
  const p = weights.map((w) => w / total);
  const best = p.indexOf(Math.max(...p));
  const strength = discrete ? 1 : (p[best] * logits.length - 1) / (logits.length - 1);
  return CLASS_RGB[best].map((c) => Math.round(255 - (255 - c) * strength * 0.55));
}

function color(output, discrete) {
  if (Array.isArray(output)) return classColor(output, discrete);
  // class 1 (output > 0) blue, class 0 orange; paler near the boundary
  const strength = discrete ? 1 : Math.tanh(Math.abs(output));
  const [r, g, b] = output > 0 ? [44, 109, 179] : [224, 123, 0];
  const mix = (c) => Math.round(255 - (255 - c) * strength * 0.55);
  return [mix(r), mix(g), mix(b)];
}

/** A size × size grid of numbers as a canvas, one pixel a number (drawn smoothed). */
function picture(values, size, discrete) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  values.forEach((value, i) => image.data.set([...color(value, discrete), 255], 4 * i));
  context.putImageData(image, 0, 0);
  return canvas;
}

function drawBoundary() {
  const canvas = $("boundary");
  const context = canvas.getContext("2d");
  const discrete = form.elements.discretize.checked;
  context.imageSmoothingEnabled = !discrete;
  context.imageSmoothingQuality = "high";
  context.drawImage(picture(outputGrid(), GRID, discrete), 0, 0, canvas.width, canvas.height);
  const [left, right, bottom, top] = state.bounds;
  const px = (x) => ((x - left) / (right - left)) * canvas.width;
  const py = (y) => ((top - y) / (top - bottom)) * canvas.height;
  const sets = [[state.train, false]];
  if (form.elements.show_test.checked) sets.push([state.val, true]);
  if (chosenPoint !== null && state.train[chosenPoint]) {
    const [x, y] = state.train[chosenPoint];
    context.beginPath();
    context.arc(px(x), py(y), 8, 0, 2 * Math.PI);
    context.strokeStyle = "#222";
    context.lineWidth = 2;
    context.stroke();
  }
  for (const [points, ring] of sets) {
    for (const [x, y, label] of points) {
      context.beginPath();
      context.arc(px(x), py(y), ring ? 4.5 : 4, 0, 2 * Math.PI);
      const fill = state.regression
        ? `rgb(${color(label, false).map((c) => 255 - (255 - c) / 0.55).join(",")})`
        : CLASS_COLOR[label];
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
  const [left, bottom, top, right] = [54, 34, 8, 10];
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  context.clearRect(0, 0, width, height);
  const series = [[state.loss, "#2c6db3"], [state.val_loss, "#e07b00"]];
  const all = series.flatMap(([values]) => values).filter((v) => v !== null);
  const high = Math.max(1e-9, ...all);
  const epochs = Math.max(runEpochs, state.epoch, 1);
  context.strokeStyle = "#999";
  context.strokeRect(left, top, plotWidth, plotHeight);
  context.fillStyle = "#555";
  context.font = "11px Helvetica, Arial, sans-serif";
  context.textAlign = "right";
  if (all.length) {
    context.fillText(high.toPrecision(3), left - 4, top + 8);
    context.fillText((high / 2).toPrecision(3), left - 4, top + plotHeight / 2 + 4);
  }
  context.fillText("0", left - 4, top + plotHeight + 4);
  context.textAlign = "center";
  context.fillText("0", left, top + plotHeight + 14);
  context.fillText(String(Math.round(epochs / 2)), left + plotWidth / 2, top + plotHeight + 14);
  context.fillText(String(epochs), left + plotWidth, top + plotHeight + 14);
  context.fillText("epoch", left + plotWidth / 2, height - 4);
  context.save();
  context.translate(12, top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.fillText("loss", 0, 0);
  context.restore();
  for (const [values, stroke] of series) {
    context.beginPath();
    let started = false;
    values.forEach((v, i) => {
      if (v === null) return;
      const x = left + ((i + 1) / epochs) * plotWidth;
      const y = top + (1 - v / high) * plotHeight;
      started ? context.lineTo(x, y) : context.moveTo(x, y);
      started = true;
    });
    context.strokeStyle = stroke;
    context.lineWidth = 1.5;
    context.stroke();
  }
}

function setHidden(sizes) {
  form.elements.hidden.value = sizes.join(",");
  delete raw.hidden;
  reset();
}

function hiddenSizes() {
  return state ? state.layers.slice(0, -1) : [];
}

function drawNetwork() {
  const svg = $("network");
  const ns = "http://www.w3.org/2000/svg";
  const sizes = [state.features.length, ...state.layers];
  const widest = Math.max(...sizes);
  const width = Number(svg.getAttribute("width"));
  const height = Math.min(380, Math.max(170, 46 * widest + 60)); // no empty band for small nets
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const spacing = Math.min(46, (height - 50) / widest); // never closer than one box
  const box = Math.max(8, Math.min(34, spacing * 0.8));
  const column = (width - 80) / (sizes.length - 1);
  const at = (l, j) => [40 + l * column, 30 + (height - 50) / 2 + (j - (sizes[l] - 1) / 2) * spacing];
  const make = (tag, attributes, parent = svg) => {
    const element = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    parent.appendChild(element);
    return element;
  };
  const title = (element, text) => (make("title", {}, element).textContent = text);
  svg.replaceChildren();
  const limit = Math.max(1e-9, ...state.weights.flat(2).map(Math.abs));
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      const weights = state.weights[l - 1][j];
      for (let i = 0; i < sizes[l - 1]; i++) {
        const [x1, y1] = at(l - 1, i);
        const [x2, y2] = at(l, j);
        const w = weights[i];
        const name = `L${l}.N${j + 1}.w${i}`;
        const line = make("line", {
          x1: x1 + box / 2, y1, x2: x2 - box / 2, y2,
          stroke: w > 0 ? "#2c6db3" : "#e07b00",
          "stroke-width": (0.5 + 5 * Math.sqrt(Math.abs(w) / limit)).toFixed(2),
          class: "weight",
          id: `weight-${name}`,
        });
        title(line, `${name} = ${w.toPrecision(4)}`);
        line.addEventListener("click", () => chooseWeight(l, j + 1, i));
      }
    }
  }
  const images = neuronGrids();
  const inputs = featureGrids();
  sizes.forEach((size, l) => {
    for (let j = 0; j < size; j++) {
      const [cx, cy] = at(l, j);
      const values = l === 0 ? inputs[j] : images[l - 1][j];
      const group = make("g", { class: l === 0 ? "input" : "neuron" });
      if (values) {
        const gridSize = l === 0 ? NEURON_GRID : NEURON_GRID;
        make("image", {
          x: cx - box / 2, y: cy - box / 2, width: box, height: box,
          href: picture(values, gridSize, false).toDataURL(),
          preserveAspectRatio: "none",
        }, group);
      }
      const rect = make("rect", { x: cx - box / 2, y: cy - box / 2, width: box, height: box }, group);
      if (l === 0) {
        title(rect, state.features[j]);
        make("text", { x: cx - box / 2 - 4, y: cy + 4, "text-anchor": "end" }).textContent =
          state.features[j];
        continue;
      }
      const name = `L${l}.N${j + 1}`; // nn numbers neurons from 1
      rect.id = `neuron-${name}`;
      const bias = state.weights[l - 1][j][sizes[l - 1]];
      title(rect, `${name}, bias ${name}.b = ${bias.toPrecision(4)}`);
      if (chosen && chosen[0] === l && chosen[1] === j + 1) rect.classList.add("chosen");
      group.addEventListener("click", () => showNeuron(l, j + 1));
    }
    const [x] = at(l, 0);
    make("text", { x, y: height - 4, "text-anchor": "middle" }).textContent =
      l === 0 ? "inputs" : l === sizes.length - 1 ? "output" : `L${l}: ${size}`;
    if (l > 0 && l < sizes.length - 1) {
      for (const [sign, dx] of [["+", -9], ["−", 9]]) {
        const button = make("text", {
          x: x + dx, y: 14, class: "resize", "text-anchor": "middle",
          id: `${sign === "+" ? "add" : "remove"}-neuron-${l}`,
        });
        button.textContent = sign;
        title(button, `${sign === "+" ? "one more" : "one fewer"} neuron in layer L${l}`);
        button.addEventListener("click", () => {
          const hidden = hiddenSizes();
          hidden[l - 1] += sign === "+" ? 1 : -1;
          setHidden(hidden.filter((n) => n > 0));
        });
      }
    }
  });
}

function featureGrids() {
  if (!state.bounds) return [];
  const [left, right, bottom, top] = state.bounds;
  return state.feature_names.map((name) => {
    const values = [];
    for (let row = 0; row < NEURON_GRID; row++) {
      const y = top - ((top - bottom) * (row + 0.5)) / NEURON_GRID;
      for (let col = 0; col < NEURON_GRID; col++) {
        const x = left + ((right - left) * (col + 0.5)) / NEURON_GRID;
        values.push(FEATURE_FN[name](x, y));
      }
    }
    return values;
  });
}

// The pictures, from the weights the worker sends: the same f(b + Σ wᵢxᵢ) per neuron as
// the model's graph (playground.py's TrainingLab.forward, which the browser test compares).
const GRID = 64; // the boundary's lattice (drawn smoothed, or in blocks when discretized)
const NEURON_GRID = 20; // each neuron's own picture
const ACTIVATION = {
  relu: (z) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  linear: (z) => z,
};

/** Every layer's outputs for one input row. */
function forward(inputs) {
  let x = inputs;
  const layers = [];
  state.weights.forEach((layer, l) => {
    const f = ACTIVATION[state.activations[l]];
    x = layer.map((weights) => {
      let z = weights[x.length];
      for (let i = 0; i < x.length; i++) z += weights[i] * x[i];
      return f(z);
    });
    layers.push(x);
  });
  return layers;
}

/** The lattice's points (size × size over the bounds, rows from the top), as feature rows. */
function lattice(size) {
  const [left, right, bottom, top] = state.bounds;
  const rows = [];
  for (let row = 0; row < size; row++) {
    const y = top - ((top - bottom) * (row + 0.5)) / size;
    for (let col = 0; col < size; col++) {
      const x = left + ((right - left) * (col + 0.5)) / size;
      rows.push(state.feature_names.map((name) => FEATURE_FN[name](x, y)));
    }
  }
  return rows;
}

/** The output over the plane: GRID² numbers (or vectors of logits, one per class). */
function outputGrid(size = GRID) {
  return lattice(size).map((inputs) => {
    const layers = forward(inputs);
    const last = layers[layers.length - 1];
    return last.length > 1 ? last : last[0];
  });
}

/** Each neuron's output over the plane: [layer][neuron] → NEURON_GRID² numbers. */
function neuronGrids() {
  const all = lattice(NEURON_GRID).map(forward);
  return state.layers.map((size, l) =>
    Array.from({ length: size }, (_, j) => all.map((layers) => layers[l][j])),
  );
}

// for the browser tests: the state and the pictures this page computed
window.trainingLab = { state: () => state, outputGrid, forward, call };

let weightChosen = null; // [layer, index, weight] shown in the weight panel

function chooseWeight(layer, index, weight) {
  weightChosen = [layer, index, weight];
  showWeight();
  explainWeight();
}

async function explainWeight() {
  if (!weightChosen) return;
  const mine = generation;
  const [layer, index, weight] = weightChosen;
  try {
    const answer = await call("training.weight", { layer, index, weight });
    if (mine !== generation) return;
    $("weight-maths").textContent = answer.text;
    chosenPoint = answer.point;
    drawBoundary();
  } catch (error) {
    $("weight-maths").textContent = `error: ${error.message}`;
  }
}

let chosenPoint = null; // the training point whose gradients are shown (an index)

async function choosePoint(event) {
  if (!state) return;
  const canvas = $("boundary");
  const rect = canvas.getBoundingClientRect();
  const [left, right, bottom, top] = state.bounds;
  const x = left + ((event.clientX - rect.left) / rect.width) * (right - left);
  const y = top - ((event.clientY - rect.top) / rect.height) * (top - bottom);
  const mine = generation;
  const action = $("click-mode").value;
  if (action !== "choose") {
    try {
      const answer = await call("training.edit_point", { x, y, action });
      if (mine !== generation) return;
      errorLine.textContent = "";
      state = { ...state, ...answer };
      chosenPoint = null;
      show();
    } catch (error) {
      errorLine.textContent = `error: ${error.message}`;
    }
    return;
  }
  const answer = await call("training.point", { x, y });
  if (mine !== generation) return;
  chosenPoint = answer.point;
  drawBoundary();
  if (chosen) await drawNeuron();
  await explainWeight();
}

async function exportNetwork() {
  try {
    const answer = await call("training.export");
    const link = (id, text, type) => {
      const old = $(id).href;
      if (old) URL.revokeObjectURL(old);
      $(id).href = URL.createObjectURL(new Blob([text], { type }));
    };
    link("export-json", answer.json, "application/json");
    link("export-python", answer.python, "text/x-python");
    $("export-code").textContent = answer.python;
    $("exported").hidden = false;
  } catch (error) {
    errorLine.textContent = `error: ${error.message}`;
  }
}

function showWeight() {
  if (!weightChosen || !state) return;
  const [layer, index, weight] = weightChosen;
  const weights = state.weights[layer - 1]?.[index - 1];
  if (!weights || weight >= weights.length) {
    $("weight-panel").hidden = true;
    return;
  }
  const name = weight === weights.length - 1 ? `L${layer}.N${index}.b` : `L${layer}.N${index}.w${weight}`;
  $("weight-panel").hidden = false;
  $("weight-name").textContent = `${name} =`;
  if (document.activeElement !== $("weight-value")) {
    $("weight-value").value = weights[weight].toPrecision(6);
  }
}

async function setWeight() {
  const [layer, index, weight] = weightChosen;
  const mine = generation;
  try {
    const answer = await call("training.set_weight", {
      layer, index, weight, value: $("weight-value").value,
    });
    if (mine !== generation) return;
    errorLine.textContent = "";
    state = { ...state, ...answer };
    show();
    await explainWeight();
  } catch (error) {
    errorLine.textContent = `error: ${error.message}`;
  }
}

async function showNeuron(layer, index) {
  chosen = [layer, index];
  const count = state.layers[layer - 2] ?? state.features.length;
  chooseWeight(layer, index, count); // the bias: its weights are the lines
  drawNetwork();
  await drawNeuron();
}

async function drawNeuron() {
  const mine = generation;
  const answer = await call("training.neuron", { layer: chosen[0], index: chosen[1] });
  if (mine !== generation || !chosen) return;
  $("neuron-caption").textContent = answer.caption;
  chosenPoint = answer.point;
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
    ["loss", `training loss ${number(last(state.loss))}`],
    ["val-loss", `test loss ${number(last(state.val_loss))}`],
    ["accuracy", `training accuracy ${percent(state.accuracy)}`],
    ["val-accuracy", `test accuracy ${percent(state.val_accuracy)}`],
    ["parameters", `${state.parameters} parameters`],
  ].filter(([id]) => !(state.regression && id.includes("accuracy")));
  if (firstPerfect !== null) items.push(["perfect", `100% first at epoch ${firstPerfect}`]);
  for (const [id, textContent] of items) {
    $("stats").appendChild(Object.assign(document.createElement("span"), { id, textContent }));
  }
  $("stats").dataset.accuracy = String(state.accuracy);
  $("stats").dataset.epoch = String(state.epoch);
  errorLine.textContent = state.diverged ? `error: ${state.diverged}` : "";
  $("warning").textContent = [state.warning && `warning: ${state.warning}`, state.hint && `hint: ${state.hint}`].filter(Boolean).join(" ");
  drawBoundary();
  drawCurve();
  drawNetwork();
  showWeight();
}

function setPlaying(on) {
  playing = on;
  playButton.textContent = on ? "Pause" : "Play";
  document.body.dataset.playing = String(on);
}

async function train(epochs, seconds) {
  const mine = generation;
  const answer = await call("training.run", { epochs, seconds, grid: false });
  if (mine !== generation) return false;
  state = { ...state, ...answer };
  frames += 1;
  const drawing = performance.now();
  show();
  const took = performance.now() - drawing;
  document.body.dataset.drawMs = took.toFixed(0);
  longestDraw = Math.max(longestDraw, took);
  document.body.dataset.longestDrawMs = longestDraw.toFixed(0);
  document.body.dataset.trainMs = (1000 * state.train_seconds).toFixed(0);

  if (chosen) await drawNeuron();
  if (weightChosen && !playing) await explainWeight();
  return true;
}

async function play() {
  setPlaying(true);
  const mine = generation;
  const began = performance.now();
  const start = state.epoch;
  frames = 0;
  while (playing && mine === generation && state.epoch < runEpochs && !state.diverged) {
    if (!(await train(runEpochs - state.epoch, CHUNK_SECONDS))) return;
    const seconds = (performance.now() - began) / 1000;
    document.body.dataset.epochsPerSecond = ((state.epoch - start) / seconds).toFixed(1);
    document.body.dataset.framesPerSecond = (frames / seconds).toFixed(1);
  }
  if (mine !== generation) return;
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
  const mine = generation;
  setPlaying(false);
  firstPerfect = null;
  chosen = null;
  chosenPoint = null;
  $("exported").hidden = true;
  $("weight-maths").textContent = "";
  weightChosen = null;
  $("weight-panel").hidden = true;
  delete document.body.dataset.finished;
  document.body.dataset.built = "false";
  $("neuron-graph").replaceChildren();
  $("neuron-caption").textContent = "";
  $("test-value").textContent = `${raw.test ?? form.elements.test.value}%`;
  toURL();
  const settings = settingsFromForm();
  try {
    const answer = await call("training.build", { settings });
    if (mine !== generation) return;
    state = answer;
    runEpochs = state.run_epochs;
    errorLine.textContent = "";
    show();
    for (const button of [playButton, $("one-step"), $("export")]) button.disabled = false;
  } catch (error) {
    if (mine !== generation) return;
    state = null;
    errorLine.textContent = `error: ${error.message}`;
    $("stats").replaceChildren();
    $("network").replaceChildren();
    for (const button of [playButton, $("one-step"), $("export")]) button.disabled = true;
  }
  document.body.dataset.built = "true";
}

fromURL();
showStartup($("status"));
form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", (event) => {
  const name = event.target.name;
  if (name) delete raw[name]; // the student's own edit replaces the link's text
  if (name === "test") $("test-value").textContent = `${event.target.value}%`;
});
form.addEventListener("change", (event) => {
  if (event.target.name === "dataset" && ["plane", "bumps"].includes(event.target.value)) {
    form.elements.loss.value = "mse"; // the one loss here that takes real-valued targets
  }
  if (event.target.name === "dataset" && ["blobs3", "spirals3"].includes(event.target.value)) {
    form.elements.loss.value = "softmax_ce"; // one logit per class
  }
  if (VIEW.includes(event.target.name)) {
    toURL();
    if (state) show();
    return;
  }
  reset();
});
playButton.addEventListener("click", () => (playing ? setPlaying(false) : play()));
$("one-step").addEventListener("click", () => !playing && state && train(1, null));
$("reset").addEventListener("click", () => reset());
$("add-layer").addEventListener("click", () => {
  const hidden = hiddenSizes();
  if (hidden.length < 6) setHidden([...hidden, hidden[hidden.length - 1] ?? 4]);
});
$("remove-layer").addEventListener("click", () => setHidden(hiddenSizes().slice(0, -1)));
$("weight-set").addEventListener("click", () => setWeight());
$("boundary").addEventListener("click", (event) => choosePoint(event));
$("export").addEventListener("click", () => exportNetwork());
$("weight-value").addEventListener("keydown", (event) => {
  if (event.key === "Enter") setWeight();
});
await ready;
$("reset").disabled = false;
await reset();
