// Zoom and pan for a drawing, as the step player (autodiff/viz/player.html) has them: the
// + / − / fit buttons, the wheel zooms at the pointer, a drag pans. A drawing opens at the
// width of its box unless that makes its smallest text less than 11 px high: then it opens
// at the scale where that text is 11 px, from its top left corner. A new drawing of the
// same graph (a slider moved) keeps the view the reader chose.

const MIN_TEXT_PX = 11;
const views = new WeakMap(); // box -> {scale, tx, ty, w, h, chosen}

/** The smallest text of a Graphviz SVG, in px at its natural size (font sizes are points). */
function smallestTextPx(svg) {
  const sizes = [...svg.querySelectorAll("text[font-size]")].map((t) => +t.getAttribute("font-size"));
  const shrink = /scale\(([\d.]+)/.exec(svg.querySelector("g.graph")?.getAttribute("transform") ?? "");
  return (sizes.length ? Math.min(...sizes) : 14) * (shrink ? +shrink[1] : 1) * (4 / 3);
}

/** Make `svg`, just drawn into `box`, zoomable; returns the scale it is shown at. */
export function zoomable(box, svg) {
  const [, , vw, vh] = (svg.getAttribute("viewBox") ?? "0 0 100 100").split(/[\s,]+/).map(Number);
  const w = vw * (4 / 3), h = vh * (4 / 3); // points to CSS pixels
  Object.assign(box.style, {
    position: "relative", overflow: "hidden", height: "min(70vh, 640px)",
    cursor: "grab", touchAction: "none",
  });
  Object.assign(svg.style, {
    position: "absolute", left: "0", top: "0", transformOrigin: "0 0",
    maxWidth: "none", width: `${w}px`, height: `${h}px`,
  });
  svg.dataset.text = smallestTextPx(svg).toFixed(2);
  let view = views.get(box);
  const readable = MIN_TEXT_PX / +svg.dataset.text;
  const fitted = () => Math.min(box.clientWidth / w, box.clientHeight / h, 1.6);
  if (!view || !view.chosen) {
    const scale = Math.max(fitted(), readable);
    view = { scale, tx: Math.max(0, (box.clientWidth - w * scale) / 2), ty: 0, chosen: false };
    views.set(box, view);
  }
  const place = () => {
    svg.style.transform = `translate(${view.tx}px, ${view.ty}px) scale(${view.scale})`;
    svg.dataset.scale = view.scale.toFixed(4);
  };
  const zoom = (factor, x = box.clientWidth / 2, y = box.clientHeight / 2) => {
    factor = Math.max(0.05 / view.scale, Math.min(8 / view.scale, factor));
    view.tx = x - (x - view.tx) * factor;
    view.ty = y - (y - view.ty) * factor;
    view.scale *= factor;
    view.chosen = true;
    place();
  };
  const fit = () => {
    view.scale = fitted();
    view.tx = (box.clientWidth - w * view.scale) / 2;
    view.ty = (box.clientHeight - h * view.scale) / 2;
    view.chosen = true;
    place();
  };
  place();
  if (!box.dataset.zoomable) {
    // the box outlives its drawings: listen once, act on whichever drawing it holds now
    box.dataset.zoomable = "1";
    box.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = box.getBoundingClientRect();
      box.zoomBy?.(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    let drag = null;
    box.addEventListener("pointerdown", (e) => {
      if (e.target.tagName === "BUTTON") return;
      const v = views.get(box);
      drag = [e.clientX - v.tx, e.clientY - v.ty];
      box.setPointerCapture(e.pointerId);
      box.style.cursor = "grabbing";
    });
    box.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const v = views.get(box);
      v.tx = e.clientX - drag[0];
      v.ty = e.clientY - drag[1];
      v.chosen = true;
      box.place?.();
    });
    box.addEventListener("pointerup", () => { drag = null; box.style.cursor = "grab"; });
  }
  box.zoomBy = zoom;
  box.place = place;
  let bar = box.querySelector(".zoom-buttons");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "zoom-buttons";
    Object.assign(bar.style, { position: "absolute", right: "8px", top: "8px", zIndex: "1",
      display: "flex", gap: "4px" });
    for (const [label, title] of [["+", "zoom in"], ["−", "zoom out"], ["fit", "fit the whole"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.title = title;
      bar.append(button);
    }
  }
  const [plus, minus, whole] = bar.querySelectorAll("button");
  plus.onclick = () => zoom(1.25);
  minus.onclick = () => zoom(0.8);
  whole.onclick = fit;
  box.append(bar); // after the drawing, so it stays on top of it
  return view.scale;
}
