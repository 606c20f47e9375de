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
# # 12 · Second derivatives: the slope of the slope
#
# Gradient descent only asks one question of the loss: *which way is downhill?* It never
# asks *how quickly does the slope change?*, and that is why choosing the learning rate η
# felt like guesswork in notebooks 02 and 03. The rate at which the slope changes is the
# **second derivative** f″, the curvature. A large f″ means the ground bends sharply, so a
# long step overshoots; a small f″ means it is nearly flat, so short steps waste time.
#
# `backward()` gives numbers. To differentiate a derivative again we need the derivative as
# a *graph*: `autodiff.grad(f, x)` builds ∂f/∂x out of ordinary nodes (sums, products,
# tanh ...), the same kind of `Value` that f is. So it can go through `grad` once more.

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, grad, hessian, to_text
from course import exercises
from nn import Neuron, half_squared_error


# %% [markdown]
# ## A derivative you can differentiate
#
# Take g(x) = x³ − 3x. By hand, g′(x) = 3x² − 3 and g″(x) = 6x. Each `grad` call
# returns a new `Value`, labelled with what it is (here at x = 3; the exercises ask about
# x = 2):

# %%
x = Value(3.0, label="x")
g = x**3 - 3 * x
g.label = "g"
dg = grad(g, x)
d2g = grad(dg, x)
print(f"{dg.label} = {dg.data}   (by hand 3x² − 3 = {3 * 3.0**2 - 3})")
print(f"{d2g.label} = {d2g.data}   (by hand 6x = {6 * 3.0})")
print("x.grad is still", x.grad, "- grad() leaves every .grad alone")

# %% [markdown]
# Here is the graph of g′. Its top node is labelled ∂g/∂x, and it is made of the ops
# we know: the slope 3·x² of x³ is the node `3 * v2` on top of `v2 = x**2`, the slope −3
# of −3x a product of constants. Its leaf is g's own leaf x, which is why a second `grad`
# can follow it back to x. (At the end of the notebook a derivative reuses inner nodes
# of f too.)

# %%
print(to_text(dg))

# %% [markdown]
# ## Newton's method beside gradient descent
#
# Near a point x, a smooth f looks like a parabola:
#
#   f(x + s) ≈ f(x) + f′(x)·s + ½ f″(x)·s²
#
# The bottom of that parabola is at s = −f′(x)/f″(x). **Newton's method** jumps there:
#
#   x ← x − f′(x) / f″(x)
#
# It is gradient descent with the learning rate η = 1/f″(x), recomputed at every step from
# the curvature. We minimise f(x) = eˣ − 2x, whose minimum is at x = ln 2 (where f′ = eˣ − 2 = 0).

# %%
def f(x):
    return x.exp() - 2 * x


def slopes(at):
    """f′ and f″ at a number, from the engine."""
    x = Value(at, label="x")
    first = grad(f(x), x)
    return first.data, grad(first, x).data


def gradient_descent(x0, eta, steps):
    xs = [x0]
    for _ in range(steps):
        slope, _ = slopes(xs[-1])
        xs.append(xs[-1] - eta * slope)
    return xs


def newton(x0, steps):
    xs = [x0]
    for _ in range(steps):
        slope, curvature = slopes(xs[-1])
        xs.append(xs[-1] - slope / curvature)
    return xs


best = math.log(2)
runs = {"gradient descent, η = 0.3": gradient_descent(2.0, 0.3, 8), "Newton": newton(2.0, 8)}
print("step   " + "   ".join(f"{name:>26}" for name in runs))
for k in range(9):
    print(f"{k:4}   " + "   ".join(f"{abs(xs[k] - best):26.2e}" for xs in runs.values()))

# %% [markdown]
# The columns are the distance to the minimum. Gradient descent shrinks it by roughly the
# same factor (about 0.4) every step. Newton's first step is no better: far from the
# minimum the parabola is a rough model. But once close, its distance is roughly *squared*
# at every step (9e-3, then 4e-5, then 9e-10): the number of correct digits doubles,
# until it hits the last digit of a float.

# %%
fig, ax = plt.subplots(figsize=(6, 3.2))
for (name, xs), colour in zip(runs.items(), ["tab:blue", "tab:red"]):
    ax.semilogy(range(len(xs)), [max(abs(v - best), 1e-17) for v in xs], "-o", color=colour,
                label=name)
ax.set_xlabel("step"); ax.set_ylabel("|x − ln 2|"); ax.legend(); ax.set_title("distance to the minimum")
plt.show()

