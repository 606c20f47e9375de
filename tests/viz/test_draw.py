"""draw_dot(): assertions on the DOT source, so no Graphviz program is needed (one test renders)."""

from __future__ import annotations

import base64
import math
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("graphviz")

from autodiff import GraphvizNotFoundError, Value, dot, draw_dot, render, to_svg, walk
from autodiff.viz.style import CONSTANT, FOLDED, HIGHLIGHT, INNER, OUTPUT, PARAMETER

MINUS = "\N{MINUS SIGN}"


def _edges(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, attributes) of every edge line of a DOT source."""
    return re.findall(r"^\t(\S+) -> (\S+)(?: \[(.*)\])?$", source, flags=re.M)


def _node(source: str, node_id: str) -> str:
    """The whole line defining ``node_id``."""
    (line,) = re.findall(rf"^\t{node_id} \[.*$", source, flags=re.M)
    return line


def _label(attributes: str) -> str:
    match = re.search(r'label=" (.*?) "', attributes)
    assert match, attributes
    return match.group(1)


def _num(x: float) -> str:
    return format(x, ".4g").replace("-", MINUS)


def _mul() -> tuple[Value, Value, Value, Value]:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    out = c.tanh()
    out.label = "out"
    out.backward()
    return a, b, c, out


def _ids(root: Value) -> dict[Value, str]:
    return {node: f"n{i}" for i, node in enumerate(walk(root).nodes)}


def test_value_nodes_show_label_data_and_grad() -> None:
    """Each value's box holds its label, its data and its grad."""
    a, b, c, out = _mul()
    source = draw_dot(out).source
    ids = _ids(out)
    for node in (a, b, c, out):
        line = _node(source, ids[node])
        assert f"<B>{node.label}</B>" in line
        assert f"data {_num(node.data)}" in line
        assert f"grad {_num(node.grad)}" in line


def test_every_input_edge_carries_the_local_derivative() -> None:
    """The edge a -> (*) reads ∂c/∂a = b; the edge c -> (tanh) reads 1 - tanh²."""
    a, b, c, out = _mul()
    source = draw_dot(out).source
    ids = _ids(out)
    labels = {(t, h): _label(attr) for t, h, attr in _edges(source) if "label" in attr}
    op_c, op_out = ids[c].replace("n", "op"), ids[out].replace("n", "op")
    assert labels[(ids[a], op_c)] == _num(b.data)
    assert labels[(ids[b], op_c)] == _num(a.data)
    assert labels[(ids[c], op_out)] == _num(1 - math.tanh(c.data) ** 2)
    # op -> output edges carry no number
    assert (op_c, ids[c], "") in _edges(source)


def test_formulas_on_edges() -> None:
    """formulas=True writes '∂c/∂a = b = −3' and the tanh rule in the output's name."""
    out = _mul()[3]
    source = draw_dot(out, formulas=True).source
    labels = [_label(attr) for _, _, attr in _edges(source) if "label" in attr]
    assert f"∂c/∂a = b = {MINUS}3" in labels
    assert "∂c/∂b = a = 2" in labels
    assert f"∂out/∂c = 1-out² = {_num(1 - out.data**2)}" in labels


def test_formula_names_for_unlabelled_nodes_and_constants() -> None:
    """Unlabelled computed nodes are v1, v2...; a constant is named by its number."""
    x = Value(4.0, label="x")
    y = (x * 3) ** 2
    labels = [
        _label(attr) for _, _, attr in _edges(draw_dot(y, formulas=True).source) if "label" in attr
    ]
    assert labels == ["∂v1/∂x = 3", "∂v1/∂3 = x = 4", "∂v2/∂v1 = 2·v1 = 24"]


