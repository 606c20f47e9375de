"""The teaching tools around the engine: they read a graph and show it, they never change the math.

``walk`` collects a graph's nodes and edges for display; ``labels`` owns the grammar of the
labels ``nn`` writes (``L1.N3.w0``) and the lecture's names for them (w₁₃⁽⁰⁾); ``names``
names nodes and formats numbers for every tool; ``draw`` (with ``drawing`` and ``style``)
turns a graph into a Graphviz drawing, ``fold`` groups it by neuron or layer, ``text``
prints it as plain text; ``chain`` (with ``paths``) computes the chain rule path by path
and the δ terms, ``explain`` writes that as text and Markdown; ``stepper`` runs backward
one node at a time and ``player`` writes that as a self-contained HTML page.
Everything here imports the engine (``autodiff.value``, ``autodiff.graph``, ...), never
the other way round; the public names are importable from ``autodiff`` itself.
"""