# %% [markdown]
# Two warnings. Newton needs f″ > 0: where the curve bends downwards the parabola has a
# maximum, and Newton walks to it. And with n weights, f″ is an n×n matrix (below), which a
# network with a million weights cannot afford to build, let alone invert. That is why
# networks are trained with gradient steps, and why the curvature is still worth knowing.
#
# ## Why η = 1/f″ is the best fixed rate for a quadratic
#
# For a parabola f(x) = ½·a·(x − c)² the curvature is the same everywhere: f″ = a. One
# gradient step gives
#
#   x − c  ←  (x − c) − η·a·(x − c)  =  (1 − ηa)·(x − c)
#
# so the distance to the minimum is multiplied by the same factor 1 − ηa at every step:
#
# * η = 1/a makes the factor 0: the minimum in **one** step (this is Newton's step);
# * η < 1/a: a factor between 0 and 1, a slow creep from one side;
# * 1/a < η < 2/a: a factor between −1 and 0, overshooting to the other side every step
#   and still converging (the zig-zag);
# * η > 2/a: |1 − ηa| > 1, each step lands further away: divergence.

# %%
a = 4.0
etas = [i / 1000 for i in range(0, 651)]
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(etas, [abs(1 - eta * a) for eta in etas])
ax.axhline(1.0, color="gray", linewidth=0.8)
for eta, text in [(1 / a, "1/a"), (2 / a, "2/a")]:
    ax.axvline(eta, color="tab:red", linestyle="--", linewidth=0.8)
    ax.text(eta, 1.5, text, color="tab:red", ha="center")
ax.set_xlabel("η"); ax.set_ylabel("|1 − ηa|"); ax.set_title("shrink factor per step, f″ = a = 4")
plt.show()

x = Value(3.0, label="x")
parabola = 0.5 * a * (x - 1.0) ** 2
curvature = grad(grad(parabola, x), x).data
print(f"f″ = {curvature}; one step with η = 1/f″ from x = 3 lands at",
      3.0 - (1 / curvature) * grad(parabola, x).data)

# %% [markdown]
# ## Two variables: the Hessian
#
# With two variables there are four second derivatives, collected in the **Hessian** matrix
#
#   H = [[∂²y/∂x₀², ∂²y/∂x₁∂x₀], [∂²y/∂x₀∂x₁, ∂²y/∂x₁²]]
#
# `hessian(y, [x0, x1])` builds it, each entry a `Value` made by two `grad` calls. Here
# is notebook 03's valley, y = x₀² + x₀·x₁ + 3x₁² − 4x₀ − 2x₁:

# %%
def surface(x0, x1):
    return x0 * x0 + x0 * x1 + 3 * x1 * x1 - 4 * x0 - 2 * x1


x0, x1 = Value(-1.5, label="x0"), Value(1.6, label="x1")
y = surface(x0, x1)
y.label = "y"
H = hessian(y, [x0, x1])
for row in H:
    print("   ".join(f"{h.label:>10} = {h.data:g}" for h in row))

# %% [markdown]
# The Hessian is symmetric (the mixed derivatives agree) and, because y is quadratic, the
# same at every point. A symmetric matrix has two perpendicular **eigenvectors**, directions
# v in which H·v = λ·v: along them the valley is an ordinary one-variable parabola with
# curvature λ. For a 2×2 matrix [[p, q], [q, r]] the eigenvalues are
# (p + r)/2 ± √(((p − r)/2)² + q²).

# %%
(p, q), (_, r) = ([h.data for h in row] for row in H)
mean, half_gap = (p + r) / 2, math.sqrt(((p - r) / 2) ** 2 + q * q)
low, high = mean - half_gap, mean + half_gap
print(f"curvatures: λ_flat = {low:.4f}, λ_steep = {high:.4f}")
for eta in [0.03, 0.15, 0.3]:
    print(f"η = {eta:4}: shrink factors 1 − ηλ: flat {1 - eta * low:+.3f}, steep {1 - eta * high:+.3f}")
print(f"gradient descent diverges for η > 2/λ_steep = {2 / high:.4f}")

# %% [markdown]
# This explains all three runs of notebook 03 at once:
#
# * η = 0.03: the flat direction shrinks by only 0.947 per step, so 40 steps leave it
#   far from the star;
# * η = 0.15: both factors are well inside (−1, 1);
# * η = 0.3: the steep factor is −0.871, *negative*: the error along the steep direction
#   changes sign at every step, which is the zig-zag from wall to wall, and it decays slowly
#   because 0.871 is close to 1. A little above 2/λ_steep ≈ 0.32 it would blow up.
#
# With one learning rate for all directions, the steep direction caps η and the flat
# direction then sets the pace: the ratio λ_steep/λ_flat (the *condition number*) says how
# hard the valley is. Below, the zig-zag run, split into its two eigen-directions.

