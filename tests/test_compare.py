"""Comparisons give a verdict a student can act on, and recognise matching results."""

from __future__ import annotations

import numpy as np

from autograder.checks.compare import Close, Equal, Raises, RelativeError, SameForm, alike, all_of, show
from autograder.checks.properties import Finite, ItemsOfType, OwnCode
from autograder.i18n.messages import say
from autograder.lesson.data import digits_7_vs_9
from autograder.lesson.declarations.held_out import HeldOutAccuracy
from autograder.sandboxed.answers import Failed, Raised, Result
from autograder.sandboxed.describe import describe


def result(value) -> Result:
    return Result(out=describe(value))


def test_close_accepts_within_tolerance_and_explains_a_mismatch():
    expected = result(np.array([0.5, 0.25]))
    assert Close(rtol=1e-6).verdict(result(np.array([0.5, 0.25 + 1e-9])), expected).passed
    verdict = Close(rtol=1e-6).verdict(result(np.array([0.5, 0.3])), expected, "sigmoid")
    assert not verdict.passed
    assert say(verdict.detail) == (
        "expected an ndarray of shape (2,), float64: [0.5, 0.25]\n"
        "`sigmoid` returned an ndarray of shape (2,), float64: [0.5, 0.3] (largest difference 0.05)"
    )


def test_close_reads_as_many_numbers_in_another_shape_by_value_and_names_a_size_mismatch():
    expected = result(np.array([[0.1], [0.2], [0.3]]))
    assert Close().verdict(result(np.array([0.1, 0.2, 0.3])), expected).passed  # (3,) for (3, 1): the form check's
    assert Close().verdict(result(np.array([[0.1, 0.2, 0.3]])), expected).passed
    wrong = say(Close().verdict(result(np.array([0.1, 0.2, 0.4])), expected).detail)
    assert "largest difference 0.1" in wrong
    assert "(shape (4,) instead of (3, 1))" in say(Close().verdict(result(np.zeros(4)), expected).detail)
    detail = say(Close().verdict(result([1.0]), Result(out=describe(np.zeros((2, 2)))), "sigmoid").detail)
    assert detail == (
        "expected an ndarray of shape (2, 2), float64: [0, 0, 0, 0]\n"
        "`sigmoid` returned a list of 1: [1] (shape (1,) instead of (2, 2))"
    )


def test_close_judges_values_only_whatever_holds_them():
    import torch

    expected = Result(out=describe(torch.tensor([0.5, 0.25])))
    assert Close().verdict(result(np.array([0.5, 0.25])), expected).passed  # the form is another check's business
    assert Close().verdict(result(0.75), Result(out=describe(torch.tensor(0.75)))).passed
    assert not Close().verdict(result("0.5"), expected).passed


def test_close_counts_nan_as_wrong_but_matches_another_nan():
    expected, broken = result(np.array([0.0, 1.0])), result(np.array([np.nan, 1.0]))
    assert "nan or inf" in say(Close().verdict(broken, expected).detail)
    assert Close().matches(broken, result(np.array([np.nan, 1.0])))


def test_a_one_number_tensor_compares_with_a_scalar():
    import torch

    assert Close().verdict(result(torch.tensor(0.75)), result(0.75)).passed


def test_equal_same_form_and_properties():
    assert say(
        Equal("linear_shape", "`{fn}` made a layer of shape {got}, not {expected}")
        .verdict(Result(linear_shape=(2, 1)), Result(linear_shape=(3, 1)), "train")
        .detail
    ) == ("`train` made a layer of shape (2, 1), not (3, 1)")
    detail = say(SameForm().verdict(result(np.zeros(2, np.float32)), result(np.zeros(2)), "sigmoid_np").detail)
    assert (
        detail
        == "expected an ndarray of shape (2,), float64\n`sigmoid_np` returned an ndarray of shape (2,), float32: [0, 0]"
    )
    assert not Finite("out").verdict(result(np.array([np.inf])), Result()).passed
    assert "torch.sigmoid" in say(OwnCode().verdict(Result(forbidden=("torch.sigmoid",)), Result()).detail)


def test_same_form_names_the_input_of_a_call_each_probe():
    check = SameForm("outs", inputs=("a float32 z", "a float64 z"))
    expected = Result(outs=(describe(np.zeros(2, np.float32)), describe(np.zeros(2))))
    assert check.verdict(Result(outs=(describe(np.zeros(2, np.float32)), describe(np.zeros(2)))), expected).passed
    wrong = Result(outs=(describe(np.zeros(2)), describe(np.zeros(2))))
    assert say(check.verdict(wrong, expected, "sigmoid").detail).startswith(
        "for a float32 z: expected an ndarray of shape (2,), float32"
    )
    raised = Result(outs=(Failed(Raised("KeyError", "'x'")), describe(np.zeros(2))))
    assert say(check.verdict(raised, expected, "sigmoid").detail) == "for a float32 z: `sigmoid` raised KeyError: 'x'"


