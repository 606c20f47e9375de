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
# # 13 · The same network in PyTorch
#
# Everything in this course ran on scalars: one `Value` per number, one node per addition.
# Real frameworks do the same mathematics on whole arrays (*tensors*) at once. This
# notebook takes the two-moons network of notebook 10, hands it to PyTorch with
# `nn.to_torch`, and checks that both engines compute the same outputs, the same
# gradients and the same training run, down to the last few digits.
#
# PyTorch is optional. If the next cell says it is missing, install the pinned CPU build
# into the environment of this notebook and restart the kernel:
#
#     pip install torch==2.13.0
#
# (or `pip install -e '.[torch]'` in the repository). Without it, the cells below only
# run our half.

# %%
from nn import plot as plt  # figures as SVG: the same in JupyterLab and in the browser

import nn
from autodiff import grad, topological_order
from nn import MLP, SGD, hinge, l2, moons, signed

try:
    import torch
except ImportError:
    torch = None
    print("PyTorch is not installed: run  pip install torch==2.13.0  and restart the kernel.")
else:
    print("PyTorch", torch.__version__)


# %% [markdown]
# ## One network, two engines
#
# micrograd's demo network: 2 inputs, two hidden layers of 16 ReLU neurons, one linear
# output, trained on 100 moon points with the hinge loss plus a little L2. `to_torch`
# builds a `torch.nn.Sequential` with the same layers and copies every weight: neuron j
# of a layer becomes row j of that layer's weight matrix.

# %%
points, classes = moons(100, noise=0.1, seed=1)
X, y = [list(p) for p in points], signed(classes)
model = MLP(2, [16, 16, 1], seed=1337)
print("layer sizes:", [len(layer.neurons) for layer in model.layers],
      "activations:", [layer.neurons[0].activation for layer in model.layers])
print(len(model.parameters()), "parameters")

if torch is not None:
    module = nn.to_torch(model)
    print(module)
    print("first layer weight matrix:", tuple(module[0].weight.shape), module[0].weight.dtype)
    print("L1.N1.w0 =", model.layers[0].neurons[0].w[0].data, " weight[0, 0] =",
          module[0].weight[0, 0].item())

# %% [markdown]
# ## The same outputs
#
# Our model is called once per point and returns one `Value`. The torch module takes
# all 100 points as one 100×2 tensor and returns a 100×1 tensor: one matrix product per
# layer, where we build 33 `dot` nodes (one per neuron) and 32 `relu` nodes for every point.

# %%
ours = [model(x).data for x in X]
print("ours, first 4 scores: ", [round(s, 6) for s in ours[:4]])
if torch is not None:
    inputs = torch.tensor(X, dtype=torch.float64)
    with torch.no_grad():
        theirs = module(inputs).squeeze(1).tolist()
    print("torch, first 4 scores:", [round(s, 6) for s in theirs[:4]])
    print("largest difference over 100 points:", max(abs(a - b) for a, b in zip(ours, theirs)))

# %% [markdown]
# The differences are in the last digits of a float64 (about 1e-15): both sum the same
# products, but not always in the same order, and floating-point addition is not
# associative.
#
# ## The gradient of one weight
#
# The loss is the mean hinge loss plus 1e-4 times the sum of all squared parameters. We
# ask both engines for ∂loss/∂w of the first weight of the first neuron.

# %%
def our_loss(model):
    scores = [model(x) for x in X]
    return hinge(scores, y) + l2(model.parameters(), 1e-4)


def torch_loss(module):
    scores = module(inputs).squeeze(1)
    labels = torch.tensor(y, dtype=torch.float64)
    return torch.relu(1 - labels * scores).mean() + 1e-4 * sum((p * p).sum() for p in module.parameters())


