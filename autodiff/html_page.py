"""The page around the HTML player's frames: its style sheet and its script, inline.

``PAGE.format(title=..., last=..., frames=...)`` gives the whole document; ``frames`` is
one ``<section class="frame" data-step="k">`` per frame, all but the first ``hidden``.
The script shows one frame at a time (buttons, slider, arrow/Home/End keys, space to
play, ``#step=N`` in the address), records the frame in ``body[data-step]``, and draws
every frame's SVG at one common scale read from its ``data-w``/``data-h``. Nothing is
loaded from anywhere: the file works from disk with no network.
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0; padding: 16px 24px; color: #222; background: #fafafa; }}
h1 {{ font-size: 1.35rem; margin: 0 0 4px; }}
.hint {{ color: #666; margin: 0 0 12px; font-size: 0.9rem; }}
.controls {{ display: flex; align-items: center; gap: 8px; margin-bottom: 12px; flex-wrap: wrap; }}
button {{ font: inherit; padding: 5px 12px; border: 1px solid #bbb; border-radius: 6px;
          background: white; cursor: pointer; }}
button:hover {{ background: #fff1e6; border-color: #e8590c; }}
#slider {{ flex: 1; min-width: 160px; accent-color: #e8590c; }}
#counter {{ font-variant-numeric: tabular-nums; min-width: 8em; text-align: right; }}
.frame {{ display: flex; flex-direction: column; gap: 14px; }}
.frame[hidden] {{ display: none; }}
.picture {{ background: white; border: 1px solid #ddd; border-radius: 8px; padding: 8px;
            text-align: left; overflow-x: auto; }}
.picture svg {{ width: 100%; height: auto; max-height: 62vh; }}  /* until the script runs */
.story {{ max-width: 1100px; }}
.story h2 {{ font-size: 1.15rem; margin: 0 0 8px; color: #e8590c; }}
.story h3 {{ font-size: 1.05rem; margin: 16px 0 6px; }}
.grad {{ font-weight: 600; }}
table.transfers {{ border-collapse: collapse; font-size: 0.92rem; background: white; }}
table.transfers th, table.transfers td {{ border: 1px solid #ddd; padding: 4px 8px;
                                          text-align: left; }}
table.transfers th {{ background: #f1f1f1; font-weight: 600; }}
td.after {{ font-weight: 700; color: #b4460a; }}
</style>
</head>
<body data-step="0">
<h1>{title}</h1>
<p class="hint">Backward, one node at a time: orange marks the node whose local rule runs
and the edges its gradient flows along. Keys: ← → step, Home / End, space plays.</p>
<div class="controls">
<button id="first" title="first (Home)">« start</button>
<button id="prev" title="previous (←)">◀ previous</button>
<button id="play" title="play / pause (space)">▶ play</button>
<button id="next" title="next (→)">next ▶</button>
<button id="last" title="last (End)">end »</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<span id="counter">start (0 of {last})</span>
</div>
{frames}
<script>
(function () {{
  var frames = document.querySelectorAll(".frame");
  var last = frames.length - 1, current = 0, timer = null;
  var slider = document.getElementById("slider");
  var counter = document.getElementById("counter");
  var play = document.getElementById("play");
  function show(k) {{
    k = Math.max(0, Math.min(last, k | 0));
    frames[current].hidden = true;
    frames[k].hidden = false;
    current = k;
    slider.value = k;
    counter.textContent = k === 0 ? "start (0 of " + last + ")" : "step " + k + " of " + last;
    document.body.setAttribute("data-step", k);
    try {{ history.replaceState(null, "", "#step=" + k); }} catch (e) {{}}
  }}
  function stop() {{
    if (timer) {{ clearInterval(timer); timer = null; }}
    play.textContent = "▶ play";
  }}
  function toggle() {{
    if (timer) {{ stop(); return; }}
    if (current === last) show(0);
    play.textContent = "■ pause";
    timer = setInterval(function () {{
      if (current >= last) stop(); else show(current + 1);
    }}, 1300);
  }}
  function fromHash() {{ var m = /step=(\\d+)/.exec(location.hash); return m ? +m[1] : 0; }}
  document.getElementById("first").onclick = function () {{ stop(); show(0); }};
  document.getElementById("prev").onclick = function () {{ stop(); show(current - 1); }};
  document.getElementById("next").onclick = function () {{ stop(); show(current + 1); }};
  document.getElementById("last").onclick = function () {{ stop(); show(last); }};
  play.onclick = toggle;
  slider.oninput = function () {{ stop(); show(+slider.value); }};
  document.addEventListener("keydown", function (e) {{
    if (e.target === slider) return;
    if (e.key === "ArrowRight") {{ stop(); show(current + 1); }}
    else if (e.key === "ArrowLeft") {{ stop(); show(current - 1); }}
    else if (e.key === "Home") {{ stop(); show(0); }}
    else if (e.key === "End") {{ stop(); show(last); }}
    else if (e.key === " ") {{ e.preventDefault(); toggle(); }}
    else return;
  }});
  window.addEventListener("hashchange", function () {{ show(fromHash()); }});
  // one scale for all frames, the largest that fits the widest and tallest frame
  var svgs = document.querySelectorAll(".picture svg");
  function fit() {{
    var box = frames[current].querySelector(".picture");
    var width = box.clientWidth - 18, height = Math.max(240, window.innerHeight * 0.62);
    var maxW = 1, maxH = 1, i;
    for (i = 0; i < svgs.length; i++) {{
      maxW = Math.max(maxW, +svgs[i].getAttribute("data-w"));
      maxH = Math.max(maxH, +svgs[i].getAttribute("data-h"));
    }}
    var scale = Math.min(width / maxW, height / maxH, 1.6);
    for (i = 0; i < svgs.length; i++) {{
      svgs[i].style.width = (+svgs[i].getAttribute("data-w") * scale) + "px";
      svgs[i].style.height = (+svgs[i].getAttribute("data-h") * scale) + "px";
      svgs[i].style.maxHeight = "none";
    }}
  }}
  show(fromHash());
  fit();
  window.addEventListener("resize", fit);
}})();
</script>
</body>
</html>
"""
