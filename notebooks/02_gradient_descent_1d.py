# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2 · Derivatives and gradient descent in one variable
#
# Notebook 1 ended with a loss curve and a question: how do we reach its lowest point without
# looking at the whole curve? The answer uses one local fact, the **slope** of the curve where
# we stand, written f′(x), y′ or dy/dx.
#
# * slope negative (curve going down to the right): step **right**, i.e. increase x;
# * slope positive (curve going up to the right): step **left**, i.e. decrease x.
#
# Both cases are one rule: move *against* the slope,
#
#   x_new = x − η · f′(x)
#
# where η (eta), the **learning rate**, sets the step size. (The lecture's slides write η, its
# transcript and notebook 7 write α: two letters for the same learning rate.) Our engine supplies f′(x):
# build f from a `Value`, call `backward()`, read `x.grad`.

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value
from course import exercises



# %% [markdown]
# ## The slope at a point
#
# We use a curve with a single minimum, f(x) = (x − 2)² + 1, and ask the engine for its slope
# at a few points. Each `Value` remembers the operations that built `f`, and `backward()`
# runs the chain rule through them. We compare with the slope we know by hand, 2(x − 2), and
# with a finite difference (f(x + h) − f(x − h)) / 2h that uses no calculus at all.

# %%
def f(x):
    return (x - 2) ** 2 + 1

for x0 in [0.5, 2.0, 3.5]:
    x = Value(x0, label="x")
    y = f(x)
    y.backward()
    h = 1e-6
    numeric = (f(x0 + h) - f(x0 - h)) / (2 * h)
    print(f"x = {x0:3.1f}: engine dy/dx = {x.grad:+.6f}   by hand 2(x-2) = {2 * (x0 - 2):+.6f}   finite difference = {numeric:+.6f}")

# %% [markdown]
# The slope is the tilt of the **tangent line**, the straight line that touches the curve at
# that point. Left of the minimum it tilts down (negative), right of it up (positive), and at
# the minimum it is flat: f′ = 0. That is how we will recognise we have arrived.

# %%
grid = [i / 50 for i in range(-25, 226)]
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(grid, [f(g) for g in grid], color="black", label="f(x) = (x − 2)² + 1")
for x0, colour in [(0.5, "tab:red"), (2.0, "tab:gray"), (3.5, "tab:blue")]:
    x = Value(x0)
    y = f(x)
    y.backward()
    span = [x0 - 0.8, x0 + 0.8]
    ax.plot(span, [y.data + x.grad * (s - x0) for s in span], color=colour, linewidth=2,
            label=f"tangent at x = {x0}: slope {x.grad:+.1f}")
    ax.scatter([x0], [y.data], color=colour, zorder=3)
    if x.grad:  # no downhill arrow where the curve is flat
        ax.annotate("", xy=(x0 - 0.5 * math.copysign(1, x.grad), y.data - 0.4), xytext=(x0, y.data - 0.4),
                    arrowprops=dict(arrowstyle="->", color=colour))
ax.set_ylim(0, 6); ax.set_xlabel("x"); ax.set_ylabel("f(x)")
ax.set_title("Slopes, and the downhill direction (arrows) = −slope")
ax.legend(fontsize=8, loc="upper center")
plt.show()


# %% [markdown]
# The lecture tells the same story about training: picture the error E of a network with a
# single weight w, drawn against w. At a point A to the left of the valley the curve falls, its
# slope ∂E/∂w is negative, and lowering E means making w **larger**; at a point B to the right it
# rises, the slope is positive, and w must get **smaller**. In both places the step −α·∂E/∂w
# has the right sign on its own: a negative slope gives a positive step and a positive slope a
# negative one.

# %%
def E_of(w):
    return 0.6 * (w - 1.5) ** 2 + 0.4

ws = [i / 50 for i in range(-25, 176)]
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.plot(ws, [E_of(v) for v in ws], color="black")
for name, w0, colour in [("A", 0.2, "tab:red"), ("B", 3.0, "tab:blue")]:
    w = Value(w0)
    E_of(w).backward()
    span = [w0 - 0.6, w0 + 0.6]
    ax.plot(span, [E_of(w0) + w.grad * (s - w0) for s in span], color=colour, linewidth=2)
    ax.scatter([w0], [E_of(w0)], color=colour, zorder=3)
    move = "increase w" if w.grad < 0 else "decrease w"
    ax.text(w0 + (-0.1 if w.grad < 0 else 0.1), E_of(w0) + 0.15, name, color=colour, fontsize=13,
            ha="right" if w.grad < 0 else "left", fontweight="bold")
    ax.text(-0.55 if w.grad < 0 else 3.65, 3.3, f"at {name}: slope {w.grad:+.2f}\n→ {move}",
            ha="left" if w.grad < 0 else "right", va="top", color=colour, fontsize=11)
    ax.annotate("", xy=(w0 - 0.6 * math.copysign(1, w.grad), 0.2), xytext=(w0, 0.2),
                arrowprops=dict(arrowstyle="->", color=colour, linewidth=2))
