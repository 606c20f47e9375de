"""The batched engine: one example's graph, run on every example at once with NumPy.

``vectorize(per_example, parameters)`` traces ``per_example`` once and generates NumPy code
from the ops' own formulas (read with arrays, :mod:`autodiff.batched.arrays`): a layer of
weighted sums is one matrix product, an activation over a layer one array call. NumPy is
the ``batched`` extra; nothing in the scalar engine imports this package.
"""

from .vectorize import Batched, vectorize

__all__ = ["Batched", "vectorize"]