# %%
def descend(start, eta, steps):
    p, q = Value(start[0], label="x0"), Value(start[1], label="x1")
    path = [(p.data, q.data)]
    for _ in range(steps):
        d0, d1 = grad(surface(p, q), [p, q])
        p.data -= eta * d0.data
        q.data -= eta * d1.data
        path.append((p.data, q.data))
    return path


# the eigenvector of λ_steep: (H − λ)v = 0 gives v ∝ (q, λ − p)
v = (q, high - p)
norm = math.hypot(*v)
steep_dir, flat_dir = (v[0] / norm, v[1] / norm), (-v[1] / norm, v[0] / norm)
path = descend((-1.5, 1.6), 0.3, 25)
along = {
    "steep direction": [(a0 - 2) * steep_dir[0] + a1 * steep_dir[1] for a0, a1 in path],
    "flat direction": [(a0 - 2) * flat_dir[0] + a1 * flat_dir[1] for a0, a1 in path],
}
fig, ax = plt.subplots(figsize=(6, 3.2))
for name, values in along.items():
    ax.plot(values, "-o", markersize=3, label=name)
ax.axhline(0, color="gray", linewidth=0.8)
ax.set_xlabel("step"); ax.set_ylabel("distance from (2, 0)"); ax.legend()
ax.set_title("η = 0.3: the steep part flips sign every step")
plt.show()

# %% [markdown]
# ## The curvature of a neuron's loss
#
# For one tanh neuron with one input, E(w) = ½·(d − tanh(w·x + b))² as a function of its
# weight w. We let `grad` give E′(w) and E″(w) over a range of weights.

# %%
neuron = Neuron(1, activation="tanh", seed=0, name="N1")
neuron.b.data = 0.0
x_in, target = 1.5, 0.8
w = neuron.w[0]
weights = [i / 20 for i in range(-60, 61)]
curve = {"E": [], "E′": [], "E″": []}
for value in weights:
    w.data = value
    E = half_squared_error(neuron([x_in]), target)
    E.label = "E"
    first = grad(E, w)
    curve["E"].append(E.data)
    curve["E′"].append(first.data)
    curve["E″"].append(grad(first, w).data)

fig, axes = plt.subplots(1, 3, figsize=(10, 2.8))
for ax, (name, values) in zip(axes, curve.items()):
    ax.plot(weights, values)
    ax.axhline(0, color="gray", linewidth=0.8)
    ax.set_title(f"{name}(w)"); ax.set_xlabel("w")
plt.tight_layout(); plt.show()
positive = [v for v, c in zip(weights, curve["E″"]) if c > 0]
print(f"E″ > 0 only for w from {min(positive)} to {max(positive)}; outside, the loss bends downwards")

# %% [markdown]
# Around the best weight (tanh(1.5·w) = 0.8, w ≈ 0.73) the loss bends upwards like a
# parabola: the curvature is positive and Newton would work. On either side of that short
# interval the curvature turns *negative*: tanh saturates, the loss flattens into a plateau,
# a Newton step there points uphill, and a gradient step is tiny because E′ is nearly 0.
# The loss of a network is not one big parabola; its curvature changes from place to place
# and even changes sign.
#
# Below is the graph of E′ at w = 0.5. The labels that start with ∂ mark the steps of the
# chain rule (∂E/∂N1.out, then ∂E/∂N1.z, then ∂E/∂N1.w0); `N1.z`, `N1.out` and `x0` are
# the neuron's own forward pass, reused: tanh's local derivative 1 − out² is built on the
# node `N1.out` itself.

# %%
w.data = 0.5
E = half_squared_error(neuron([x_in]), target)
E.label = "E"
print(to_text(grad(E, w)))

# %% [markdown]
# ## Exercises
#
# **Exercise 12.1.** For g(x) = x³ − 3x, work out g″(2) by hand (a plain number).

# %% exercise="12.1"
my_second_derivative = ...

# %%
exercises.second_order.second_derivative(my_second_derivative)

# %% [markdown]
# **Exercise 12.2.** Take one Newton step x ← x − g′(x)/g″(x) on the same g from x = 2.
# Where do you land? (g has its minimum at x = 1: is the step on its way?)

# %% exercise="12.2"
my_newton_x = ...

# %%
exercises.second_order.newton_step(my_newton_x)

# %% [markdown]
# **Exercise 12.3.** On notebook 03's valley, each fixed η shrinks the error along the two
# eigen-directions by |1 − η·λ_flat| and |1 − η·λ_steep| per step. Which η makes the
# *larger* of the two factors as small as possible? (Plot both against η if you like.)

# %% exercise="12.3"
my_best_eta = ...

# %%
exercises.second_order.best_learning_rate(my_best_eta)
