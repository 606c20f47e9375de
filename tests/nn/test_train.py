"""fit(): XOR and moons learned, batch modes, early stopping, replay, splits, progress bar."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autodiff import Value
from nn import (
    MLP,
    SGD,
    EarlyStopping,
    Module,
    evaluate,
    fit,
    moons,
    sign_accuracy,
    signed,
    spirals,
    train_val_split,
    xor,
)
from nn import losses as nn_losses


def test_xor_learned_by_2_2_1_tanh_net() -> None:
    """A 2-2-1 tanh network learns XOR (seed 1; some seeds stall in a local minimum)."""
    X, labels = xor()
    d = signed(labels)
    model = MLP(2, [2, 1], "tanh", "tanh", seed=1)
    opt = SGD(model.parameters(), lr=0.5, momentum=0.9)
    history = fit(model, X, d, loss="mse", optimizer=opt, epochs=300, progress=False)
    outputs = [model(x).data for x in X]  # type: ignore[union-attr]
    assert [o > 0 for o in outputs] == [False, True, True, False]
    assert history.loss[-1] < 1e-3
    assert evaluate(model, X, d, "mse", sign_accuracy)[1] == 1.0


def test_moons_reach_full_training_accuracy() -> None:
    """micrograd's recipe (hinge + 1e-4 L2, lr 1.0 → 0.1 over 100 full-batch steps) reaches 100%."""
    X, labels = moons(100, noise=0.1, seed=1)
    y = signed(labels)
    model = MLP(2, [16, 16, 1], seed=1337)
    opt = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    history = fit(model, X, y, loss="hinge", optimizer=opt, epochs=100, l2=1e-4, progress=False)
    loss, accuracy = evaluate(model, X, y, "hinge")
    assert accuracy == 1.0
    assert history.accuracy[-1] == 1.0
    assert loss < history.loss[0] / 10
    assert history.stop_reason == "epochs"
    assert len(history.step_loss) == len(history.lr) == 100
    assert history.lr[0] == 1.0
    assert history.lr[-1] == pytest.approx(0.109)


@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_every_batch_mode_reduces_the_loss(batch_size: int | None) -> None:
    """Full-batch, stochastic and mini-batch descent each lower the loss from the same start."""
    X, labels = moons(40, noise=0.1, seed=2)
    y = signed(labels)
    model = MLP(2, [8, 1], seed=3)
    before, _ = evaluate(model, X, y, "hinge")
    lr = 0.5 if batch_size is None else 0.05
    history = fit(
        model,
        X,
        y,
        loss="hinge",
        optimizer=SGD(model.parameters(), lr=lr),
        epochs=15,
        batch_size=batch_size,
        progress=False,
    )
    after, _ = evaluate(model, X, y, "hinge")
    assert after < 0.7 * before
    updates_per_epoch = {None: 1, 1: 40, 8: 5}[batch_size]
    assert len(history.step_loss) == 15 * updates_per_epoch


def test_shuffling_is_seeded() -> None:
    """The same seed gives the same mini-batch history; another seed a different one."""

    def run(seed: int) -> list[float]:
        X, labels = moons(20, noise=0.1, seed=0)
        model = MLP(2, [4, 1], seed=0)
        return fit(
            model,
            X,
            signed(labels),
            loss="hinge",
            optimizer=SGD(model.parameters(), lr=0.1),
            epochs=2,
            batch_size=4,
            seed=seed,
            progress=False,
        ).step_loss

    assert run(5) == run(5)
    assert run(5) != run(6)


class _Scalar(Module):
    """A one-parameter model ``x ↦ w`` for loss curves we can compute by hand."""

    def __init__(self, w: float) -> None:
        self.w = Value(w, "w")

    def __call__(self, x: object) -> Value:
        return self.w

    def parameters(self) -> list[Value]:
        return [self.w]


def test_early_stopping_patience_restores_best_weights() -> None:
    """A diverging run stops after `patience` epochs without improvement and restores the best w."""
    model = _Scalar(0.0)
    # loss (w - 3)², lr 1.05: w overshoots further every step, so epoch 1 (w = 0) is the best
    history = fit(
        model,
        [[0.0]],
        [3.0],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=1.05),
        epochs=50,
        early_stopping=EarlyStopping(patience=3),
        progress=False,
    )
    assert history.stop_reason == "patience"
    assert history.epochs == 4
    assert history.best_epoch == 1
    assert history.loss[0] == 9.0
    assert history.restored_best
    assert model.w.data == 0.0
    assert "did not improve" in history.stop_message


