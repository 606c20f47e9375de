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
# # 7 · Backpropagation layer by layer: the δ terms by hand, then by the engine
#
# Training a network means, for every weight, computing ∂E/∂w and stepping against it:
#
#   Δwᵢⱼ⁽ᵏ⁾ = −α · ∂E/∂wᵢⱼ⁽ᵏ⁾
#
# where wᵢⱼ⁽ᵏ⁾ (the lecture's wᵢⱼᵏ) connects neuron i of layer k to neuron j of layer k + 1, the
# superscript naming the layer the weight leaves (notebook 6), and α is the learning rate:
# the η of notebooks 2 to 5 under the lecture's name (one number, two letters).
# For one training example with desired output d and network output y we use the error
#
#   E = ½ (d − y)²
#
# (the ½ is there so that it cancels the 2 of the square: ∂E/∂y = −(d − y) = y − d).
#
# In this notebook we do backpropagation **by hand** for a small network, with the textbook
# formulas, and then check that every number equals what `backward()` computes. The
# stepper lets us watch the engine do the same steps in the same order.

# %%
import math

from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

from autodiff import Value, draw_dot, explain, format_steps, gradcheck, steps
from autodiff.viz.labels import lecture_name
from course import exercises
from nn import MLP, SGD, half_squared_error


# %% [markdown]
# ## The network: 2 inputs, 2 hidden sigmoid neurons, 1 sigmoid output
#
# We fix its nine parameters so every number can be followed. In the numbering of notebook 6
# the inputs x₁, x₂ are layer 0, the hidden neurons a₁⁽¹⁾, a₂⁽¹⁾ layer 1 and the output
# y = a₁⁽²⁾ layer 2; neuron 0 of a layer is the constant 1, so the biases are the weights
# w₀ⱼ⁽ᵏ⁾. `nn` labels a weight by the layer of neurons it feeds, the neuron, and the position of
# the input it multiplies, from 0: `L1.N2.w0` carries x₁ (`x[0]` in code) into hidden neuron 2,
# so it is w₁₂⁽⁰⁾; `L1.N2.b` is w₀₂⁽⁰⁾; `L2.N1.w1` carries a₂⁽¹⁾ to the output, so it is
# w₂₁⁽¹⁾. The table below prints both names of all nine. A neuron's zⱼ⁽ᵏ⁾ is `L{k}.N{j}.z`,
# its aⱼ⁽ᵏ⁾ is `L{k}.N{j}.out`, and its δⱼ⁽ᵏ⁾ is the grad of its `z` node.

# %%
net = MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
start = {"L1.N1.w0": 0.15, "L1.N1.w1": -0.40, "L1.N1.b": 0.10,
         "L1.N2.w0": 0.60, "L1.N2.w1": 0.25, "L1.N2.b": -0.20,
         "L2.N1.w0": 0.70, "L2.N1.w1": -0.50, "L2.N1.b": 0.05}
for p in net.parameters():
    p.data = start[p.label]
print(net)

x = [1.0, 0.5]
d = 1.0                          # the desired output
y = net(x)
E = half_squared_error(y, d)     # ½(d − y)², its nodes labelled E, e = d − y, d and y
print(f"y = {y.data:.6f},  E = {E.data:.6f}   (by hand: ½(d − y)² = {0.5 * (d - y.data) ** 2:.6f})")

# %% [markdown]
# Drawn with each neuron folded into one box (the weights, the weighted sum `z` and the
# activation inside it), the network is small enough to read:

# %%
draw_dot(E, fold="neuron")


# %% [markdown]
# ## The forward pass by hand
#
# Write σ for the sigmoid. Hidden neuron j (j = 1, 2) and the output neuron compute, with the
# constants x₀ = a₀⁽¹⁾ = 1 carrying the biases,
#
#   zⱼ⁽¹⁾ = Σᵢ₌₀² wᵢⱼ⁽⁰⁾ xᵢ,  aⱼ⁽¹⁾ = σ(zⱼ⁽¹⁾),  z₁⁽²⁾ = Σⱼ₌₀² wⱼ₁⁽¹⁾ aⱼ⁽¹⁾,  y = σ(z₁⁽²⁾).
#
# In the code, `z1, z2` are z₁⁽¹⁾, z₂⁽¹⁾, `h1, h2` the hidden outputs a₁⁽¹⁾, a₂⁽¹⁾ and `z_out` is
# z₁⁽²⁾.

# %%
def sigma(t):
    return 1 / (1 + math.exp(-t))