def test_colours_by_role() -> None:
    """Named leaves, constants, computed nodes and the output each get their fill."""
    x = Value(1.5, label="x")
    inner = x * 2.0
    out = inner + 1.0
    out.backward()
    source = draw_dot(out).source
    ids = _ids(out)
    constant = inner.parents[1]
    assert f'BGCOLOR="{PARAMETER}"' in _node(source, ids[x])
    assert f'BGCOLOR="{CONSTANT}"' in _node(source, ids[constant])
    assert f'BGCOLOR="{INNER}"' in _node(source, ids[inner])
    assert f'BGCOLOR="{OUTPUT}"' in _node(source, ids[out])
    assert 'BORDER="2"' in _node(source, ids[out])


def test_shade_by_grad_sign_and_size() -> None:
    """Positive grads shade red, negative blue, zero white, the largest |grad| strongest."""
    p, q, z = Value(3.0, label="p"), Value(-1.0, label="q"), Value(0.0, label="z")
    out = p * q + z * 0.0  # grads: p -> -1, q -> 3, z -> 0, out -> 1
    out.backward()
    source = draw_dot(out, shade_by_grad=True).source
    ids = _ids(out)

    def fill(node: Value) -> tuple[int, int, int]:
        colour = re.search(r'BGCOLOR="#(\w\w)(\w\w)(\w\w)"', _node(source, ids[node]))
        assert colour
        return (int(colour[1], 16), int(colour[2], 16), int(colour[3], 16))

    assert fill(z) == (255, 255, 255)
    assert fill(q)[0] > fill(q)[2]  # grad 3 > 0: red
    assert fill(p)[2] > fill(p)[0]  # grad -1 < 0: blue
    assert fill(q)[1] < fill(out)[1] < 255  # |3| strongest, |1| lighter but coloured


