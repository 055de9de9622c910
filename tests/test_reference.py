"""The reference solutions against independent oracles: hand arithmetic, torch's built-ins, autograd.

The declared checks compare the reference with itself; these tests say whether it is right.
"""

from __future__ import annotations

import contextlib
import copy
import math
import warnings
from collections.abc import Iterator

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.lesson.data import toy_hours
from autograder.lesson.reference import reference

REF = reference()
FLOATS = (np.float32, np.float64)
LN3, LN9 = math.log(3), math.log(9)


# --- oracles and adapters -------------------------------------------------------------------


@contextlib.contextmanager
def strict_numpy() -> Iterator[None]:
    """Every NumPy warning and floating-point error raises, except underflow to 0 (the right answer)."""
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        yield


def assert_close_to(got: torch.Tensor, want: torch.Tensor, ulps: int = 4) -> None:
    """Same dtype and shape, within a few units in the last place; below the smallest
    normal number any value counts as 0 (torch.sigmoid flushes subnormal results)."""
    info = torch.finfo(want.dtype)
    torch.testing.assert_close(got, want, rtol=ulps * info.eps, atol=info.tiny)


def torch_sigmoid(z: np.ndarray) -> torch.Tensor:
    """The reference sigmoid on a tensor made from z; z must come back unchanged."""
    tensor = torch.from_numpy(z.copy())
    out = REF["sigmoid"](tensor)
    assert torch.equal(tensor, torch.from_numpy(z)), "sigmoid changed its input"
    return out


def numpy_sigmoid(z: np.ndarray) -> torch.Tensor:
    """The reference sigmoid_np under strict NumPy errors, as a tensor; z must come back unchanged."""
    given_z = z.copy()
    with strict_numpy():
        out = REF["sigmoid_np"](given_z)
    assert isinstance(out, np.ndarray), f"sigmoid_np returned a {type(out).__name__}"
    np.testing.assert_array_equal(given_z, z)
    return torch.from_numpy(out)


def torch_bce(p: np.ndarray, y: np.ndarray) -> float:
    """The reference bce_loss: a 0-dim tensor of the inputs' dtype, inputs unchanged."""
    p_t, y_t = torch.from_numpy(p.copy()), torch.from_numpy(y.copy())
    out = REF["bce_loss"](p_t, y_t)
    assert out.shape == () and out.dtype == p_t.dtype, (out.shape, out.dtype)
    assert torch.equal(p_t, torch.from_numpy(p)) and torch.equal(y_t, torch.from_numpy(y))
    return out.item()


def numpy_bce(p: np.ndarray, y: np.ndarray) -> float:
    """The reference bce_loss_np under strict NumPy errors: a Python float, inputs unchanged."""
    given_p, given_y = p.copy(), y.copy()
    with strict_numpy(), np.errstate(divide="ignore"):  # log(0) = -inf is allowed: it is clamped
        out = REF["bce_loss_np"](given_p, given_y)
    assert type(out) is float, f"bce_loss_np returned a {type(out).__name__}"
    np.testing.assert_array_equal(given_p, p)
    np.testing.assert_array_equal(given_y, y)
    return out


SIGMOIDS = pytest.mark.parametrize("sigmoid", [torch_sigmoid, numpy_sigmoid], ids=["sigmoid", "sigmoid_np"])
BCES = pytest.mark.parametrize("bce", [torch_bce, numpy_bce], ids=["bce_loss", "bce_loss_np"])


@st.composite
def scores(draw: st.DrawFn, low: float | None = None, high: float | None = None) -> np.ndarray:
    """float32 or float64 arrays of finite numbers, of 0 to 3 dimensions (empty ones included)."""
    dtype = draw(st.sampled_from(FLOATS))
    width = np.dtype(dtype).itemsize * 8
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False, width=width)
    return draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5), elements=elements))