def test_early_stopping_target_and_min_delta() -> None:
    """A target loss stops training once reached; min_delta counts tiny gains as no gain."""
    model = _Scalar(0.0)
    history = fit(
        model,
        [[0.0]],
        [3.0],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=0.1),
        epochs=100,
        early_stopping=EarlyStopping(target=0.01),
        progress=False,
    )
    # w_k = 3(1 - 0.8^k), loss 9·0.64^k: the first loss ≤ 0.01 is at k = 16, epoch 17
    assert history.stop_reason == "target"
    assert history.epochs == 17
    assert history.loss[-1] <= 0.01 < history.loss[-2]
    model = _Scalar(0.0)
    history = fit(
        model,
        [[0.0]],
        [3.0],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=0.01),
        epochs=100,
        early_stopping=EarlyStopping(patience=2, min_delta=1.0),
        progress=False,
    )
    # each step lowers the loss by 9(1 - 0.98²)·0.98^(2k) < 1: never a gain above min_delta
    assert history.stop_reason == "patience"
    assert history.epochs == 3


def test_validation_split_and_monitoring() -> None:
    """train_val_split is seeded and disjoint; fit records validation loss and accuracy."""
    X, labels = moons(30, noise=0.1, seed=4)
    y = signed(labels)
    X_train, y_train, X_val, y_val = train_val_split(X, y, 0.2, seed=9)
    assert (len(X_train), len(X_val)) == (24, 6)
    assert train_val_split(X, y, 0.2, seed=9)[2] == X_val
    assert sorted(map(tuple, X_train + X_val)) == sorted(map(tuple, X))
    model = MLP(2, [8, 1], seed=0)
    history = fit(
        model,
        X_train,
        y_train,
        loss="hinge",
        optimizer=SGD(model.parameters(), lr=0.3),
        epochs=4,
        validation=(X_val, y_val),
        early_stopping=EarlyStopping(patience=10),
        progress=False,
    )
    assert len(history.val_loss) == len(history.val_accuracy) == 4
    assert history.val_loss[-1] == pytest.approx(evaluate(model, X_val, y_val, "hinge")[0])


@pytest.mark.parametrize(
    ("batch_size", "loss", "l2"), [(None, "hinge", 1e-4), (8, "hinge", 0.0), (3, "mse", 1e-3)]
)
def test_replay_gives_the_same_history_as_rebuilding(
    batch_size: int | None, loss: str, l2: float
) -> None:
    """Training with graph replay gives exactly the history and weights of rebuilding each step."""
    pytest.importorskip("autodiff.tape")
    X, labels = moons(20, noise=0.1, seed=5)
    y = signed(labels)

    def run(replay: bool) -> tuple[list[float], list[float], list[float]]:
        model = MLP(2, [6, 6, 1], seed=2)
        history = fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=SGD(model.parameters(), lr=0.2, momentum=0.5),
            epochs=4,
            batch_size=batch_size,
            l2=l2,
            progress=False,
            engine="replay" if replay else "rebuild",
            accuracy=sign_accuracy,
        )
        return history.step_loss, history.accuracy, [p.data for p in model.parameters()]

    assert run(replay=True) == run(replay=False)


def test_progress_bar_on_off(capsys: pytest.CaptureFixture[str]) -> None:
    """progress=True draws a bar on stderr; False and the non-terminal default draw nothing."""
    pytest.importorskip("tqdm")
    X, labels = xor()
    for progress, shown in ((True, True), (False, False), (None, False)):
        model = MLP(2, [2, 1], seed=0)
        fit(model, X, signed(labels), loss="hinge", epochs=2, progress=progress)
        err = capsys.readouterr().err
        assert ("epoch" in err) is shown