ax.set_ylim(0, 3.5); ax.set_xlabel("the weight w"); ax.set_ylabel("error E(w)")
ax.set_title("Points A and B: the step −α·∂E/∂w points downhill at both")
plt.show()

# %% [markdown]
# ## Gradient descent
#
# Start somewhere, then repeat: compute the slope with the engine, take a step against it.
# A fresh `Value` per step keeps the example simple (a training loop instead keeps the same
# parameter `Value`s and resets their grads; see notebook 5).

# %%
def descend(x_start, eta, steps):
    """The positions visited by x <- x - eta * f'(x)."""
    path = [x_start]
    for _ in range(steps):
        x = Value(path[-1])
        f(x).backward()
        path.append(path[-1] - eta * x.grad)
    return path

path = descend(x_start=-0.5, eta=0.2, steps=12)
for n, xn in enumerate(path[:6]):
    print(f"step {n}: x = {xn:.5f}, f(x) = {f(xn):.5f}")
print("...")
print(f"step {len(path) - 1}: x = {path[-1]:.5f}, f(x) = {f(path[-1]):.5f}   (the minimum is x = 2, f = 1)")

# %% [markdown]
# ## The learning rate decides everything
#
# Same start, same number of steps (15), four learning rates:
#
# * **too small** (η = 0.03): every step is safe but tiny; after 15 steps we are far from 2;
# * **good** (η = 0.3): a few steps land practically on the minimum;
# * **too large** (η = 0.9): each step jumps over the minimum to the other side; it still
#   converges here, zig-zagging;
# * **divergent** (η = 1.05): each jump lands *further* away than it started; the loss grows
#   without bound.
#
# For this parabola we can see why: a step maps the distance to the minimum, x − 2, to
# (1 − 2η)(x − 2). The steps shrink the distance when |1 − 2η| < 1, that is 0 < η < 1, and
# blow it up when η > 1.

# %%
settings = [(0.03, "too small"), (0.3, "good"), (0.9, "too large: zig-zag"), (1.05, "diverges")]
fig, axes = plt.subplots(2, 2, figsize=(9, 6.2))
for ax, (eta, name) in zip(axes.flat, settings):
    path = descend(x_start=-0.5, eta=eta, steps=15)
    span = max(3.0, max(abs(p - 2) for p in path) + 0.5)
    grid = [2 - span + 2 * span * i / 200 for i in range(201)]
    ax.plot(grid, [f(g) for g in grid], color="lightgray")
    ax.plot(path, [f(p) for p in path], "-o", color="tab:blue", markersize=3, linewidth=0.8)
    ax.scatter([path[0]], [f(path[0])], color="tab:green", zorder=3, label="start")
    ax.scatter([path[-1]], [f(path[-1])], color="tab:red", zorder=3, label="after 15 steps")
    ax.set_title(f"η = {eta}: {name}")
    ax.legend(fontsize=8)
plt.tight_layout(); plt.show()

# %% [markdown]
# The same runs, seen as the loss after each step. A logarithmic scale makes the difference
# visible: the good rate drops by orders of magnitude, the tiny one crawls, the divergent one
# climbs. (We plot f(x) − 1, the distance of the loss from its minimum.)

# %%
fig, ax = plt.subplots(figsize=(6, 3.6))
for eta, name in settings:
    path = descend(x_start=-0.5, eta=eta, steps=15)
    ax.semilogy(range(len(path)), [f(p) - 1 + 1e-16 for p in path], "-o", markersize=3, label=f"η = {eta} ({name})")
ax.set_xlabel("step n"); ax.set_ylabel("f(xₙ) − min f  (log scale)")
ax.set_title("Loss after each step, four learning rates")
ax.legend(fontsize=8); plt.show()

# %% [markdown]
# ## Exercises
#
# Take g(x) = x³ − 3x, which has a valley at x = 1. Replace each `...` with a number you
# worked out by hand, then run the check below it.
#
# **Exercise 2.1.** Differentiate g by hand and give the slope g′(2).

# %% exercise="2.1"
my_slope_at_2 = ...

# %%
exercises.descent.slope_at_2(my_slope_at_2)

# %% [markdown]
# **Exercise 2.2.** Take **one** gradient-descent step from x = 2 with η = 0.1: where does x land?

# %% exercise="2.2"
my_next_x = ...

# %%
exercises.descent.one_step(my_next_x)
