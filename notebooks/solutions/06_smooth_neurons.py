# %% [markdown]
# Solutions to notebook 06, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="6.1"
def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ)."""
    return 1 / (1 + math.exp(-z))

def sigmoid_slope(z):
    """σ′(z), written with sigmoid(z)."""
    s = sigmoid(z)
    return s * (1 - s)

# %% wrong="6.1"
def sigmoid(z):
    """The exponent's sign slipped: this is σ(−z) = 1 − σ(z)."""
    return 1 / (1 + math.exp(z))

def sigmoid_slope(z):
    """Right formula, on the wrong σ: its numbers equal σ′(z), which is why σ is checked too."""
    s = sigmoid(z)
    return s * (1 - s)

# %% solution="6.2"
def tanh_slope(z):
    """tanh′(z), written with tanh(z)."""
    t = math.tanh(z)
    return 1 - t * t

# %% wrong="6.2"
def tanh_slope(z):
    """Not squared."""
    return 1 - math.tanh(z)
