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


def _through_abs(z: torch.Tensor) -> torch.Tensor:
    small_exp = torch.exp(-torch.abs(z))  # torch.abs has gradient 0 at z = 0
    return torch.where(z >= 0, 1 / (1 + small_exp), small_exp / (1 + small_exp))


ABS_KINK = Mistake("sigmoid.abs_kink", {"sigmoid": _through_abs})

# Official grading draws every input from its seed: the release records its answers at a seed of its own, so a
# table of those answers is worth nothing. The values each check is about stay among the drawn ones.


def _fixed_z(rng: np.random.Generator) -> np.ndarray:
    """7 float32 z in [-5, 5], sorted: 0, 3 drawn below it, 3 above."""
    drawn = np.concatenate([rng.uniform(-5, -0.2, size=3), [0.0], rng.uniform(0.2, 5, size=3)])
    return np.sort(drawn).astype(np.float32)


# Where float32's exp overflows (|z| > 88.7) and the bounds code clips at (100, 500, 709): one |z| drawn from
# each band on each side, so a clip that is too wide for float32 (±500) always meets an overflowing z.
EXTREME_BANDS = ((50, 88), (89, 499), (501, 1e4))


def extreme_float32_z(rng: np.random.Generator) -> np.ndarray:
    """10 float32 z from -1e4 to 1e4: ±1000 and ±1e4, and on each side one |z| drawn from each of [50, 88],
    [89, 499] and [501, 1e4], in a drawn order."""
    drawn = np.array([rng.uniform(low, high) for low, high in EXTREME_BANDS for _ in range(2)]) * np.array([-1, 1] * 3)
    return rng.permutation(np.concatenate([[-1e4, -1000, 1000, 1e4], drawn])).astype(np.float32)


def _extreme_z64(rng: np.random.Generator) -> np.ndarray:
    """8 float64 z where exp overflows: ±710, ±1e300, and 4 drawn with 710 < |z| < 1e300, in a drawn order."""
    drawn = np.array([rng.uniform(710, 745), 10 ** rng.uniform(3, 300)])
    return rng.permutation(np.concatenate([[-1e300, -710, 710, 1e300], drawn, -drawn]))


def _random_z(rng: np.random.Generator, dtype: str, low: float = -15, high: float = 15) -> np.ndarray:
    shape = [(1000,), (8, 16), (2, 3, 4, 5)][rng.integers(3)]
    return rng.uniform(low, high, size=shape).astype(dtype)


FORMS = (  # every dtype and rank the value checks use, and a 0-dim tensor
    ("a float32 z of shape (7,)", "float32", (7,)),
    ("a float64 z of shape (3, 1, 2)", "float64", (3, 1, 2)),
    ("a float32 z of shape (8, 16)", "float32", (8, 16)),
    ("a 0-dim float64 z", "float64", ()),
)


def _forms(rng: np.random.Generator) -> Probe:
    drawn = [np.asarray(rng.uniform(-3, 3, size=shape), dtype=dtype) for _, dtype, shape in FORMS]
    return calls_each("sigmoid", *((z,) for z in drawn))


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
            "sigmoid(z) for 7 float32 z from -5 to 5, 0 among them",
            lambda rng: tensor_call("sigmoid", _fixed_z(rng)),
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
            _forms,
            SameForm("outs", inputs=tuple(said for said, _, _ in FORMS)),
            (FLOAT32,),
            requires="sigmoid.fixed_values",
        ),
        Check(
            "sigmoid.extreme_float32",
            2,
            "sigmoid(z) for 10 float32 z with 50 <= |z| <= 1e4, ±1000 and ±1e4 among them, drawn on each side of ±88.7 "
            "and ±500",
            lambda rng: tensor_call("sigmoid", extreme_float32_z(rng)),
            all_of(Finite("out"), Close(rtol=1e-5, atol=1e-6)),
            (EXP_RATIO, SIGN_FLIPPED),
        ),
        Check(
            "sigmoid.extreme_float64",
            1,
            "sigmoid(z) for 8 float64 z where exp(|z|) overflows, from -1e300 to 1e300, ±710 among them",
            lambda rng: tensor_call("sigmoid", _extreme_z64(rng)),
            all_of(Finite("out"), Close(rtol=1e-10, atol=1e-12)),
            (EXP_RATIO, SIGN_FLIPPED),
        ),
        Check(
            "sigmoid.gradient",
            2,
            "the autograd gradient of sigmoid(z).sum() for random float64 z in [-10, 10], z = 0 among them",
            # z = 0 is the kink of |z|, sign(z) and torch.where(z >= 0, ...): the gradient there must be 0.25 too
            lambda rng: tensor_call("sigmoid", rng.permutation(np.append(rng.uniform(-10, 10, 49), 0.0)), grad_of=0),
            # float64, condition <= 10: every sound form's gradient agrees to 1e-13
            Close("grad", rtol=1e-8, atol=1e-12),
            (SIGN_FLIPPED, TANH_UNSCALED, FLOAT32, ABS_KINK),
        ),
        Check(
            "sigmoid.gradient_extreme",
            2,
            "the autograd gradient of sigmoid(z).sum() at z = [-1e4, ..., 1e4], float32",
            lambda rng: tensor_call("sigmoid", extreme_float32_z(rng), grad_of=0),
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
            lambda rng: tensor_call("sigmoid", _fixed_z(rng), again=True),
            InputsUnchanged(),
            requires="sigmoid.fixed_values",
        ),
        Check(
            "sigmoid.own_code",
            1,
            "sigmoid(z) for z = [-5, ..., 5]: which built-ins it calls",
            lambda rng: tensor_call("sigmoid", _fixed_z(rng)),
            OwnCode(),
            requires="sigmoid.fixed_values",
        ),
    ),
)