W = start
z1 = W["L1.N1.b"] + W["L1.N1.w0"] * x[0] + W["L1.N1.w1"] * x[1]
z2 = W["L1.N2.b"] + W["L1.N2.w0"] * x[0] + W["L1.N2.w1"] * x[1]
h1, h2 = sigma(z1), sigma(z2)
z_out = W["L2.N1.b"] + W["L2.N1.w0"] * h1 + W["L2.N1.w1"] * h2
y_hand = sigma(z_out)
E_hand = 0.5 * (d - y_hand) ** 2
print(f"h1 = {h1:.6f}, h2 = {h2:.6f}, y = {y_hand:.6f}, E = {E_hand:.6f}")
assert math.isclose(y_hand, y.data) and math.isclose(E_hand, E.data)

# %% [markdown]
# ## The backward pass by hand: the δ terms
#
# Call **δ** the derivative of E with respect to a neuron's weighted sum z. (A word on signs:
# with δ = ∂E/∂z the output's δ is (y − d)·f′(z) and the update subtracts, Δw = −α·δ·(input).
# Many books define δ with the opposite sign, (d − y)·f′(z), and then add α·δ·(input); the
# weights move the same way. These notebooks and their checks use δ = ∂E/∂z.) Everything
# follows from the chain rule, one layer at a time, from the output back:
#
# 1. Output neuron: δ₁⁽²⁾ = ∂E/∂z₁⁽²⁾ = ∂E/∂y · ∂y/∂z₁⁽²⁾ = (y − d) · y(1 − y).
# 2. Its weights: ∂E/∂wⱼ₁⁽¹⁾ = δ₁⁽²⁾ · aⱼ⁽¹⁾ (the input the weight multiplies; for the bias
#    w₀₁⁽¹⁾ that is a₀⁽¹⁾ = 1).
# 3. Hidden neuron j: its output aⱼ⁽¹⁾ reaches E only through the output neuron, along the
#    weight wⱼ₁⁽¹⁾, so δⱼ⁽¹⁾ = δ₁⁽²⁾ · wⱼ₁⁽¹⁾ · aⱼ⁽¹⁾(1 − aⱼ⁽¹⁾). (With several output neurons,
#    this would be a sum over them.)
# 4. Their weights: ∂E/∂wᵢⱼ⁽⁰⁾ = δⱼ⁽¹⁾ · xᵢ (x₀ = 1 for the bias w₀ⱼ⁽⁰⁾).
#
# The same pattern repeats for deeper networks: a layer's δ's are the next layer's δ's, sent
# back along the weights, times the local slope of the activation.

# %%
delta_out = (y_hand - d) * y_hand * (1 - y_hand)
delta_1 = delta_out * W["L2.N1.w0"] * h1 * (1 - h1)
delta_2 = delta_out * W["L2.N1.w1"] * h2 * (1 - h2)
by_hand = {
    "L2.N1.w0": delta_out * h1, "L2.N1.w1": delta_out * h2, "L2.N1.b": delta_out,
    "L1.N1.w0": delta_1 * x[0], "L1.N1.w1": delta_1 * x[1], "L1.N1.b": delta_1,
    "L1.N2.w0": delta_2 * x[0], "L1.N2.w1": delta_2 * x[1], "L1.N2.b": delta_2,
}
print(f"δ₁⁽²⁾ = {delta_out:.8f}   δ₁⁽¹⁾ = {delta_1:.8f}   δ₂⁽¹⁾ = {delta_2:.8f}")

# %% [markdown]
# ## The engine's answer
#
# One call of `E.backward()` fills every parameter's grad. Side by side with the hand formulas,
# each parameter under both its names:

# %%
net.zero_grad()
E.backward()
print(f"{'label':10} {'lecture':8} {'by hand ∂E/∂w':>16} {'engine grad':>16}")
for p in net.parameters():
    print(f"{p.label:10} {lecture_name(p.label):8} {by_hand[p.label]:16.10f} {p.grad:16.10f}")
    assert math.isclose(by_hand[p.label], p.grad, rel_tol=1e-12, abs_tol=1e-15)
print("all nine gradients agree to 1e-12")

# %% [markdown]
# The explainer writes the same chain rule for one first-layer weight in the lecture's notation:
# the product of the local derivatives along the only path from E down to `L1.N1.w0`, which it
# calls w₁₁⁽⁰⁾. Read the factors from left to right and you find the recipe above: (y − d), then
# y(1 − y) for the output sigmoid (together: δ₁⁽²⁾), then the weight w₁₁⁽¹⁾ back to hidden
# neuron 1, then a₁⁽¹⁾(1 − a₁⁽¹⁾) (now δ₁⁽¹⁾), then the input x₁.

# %%
explain(E, net.layers[0].neurons[0].w[0])

# %% [markdown]
# ## Watching backward, one node at a time
#
# The stepper runs the same backward pass but stops after every node, showing which local rule
# runs and what each input receives. Look for the δ terms: the grad of z₁⁽²⁾ (`L2.N1.z`) is
# δ₁⁽²⁾, and the grads of z₁⁽¹⁾ and z₂⁽¹⁾ are δ₁⁽¹⁾ and δ₂⁽¹⁾; the stepper says when each is
# complete. The engine reaches them in the order we did by hand: output layer first.