loss = our_loss(model)
w = model.layers[0].neurons[0].w[0]
model.zero_grad()
loss.backward()
print(f"ours:  loss = {loss.data:.15f}, ∂loss/∂L1.N1.w0 = {w.grad:.15f}")
print(f"       the same with autodiff.grad: {grad(loss, w).data:.15f}")
if torch is not None:
    t_loss = torch_loss(module)
    module.zero_grad()
    t_loss.backward()
    print(f"torch: loss = {t_loss.item():.15f}, weight.grad[0, 0] = {module[0].weight.grad[0, 0].item():.15f}")

# %% [markdown]
# The two engines do the same thing in different shapes. Our `backward()` walked a
# graph of this many scalar nodes:

# %%
print(len(topological_order(loss)), "Value nodes in our graph of the loss")


def torch_graph_size(tensor):
    """Count the backward functions PyTorch recorded (one per tensor operation)."""
    seen, todo = set(), [tensor.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        todo.extend(parent for parent, _ in node.next_functions)
    return len(seen)


if torch is not None:
    print(torch_graph_size(t_loss), "operations in PyTorch's graph of the same loss")

# %% [markdown]
# ## Training side by side
#
# Twenty full-batch steps of gradient descent with the demo's learning rate, falling from
# 1.0 by 0.009 per step, in both engines from the same starting weights: our `nn.SGD`
# and `torch.optim.SGD`. The losses should agree to about 1e-12 at every step.

# %%
model = MLP(2, [16, 16, 1], seed=1337)
opt = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
our_losses = []
for step in range(20):
    loss = our_loss(model)
    model.zero_grad()
    loss.backward()
    opt.step()
    our_losses.append(loss.data)

torch_losses = []
if torch is not None:
    module = nn.to_torch(MLP(2, [16, 16, 1], seed=1337))
    t_opt = torch.optim.SGD(module.parameters(), lr=1.0)
    for step in range(20):
        t_opt.param_groups[0]["lr"] = 1.0 - 0.9 * step / 100
        t_loss = torch_loss(module)
        t_opt.zero_grad()
        t_loss.backward()
        t_opt.step()
        torch_losses.append(t_loss.item())
    print("largest loss difference over 20 steps:",
          max(abs(a - b) for a, b in zip(our_losses, torch_losses)))

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(our_losses, "o-", label="backprop-lab")
if torch_losses:
    ax.plot(torch_losses, "x--", label="PyTorch")
ax.set_xlabel("step"); ax.set_ylabel("loss"); ax.legend(); ax.set_title("the same 20 steps")
plt.show()

# %% [markdown]
# `nn.from_torch(module, model)` copies trained tensors back into a model, so a network
# trained in PyTorch can be drawn, explained and stepped here.

# %%
if torch is not None:
    back = nn.from_torch(module, MLP(2, [16, 16, 1], seed=0))
    gap = max(abs(a.data - b.data) for a, b in zip(back.parameters(), model.parameters()))
    print("largest weight difference after 20 steps in each engine:", gap)

# %% [markdown]
# ## What PyTorch does differently
#
# * **Tensors, not scalars.** A layer's weights are one matrix and a batch of points one
#   matrix, so a layer is one matrix product: a handful of graph nodes instead of thousands,
#   each running compiled loops. The chain rule is the same; its local derivatives are
#   matrices (for z = W·x, ∂loss/∂W is the outer product of ∂loss/∂z and x).
# * **Batching is built in.** We looped over 100 points and averaged; PyTorch pushes all
#   of them through at once and `.mean()` is one more operation in the graph.
# * **float32 by default.** `to_torch` asks for float64 so the numbers can be compared
#   digit for digit; real training usually runs in float32 (or less), about 7 digits.
# * **The same habits.** Gradients accumulate in `.grad` until `zero_grad()`, exactly as
#   our leaves do; `torch.no_grad()` is our `no_grad()`; `torch.autograd.grad(...,
#   create_graph=True)` is `autodiff.grad`, a derivative you can differentiate again.
# * **The graph is thrown away** after `backward()` unless you ask to keep it
#   (`retain_graph=True`); ours stays, so it can be drawn and stepped afterwards.
