# %% [markdown]
# Solutions to notebook 11, for teachers. Each `solution` cell replaces the student cell of
# the same exercise id; each `wrong` cell is a typical mistake, which the check must call wrong
# (tests/test_notebooks.py runs both). See notebooks/README.md.

# %% solution="11.1"
class Softplus(UnaryOp):
    """y = ln(1 + eˣ); ∂y/∂x = eˣ / (1 + eˣ) = 1 / (1 + e⁻ˣ) = σ(x)."""

    name = "softplus"

    def output(self, m, x):
        return m.log(1 + m.exp(x))

    def derivatives(self, m, y, x):
        return (1 / (1 + m.exp(-x)),)


# %% wrong="11.1"
class Softplus(UnaryOp):
    """The chain rule stopped half-way: 1 / (1 + eˣ), without the inner eˣ."""

    name = "softplus"

    def output(self, m, x):
        return m.log(1 + m.exp(x))

    def derivatives(self, m, y, x):
        return (1 / (1 + m.exp(x)),)


# %% solution="11.2"
class Sin(UnaryOp):
    """y = sin(x); ∂y/∂x = cos(x)."""

    name = "sin"

    def output(self, m, x):
        return m.sin(x)

    def derivatives(self, m, y, x):
        return (m.cos(x),)


# %% wrong="11.2"
class Sin(UnaryOp):
    """The derivative with the wrong sign (−cos x is the local derivative of −sin x)."""

    name = "sin"

    def output(self, m, x):
        return m.sin(x)

    def derivatives(self, m, y, x):
        return (-m.cos(x),)