@st.composite
def probabilities_and_labels(draw: st.DrawFn, low: float = 0.0, high: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """p in [low, high] and soft labels y in [0, 1], of one non-empty shape and one dtype."""
    dtype = draw(st.sampled_from(FLOATS))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    width = np.dtype(dtype).itemsize * 8
    p = draw(hnp.arrays(dtype, shape, elements=st.floats(low, high, width=width)))
    return p, draw(hnp.arrays(dtype, shape, elements=st.floats(0, 1, width=width)))


class TorchModel(torch.nn.Module):
    """LogisticRegression built on torch.sigmoid, recording whether autograd was on in each forward."""

    def __init__(self, weight: list[list[float]], bias: list[float], dtype: torch.dtype = torch.float64):
        super().__init__()
        self.linear = torch.nn.Linear(len(weight[0]), 1, dtype=dtype)
        with torch.no_grad():
            self.linear.weight.copy_(torch.tensor(weight))
            self.linear.bias.copy_(torch.tensor(bias))
        self.grad_enabled: list[bool] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.grad_enabled.append(torch.is_grad_enabled())
        return torch.sigmoid(self.linear(x))


def sgd_full_batch(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, lr: float) -> list[float]:
    """The lesson's loop with torch's own optimizer and loss: one step per epoch on all of x."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        loss = F.binary_cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return history


def loss_and_gradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, float]:
    """The mean BCE of sigma(X w + b) and its gradient in (w, b), by torch autograd in float64."""
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    loss = F.binary_cross_entropy(torch.sigmoid(torch.from_numpy(X) @ w_t + b_t), torch.from_numpy(y))
    dw, db = torch.autograd.grad(loss, (w_t, b_t))
    return loss.item(), dw.numpy(), db.item()


def stable_loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> float:
    """The mean BCE written as softplus terms: -log sigma(z) = log(1 + e^-z)."""
    z = X @ w + b
    return float(np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))


def regression_data(seed: int, n: int = 30, d: int = 5) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Random float64 (w, b, X, y) with 0/1 labels."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=d), float(rng.normal()), rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(np.float64)


# --- exercise 1 and sigmoid_np ----------------------------------------------------------------


@SIGMOIDS
@pytest.mark.parametrize("z, expected", [(0.0, 0.5), (LN3, 0.75), (-LN3, 0.25), (LN9, 0.9), (-LN9, 0.1)])
def test_sigmoid_of_ln_k_is_k_over_1_plus_k(sigmoid, z, expected):
    """sigma(ln k) = 1 / (1 + 1/k) = k / (1 + k)."""
    assert sigmoid(np.array(z)).item() == pytest.approx(expected, rel=1e-15, abs=1e-16)


@SIGMOIDS
@given(z=scores())
@example(z=np.array(0.25, dtype=np.float32))
@example(z=np.zeros((2, 0, 3), dtype=np.float64))
@example(z=np.array([-1e4, -1000, -104, -100, -89, -50, 0, 50, 89, 100, 1000, 1e4], dtype=np.float32))
@example(z=np.array([-1e300, -1e4, -745, -710, 0, 710, 745, 1e4, 1e300], dtype=np.float64))
def test_sigmoid_is_finite_and_equals_torch_sigmoid(sigmoid, z):
    """Any finite z, any shape, float32 or float64: torch.sigmoid's values, dtype and shape."""
    out = sigmoid(z)
    assert torch.isfinite(out).all()
    assert_close_to(out, torch.sigmoid(torch.from_numpy(z)))


@given(z=scores())
@example(z=np.array([-1e4, -1000, -100, -50, 0, 50, 100, 1000, 1e4], dtype=np.float32))
@example(z=np.array([-1e300, -745, -710, 0, 710, 745, 1e300], dtype=np.float64))
def test_sigmoid_gradient_is_sigma_times_one_minus_sigma(z):
    """d sigma / dz = sigma(z) (1 - sigma(z)) = sigma(z) sigma(-z), finite everywhere."""
    tensor = torch.from_numpy(z).requires_grad_(True)
    REF["sigmoid"](tensor).backward(torch.ones_like(tensor))
    assert torch.isfinite(tensor.grad).all()
    exact = torch.from_numpy(z)
    assert_close_to(tensor.grad, torch.sigmoid(exact) * torch.sigmoid(-exact))


def test_sigmoid_passes_gradcheck():
    z = torch.cat([torch.linspace(-8, 8, 17, dtype=torch.float64), torch.rand(20, dtype=torch.float64) * 16 - 8])
    assert torch.autograd.gradcheck(REF["sigmoid"], (z.requires_grad_(True),), eps=1e-6, atol=1e-7, rtol=1e-5)


# --- exercise 2 and bce_loss_np ---------------------------------------------------------------


@BCES
def test_bce_of_a_tiny_case_by_hand(bce):
    p, y = np.array([[0.9], [0.2], [0.6]]), np.array([[1.0], [0.0], [0.5]])
    by_hand = -(math.log(0.9) + math.log(1 - 0.2) + 0.5 * math.log(0.6) + 0.5 * math.log(1 - 0.6)) / 3
    assert bce(p, y) == pytest.approx(by_hand, rel=1e-14)


@BCES
def test_bce_clamps_each_log_at_minus_100(bce):
    """p = 0 or 1 against the wrong label costs exactly 100; against the right one, 0."""
    p, y = np.array([0.0, 1.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0, 1.0])
    assert bce(p, y) == pytest.approx((0 + 100 + 100 + 0) / 4, rel=1e-15)


@BCES
@pytest.mark.parametrize(
    "oracle", [F.binary_cross_entropy, torch.nn.BCELoss()], ids=["F.binary_cross_entropy", "nn.BCELoss"]
)
@given(p_y=probabilities_and_labels())
@example(p_y=(np.array([0, 1, 0, 1, 0.5], dtype=np.float32), np.array([0, 0, 1, 1, 1], dtype=np.float32)))
@example(p_y=(np.array([[0.0], [1.0], [0.3]]), np.array([[0.25], [0.75], [0.5]])))
def test_bce_equals_torch(bce, oracle, p_y):
    """torch's BCE (logs clamped at -100) on p in [0, 1], 0 and 1 included, and soft labels.

    1 - p is rounded in p's dtype, so log(1 - p) is right to about eps absolutely
    (torch computes log1p(-p)): that error is allowed on top of a relative one.
    """
    p, y = p_y
    want = oracle(torch.from_numpy(p), torch.from_numpy(y)).item()
    eps = float(np.finfo(p.dtype).eps)  # a Python float: pytest.approx refuses NumPy scalars as tolerances
    assert bce(p, y) == pytest.approx(want, rel=64 * eps, abs=4 * eps)


@pytest.mark.parametrize("p_shape, y_shape", [((4, 1), (4,)), ((4,), (4, 1))])
def test_bce_refuses_shapes_that_would_broadcast(p_shape, y_shape):
    with pytest.raises(ValueError, match="shape"):
        REF["bce_loss"](torch.full(p_shape, 0.5), torch.ones(y_shape))


@given(p_y=probabilities_and_labels(low=1 / 64, high=63 / 64))
def test_bce_gradient_is_p_minus_y_over_p_one_minus_p_n(p_y):
    p, y = (torch.from_numpy(a).double() for a in p_y)
    p.requires_grad_(True)
    REF["bce_loss"](p, y).backward()
    analytic = (p.detach() - y) / (p.detach() * (1 - p.detach()) * p.numel())
    torch.testing.assert_close(p.grad, analytic, rtol=1e-12, atol=1e-15)


# --- exercise 3 ---------------------------------------------------------------------------


def test_model_is_one_linear_layer_named_linear():
    model = REF["LogisticRegression"](3)
    [(name, layer)] = model.named_children()
    assert name == "linear" and type(layer) is torch.nn.Linear
    assert (layer.in_features, layer.out_features) == (3, 1)
    assert sorted(name for name, _ in model.named_parameters()) == ["linear.bias", "linear.weight"]
    default = REF["LogisticRegression"]().linear
    assert (default.in_features, default.out_features) == (1, 1)


@pytest.mark.parametrize("in_features, n", [(1, 4), (3, 5), (64, 7)])
def test_model_forward_is_sigmoid_of_x_w_transposed_plus_b(in_features, n):
    torch.manual_seed(in_features)
    model, x = REF["LogisticRegression"](in_features), torch.randn(n, in_features)
    out = model(x)
    assert out.shape == (n, 1)
    assert_close_to(out, torch.sigmoid(x @ model.linear.weight.T + model.linear.bias), ulps=16)


# --- exercise 4 ---------------------------------------------------------------------------


def toy_tensors(dtype: torch.dtype = torch.float64) -> tuple[torch.Tensor, torch.Tensor]:
    return tuple(torch.from_numpy(a).to(dtype) for a in toy_hours())


def random_set(seed: int = 0, n: int = 20, d: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, dtype=torch.float64, generator=g)
    return x, (x[:, :1] + 0.5 * torch.randn(n, 1, dtype=torch.float64, generator=g) > 0).double()


@pytest.mark.parametrize(
    "data, weight, bias",
    [(toy_tensors(), [[0.2]], [-0.1]), (random_set(), [[0.3, -0.2, 0.1]], [0.05])],
    ids=["toy", "random"],
)
@pytest.mark.parametrize("batch_size", [None, "all"], ids=["full_batch", "one_shuffled_batch"])
def test_training_equals_an_independent_sgd_loop(data, weight, bias, batch_size):
    """Full batch (or one batch of every example, in any order): the same losses and weights,
    to rounding (bce_loss and F.binary_cross_entropy round differently)."""
    (x, y), model = data, TorchModel(weight, bias)
    mirror = copy.deepcopy(model)
    history = REF["train"](model, x, y, epochs=40, lr=0.5, batch_size=len(x) if batch_size else None)
    assert history == pytest.approx(sgd_full_batch(mirror, x, y, epochs=40, lr=0.5), rel=1e-12)
    for got, want in zip(model.parameters(), mirror.parameters(), strict=True):
        torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-15)


