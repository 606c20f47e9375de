# %% [markdown]
# Solutions to notebook 07, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="7.1"
def sig(t):
    return 1 / (1 + math.exp(-t))

h1_ex = sig(W_ex["L1.N1.b"] + W_ex["L1.N1.w0"] * x_ex[0] + W_ex["L1.N1.w1"] * x_ex[1])
h2_ex = sig(W_ex["L1.N2.b"] + W_ex["L1.N2.w0"] * x_ex[0] + W_ex["L1.N2.w1"] * x_ex[1])
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h1_ex + W_ex["L2.N1.w1"] * h2_ex)
delta_out = (y_ex - d_ex) * y_ex * (1 - y_ex)            # ∂E/∂y · ∂y/∂z

# %% wrong="7.1"
def sig(t):
    return 1 / (1 + math.exp(-t))

h1_ex = sig(W_ex["L1.N1.b"] + W_ex["L1.N1.w0"] * x_ex[0] + W_ex["L1.N1.w1"] * x_ex[1])
h2_ex = sig(W_ex["L1.N2.b"] + W_ex["L1.N2.w0"] * x_ex[0] + W_ex["L1.N2.w1"] * x_ex[1])
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h1_ex + W_ex["L2.N1.w1"] * h2_ex)
delta_out = y_ex - d_ex                                   # ∂E/∂y: the sigmoid's slope is missing

# %% solution="7.2"
def sig(t):
    return 1 / (1 + math.exp(-t))

h1_ex = sig(W_ex["L1.N1.b"] + W_ex["L1.N1.w0"] * x_ex[0] + W_ex["L1.N1.w1"] * x_ex[1])
h2_ex = sig(W_ex["L1.N2.b"] + W_ex["L1.N2.w0"] * x_ex[0] + W_ex["L1.N2.w1"] * x_ex[1])
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h1_ex + W_ex["L2.N1.w1"] * h2_ex)
d_out = (y_ex - d_ex) * y_ex * (1 - y_ex)
delta_hidden = [d_out * W_ex["L2.N1.w0"] * h1_ex * (1 - h1_ex),   # back along w₁², times h₁(1 - h₁)
                d_out * W_ex["L2.N1.w1"] * h2_ex * (1 - h2_ex)]

# %% wrong="7.2"
def sig(t):
    return 1 / (1 + math.exp(-t))

h1_ex = sig(W_ex["L1.N1.b"] + W_ex["L1.N1.w0"] * x_ex[0] + W_ex["L1.N1.w1"] * x_ex[1])
h2_ex = sig(W_ex["L1.N2.b"] + W_ex["L1.N2.w0"] * x_ex[0] + W_ex["L1.N2.w1"] * x_ex[1])
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h1_ex + W_ex["L2.N1.w1"] * h2_ex)
d_out = (y_ex - d_ex) * y_ex * (1 - y_ex)
delta_hidden = [d_out * W_ex["L2.N1.w0"], d_out * W_ex["L2.N1.w1"]]   # the hidden slopes are missing

# %% solution="7.3"
def sig(t):
    return 1 / (1 + math.exp(-t))

h_ex = [sig(W_ex[f"L1.N{j}.b"] + W_ex[f"L1.N{j}.w0"] * x_ex[0] + W_ex[f"L1.N{j}.w1"] * x_ex[1])
        for j in (1, 2)]
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h_ex[0] + W_ex["L2.N1.w1"] * h_ex[1])
d_out = (y_ex - d_ex) * y_ex * (1 - y_ex)
d_hidden = [d_out * W_ex[f"L2.N1.w{j}"] * h_ex[j] * (1 - h_ex[j]) for j in (0, 1)]
gradient = {"L2.N1.w0": d_out * h_ex[0], "L2.N1.w1": d_out * h_ex[1], "L2.N1.b": d_out}
for j in (1, 2):
    gradient[f"L1.N{j}.w0"] = d_hidden[j - 1] * x_ex[0]
    gradient[f"L1.N{j}.w1"] = d_hidden[j - 1] * x_ex[1]
    gradient[f"L1.N{j}.b"] = d_hidden[j - 1]
delta_w = {label: -alpha_ex * g for label, g in gradient.items()}

# %% wrong="7.3"
def sig(t):
    return 1 / (1 + math.exp(-t))

h_ex = [sig(W_ex[f"L1.N{j}.b"] + W_ex[f"L1.N{j}.w0"] * x_ex[0] + W_ex[f"L1.N{j}.w1"] * x_ex[1])
        for j in (1, 2)]
y_ex = sig(W_ex["L2.N1.b"] + W_ex["L2.N1.w0"] * h_ex[0] + W_ex["L2.N1.w1"] * h_ex[1])
d_out = (y_ex - d_ex) * y_ex * (1 - y_ex)
d_hidden = [d_out * W_ex[f"L2.N1.w{j}"] * h_ex[j] * (1 - h_ex[j]) for j in (0, 1)]
gradient = {"L2.N1.w0": d_out * h_ex[0], "L2.N1.w1": d_out * h_ex[1], "L2.N1.b": d_out}
for j in (1, 2):
    gradient[f"L1.N{j}.w0"] = d_hidden[j - 1] * x_ex[0]
    gradient[f"L1.N{j}.w1"] = d_hidden[j - 1] * x_ex[1]
    gradient[f"L1.N{j}.b"] = d_hidden[j - 1]
delta_w = {label: alpha_ex * g for label, g in gradient.items()}      # uphill: +α