def test_bad_arguments_are_refused() -> None:
    """Unknown losses, mismatched data and bad batch sizes raise clear errors."""
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="unknown loss 'huber'"):
        fit(model, [[0.0, 1.0]], [1.0], loss="huber")
    with pytest.raises(ValueError, match="2 examples but 1 targets"):
        fit(model, [[0.0, 1.0], [1.0, 0.0]], [1.0])
    with pytest.raises(ValueError, match="batch_size must be None or >= 1"):
        fit(model, [[0.0, 1.0]], [1.0], batch_size=0)
    with pytest.raises(ValueError, match="needs validation"):
        fit(model, [[0.0, 1.0]], [1.0], early_stopping=EarlyStopping(monitor="val_loss"))


def test_replay_with_class_indices_for_softmax() -> None:
    """Class-index targets replay as one-hot leaves; the run matches rebuilding to 1e-9.

    Not bit for bit: the softmax's max shift is frozen at record time under replay.
    """
    pytest.importorskip("autodiff.tape")
    X, labels = spirals(21, classes=3, seed=0)

    def run(replay: bool) -> tuple[list[float], list[float]]:
        model = MLP(2, [8, 3], seed=4)
        history = fit(
            model,
            X,
            labels,
            loss="softmax_ce",
            optimizer=SGD(model.parameters(), lr=0.3),
            epochs=3,
            batch_size=5,
            progress=False,
            engine="replay" if replay else "rebuild",
        )
        return history.step_loss, history.accuracy

    (loss_replayed, acc_replayed), (loss_rebuilt, acc_rebuilt) = run(True), run(False)
    assert loss_replayed == pytest.approx(loss_rebuilt, rel=1e-9)
    assert acc_replayed == acc_rebuilt


def test_a_non_finite_loss_stops_as_diverged() -> None:
    """A loss that overflows to infinity ends training with stop_reason 'diverged'."""
    model = _Scalar(1.0)

    def exploding(outputs: list[Value], targets: list[float]) -> Value:
        return outputs[0] * 1e308 * 10.0

    history = fit(model, [[0.0]], [0.0], loss=exploding, epochs=5, progress=False)
    assert history.stop_reason == "diverged"
    assert history.epochs == 1
    assert "became inf" in history.stop_message


def test_validation_monitor_restores_the_weights_it_measured() -> None:
    """With val_loss monitored, the restored weights are those after the best epoch."""
    model = _Scalar(0.0)
    # training pulls w toward 3, the validation target is 0: val loss rises after epoch 1
    history = fit(
        model,
        [[0.0]],
        [3.0],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=0.1),
        epochs=20,
        validation=([[0.0]], [0.0]),
        early_stopping=EarlyStopping(patience=2),
        progress=False,
    )
    assert history.stop_reason == "patience"
    assert history.best_epoch == 1
    assert history.epochs == 3
    assert model.w.data == pytest.approx(0.6)  # 0 - 0.1 · 2(0 - 3)
    assert evaluate(model, [[0.0]], [0.0], "mse")[0] == history.val_loss[0]


def test_fit_refuses_negative_epochs_and_a_non_optimizer() -> None:
    """fit names a negative epoch count and an optimizer given as a string."""
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="fit: epochs must be a whole number >= 0, got -1"):
        fit(model, [[0.0, 1.0]], [1.0], epochs=-1, progress=False)
    with pytest.raises(TypeError, match=r"fit: optimizer must be an nn optimizer .* got str"):
        fit(model, [[0.0, 1.0]], [1.0], optimizer="adam", epochs=1, progress=False)  # type: ignore[arg-type]


def test_numpy_arrays_train_like_lists() -> None:
    """fit on NumPy arrays (as sklearn's make_moons returns) gives the history lists give."""
    np = pytest.importorskip("numpy")
    X, labels = moons(30, noise=0.1, seed=4)
    y = signed(labels)
    from_lists = fit(MLP(2, [4, 1], seed=1), X, y, loss="hinge", epochs=3, progress=False)
    from_arrays = fit(
        MLP(2, [4, 1], seed=1), np.array(X), np.array(y), loss="hinge", epochs=3, progress=False
    )
    assert from_arrays.loss == from_lists.loss