# %%
E.zero_grad()   # every grad in the graph back to 0, so the story starts clean
print(format_steps(E, number_format=".6g"))

# %% [markdown]
# A single step can be drawn too: here the step where the output neuron's weighted sum hands
# δ₁⁽²⁾ to its weights and, through its weights, to the hidden neurons (highlighted in orange).
# We draw only the part of the graph that feeds `L2.N1.z` (the error's nodes above it were
# shown already), with the output neuron unfolded and the hidden neurons folded.

# %%
E.zero_grad()
for step in steps(E):
    if step.node.label == "L2.N1.z":
        break
picture = draw_dot(step.node, fold="neuron", unfold=["L2.N1"], highlight=step.node,
                   highlight_edges=step.edges(), number_format=".3g")
print(step)
picture

# %% [markdown]
# (To give students a page to click through, `autodiff.export_html(E, "backward.html")` writes
# all the steps as one self-contained HTML file.)
#
# ## One update, Δw = −α ∂E/∂w
#
# With α = 0.5, every weight moves by −α times its gradient. We do it by hand, then with
# `nn.SGD`, and check that they agree and that the error went down.

# %%
alpha = 0.5
hand_updated = {name: W[name] - alpha * by_hand[name] for name in W}

net.zero_grad()
E.backward()
optimizer = SGD(net.parameters(), lr=alpha)
optimizer.step()
for p in net.parameters():
    assert math.isclose(p.data, hand_updated[p.label], rel_tol=1e-12)
E_after = 0.5 * (d - net(x).data) ** 2
print(f"E before: {E.data:.6f}   E after one update: {E_after:.6f}")

# %% [markdown]
# Repeating the update on this one example drives E towards 0: a network can always be made to
# fit one example. Real training uses many examples at once (next notebook).

# %%
errors = [E.data, E_after]
for _ in range(150):
    out = net(x)
    loss = 0.5 * (d - out) ** 2
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    errors.append(0.5 * (d - net(x).data) ** 2)

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(errors, color="tab:purple")
ax.set_xlabel("update"); ax.set_ylabel("E = ½(d − y)²"); ax.set_yscale("log")
ax.set_title("Repeated updates Δw = −α ∂E/∂w on one example")
plt.show()
print(f"after {len(errors) - 1} updates: y = {net(x).data:.4f}, E = {errors[-1]:.2e}")

# %% [markdown]
# ## Exercises: backpropagation through another network
#
# Now it is your turn, on a network of the same shape (2 inputs, 2 sigmoid hidden neurons, one
# sigmoid output, E = ½(d − y)²) with other numbers. The cell below prints them. Do the
# forward pass first (plain arithmetic and `math.exp`, or the `sigma` defined above), then
# the three steps of backpropagation. Each answer cell stands alone: repeat the forward pass in
# it, so that it runs on its own. Do not use the engine here: the checks compare your numbers
# with it.

# %%
W_ex, x_ex, d_ex, alpha_ex = (exercises.backprop.WEIGHTS, exercises.backprop.X,
                              exercises.backprop.D, exercises.backprop.ALPHA)
print("weights:", W_ex)
print(f"input x = {x_ex}, desired output d = {d_ex}, learning rate α = {alpha_ex}")

# %% [markdown]
# **Exercise 7.1.** The output neuron's δ = ∂E/∂z. (Hint: ∂E/∂y = y − d here; the convention
# δ = (d − y)·f′(z) of some books is this δ with the other sign, and the check will say so.)

# %% exercise="7.1"
delta_out = ...

# %%
exercises.backprop.output_delta(delta_out)

# %% [markdown]
# **Exercise 7.2.** The hidden neurons' δ terms, as a list `[δ₁⁽¹⁾, δ₂⁽¹⁾]` (`L1.N1`'s first).

# %% exercise="7.2"
delta_hidden = ...

# %%
exercises.backprop.hidden_deltas(delta_hidden)

# %% [markdown]
# **Exercise 7.3.** The update Δwᵢⱼ⁽ᵏ⁾ = −α ∂E/∂wᵢⱼ⁽ᵏ⁾ of every parameter, as a dict from its label
# (the keys of `W_ex`) to its Δw: all nine, the biases included.
# Keys named the lecture's way work too: `"w_21^(0)"` (or `"w₂₁⁽⁰⁾"`) is the weight from input
# x₂ into hidden neuron 1, that is `L1.N1.w1`, and `"w_01^(0)"` is its bias `L1.N1.b`.

# %% exercise="7.3"
delta_w = ...

# %%
exercises.backprop.updates(delta_w)