def _mlp(sizes: list[int], unlabelled_inner: bool = False) -> Value:
    """A tiny MLP labelled as nn labels it; optionally with unlabelled nodes inside neurons."""
    xs: list[Value] = [Value(0.5 * i - 0.3, label=f"x{i}") for i in range(2)]
    for layer, size in enumerate(sizes, 1):
        outs = []
        for j in range(1, size + 1):
            name = f"L{layer}.N{j}"
            w = [Value(0.1 * (i + j) - 0.2, label=f"{name}.w{i}") for i in range(len(xs))]
            b = Value(0.05, label=f"{name}.b")
            if unlabelled_inner:
                z = b + sum((wi * xi for wi, xi in zip(w, xs)), Value(0.0))
            else:
                z = dot(w, xs, b)
            z.label = f"{name}.z"
            o = z.tanh()
            o.label = f"{name}.out"
            outs.append(o)
        xs = outs
    loss = (xs[0] - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


def test_fold_by_neuron() -> None:
    """fold='neuron' draws one box per neuron showing its out, and no parameter nodes."""
    loss = _mlp([3, 1])
    source = draw_dot(loss, fold="neuron").source
    boxes = re.findall(r"^\t(fold\d+) \[label=<.*?<B>(L\d\.N\d)</B>", source, flags=re.M)
    assert [name for _, name in boxes] == ["L1.N1", "L1.N2", "L1.N3", "L2.N1"]
    assert "L1.N1.w0" not in source and "L2.N1.b" not in source
    assert f'BGCOLOR="{FOLDED}"' in source
    box = dict((name, fid) for fid, name in boxes)
    out = next(n for n in walk(loss).nodes if n.label == "L2.N1.out")
    row = f": data {_num(out.data)} | grad {_num(out.grad)}"
    assert f'out <FONT COLOR="#555555">= a₁⁽²⁾</FONT>{row}' in _node(source, box["L2.N1"])
    edges = _edges(source)
    # inputs enter each layer-1 box once; boxes feed boxes; each edge into a neuron's box
    # carries ∂z/∂h, the weight on that input (issue 12: the number the lecture is about)
    assert sum(1 for t, h, a in edges if h == box["L1.N2"]) == 2
    weights = {n.label: n.data for n in walk(loss).nodes if n.label and ".w" in n.label}
    into = {(t, h): _label(a) for t, h, a in edges if h.startswith("fold")}
    assert into[(f"{box['L1.N1']}:o0", box["L2.N1"])] == _num(weights["L2.N1.w0"])
    assert into[(f"{box['L1.N3']}:o0", box["L2.N1"])] == _num(weights["L2.N1.w2"])
    x1 = next(f"n{i}" for i, n in enumerate(walk(loss).nodes) if n.label == "x1")
    assert into[(x1, box["L1.N2"])] == _num(weights["L1.N2.w1"])
    # the edge out of the last box into the loss's op still carries ∂(out-1)/∂out = 1
    assert any(t == f"{box['L2.N1']}:o0" and _label(a) == "1" for t, h, a in edges if a)


def test_fold_by_layer_and_unfold() -> None:
    """fold='layer' gives one box per layer; unfold keeps a scope expanded."""
    loss = _mlp([3, 2, 1])
    source = draw_dot(loss, fold="layer").source
    assert re.findall(r"<B>(L\d)</B>", source) == ["L1", "L2", "L3"]
    assert 'N1.out <FONT COLOR="#555555">= a₁⁽¹⁾</FONT>: data' in source
    assert 'N3.out <FONT COLOR="#555555">= a₃⁽¹⁾</FONT>: data' in source
    opened = draw_dot(loss, fold="layer", unfold=("L3",)).source
    assert re.findall(r"<B>(L\d)</B>", opened) == ["L1", "L2"]
    assert "<B>L3.N1.w0</B>" in opened
    neuron_open = draw_dot(loss, fold="neuron", unfold=("L2.N2",)).source
    assert "<B>L2.N2.z</B>" in neuron_open and "<B>L2.N1.z</B>" not in neuron_open
    with pytest.raises(ValueError, match="L9"):
        draw_dot(loss, fold="layer", unfold=("L9",))
    with pytest.raises(ValueError, match="neuron"):
        draw_dot(loss, fold="module")


def test_unlabelled_nodes_inside_a_neuron_fold_with_it() -> None:
    """A neuron built from unlabelled * and + nodes still folds into one box."""
    loss = _mlp([2, 1], unlabelled_inner=True)
    source = draw_dot(loss, fold="neuron").source
    members = re.findall(r"<B>(L\d\.N\d)</B> <FONT POINT-SIZE=\"11\">\((\d+) nodes\)", source)
    # per neuron: 2 w, b, 2 products, the 0 start, 2 partial sums, the bias sum (z), out
    assert members == [("L1.N1", "10"), ("L1.N2", "10"), ("L2.N1", "10")]


def test_nn_mlp_folds_by_its_labels() -> None:
    """The nn package's MLP labels its nodes so that fold='neuron' gives one box per neuron."""
    nn = pytest.importorskip("nn")
    model = nn.MLP(2, [3, 1])
    out = model([0.5, -1.0])
    source = draw_dot(out, fold="neuron").source
    assert re.findall(r"<B>(L\d\.N\d)</B>", source) == ["L1.N1", "L1.N2", "L1.N3", "L2.N1"]


def test_only_paths_to() -> None:
    """only_paths_to=a drops b and the nodes a does not reach."""
    a, b, _, out = _mul()
    source = draw_dot(out, only_paths_to=a).source
    assert "<B>a</B>" in source and "<B>c</B>" in source and "<B>b</B>" not in source
    labels = [_label(attr) for _, _, attr in _edges(source) if "label" in attr]
    assert labels == [_num(b.data), _num(1 - out.data**2)]
    formulas = draw_dot(out, only_paths_to=a, formulas=True).source
    assert f"∂c/∂a = b = {MINUS}3" in formulas  # b is not drawn but still named


def test_warning_for_big_unfolded_drawings() -> None:
    """More than max_nodes_warning unfolded nodes warns and names fold; folding silences it."""
    loss = _mlp([4, 4, 1])
    with pytest.warns(UserWarning, match="fold='neuron'"):
        draw_dot(loss, max_nodes_warning=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_dot(loss, fold="layer", max_nodes_warning=20)
        draw_dot(loss)  # 62 nodes: under the default 300


def test_highlight_nodes_and_edges() -> None:
    """Highlighted nodes get the highlight border; highlighted edges its colour, per slot."""
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    y.backward()
    source = draw_dot(y, highlight=y, highlight_edges=[(a, y, 1)]).source
    assert f'COLOR="{HIGHLIGHT}"' in _node(source, "n1")
    assert f'COLOR="{HIGHLIGHT}"' not in _node(source, "n0")
    into_op = [attr for t, h, attr in _edges(source) if (t, h) == ("n0", "op1")]
    assert [HIGHLIGHT in attr for attr in into_op] == [False, True]
    both = draw_dot(y, highlight=[a], highlight_edges=[(a, y)]).source
    assert all(HIGHLIGHT in attr for t, h, attr in _edges(both) if (t, h) == ("n0", "op1"))
    with pytest.raises(ValueError, match="not in the drawn graph"):
        draw_dot(y, highlight=Value(1.0))
    with pytest.raises(ValueError, match="no edge"):
        draw_dot(y, highlight_edges=[(y, a)])


def test_options_and_determinism() -> None:
    """rankdir, show_grad, number_format, grads= change the source; equal graphs, equal source."""
    a, *_, out = _mul()
    assert draw_dot(out).source == draw_dot(_mul()[3]).source
    assert "rankdir=TB" in draw_dot(out, rankdir="TB").source
    assert "grad " not in draw_dot(out, show_grad=False).source
    assert f"data {MINUS}6.000e+00" in draw_dot(out, number_format=".3e").source
    shown = draw_dot(out, grads={a: 42.0}).source
    assert "grad 42" in _node(shown, _ids(out)[a])


def test_missing_graphviz_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the graphviz Python package, the ImportError names the viz extra."""
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"backprop-lab\[viz\]"):
        draw_dot(Value(1.0))


def test_render_without_dot_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With no dot program on PATH, the source still builds and render explains the install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    digraph = draw_dot(_mul()[3])
    assert digraph.source.startswith("digraph")
    with pytest.raises(GraphvizNotFoundError) as error:
        render(digraph, tmp_path / "g.svg")
    for hint in ("apt-get install graphviz", "brew install graphviz", "winget", "conda"):
        assert hint in str(error.value)
    assert not (tmp_path / "g.svg").exists()


def test_notebook_display_without_dot_shows_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In Jupyter without dot the drawing displays the install hint and the text rendering."""
    out = _mul()[3]
    digraph = draw_dot(out, formulas=True)
    monkeypatch.setenv("PATH", str(tmp_path))
    bundle = digraph._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "brew install graphviz" in bundle["text/plain"]
    assert "∂c/∂a = b = -3" in bundle["text/plain"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is missing")
def test_notebook_display_with_dot_is_svg() -> None:
    """With dot the display is SVG, a PNG (untrusted JupyterLab shows no SVG) and a plain line."""
    bundle = draw_dot(_mul()[3])._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "image/png", "text/plain"}
    assert "<svg" in bundle["image/svg+xml"]
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    # no internal class path in what a notebook saves or a repr prints
    assert bundle["text/plain"] == "drawing of out (4 nodes)"
    assert "autodiff." not in repr(draw_dot(_mul()[3])) and "0x" not in repr(draw_dot(_mul()[3]))


def test_render_needs_a_format(tmp_path: Path) -> None:
    """A path without a suffix and no format= is refused before anything runs."""
    with pytest.raises(ValueError, match="suffix"):
        render(_mul()[3], tmp_path / "graph")


def test_importing_autodiff_does_not_import_graphviz() -> None:
    """graphviz is imported only when a drawing is made."""
    code = "import sys, autodiff; print('graphviz' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is missing")
def test_render_svg_and_png(tmp_path: Path) -> None:
    """With dot installed, render writes an SVG holding the labels and a PNG by suffix."""
    out = _mul()[3]
    path = render(out, tmp_path / "graph.svg", formulas=True)
    svg = path.read_text(encoding="utf-8")
    assert "<svg" in svg and "tanh" in svg and "∂c/∂a = b" in svg
    assert to_svg(out).count("<svg") == 1
    png = render(draw_dot(out), tmp_path / "graph.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_draw_and_render_name_a_non_value() -> None:
    """draw_dot on a model hints at calling it first; render on a number says what it wants."""
    pytest.importorskip("graphviz")
    import nn

    with pytest.raises(TypeError, match=r"call the model on an input first"):
        draw_dot(nn.MLP(2, [1], seed=0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="render: expected a Value or a drawing"):
        render(3, "x.svg")  # type: ignore[arg-type]


def _broken_dot(folder: Path) -> str:
    """A `dot` that exists but fails (a Graphviz whose plugin list is lost); the new PATH."""
    fake = folder / "dot"
    fake.write_text(
        "#!/bin/sh\necho 'Format: \"svg\" not recognized. No formats found.' >&2\nexit 1\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


def test_a_dot_that_fails_raises_the_graphviz_error_with_its_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """render with a broken dot raises GraphvizNotFoundError quoting Graphviz and the fix."""
    monkeypatch.setenv("PATH", _broken_dot(tmp_path))
    with pytest.raises(GraphvizNotFoundError) as error:
        render(draw_dot(_mul()[3]), tmp_path / "g.svg")
    message = str(error.value)
    assert 'Format: "svg" not recognized' in message and "exit status 1" in message
    assert "dot -c" in message and "\n" not in message
    assert not (tmp_path / "g.svg").exists()


def test_notebook_display_with_a_failing_dot_shows_the_hint_and_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In Jupyter a broken dot gives Graphviz's message, the fix and the text, not an error."""
    digraph = draw_dot(_mul()[3], formulas=True)
    monkeypatch.setenv("PATH", _broken_dot(tmp_path))
    bundle = digraph._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert 'Format: "svg" not recognized' in bundle["text/plain"]
    assert "dot -c" in bundle["text/plain"]
    assert "∂c/∂a = b = -3" in bundle["text/plain"]


def test_drawing_class_has_a_plain_stable_name() -> None:
    """draw_dot returns a Digraph subclass defined at module level: its repr is a plain name."""
    graphviz = pytest.importorskip("graphviz")
    digraph = draw_dot(_mul()[3])
    assert isinstance(digraph, graphviz.Digraph)
    assert type(digraph).__qualname__ == "Drawing" and "<locals>" not in repr(digraph)
    assert type(draw_dot(Value(1.0))) is type(digraph)


def test_auto_rankdir_turns_deep_chains_top_to_bottom_and_sizes_to_the_page() -> None:
    """A 20-op chain is drawn top to bottom, a neuron left to right; both get the page's width."""
    x = Value(0.5, label="x")
    chain = x
    for _ in range(20):
        chain = chain.tanh()
    deep = draw_dot(chain).source
    assert "rankdir=TB" in deep and 'size="10,60"' in deep
    wide = draw_dot(_mul()[3]).source
    assert "rankdir=LR" in wide and 'size="10,60"' in wide
    assert "rankdir=LR" in draw_dot(chain, rankdir="LR").source
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(chain, rankdir="sideways")


def test_auto_direction_lays_out_twice_only_small_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 60 nodes the shape decides: two trial layouts of a big graph took minutes."""
    from autodiff.viz import draw as draw_module

    calls: list[int] = []
    monkeypatch.setattr(draw_module, "_natural_widths", lambda dot: calls.append(1) or None)
    a = Value(0.5, label="a")
    small = a
    for _ in range(5):
        small = small * a
    draw_module.draw_dot(small, rankdir="auto")
    assert calls, "a small graph is measured both ways"
    calls.clear()
    big = a
    for _ in range(40):
        big = (big * a).tanh()
    draw_module.draw_dot(big, rankdir="auto")
    assert not calls, "an 81-node graph is not laid out twice"
