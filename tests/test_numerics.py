"""Tolerances follow the numerics (issue 15): every numerically sound variant of a loss or a sigmoid earns full
marks on the value checks, and loses the extremes checks only where it really differs; every dtype a function can
return is described truthfully, its numbers read wherever they are numbers.

They run in this process (see harness.py), with Hypothesis drawing the variants.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from harness import by_id, grade_functions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks.values import is_of_type, numbers
from autograder.checks.words import show
from autograder.i18n.messages import say
from autograder.sandboxed.answers import Result, crossed
from autograder.sandboxed.describe import describe

EPSILONS = st.floats(1e-12, 1e-7)
QUICK = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BCE_VALUE_CHECKS = {
    "bce.fixed_values",
    "bce.random_float32",
    "bce.soft_labels_float64",
    "bce.gradient",
    "bce.gradcheck",
}
NP_VALUE_CHECKS = {"np.loss_values", "np.loss_float"}


def _torch_loss(eps: float, form: str, in_float32: bool):
    """A sound bce_loss: an epsilon inside each log, written as log, log1p or with the sum divided by N."""

    def bce_loss(y_pred, y_true):
        if y_pred.shape != y_true.shape:
            raise ValueError("the shapes differ")
        p = y_pred.float() if in_float32 and y_pred.dtype == torch.float32 else y_pred
        if form == "log1p":
            log_p, log_q = torch.log(p + eps), torch.log1p(-p + eps)
        else:
            log_p, log_q = torch.log(p + eps), torch.log(1 - p + eps)
        terms = y_true * log_p.clamp(min=-100) + (1 - y_true) * log_q.clamp(min=-100)
        return -(terms.sum() / terms.numel() if form == "sum_over_n" else terms.mean())

    return bce_loss


@QUICK
@given(EPSILONS, st.sampled_from(["log", "log1p", "sum_over_n"]), st.booleans(), st.sampled_from([0, 1, 7]))
def test_an_epsilon_in_the_torch_log_loses_only_the_extremes(eps, form, in_float32, seed):
    outcomes = by_id(grade_functions({"bce_loss": _torch_loss(eps, form, in_float32)}, exercise=2, seed=seed))
    assert all(outcomes[check].passed for check in BCE_VALUE_CHECKS), [
        (check, say(outcomes[check].message)) for check in BCE_VALUE_CHECKS if not outcomes[check].passed
    ]
    # -log(eps) <= 28 where the clamp gives 100, in either dtype
    assert not outcomes["bce.extreme_probabilities"].passed and not outcomes["bce.extreme_probabilities_float64"].passed


def _numpy_loss(eps: float, form: str):
    """A sound bce_loss_np: an epsilon inside each log; log-sum-exp-free, log1p, or a reversed sum."""

    def bce_loss_np(p, y):
        if form == "log1p":
            terms = y * np.log(p + eps) + (1 - y) * np.log1p(-p + eps)
        else:
            terms = y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)
        if form == "reversed_sum":
            return -math.fsum(terms[::-1]) / len(terms)
        return -np.mean(terms)  # np.float64: a Python float by isinstance

    return bce_loss_np


@QUICK
@given(EPSILONS, st.sampled_from(["log", "log1p", "reversed_sum"]), st.sampled_from([0, 1, 7]))
def test_an_epsilon_in_the_numpy_log_loses_only_the_extremes(eps, form, seed):
    select = lambda exercise, check: check.id.startswith("np.loss")  # noqa: E731
    outcomes = by_id(grade_functions({"bce_loss_np": _numpy_loss(eps, form)}, exercise=6, seed=seed, select=select))
    assert all(outcomes[check].passed for check in NP_VALUE_CHECKS), [
        (check, say(outcomes[check].message)) for check in NP_VALUE_CHECKS if not outcomes[check].passed
    ]
    assert not outcomes["np.loss_extremes"].passed and not outcomes["np.loss_extremes_float32"].passed


def _sigmoid_np(form: str):
    def sigmoid_np(z):
        if form == "logaddexp":
            return np.exp(-np.logaddexp(0, -z)).astype(z.dtype)
        if form == "tanh":
            return (0.5 * (1 + np.tanh(z / 2))).astype(z.dtype)
        small = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + small), small / (1 + small)).astype(z.dtype)

    return sigmoid_np


@pytest.mark.parametrize("form", ["logaddexp", "tanh", "where"])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_sound_numpy_sigmoids_earn_full_marks(form, seed):
    select = lambda exercise, check: check.id.startswith("np.sigmoid")  # noqa: E731
    outcomes = grade_functions({"sigmoid_np": _sigmoid_np(form)}, exercise=6, seed=seed, select=select)
    assert all(o.passed for o in outcomes), [(o.check_id, say(o.message)) for o in outcomes if not o.passed]


def _sigmoid_abs_where(z):
    small = torch.exp(-torch.abs(z))
    return torch.where(z >= 0, 1 / (1 + small), small / (1 + small))


def _sigmoid_clip500(z):
    return 1 / (1 + torch.exp(-torch.clamp(z, -500, 500)))


@pytest.mark.parametrize("seed", [0, 1, 7, 20240615])
def test_kinks_and_float32_overflow_are_tried_at_every_seed(seed):
    assert not by_id(grade_functions({"sigmoid": _sigmoid_abs_where}, exercise=1, seed=seed))["sigmoid.gradient"].passed
    clipped = by_id(grade_functions({"sigmoid": _sigmoid_clip500}, exercise=1, seed=seed))
    assert not clipped["sigmoid.gradient_extreme"].passed


@pytest.mark.parametrize("seed", [0, 1, 7, 20240615])
def test_a_prediction_with_strict_greater_loses_on_the_boundary(seed):
    def predict(model, x, threshold=0.5):
        with torch.no_grad():
            return (model(x) > threshold).float()

    outcomes = by_id(grade_functions({"predict": predict}, exercise=5, seed=seed))
    assert not outcomes["predict.default_threshold"].passed


@pytest.mark.parametrize(
    "value, passes",
    [(np.float64(0.5), True), (0.5, True), (np.float32(0.5), False), (np.float16(0.5), False), (True, False)],
)
def test_a_python_float_is_judged_by_isinstance(value, passes):
    assert is_of_type(crossed(Result(out=describe(value))).out, "float") is passes


DTYPES = st.one_of(
    hnp.boolean_dtypes(),
    hnp.integer_dtypes(),
    hnp.unsigned_integer_dtypes(),
    hnp.floating_dtypes(),
    hnp.complex_number_dtypes(),
    hnp.datetime64_dtypes(),
    hnp.timedelta64_dtypes(),
    hnp.byte_string_dtypes(),
    hnp.unicode_string_dtypes(),
    hnp.array_dtypes(max_size=2),
)


def _real(array: np.ndarray) -> np.ndarray | None:
    """The numbers array holds, read as a person would, or None."""
    if array.dtype.kind in "biuf" and array.dtype.fields is None:
        return array.astype(np.float64)
    if array.dtype.kind == "c" and not np.any(array.imag):
        return array.real.astype(np.float64)
    return None


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)))
def test_every_numpy_dtype_is_described_truthfully(array):
    described = crossed(Result(out=describe(array))).out
    assert described.type == "ndarray" and described.dtype == array.dtype.name and described.shape == array.shape
    expected, got = _real(array), numbers(described)
    assert (got is None) == (expected is None)
    if expected is not None:
        np.testing.assert_array_equal(got, expected)
    if expected is None or not np.isnan(expected).any():
        assert "nan" not in say(show(described)), say(show(described))  # no nan shown that is not there


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        hnp.floating_dtypes(sizes=(32, 64)),
        hnp.array_shapes(max_dims=2, max_side=4),
        elements=st.floats(-1e4, 1e4, width=32),
    ),
    st.sampled_from(
        [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int64, torch.bool, torch.complex64]
    ),
)
def test_every_torch_dtype_is_described_truthfully(array, dtype):
    tensor = torch.from_numpy(array.astype(array.dtype.newbyteorder("="))).to(dtype)
    described = crossed(Result(out=describe(tensor))).out
    assert described.type == "tensor" and described.dtype == str(dtype).removeprefix("torch.")
    got = numbers(described)
    assert got is not None and got.shape == tuple(tensor.shape)  # real numbers: a complex64 with no imaginary part
    np.testing.assert_array_equal(got, tensor.to(torch.complex128 if dtype.is_complex else torch.float64).real)


def test_subclasses_and_objects_are_described_by_what_they_are():
    masked = describe(np.ma.masked_array([1.0, 2.0], mask=[False, True]))
    assert np.isnan(numbers(masked)[1]) and numbers(masked)[0] == 1  # a masked value is no number
    assert numbers(describe(np.array([0.5, 1], dtype=object))).tolist() == [0.5, 1.0]
    assert numbers(describe(np.array(["0.5"], dtype=object))) is None  # text is not read as a number
    assert say(show(describe(np.array([1 + 1j])))) == "an ndarray of shape (1,), complex128"

    class Probability(float):
        pass

    assert say(show(describe(Probability(0.25)))) == "the Probability 0.25"
    assert numbers(describe([Probability(0.25), np.float64(0.5)])).tolist() == [0.25, 0.5]