def test_a_property_matches_another_result_only_when_the_observed_values_are_alike():
    floats = ItemsOfType("history", "float", "Python floats")
    tensors = Result(history=describe([np.float32(0.5), np.float32(0.25)]))
    numpy_floats = Result(history=describe([np.float64(0.5), np.float64(0.25)]))
    halves = Result(history=describe([np.float16(0.5), np.float16(0.25)]))
    assert floats.verdict(numpy_floats, Result()).passed  # np.float64 is a float by isinstance
    assert not floats.verdict(halves, Result()).passed and not floats.verdict(tensors, Result()).passed
    assert not floats.matches(halves, tensors)  # both fail, yet they are different mistakes
    assert floats.matches(numpy_floats, Result(history=describe([np.float64(0.5), np.float64(0.25)])))
    assert not OwnCode().matches(Result(forbidden=("a",)), Result(forbidden=("b",)))


def test_alike_compares_form_and_numbers():
    assert alike(describe(np.array([1.0, np.nan])), describe(np.array([1.0, np.nan])))
    assert not alike(describe(np.array([1.0])), describe(np.array([1.0], np.float32)))
    assert not alike(describe([1.0]), describe((1.0,)))
    assert not alike(describe(None), describe(np.zeros(1)))


def test_all_of_reports_the_first_failure():
    check = all_of(SameForm("out", ("type",)), Close())
    assert say(check.verdict(result(1.0), result(2.0), "accuracy").detail) == (
        "expected the float 2\n`accuracy` returned the float 1 (largest difference 1)"
    )


def test_raises_wants_the_named_error_with_the_word():
    check = Raises("ValueError", "shape")
    assert check.verdict(Result(error=Raised("ValueError", "Shapes differ")), Result()).passed
    assert not check.verdict(Result(error=Raised("TypeError", "shape")), Result()).passed
    assert "`bce_loss` returned the float 0.5" in say(check.verdict(result(0.5), {}, "bce_loss").detail)


def test_relative_error_bound():
    expected = result(np.array([1.0, -2.0]))
    assert RelativeError("out", 1e-6).verdict(result(np.array([1.0 + 1e-9, -2.0])), expected).passed
    assert "relative error" in say(RelativeError("out", 1e-6).verdict(result(np.array([1.1, -2.0])), expected).detail)


def test_held_out_accuracy_is_measured_on_the_test_split():
    split = digits_7_vs_9()
    w, *_ = np.linalg.lstsq(split.x_train, split.y_train.ravel() * 2 - 1, rcond=None)
    good = Result(weight=describe(w), bias=describe(np.zeros(1)))
    useless = Result(weight=describe(np.zeros_like(w)), bias=describe(np.array([-1.0])))  # always "7": 50%
    check = HeldOutAccuracy()
    assert check.accuracy(good) > 0.9 and check.accuracy(useless) == 0.5
    assert check.verdict(good, good).passed
    assert "held-out accuracy 0.500" in say(check.verdict(useless, good).detail)
    assert "expected 64 weights and one bias" in say(
        check.verdict(Result(weight=describe(np.zeros(3)), bias=describe(np.zeros(1))), good).detail
    )


def test_show_is_short():
    assert say(show(describe(np.arange(100.0)))).endswith("0, 1, 2, 3, 4, 5, ...]")
    assert say(show(describe([0.5, 0.25]))) == "a list of 2: [0.5, 0.25]"


def test_show_says_what_any_value_is():
    import torch

    assert say(show(describe(None))) == "None"
    assert say(show(describe(True))) == "the bool True"
    assert say(show(describe(np.float64(0.5)))) == "the float64 0.5"
    assert say(show(describe(10**400))) == "the int inf"
    assert say(show(describe(x for x in []))) == "a generator"
    assert say(show(describe([None, "a"]))) == "a list of 2 holding None, a str"
    assert say(show(describe(torch.zeros(2, device="meta")))) == "a tensor of shape (2,), float32 on meta"
    assert say(show(describe(torch.zeros(3, dtype=torch.complex64)))) == "a tensor of shape (3,), complex64: [0, 0, 0]"
    assert say(show(describe(torch.full((3,), 1j)))) == "a tensor of shape (3,), complex64"  # not numbers: no nan