def test_each_epoch_records_the_mean_loss_over_all_examples():
    """lr = 0, 3 examples in batches of 2 and 1: every epoch's value is the mean over all 3,
    neither the sum nor the mean of the two batch means."""
    x, y = (
        torch.tensor([[0.0], [1.0], [3.0]], dtype=torch.float64),
        torch.tensor([[0.0], [1.0], [0.0]], dtype=torch.float64),
    )
    model = TorchModel([[1.0]], [0.0])
    per_example = F.binary_cross_entropy(model(x), y, reduction="none").ravel().tolist()
    mean = sum(per_example) / 3
    for alone in range(3):  # the data tell the mean of batch means apart, whichever example is alone
        pair = [loss for i, loss in enumerate(per_example) if i != alone]
        assert abs((sum(pair) / 2 + per_example[alone]) / 2 - mean) > 0.1
    torch.manual_seed(0)
    history = REF["train"](model, x, y, epochs=6, lr=0.0, batch_size=2)
    assert history == pytest.approx([mean] * 6, rel=1e-12)


@pytest.mark.parametrize("batch_size", [None, 2])
def test_history_is_a_list_of_python_floats_one_per_epoch(batch_size):
    x, y = toy_tensors()
    model = TorchModel([[0.2]], [-0.1])
    history = REF["train"](model, x, y, epochs=7, lr=0.1, batch_size=batch_size)
    assert type(history) is list and len(history) == 7
    assert all(type(loss) is float for loss in history)
    assert len(model.grad_enabled) == 7 * (1 if batch_size is None else 2)  # a forward per mini-batch