def test_mismatched_validation_and_bad_stopping_rules_are_named() -> None:
    """A validation set with fewer targets than examples, and a negative patience, are refused."""
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="fit: validation has 2 examples but 1 targets"):
        fit(
            model,
            [[0.0, 1.0]],
            [1.0],
            validation=([[0.0, 1.0], [1.0, 0.0]], [1.0]),
            epochs=1,
            progress=False,
        )
    with pytest.raises(ValueError, match="EarlyStopping: patience must be None or a whole"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="EarlyStopping: min_delta must be >= 0"):
        EarlyStopping(min_delta=-0.5)


# --- issue 11: nothing silent, nothing lost -------------------------------------------------


def _moons_setup(n: int = 20) -> tuple[MLP, list[list[float]], list[float]]:
    X, labels = moons(n, noise=0.1, seed=3)
    return MLP(2, [4, 1], seed=1), X, signed(labels)


@pytest.mark.parametrize("replay", [False, True])
@pytest.mark.parametrize("batch_size", [None, 5])
def test_a_diverging_mse_run_returns_its_history(replay: bool, batch_size: int | None) -> None:
    """mse with lr = 10 diverges (to inf full-batch, to an OverflowError in ``**`` with batches
    of 5); either way fit stops as diverged, returns the History and keeps finite weights."""
    X, labels = moons(30, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1337)
    history = fit(
        model,
        X,
        signed(labels),
        loss="mse",
        optimizer=SGD(model.parameters(), lr=10.0),
        epochs=50,
        batch_size=batch_size,
        progress=False,
        engine="replay" if replay else "rebuild",
    )
    assert history.stop_reason == "diverged"
    assert f"epoch {history.epochs}" in history.stop_message
    assert 1 <= history.epochs < 50
    if batch_size == 5:
        assert "overflows a float" in history.stop_message
    # the model keeps the last finite weights: no update that made them non-finite is kept
    assert all(math.isfinite(p.data) for p in model.parameters())


def test_a_non_finite_parameter_stops_as_diverged() -> None:
    """A finite loss whose gradient is infinite makes w infinite: fit names it and the epoch."""
    model = _Scalar(4.0)

    def root(outputs: list[Value], targets: list[float]) -> Value:
        # d/dw sqrt(w - 4) is infinite at w = 4: the loss is 0.0, the step is -inf
        return (outputs[0] - 4.0).sqrt()

    history = fit(model, [[0.0]], [0.0], loss=root, epochs=5, progress=False)
    assert history.stop_reason == "diverged"
    assert "parameter 'w'" in history.stop_message
    assert "epoch 1" in history.stop_message
    assert model.w.data == 4.0  # the update that made it infinite was not kept


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "fast", None])
def test_a_bad_learning_rate_from_the_schedule_stops_as_diverged(bad: object) -> None:
    """A schedule returning NaN, inf or a non-number at step 3 stops training, naming the epoch."""
    model, X, y = _moons_setup()
    before: list[float] = []

    def schedule(k: int) -> object:
        if k == 3 and not before:
            before.extend(p.data for p in model.parameters())
        return bad if k >= 3 else 0.1

    opt = SGD(model.parameters(), lr=schedule)  # type: ignore[arg-type]
    history = fit(model, X, y, loss="hinge", optimizer=opt, epochs=10, progress=False)
    assert history.stop_reason == "diverged"
    assert "learning rate" in history.stop_message
    assert "epoch 4" in history.stop_message
    assert [p.data for p in model.parameters()] == before  # no step taken with it


def _relu_propagates_nan() -> bool:
    """Whether the engine's relu passes a NaN on (issue 11: the lead's engine fix)."""
    v = Value(0.0)
    v.data = float("nan")
    return math.isnan(v.relu().data)


@pytest.mark.skipif(
    not _relu_propagates_nan(),
    reason="relu of NaN returns 0.0 until the engine propagates NaN (issue 11, the lead's fix)",
)
def test_a_nan_model_stops_as_diverged() -> None:
    """An all-NaN model has a NaN hinge loss, which stops training as diverged in epoch 1."""
    model, X, y = _moons_setup()
    for p in model.parameters():
        p.data = float("nan")
    history = fit(model, X, y, loss="hinge", epochs=5, progress=False)
    assert history.stop_reason == "diverged"
    assert "loss became nan at epoch 1" in history.stop_message
    assert math.isnan(history.loss[0])


