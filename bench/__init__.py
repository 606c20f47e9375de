"""The benchmark suite: ``python -m bench`` (``make bench``) times our engine against
micrograd 0.1.0, PyTorch's scalar tensors (when installed) and hand-written floats,
in one process, with the garbage collector on and off, and writes
``bench/results/latest.json`` and ``latest.md``. See ``bench/__main__.py``.
"""