def test_long_full_batch_training_approaches_the_max_margin_boundary():
    """Hours 1, 2, 3 -> 0, 0, 1 are separable: the loss falls monotonically towards 0 and
    gradient descent turns towards the max-margin separator, the boundary x = 2.5."""
    x, y = (torch.from_numpy(a) for a in toy_hours())
    model = TorchModel([[0.0]], [0.0], dtype=torch.float32)
    boundaries, history = [], []
    for epochs in (200, 1800):
        history += REF["train"](model, x, y, epochs=epochs, lr=1.0)
        boundaries.append(-model.linear.bias.item() / model.linear.weight.item())
    assert all(later < earlier for earlier, later in zip(history, history[1:], strict=False))  # each loss and the next
    assert history[0] == pytest.approx(math.log(2)) and history[-1] < 0.02
    assert 2 < boundaries[0] < boundaries[1] < 2.5
    assert 2.5 - boundaries[1] < 0.03


def test_mini_batches_are_shuffled_by_the_seed():
    x, y = toy_tensors()

    def history(seed: int) -> list[float]:
        torch.manual_seed(seed)
        return REF["train"](TorchModel([[0.2]], [-0.1]), x, y, epochs=10, lr=0.3, batch_size=1)

    assert history(0) == history(0)
    assert history(0) != history(1)


# --- exercise 5 ---------------------------------------------------------------------------

HOURS = torch.tensor([[0.5], [2.4], [2.5], [2.6], [8.0]])  # p = sigma(2x - 5): 0.018, 0.45, 0.5, 0.55, 1.0


