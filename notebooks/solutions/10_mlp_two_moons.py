# %% [markdown]
# Solutions to notebook 10, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="10.1"
my_count = (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1     # layer 1 + layer 2 + output layer

# %% wrong="10.1"
my_count = 2 * 16 + 16 * 16 + 16 * 1                       # the biases forgotten

# %% solution="10.2"
def relu_slope(z):
    """d relu(z) / dz."""
    return 1.0 if z > 0 else 0.0

# %% wrong="10.2"
def relu_slope(z):
    """ReLU's value, not its slope."""
    return max(0.0, z)

# %% solution="10.3"
def hinge_slope(score, label):
    """∂/∂score of max(0, 1 − label · score)."""
    return -label if label * score < 1 else 0.0

# %% wrong="10.3"
def hinge_slope(score, label):
    """Forgets that the loss is flat beyond the margin."""
    return -label
