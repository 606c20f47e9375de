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
# # 3 · Gradient descent in two variables
#
# A network has many weights, so its loss depends on many variables at once. With two
# variables, y = f(x₀, x₁), "the slope" becomes two slopes, one per direction, the
# **partial derivatives** ∂y/∂x₀ (how y changes when only x₀ moves) and ∂y/∂x₁. Stacked into
# a vector they form the **gradient**
#
#   ∇y = (∂y/∂x₀, ∂y/∂x₁)
#
# which points in the direction of steepest *ascent*. Gradient descent steps the other way,
# for every variable at once:
#
#   (x₀, x₁) ← (x₀, x₁) − η ∇y
#
# The engine computes both partials in a single `backward()`: each leaf's `grad` is its
# own partial derivative.

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value
from course import exercises



# %% [markdown]
# ## A two-variable valley
#
# Our surface is an elongated, tilted bowl, y = x₀² + x₀·x₁ + 3x₁² − 4x₀ − 2x₁. By hand:
#
# * ∂y/∂x₀ = 2x₀ + x₁ − 4
# * ∂y/∂x₁ = x₀ + 6x₁ − 2
#
# Both are zero at (x₀, x₁) = (2, 0): the bottom of the valley.

# %%
def surface(x0, x1):
    return x0 * x0 + x0 * x1 + 3 * x1 * x1 - 4 * x0 - 2 * x1

x0, x1 = Value(-1.0, label="x0"), Value(1.5, label="x1")
y = surface(x0, x1)
y.backward()
print(f"y = {y.data}")
print(f"engine:  ∇y = ({x0.grad}, {x1.grad})")
print(f"by hand: ∇y = ({2 * x0.data + x1.data - 4}, {x0.data + 6 * x1.data - 2})")

# %% [markdown]
# ## The gradient field on a contour plot
#
# A contour plot shows the surface from above: each ring joins points of equal height. At a
# grid of points we draw the arrow **−∇y** (the downhill direction, scaled down). Every
# arrow crosses the rings at a right angle: steepest descent is perpendicular to the level
# lines, and the arrows are longest where the rings are packed tightly (steep ground).

# %%
lo0, hi0, lo1, hi1 = -2.0, 5.0, -2.0, 2.0
n = 120
gx = [lo0 + (hi0 - lo0) * i / (n - 1) for i in range(n)]
gy = [lo1 + (hi1 - lo1) * j / (n - 1) for j in range(n)]
heights = [[surface(a, c) for a in gx] for c in gy]

def downhill(a, c):
    p, q = Value(a), Value(c)
    surface(p, q).backward()
    return -p.grad, -q.grad

arrow_points = [(a, c) for a in [-1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5] for c in [-1.5, -0.75, 0.0, 0.75, 1.5]]
arrows = [downhill(a, c) for a, c in arrow_points]

fig, ax = plt.subplots(figsize=(7, 4.2))
cs = ax.contour(gx, gy, heights, levels=[-3.5, -3, -2, -1, 0, 2, 4, 7, 10, 14], cmap="viridis")
ax.clabel(cs, fontsize=7)
ax.quiver([p[0] for p in arrow_points], [p[1] for p in arrow_points],
          [v[0] for v in arrows], [v[1] for v in arrows], color="tab:red", angles="xy", width=0.004)
ax.scatter([2], [0], marker="*", s=150, color="black", zorder=3, label="minimum (2, 0)")
ax.set_aspect("equal"); ax.set_xlabel("x₀"); ax.set_ylabel("x₁")
ax.set_title("Contours of y and the downhill direction −∇y (red)")
ax.legend(loc="upper right"); plt.show()


# %% [markdown]
# ## Walking down
#
# The loop below is gradient descent on both variables at once. The parameters are two
# `Value` leaves that live through the whole run; before every backward pass their grads are
# reset to 0, because **leaves accumulate** gradients across calls to `backward()`.

# %%
def descend(start, eta, steps):
    """The points visited by (x0, x1) <- (x0, x1) - eta * grad y."""
    p, q = Value(start[0], label="x0"), Value(start[1], label="x1")
    path = [(p.data, q.data)]
    for _ in range(steps):
        p.grad = q.grad = 0.0
        surface(p, q).backward()
        p.data -= eta * p.grad
        q.data -= eta * q.grad
        path.append((p.data, q.data))
    return path

start = (-1.5, 1.6)
runs = {eta: descend(start, eta, 40) for eta in [0.03, 0.15, 0.3]}
for eta, path in runs.items():
    end = path[-1]
    print(f"η = {eta:4}: after 40 steps at ({end[0]: .4f}, {end[1]: .4f}), y = {surface(*end): .6f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4.2))
ax.contour(gx, gy, heights, levels=[-3.5, -3, -2, -1, 0, 2, 4, 7, 10, 14], colors="lightgray", linestyles="solid")
for (eta, path), colour in zip(runs.items(), ["tab:blue", "tab:green", "tab:red"]):
    ax.plot([p[0] for p in path], [p[1] for p in path], "-o", color=colour, markersize=3,
            linewidth=1, label=f"η = {eta}")
ax.scatter([start[0]], [start[1]], color="black", zorder=4, label="start")
ax.scatter([2], [0], marker="*", s=150, color="black", zorder=4)
ax.set_aspect("equal"); ax.set_xlabel("x₀"); ax.set_ylabel("x₁")
ax.set_title("40 steps of gradient descent from the same start")
ax.legend(loc="upper right"); plt.show()

# %% [markdown]
# What the picture shows:
#
# * **η = 0.03** follows the steep direction first, then creeps along the flat floor of the
#   valley: 40 steps are not enough to reach the star.
# * **η = 0.15** reaches the minimum.
# * **η = 0.3** overshoots across the narrow direction of the valley (x₁, where the bowl is
#   steepest), zig-zagging from one wall to the other before it settles.
#
# The narrow direction limits the learning rate: the steepest curvature decides how large a
# step stays stable, while the flattest decides how many steps are needed. This tension is
# the everyday reality of training networks.
#
# ## Exercises
#
# All three use the valley y = x₀² + x₀·x₁ + 3x₁² − 4x₀ − 2x₁ of this notebook.
#
# **Exercise 3.1.** At the point (x₀, x₁) = (1, −1), work out both partial derivatives by hand,
# as a pair `(∂y/∂x₀, ∂y/∂x₁)`.

# %% exercise="3.1"
my_gradient = ...

# %%
exercises.descent.gradient_at(my_gradient)

# %% [markdown]
# **Exercise 3.2.** Take one step with η = 0.1 from (1, −1): which point `(x₀, x₁)` do you reach?

# %% exercise="3.2"
my_next_point = ...

# %%
exercises.descent.next_point(my_next_point)

# %% [markdown]
# **Exercise 3.3.** Pick a learning rate. Starting from (−1.5, 1.6), as in the picture above,
# gradient descent should end within 0.01 of the minimum (2, 0) after only **15** steps.
# None of the three rates drawn above manages that. Try values with `descend(start, η, 15)`
# and the plot, then give yours; the check runs the 15 steps and says which way to change it.

# %% exercise="3.3"
my_eta = ...

# %%
exercises.descent.learning_rate(my_eta)
