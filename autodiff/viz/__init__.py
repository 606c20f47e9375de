"""The teaching tools around the engine: they read a graph and show it, they never change the math.

``walk`` collects a graph's nodes and edges for display; ``names`` names nodes and formats
numbers for every tool; ``draw`` (with ``drawing`` and ``style``) turns a graph into a
Graphviz drawing, ``fold`` groups it by neuron or layer, ``text`` prints it as plain text;
``explain`` (with ``paths``) spells out the chain rule path by path; ``stepper`` runs
backward one node at a time and ``player`` writes that as a self-contained HTML page.
Everything here imports the engine (``autodiff.value``, ``autodiff.graph``, ...), never
the other way round; the public names are importable from ``autodiff`` itself.
"""
