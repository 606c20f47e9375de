# %% [markdown]
# Solutions to notebook 06, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="6.1"
def sigmoid_slope(z):
    """σ′(z), written with σ(z) = 1 / (1 + e⁻ᶻ)."""
    s = 1 / (1 + math.exp(-z))
    return s * (1 - s)

# %% wrong="6.1"
def sigmoid_slope(z):
    """z in place of σ(z)."""
    return z * (1 - z)

# %% solution="6.2"
def tanh_slope(z):
    """tanh′(z), written with tanh(z)."""
    t = math.tanh(z)
    return 1 - t * t

# %% wrong="6.2"
def tanh_slope(z):
    """Not squared."""
    return 1 - math.tanh(z)
