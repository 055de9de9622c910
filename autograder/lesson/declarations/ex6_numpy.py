"""Exercise 6 checks: the NumPy track, with the gradient checked by central differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import Check, Exercise, Mistake, Probe, calls_each, numpy_call
from autograder.checks.compare import Close, RelativeError, SameForm, all_of
from autograder.checks.properties import Finite, InputsUnchanged, ItemsOfType, NoWarnings, SingleNumber
from autograder.i18n import N_
from autograder.lesson.data import digits_7_vs_9
from autograder.lesson.declarations.ex1_sigmoid import extreme_float32_z
from autograder.lesson.declarations.ex2_bce_loss import extreme_probabilities
from autograder.lesson.declarations.held_out import HeldOutAccuracy
from autograder.lesson.reference import reference
from autograder.sandboxed.answers import Result
from autograder.sandboxed.describe import describe


def _ref(name: str) -> Callable:
    return reference()[name]


def _fit(*, ascent: bool = False, after_step: bool = False) -> Callable:
    """fit_np with one classic slip, built on the reference's own loss and gradient."""

    def fit_np(X, y, *, lr=0.1, epochs=1000):
        w, b, history = np.zeros(X.shape[1], dtype=X.dtype), 0.0, []
        direction = 1 if ascent else -1
        for _ in range(epochs):
            if not after_step:
                history.append(_ref("bce_loss_np")(_ref("sigmoid_np")(X @ w + b), y))
            dw, db = _ref("bce_grad_np")(w, b, X, y)
            w, b = w + direction * lr * dw, b + direction * lr * db
            if after_step:
                history.append(_ref("bce_loss_np")(_ref("sigmoid_np")(X @ w + b), y))
        return w, b, history

    return fit_np