def _interrupting_schedule(at: int) -> Callable[[int], float]:
    def schedule(k: int) -> float:
        if k == at:
            raise KeyboardInterrupt
        return 0.5

    return schedule


@pytest.mark.parametrize("replay", [False, True])
def test_ctrl_c_returns_the_history_so_far(replay: bool) -> None:
    """A KeyboardInterrupt during fit ends it as 'interrupted' with the epochs done so far."""
    model, X, y = _moons_setup()
    opt = SGD(model.parameters(), lr=_interrupting_schedule(at=7))
    history = fit(
        model,
        X,
        y,
        loss="hinge",
        optimizer=opt,
        epochs=20,
        batch_size=5,
        progress=False,
        engine="replay" if replay else "rebuild",
    )
    assert history.stop_reason == "interrupted"
    assert history.epochs == 1  # 4 updates per epoch: interrupted during epoch 2
    assert len(history.step_loss) == 7
    assert "epoch 2" in history.stop_message


def test_ctrl_c_inside_a_step_keeps_the_update_whole() -> None:
    """An interrupt in the middle of optimizer.step() leaves the weights as before that step."""
    model, X, y = _moons_setup()

    class Flaky(SGD):
        def step(self) -> None:
            if self.steps == 2:
                self.params[0].data += 1.0  # half an update, then Ctrl-C
                raise KeyboardInterrupt
            super().step()

    opt = Flaky(model.parameters(), lr=0.1)
    after_two: list[float] = []

    def watch(outputs: list[Value], targets: list[float]) -> Value:
        if opt.steps == 2 and not after_two:
            after_two.extend(p.data for p in model.parameters())
        return nn_losses.hinge(outputs, targets)

    history = fit(model, X, y, loss=watch, optimizer=opt, epochs=5, progress=False)
    assert history.stop_reason == "interrupted"
    assert len(history.step_loss) == len(history.lr) == 2  # the third was cut short, undone
    assert "after 2 complete epochs and 2 updates" in history.stop_message
    assert [p.data for p in model.parameters()] == after_two


def test_ctrl_c_restores_the_best_weights_when_asked() -> None:
    """Interrupted with early stopping's restore_best, the best epoch's weights come back."""
    model = _Scalar(0.0)
    starts: dict[int, float] = {}  # w when update k is computed: the start of epoch k + 1

    def schedule(k: int) -> float:
        starts.setdefault(k, model.w.data)
        if k == 6:
            raise KeyboardInterrupt
        return 0.1 if k < 2 else 2.0  # two good steps, then w overshoots and the loss rises

    history = fit(
        model,
        [[0.0]],
        [3.0],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=schedule),
        epochs=20,
        early_stopping=EarlyStopping(patience=10),
        progress=False,
    )
    assert history.stop_reason == "interrupted"
    assert history.restored_best
    assert history.best_epoch is not None
    assert history.best_epoch == 3  # loss (1.08 - 3)² before w overshoots
    assert model.w.data == starts[history.best_epoch - 1] == pytest.approx(1.08)


def _bad_data(kind: str) -> tuple[list[list[float]], list[float], str]:
    X, labels = moons(40, noise=0.1, seed=3)
    y = signed(labels)
    if kind == "label":
        y[33] = 0.0
        return X, y, "example 33"
    if kind == "nan":
        X[37][1] = float("nan")
        return X, y, "example 37"
    X[29] = [0.1, 0.2, 0.3]
    return X, y, "example 29"


@pytest.mark.parametrize("kind", ["label", "nan", "length"])
def test_bad_data_anywhere_is_refused_up_front_with_or_without_replay(kind: str) -> None:
    """A bad label, NaN input or long row late in the data: one error, with or without replay."""
    X, y, where = _bad_data(kind)
    messages = []
    for replay in (False, True):
        model = MLP(2, [4, 1], seed=1)
        before = [p.data for p in model.parameters()]
        with pytest.raises(ValueError) as error:
            fit(
                model,
                X,
                y,
                loss="hinge",
                epochs=2,
                batch_size=8,
                progress=False,
                engine="replay" if replay else "rebuild",
            )
        assert [p.data for p in model.parameters()] == before  # refused before any update
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert where in messages[0]
    assert messages[0].startswith("fit: ")


