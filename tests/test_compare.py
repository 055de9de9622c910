"""Comparisons give a verdict a student can act on, and recognise matching results."""

from __future__ import annotations

import numpy as np

from autograder.checks.compare import Close, Equal, Finite, HeldOutAccuracy, OwnCode, Raises, RelativeError, all_of, show
from autograder.data import digits_7_vs_9
from autograder.probes import describe


def result(value) -> dict:
    return {"out": describe(value)}


def test_close_accepts_within_tolerance_and_explains_a_mismatch():
    expected = result(np.array([0.5, 0.25]))
    assert Close(rtol=1e-6).verdict(result(np.array([0.5, 0.25 + 1e-9])), expected).passed
    verdict = Close(rtol=1e-6).verdict(result(np.array([0.5, 0.3])), expected)
    assert not verdict.passed
    assert "expected ndarray of shape (2,), float64: [0.5, 0.25]" in verdict.detail and "largest difference 0.05" in verdict.detail


def test_close_names_a_shape_or_kind_mismatch():
    expected = result(np.zeros((3, 1)))
    assert "expected shape (3, 1), got shape (3,)" in Close().verdict(result(np.zeros(3)), expected).detail
    assert "expected an ndarray, got a list" in Close().verdict(result([1.0]), {"out": describe(np.zeros((2, 2)))}).detail


def test_close_counts_nan_as_wrong_but_matches_another_nan():
    expected, broken = result(np.array([0.0, 1.0])), result(np.array([np.nan, 1.0]))
    assert "nan or inf" in Close().verdict(broken, expected).detail
    assert Close().matches(broken, result(np.array([np.nan, 1.0])))


def test_a_one_number_tensor_compares_with_a_scalar():
    import torch

    assert Close().verdict(result(torch.tensor(0.75)), result(0.75)).passed


def test_equal_and_properties():
    assert "dtype: expected float64, got float32" in Equal("out.dtype", "dtype").verdict(
        result(np.zeros(2, np.float32)), result(np.zeros(2))).detail
    assert not Finite("out").verdict(result(np.array([np.inf])), {}).passed
    assert "torch.sigmoid" in OwnCode().verdict({"forbidden": ["torch.sigmoid"]}, {}).detail
    assert OwnCode().matches({"forbidden": ["a"]}, {"forbidden": ["b"]})


def test_all_of_reports_the_first_failure():
    check = all_of(Equal("out.type", "type"), Close())
    assert check.verdict(result(1.0), result(2.0)).detail.startswith("expected 2, got 1")


def test_raises_wants_the_named_error_with_the_word():
    check = Raises("ValueError", "shape")
    assert check.verdict({"error": {"type": "ValueError", "message": "Shapes differ"}}, {}).passed
    assert not check.verdict({"error": {"type": "TypeError", "message": "shape"}}, {}).passed
    assert "but it returned 0.5" in check.verdict(result(0.5), {}).detail


def test_relative_error_bound():
    expected = result(np.array([1.0, -2.0]))
    assert RelativeError("out", 1e-6).verdict(result(np.array([1.0 + 1e-9, -2.0])), expected).passed
    assert "relative error" in RelativeError("out", 1e-6).verdict(result(np.array([1.1, -2.0])), expected).detail


def test_held_out_accuracy_is_measured_on_the_test_split():
    split = digits_7_vs_9()
    w, *_ = np.linalg.lstsq(split.x_train, split.y_train.ravel() * 2 - 1, rcond=None)
    good = {"weight": describe(w), "bias": describe(np.zeros(1))}
    useless = {"weight": describe(np.zeros_like(w)), "bias": describe(np.array([-1.0]))}  # always "7": 50%
    check = HeldOutAccuracy()
    assert check.accuracy(good) > 0.9 and check.accuracy(useless) == 0.5
    assert check.verdict(good, good).passed
    assert "held-out accuracy 0.500" in check.verdict(useless, good).detail
    assert "wrong shape" in check.verdict({"weight": describe(np.zeros(3)), "bias": describe(np.zeros(1))}, good).detail


def test_show_is_short():
    assert show(describe(np.arange(100.0))).endswith("0, 1, 2, 3, 4, 5, ...]")
    assert show(describe([0.5, 0.25])) == "list of 2: [0.5, 0.25]"