def _unclamped_loss(p: np.ndarray, y: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


SIGMOID_SIGN = Mistake("np.sigmoid_sign_flipped", {"sigmoid_np": lambda z: 1 / (1 + np.exp(z))})
SIGMOID_NAIVE = Mistake("np.sigmoid_overflow", {"sigmoid_np": lambda z: 1 / (1 + np.exp(-z))})
SIGMOID_RATIO = Mistake("np.sigmoid_exp_ratio", {"sigmoid_np": lambda z: np.exp(z) / (1 + np.exp(z))})
LOSS_SUMMED = Mistake("np.loss_summed", {"bce_loss_np": lambda p, y: _ref("bce_loss_np")(p, y) * np.size(p)})
LOSS_SIGN = Mistake("np.loss_sign_flipped", {"bce_loss_np": lambda p, y: -_ref("bce_loss_np")(p, y)})
LOSS_SWAPPED = Mistake("np.loss_swapped", {"bce_loss_np": lambda p, y: _ref("bce_loss_np")(y, p)})
LOSS_UNCLAMPED = Mistake("np.loss_unclamped", {"bce_loss_np": _unclamped_loss})
LOSS_EPSILON = Mistake(
    "np.loss_epsilon_clip", {"bce_loss_np": lambda p, y: _unclamped_loss(np.clip(p, 1e-7, 1 - 1e-7), y)}
)
GRAD_NO_MEAN = Mistake(
    "np.grad_missing_mean",
    {"bce_grad_np": lambda w, b, X, y: tuple(g * len(y) for g in _ref("bce_grad_np")(w, b, X, y))},
)
GRAD_SIGN = Mistake(
    "np.grad_sign_flipped", {"bce_grad_np": lambda w, b, X, y: tuple(-g for g in _ref("bce_grad_np")(w, b, X, y))}
)
FIT_ASCENT = Mistake("np.fit_ascent", {"fit_np": _fit(ascent=True)})
FIT_AFTER_STEP = Mistake("np.fit_history_after_step", {"fit_np": _fit(after_step=True)})
GRAD_MISTAKES = (GRAD_NO_MEAN, GRAD_SIGN)
EXTREME_LOSS_MISTAKES = (LOSS_UNCLAMPED, LOSS_EPSILON, LOSS_SUMMED, LOSS_SIGN, LOSS_SWAPPED)

TOY_EPOCHS, DIGITS_EPOCHS = 50, 200


def _extreme_z(rng: np.random.Generator) -> np.ndarray:
    """7 float64 z: 0, ±1000, and 4 drawn with 745 <= |z| <= 1e4 (exp overflows), in a drawn order."""
    drawn = rng.uniform(745, 1e4, size=2)
    return rng.permutation(np.concatenate([[0.0, -1000, 1000], drawn, -drawn]))


def _extremes_check(check_id: str, does: str, draw: Callable[[np.random.Generator], np.ndarray], close: Close) -> Check:
    """A 1-point check of sigmoid_np where exp overflows: finite, no NumPy warning, close to the reference."""
    return Check(
        check_id,
        1,
        does,
        lambda rng: numpy_call("sigmoid_np", draw(rng)),
        all_of(Finite("out"), NoWarnings(), close),
        (SIGMOID_NAIVE, SIGMOID_RATIO, SIGMOID_SIGN),
    )


def _extreme_loss(dtype: str) -> Callable[[np.random.Generator], Probe]:
    return lambda rng: numpy_call("bce_loss_np", *extreme_probabilities(rng, dtype))


BUILDS_ON = {"bce_grad_np": ("sigmoid_np", "bce_loss_np"), "fit_np": ("sigmoid_np", "bce_loss_np", "bce_grad_np")}


def _gradient_inputs(rng: np.random.Generator, again: bool = False) -> Probe:
    X = rng.normal(size=(30, 5))
    return numpy_call(
        "bce_grad_np",
        rng.normal(size=5),
        float(rng.normal()),
        X,
        (rng.random(30) < 0.5).astype(float),
        stand_ins=BUILDS_ON["bce_grad_np"],
        again=again,
    )


def _finite_differences(probe: Probe, h: float = 1e-6) -> Result:
    """The gradient of the reference's mean loss by central differences, in this process."""
    w, b, X, y = probe.args["args"]

    def loss(w: np.ndarray, b: float) -> float:
        return _ref("bce_loss_np")(_ref("sigmoid_np")(X @ w + b), y)

    dw = np.array([(loss(w + h * e, b) - loss(w - h * e, b)) / (2 * h) for e in np.eye(len(w))])
    db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    return Result(out=describe((dw, db)))


def _fit_toy(rng: np.random.Generator) -> Probe:
    """The toy set's kind with drawn values: 3 hours studied, sorted, from 0.5 to 5; fail, fail, pass."""
    return numpy_call(
        "fit_np",
        np.sort(rng.uniform(0.5, 5, size=(3, 1)), axis=0),
        np.array([0.0, 0.0, 1.0]),
        lr=0.5,
        epochs=TOY_EPOCHS,
        stand_ins=BUILDS_ON["fit_np"],
    )


def _fit_digits(rng: np.random.Generator) -> Probe:
    """The training digits, all but a drawn 10%, in a drawn order."""
    split = digits_7_vs_9()
    kept = rng.permutation(len(split.x_train))[: len(split.x_train) * 9 // 10]
    return numpy_call(
        "fit_np",
        split.x_train[kept].astype(np.float64),
        split.y_train.ravel()[kept].astype(np.float64),
        deadline_s=60.0,
        stand_ins=BUILDS_ON["fit_np"],
        lr=0.5,
        epochs=DIGITS_EPOCHS,
    )


FIT_TOY = _fit_toy


def _loss_values(rng: np.random.Generator) -> Probe:
    """bce_loss_np(p, y) for 50 random p in (0, 1) and labels 0/1."""
    return numpy_call("bce_loss_np", rng.uniform(0.02, 0.98, size=50), (rng.random(50) < 0.5).astype(float))


EXERCISE = Exercise(
    number=6,
    module="ex6_numpy",
    title="NumPy from scratch",
    names=("sigmoid_np", "bce_loss_np", "bce_grad_np", "fit_np"),
    checks=(
        Check(
            "np.sigmoid_values",
            2,
            "sigmoid_np(z) for 200 random float64 z in [-20, 20]",
            lambda rng: numpy_call("sigmoid_np", rng.uniform(-20, 20, size=200)),
            # float64, condition |z|(1 - sigma) <= 20: every sound form (naive, tanh, logaddexp) agrees to 1e-14
            Close(rtol=1e-10, atol=1e-12),
            (SIGMOID_SIGN,),
        ),
        _extremes_check(
            "np.sigmoid_extremes",
            "sigmoid_np(z) for 7 z from -1e4 to 1e4 where exp(|z|) overflows, and 0",
            _extreme_z,
            Close(rtol=1e-10, atol=1e-12),
        ),
        _extremes_check(
            "np.sigmoid_extremes_float32",
            "sigmoid_np(z) for 10 float32 z from -1e4 to 1e4, where exp(|z|) overflows past 88: no warning",
            extreme_float32_z,
            Close(rtol=1e-5, atol=1e-30),  # float32 carries 7 digits: sound formulas differ in the last place
        ),
        Check(
            "np.sigmoid_dtype",
            1,
            "sigmoid_np(z) for a float32 z of shape (3, 4) and a float64 z of shape (200,): the result's form",
            lambda rng: calls_each(
                "sigmoid_np",
                (rng.uniform(-3, 3, size=(3, 4)).astype(np.float32),),
                (rng.uniform(-20, 20, size=200),),
                tensors=False,
            ),
            SameForm("outs", inputs=("a float32 z of shape (3, 4)", "a float64 z of shape (200,)")),
            requires="np.sigmoid_values",
        ),
        Check(
            "np.loss_values",
            2,
            "bce_loss_np(p, y) for 50 random p in (0, 1) and labels 0/1",
            _loss_values,
            # |dL/dp| <= 1/(0.02 N) per element at p in [0.02, 0.98]: an epsilon <= 1e-7 in the log moves L by 5e-6
            Close(rtol=1e-5, atol=1e-6),
            (LOSS_SUMMED, LOSS_SIGN, LOSS_SWAPPED),
        ),
        Check(
            "np.loss_float",
            1,
            "bce_loss_np(p, y) for 50 random p and labels: the type of the result",
            _loss_values,
            SameForm("out", ("type",)),
            requires="np.loss_values",
        ),
        Check(
            "np.loss_extremes",
            1,
            "bce_loss_np(p, y) for float64 p of 0s and 1s with both labels and one p in (0, 1)",
            _extreme_loss("float64"),
            # p = 0 or 1 gives log terms of -100: an epsilon or a clip (-log(eps) <= 28) is off by > 14 / 5
            all_of(Finite("out"), Close(rtol=1e-6, atol=1e-6)),
            EXTREME_LOSS_MISTAKES,
        ),
        Check(
            "np.loss_extremes_float32",
            1,
            "bce_loss_np(p, y) for float32 p of 0s and 1s with both labels and one p in (0, 1)",
            _extreme_loss("float32"),
            # a loss of about 40 summed in float32 (eps 1.2e-7) or in float64 agrees to 1e-5; e^-100 as a float32
            # clip bound is a subnormal, 1.6% off, which moves the loss by 7e-3
            all_of(Finite("out"), Close(rtol=1e-5, atol=1e-5)),
            EXTREME_LOSS_MISTAKES,
        ),
        Check(
            "np.grad_values",
            2,
            "bce_grad_np(w, b, X, y) for random w (5,), b, X (30, 5), y (30,)",
            _gradient_inputs,
            # sums of 30 float64 terms (p - y) x in any order: 1e-14 off, the atol for a component that cancels to ~0
            all_of(Close("out.items.0", rtol=1e-8, atol=1e-12), Close("out.items.1", rtol=1e-8, atol=1e-12)),
            GRAD_MISTAKES,
        ),
        Check(
            "np.grad_finite_differences",
            2,
            "bce_grad_np(w, b, X, y) against central differences of the mean loss (h = 1e-6)",
            _gradient_inputs,
            all_of(RelativeError("out.items.0", 1e-6), RelativeError("out.items.1", 1e-6)),
            GRAD_MISTAKES,
            expect=_finite_differences,
        ),
        Check(
            "np.grad_shapes",
            1,
            "bce_grad_np(w, b, X, y): the shapes of dw and db",
            _gradient_inputs,
            all_of(
                SameForm("out", ("type", "length")),
                SameForm("out.items.0", ("type", "shape")),
                SingleNumber("out.items.1", "db"),
            ),
            requires="np.grad_values",
        ),
        Check(
            "np.fit_history",
            2,
            f"fit_np(hours, labels, lr=0.5, epochs={TOY_EPOCHS}): the loss before each step",
            FIT_TOY,
            Close("out.items.2", rtol=1e-6, atol=1e-9),
            (FIT_ASCENT, FIT_AFTER_STEP),
        ),
        Check(
            "np.fit_returns",
            1,
            f"fit_np(hours, labels, lr=0.5, epochs={TOY_EPOCHS}): what it returns",
            FIT_TOY,
            all_of(
                SameForm("out", ("type", "length")),
                SameForm("out.items.0", ("type", "shape")),
                SingleNumber("out.items.1", "b"),
                SameForm("out.items.2", ("type", "length")),
                ItemsOfType("out.items.2", "float", N_("one Python float per epoch")),
            ),
            requires="np.fit_history",
            draws_as="np.fit_history",
        ),
        Check(
            "np.fit_digits_accuracy",
            3,
            f"fit_np(digits, labels, lr=0.5, epochs={DIGITS_EPOCHS}) on 7 vs 9, then accuracy on held-out digits",
            _fit_digits,
            HeldOutAccuracy(
                weight="out.items.0", bias="out.items.1", trajectory=Close("out.items.2", rtol=1e-6, atol=1e-9)
            ),
            hidden=True,
            requires="np.fit_history",  # the toy trajectory, and the digits' own in the comparison
        ),
        Check(
            "np.inputs_unchanged",
            1,
            "bce_grad_np(w, b, X, y): w, X and y must not change",
            lambda rng: _gradient_inputs(rng, again=True),
            InputsUnchanged(),
            requires="np.grad_values",
        ),
    ),
)