@pytest.mark.parametrize("dtype", ["int64", "float32", "bool"])
def test_numpy_label_arrays_train_like_lists(dtype: str) -> None:
    """Labels as NumPy int64, float32 or bool arrays train exactly as the same Python numbers."""
    np = pytest.importorskip("numpy")
    X, labels = moons(20, noise=0.1, seed=4)
    loss = {"int64": "softmax_ce", "float32": "hinge", "bool": "bce"}[dtype]
    sizes = [4, 2] if loss == "softmax_ce" else [4, 1]
    plain: list[object] = {
        "int64": list(labels),
        "float32": [float(v) for v in signed(labels)],
        "bool": [bool(v) for v in labels],
    }[dtype]
    array = np.array(plain, dtype=dtype)
    runs = []
    for targets in (plain, array):
        model = MLP(2, sizes, seed=1)
        history = fit(model, np.array(X), targets, loss=loss, epochs=2, progress=False)
        runs.append((history.loss, history.accuracy))
    assert runs[0] == runs[1]
    model = MLP(2, sizes, seed=1)
    assert evaluate(model, np.array(X), array, loss) == evaluate(model, X, plain, loss)


def test_progress_without_tqdm_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """fit(progress=True) without tqdm trains and warns once, naming how to install the bar."""
    import builtins

    import nn.train

    real_import = builtins.__import__

    def no_tqdm(name: str, *args: object, **kwargs: object) -> object:
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("No module named 'tqdm'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    monkeypatch.setattr(nn.train, "_warned_no_tqdm", False, raising=False)
    X, labels = xor()
    with pytest.warns(UserWarning, match=r"pip install.*train") as caught:
        fit(MLP(2, [2, 1], seed=0), X, signed(labels), loss="hinge", epochs=1, progress=True)
        fit(MLP(2, [2, 1], seed=0), X, signed(labels), loss="hinge", epochs=1, progress=True)
    assert len([w for w in caught if "tqdm" in str(w.message)]) == 1


def test_an_overflow_in_validation_stops_as_diverged() -> None:
    """The validation loss overflowing (in ``**``) ends training as diverged, naming val_loss."""

    class Line(Module):
        def __init__(self) -> None:
            self.w = Value(1.0, "w")

        def __call__(self, x: list[float]) -> Value:
            return self.w * x[0]

        def parameters(self) -> list[Value]:
            return [self.w]

    history = fit(
        Line(), [[0.0]], [0.0], loss="mse", epochs=3, validation=([[1e200]], [0.0]), progress=False
    )
    assert history.stop_reason == "diverged"
    assert history.stop_message.startswith("the val_loss overflowed at epoch 1: pow:")
    assert history.loss == [0.0]


def test_fit_l1_takes_the_hand_computed_step() -> None:
    """One SGD step with l1=0.1 moves each weight by −η(∂E/∂w + 0.1·sign w), worked by hand.

    The model is one linear neuron y = w0·x0 + w1·x1 + b on one example; with squared error
    E = (y − d)² (mse on one example), ∂E/∂wᵢ = 2(y − d)xᵢ and ∂E/∂b = 2(y − d).
    """
    model = MLP(2, [1], seed=0)
    w0, w1, b = (p.data for p in model.parameters())
    x, d, lr, alpha = [0.5, -1.5], 0.25, 0.1, 0.1
    y = w0 * x[0] + w1 * x[1] + b
    sign = [math.copysign(1.0, w) if w else 0.0 for w in (w0, w1, b)]
    expected = [
        p - lr * (2 * (y - d) * xi + alpha * s) for p, xi, s in zip((w0, w1, b), (*x, 1.0), sign)
    ]
    history = fit(
        model,
        [x],
        [d],
        loss="mse",
        optimizer=SGD(model.parameters(), lr=lr),
        epochs=1,
        l1=alpha,
        progress=False,
    )
    assert [p.data for p in model.parameters()] == pytest.approx(expected, rel=1e-12)
    assert history.loss[0] == pytest.approx((y - d) ** 2 + alpha * (abs(w0) + abs(w1) + abs(b)))