@pytest.mark.parametrize(
    "threshold, expected",
    [(None, [0, 0, 1, 1, 1]), (0.5, [0, 0, 1, 1, 1]), (0.8, [0, 0, 0, 0, 1]), (0.3, [0, 1, 1, 1, 1])],
)
def test_predict_thresholds_the_probability(threshold, expected):
    """1 where p reaches the threshold (p = 0.5 exactly at x = 2.5 counts), as float labels, without autograd."""
    model = TorchModel([[2.0]], [-5.0], dtype=torch.float32)
    labels = REF["predict"](model, HOURS) if threshold is None else REF["predict"](model, HOURS, threshold)
    assert labels.dtype == torch.float32 and not labels.requires_grad
    assert torch.equal(labels, torch.tensor(expected, dtype=torch.float32).reshape(5, 1))
    assert model.grad_enabled == [False]


@pytest.mark.parametrize(
    "labels, y_true, right",
    [
        ([1, 0, 1, 1, 0], [1, 1, 1, 0, 0], 3),
        ([1, 0, 1, 1, 0], [1, 0, 1, 1, 0], 5),
        ([1, 0, 1, 1, 0], [0, 1, 0, 0, 1], 0),
        ([0, 0, 0, 0, 1], [0, 0, 0, 0, 0], 4),
    ],
)
def test_accuracy_is_the_fraction_of_equal_labels(labels, y_true, right):
    column = [torch.tensor(values, dtype=torch.float32).reshape(5, 1) for values in (labels, y_true)]
    got = REF["accuracy"](*column)
    assert type(got) is float and got == pytest.approx(right / 5)


@pytest.mark.parametrize("w, b, boundary", [(2.0, -5.0, 2.5), (-0.5, 1.0, 2.0), (4.0, 2.0, -0.5)])
def test_decision_boundary_is_minus_b_over_w(w, b, boundary):
    got = REF["decision_boundary"](TorchModel([[w]], [b], dtype=torch.float32))
    assert type(got) is float and got == pytest.approx(boundary)


# --- exercise 6: gradient and gradient descent ---------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_bce_grad_np_equals_autograd_and_central_differences(seed):
    w, b, X, y = regression_data(seed)
    given_args = copy.deepcopy((w, X, y))
    with strict_numpy():
        dw, db = REF["bce_grad_np"](w, b, X, y)
    for before, after in zip(given_args, (w, X, y), strict=True):
        np.testing.assert_array_equal(before, after)
    assert dw.shape == w.shape and type(db) is float
    _, auto_dw, auto_db = loss_and_gradient(w, b, X, y)
    np.testing.assert_allclose(dw, auto_dw, rtol=1e-12, atol=1e-15)
    assert db == pytest.approx(auto_db, rel=1e-12, abs=1e-15)
    h, unit = 1e-6, np.eye(len(w))
    central_dw = [(stable_loss(w + h * e, b, X, y) - stable_loss(w - h * e, b, X, y)) / (2 * h) for e in unit]
    central_db = (stable_loss(w, b + h, X, y) - stable_loss(w, b - h, X, y)) / (2 * h)
    np.testing.assert_allclose(dw, central_dw, rtol=1e-6, atol=1e-9)
    assert db == pytest.approx(central_db, rel=1e-6, abs=1e-9)


def gradient_descent(X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> tuple[np.ndarray, float, list[float]]:
    """fit_np's task with autograd's gradients: from zeros, the loss recorded before each step."""
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        loss, dw, db = loss_and_gradient(w, b, X, y)
        history.append(loss)
        w, b = w - lr * dw, b - lr * db
    return w, b, history


@pytest.mark.parametrize("data", ["toy", "random"])
def test_fit_np_equals_gradient_descent_by_autograd(data):
    if data == "toy":
        x, y = toy_hours()
        X, y = x.astype(np.float64), y.ravel().astype(np.float64)
    else:
        _, _, X, y = regression_data(7, n=40, d=4)
    given_X, given_y = X.copy(), y.copy()
    with strict_numpy():
        w, b, history = REF["fit_np"](X, y, lr=0.5, epochs=50)
    np.testing.assert_array_equal(X, given_X)
    np.testing.assert_array_equal(y, given_y)
    assert type(history) is list and len(history) == 50 and all(type(loss) is float for loss in history)
    assert history[0] == pytest.approx(math.log(2), rel=1e-15)  # p = 1/2 everywhere before the first step
    assert w.shape == (X.shape[1],) and isinstance(b, float)
    want_w, want_b, want_history = gradient_descent(X, y, lr=0.5, epochs=50)
    np.testing.assert_allclose(history, want_history, rtol=1e-12)
    np.testing.assert_allclose(w, want_w, rtol=1e-12, atol=1e-15)
    assert b == pytest.approx(want_b, rel=1e-12, abs=1e-15)
