"""Exercise 1 checks: sigmoid values, dtypes, extremes, gradients and contract."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks.base import Check, Exercise, Mistake, Probe, calls_each, tensor_call
from autograder.checks.compare import Close, Equal, SameForm, all_of
from autograder.checks.properties import Finite, InputsUnchanged, OwnCode
from autograder.i18n import N_
from autograder.lesson.reference import reference


def _sigmoid(z: torch.Tensor) -> torch.Tensor:
    return reference()["sigmoid"](z)


SIGN_FLIPPED = Mistake("sigmoid.sign_flipped", {"sigmoid": lambda z: 1 / (1 + torch.exp(z))})
TANH_UNSCALED = Mistake("sigmoid.tanh_unscaled", {"sigmoid": lambda z: 0.5 * (1 + torch.tanh(z))})
NAIVE = Mistake("sigmoid.naive_overflow", {"sigmoid": lambda z: 1 / (1 + torch.exp(-z))})
EXP_RATIO = Mistake("sigmoid.exp_ratio_overflow", {"sigmoid": lambda z: torch.exp(z) / (1 + torch.exp(z))})
FLOAT32 = Mistake("sigmoid.float32_only", {"sigmoid": lambda z: _sigmoid(z.float())})

FIXED_Z = np.array([-5, -2, -1, 0, 1, 2, 5], dtype=np.float32)
EXTREME_Z = np.array([-1e4, -1000, -100, -50, 50, 100, 1000, 1e4], dtype=np.float32)
EXTREME_Z64 = np.array([-1e300, -1e4, -745, -710, 710, 745, 1e4, 1e300], dtype=np.float64)


def _random_z(rng: np.random.Generator, dtype: str, low: float = -15, high: float = 15) -> np.ndarray:
    shape = [(1000,), (8, 16), (2, 3, 4, 5)][rng.integers(3)]
    return rng.uniform(low, high, size=shape).astype(dtype)


FORM_INPUTS = (  # every dtype and rank the value checks use, and a 0-dim tensor
    ("a float32 z of shape (7,)", FIXED_Z),
    ("a float64 z of shape (3, 1, 2)", np.linspace(-3, 3, 6).reshape(3, 1, 2)),
    ("a float32 z of shape (8, 16)", np.linspace(-3, 3, 128, dtype=np.float32).reshape(8, 16)),
    ("a 0-dim float64 z", np.array(0.25)),
)
GRADCHECK_PASSED = N_("torch.autograd.gradcheck of `{fn}` failed: {got}")

EXERCISE = Exercise(
    number=1,
    module="ex1_sigmoid",
    title="The sigmoid",
    names=("sigmoid",),
    checks=(
        Check(
            "sigmoid.fixed_values",
            2,
            "sigmoid(z) for z = [-5, -2, -1, 0, 1, 2, 5], float32",
            tensor_call("sigmoid", FIXED_Z),
            Close(rtol=1e-5, atol=1e-6),
            (SIGN_FLIPPED, TANH_UNSCALED),
        ),
        Check(
            "sigmoid.random_float32",
            2,
            "sigmoid(z) for random float32 z in [-15, 15], several shapes",
            lambda rng: tensor_call("sigmoid", _random_z(rng, "float32")),
            Close(rtol=1e-5, atol=1e-6),
            (SIGN_FLIPPED, TANH_UNSCALED),
        ),
        Check(
            "sigmoid.random_float64",
            2,
            "sigmoid(z) for random float64 z in [-15, 15]",
            lambda rng: tensor_call("sigmoid", _random_z(rng, "float64")),
            Close(rtol=1e-10, atol=1e-12),
            (SIGN_FLIPPED, TANH_UNSCALED, FLOAT32),
        ),
        Check(
            "sigmoid.shape_dtype",
            2,
            "sigmoid(z) for float32 and float64 z of shapes (7,), (3, 1, 2), (8, 16) and ()",
            calls_each("sigmoid", *((z,) for _, z in FORM_INPUTS)),
            SameForm("outs", inputs=tuple(said for said, _ in FORM_INPUTS)),
            (FLOAT32,),
            requires="sigmoid.fixed_values",
        ),
        Check(
            "sigmoid.extreme_float32",
            2,
            "sigmoid(z) for z = [-1e4, -1000, -100, -50, 50, 100, 1000, 1e4], float32",
            tensor_call("sigmoid", EXTREME_Z),
            all_of(Finite("out"), Close(rtol=1e-5, atol=1e-6)),
            (EXP_RATIO, SIGN_FLIPPED),
        ),
        Check(
            "sigmoid.extreme_float64",
            1,
            "sigmoid(z) for z = [-1e300, -1e4, -745, -710, 710, 745, 1e4, 1e300], float64",
            tensor_call("sigmoid", EXTREME_Z64),
            all_of(Finite("out"), Close(rtol=1e-10, atol=1e-12)),
            (EXP_RATIO, SIGN_FLIPPED),
        ),
        Check(
            "sigmoid.gradient",
            2,
            "the autograd gradient of sigmoid(z).sum() for random float64 z in [-10, 10]",
            lambda rng: tensor_call("sigmoid", rng.uniform(-10, 10, size=50), grad_of=0),
            Close("grad", rtol=1e-8, atol=1e-12),
            (SIGN_FLIPPED, TANH_UNSCALED, FLOAT32),
        ),
        Check(
            "sigmoid.gradient_extreme",
            2,
            "the autograd gradient of sigmoid(z).sum() at z = [-1e4, ..., 1e4], float32",
            tensor_call("sigmoid", EXTREME_Z, grad_of=0),
            all_of(Finite("grad"), Close("grad", atol=1e-6)),
            (NAIVE, EXP_RATIO, SIGN_FLIPPED),
        ),
        Check(
            "sigmoid.gradcheck",
            1,
            "torch.autograd.gradcheck(sigmoid, z) for random float64 z in [-5, 5]",
            lambda rng: Probe(
                "gradcheck", "sigmoid", {"fn": "sigmoid", "args": [rng.uniform(-5, 5, size=10)], "wrt": [0]}
            ),
            Equal("message", GRADCHECK_PASSED),
            requires="sigmoid.gradient",
        ),
        Check(
            "sigmoid.input_unchanged",
            1,
            "sigmoid(z) for z = [-5, ..., 5]: z must not change",
            tensor_call("sigmoid", FIXED_Z, again=True),
            InputsUnchanged(),
            requires="sigmoid.fixed_values",
        ),
        Check(
            "sigmoid.own_code",
            1,
            "sigmoid(z) for z = [-5, ..., 5]: which built-ins it calls",
            tensor_call("sigmoid", FIXED_Z),
            OwnCode(),
            requires="sigmoid.fixed_values",
        ),
    ),
)
