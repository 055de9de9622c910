"""Exercise 2 checks: the mean binary cross-entropy, its clamping, gradient and contract."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from autograder.checks.base import Check, Exercise, Mistake, Probe, calls_each, tensor_call
from autograder.checks.compare import Close, Equal, Raises, SameForm, all_of
from autograder.checks.properties import Finite, InputsUnchanged, OwnCode
from autograder.lesson.declarations.ex1_sigmoid import GRADCHECK_PASSED
from autograder.lesson.reference import reference


def _bce(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    return reference()["bce_loss"](y_pred, y_true)


def _unclamped(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    return -(y_true * torch.log(y_pred) + (1 - y_true) * torch.log(1 - y_pred)).mean()


def _epsilon_clipped(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    return _unclamped(y_pred.clamp(1e-7, 1 - 1e-7), y_true)


def _broadcasting(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    log_p, log_not_p = torch.log(y_pred).clamp(min=-100), torch.log(1 - y_pred).clamp(min=-100)
    return -(y_true * log_p + (1 - y_true) * log_not_p).mean()


SUMMED = Mistake("bce.summed", {"bce_loss": lambda p, y: _bce(p, y) * p.numel()})
SIGN_FLIPPED = Mistake("bce.sign_flipped", {"bce_loss": lambda p, y: -_bce(p, y)})
SWAPPED = Mistake("bce.swapped", {"bce_loss": lambda p, y: _bce(y, p)})
MISSING_TERM = Mistake("bce.missing_term", {"bce_loss": lambda p, y: -(y * torch.log(p).clamp(min=-100)).mean()})
UNCLAMPED = Mistake("bce.unclamped", {"bce_loss": _unclamped})
EPSILON = Mistake("bce.epsilon_clip", {"bce_loss": _epsilon_clipped})
BROADCAST = Mistake("bce.broadcast", {"bce_loss": _broadcasting})
UNREDUCED = Mistake(  # after SUMMED: their gradients agree, and the source tells them apart (grading/evidence.py)
    "bce.unreduced",
    {"bce_loss": lambda p, y: -(y * torch.log(p).clamp(min=-100) + (1 - y) * torch.log(1 - p).clamp(min=-100))},
)
# p clamped to [1e-15, 1 - 1e-15]: in float32 the upper bound is 1.0, so p = 1 keeps log(1 - p) = -inf. Its output
# is bce.unclamped's (nan); the source tells them apart (a clamp written, or not).
CLAMP_ROUNDS = Mistake("bce.clamp_rounds_to_one", {"bce_loss": lambda p, y: _unclamped(p.clamp(1e-15, 1 - 1e-15), y)})
VALUE_MISTAKES = (SUMMED, SIGN_FLIPPED, SWAPPED, MISSING_TERM, UNREDUCED)

# Tolerances follow from the loss's conditioning: at p in [0.02, 0.98], |dL/dp| <= 50, so an epsilon up to 1e-7
# inside the log (log(p + 1e-7)), float32 inside, or another order of the sum moves the loss and its gradient by
# under 1e-5 relative; that slip costs its points in bce.extreme_probabilities, where it shows; the dtype is
# bce.zero_dim's business.


def _fixed(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """4 float32 p in (0, 1), labels two 1s and two 0s in a drawn order, shape (4, 1)."""
    p = rng.uniform(0.05, 0.95, size=(4, 1)).astype(np.float32)
    return p, rng.permutation(np.array([[1], [0], [1], [0]], dtype=np.float32))


def extreme_probabilities(rng: np.random.Generator, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """p of 0s and 1s with both labels, and one drawn p with a drawn label, in a drawn order, shape (5,)."""
    order = rng.permutation(5)
    p = np.array([0, 1, 0, 1, rng.uniform(0.05, 0.95)], dtype=dtype)
    y = np.array([0, 0, 1, 1, rng.integers(0, 2)], dtype=dtype)
    return p[order], y[order]


def _extreme(dtype: str) -> Callable[[np.random.Generator], Probe]:
    return lambda rng: tensor_call("bce_loss", *extreme_probabilities(rng, dtype))


def _mismatched(rng: np.random.Generator) -> Probe:
    p, y = _fixed(rng)
    return tensor_call("bce_loss", p, y.ravel())


def _hard_labels(rng: np.random.Generator, n: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    p = rng.uniform(0.02, 0.98, size=(n, 1)).astype(dtype)
    return p, rng.integers(0, 2, size=(n, 1)).astype(dtype)


def _soft_labels(rng: np.random.Generator, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.05, 0.95, size=shape), rng.uniform(0, 1, size=shape)


EXERCISE = Exercise(
    number=2,
    module="ex2_bce_loss",
    title="The binary cross-entropy loss",
    names=("bce_loss",),
    checks=(
        Check(
            "bce.fixed_values",
            2,
            "bce_loss(p, y) for 4 float32 p in (0, 1) and labels 0/1, shape (4, 1)",
            lambda rng: tensor_call("bce_loss", *_fixed(rng)),
            # float32 (eps 1.2e-7) times dL/dp <= 20, and an epsilon <= 1e-7 in the log: 2.4e-6 at most
            Close(rtol=1e-5, atol=1e-6),
            VALUE_MISTAKES,
        ),
        Check(
            "bce.random_float32",
            2,
            "bce_loss(p, y) for 64 random float32 p in (0, 1) and labels 0/1, shape (64, 1)",
            lambda rng: tensor_call("bce_loss", *_hard_labels(rng, 64, "float32")),
            # float32 rounding of 64 terms in any order (64 * 6e-8 relative) and an epsilon <= 1e-7: under 1e-5
            Close(rtol=1e-5, atol=1e-6),
            VALUE_MISTAKES,
        ),
        Check(
            "bce.soft_labels_float64",
            2,
            "bce_loss(p, y) for random float64 p and soft labels y in [0, 1], shape (32,)",
            lambda rng: tensor_call("bce_loss", *_soft_labels(rng, (32,))),
            # dL/dp <= 1/p = 20 per element: p moved by 1e-7 (an epsilon in the log) moves the loss by 2e-6 at most
            Close(rtol=1e-5, atol=1e-6),
            VALUE_MISTAKES,
        ),
        Check(
            "bce.zero_dim",
            1,
            "bce_loss(p, y) for float32 p, y of shape (4, 1) and float64 ones of shape (32,): the result's form",
            lambda rng: calls_each("bce_loss", _fixed(rng), _soft_labels(rng, (32,))),
            SameForm("outs", inputs=("float32 p, y of shape (4, 1)", "float64 p, y of shape (32,)")),
            requires="bce.fixed_values",
        ),
        Check(
            "bce.extreme_probabilities",
            2,
            "bce_loss(p, y) for float32 p of 0s and 1s with both labels and one p in (0, 1), shape (5,)",
            _extreme("float32"),
            # p = 0 or 1 gives log terms of -100: an epsilon or a clip (-log(eps) <= 28) is off by > 14 / 5
            all_of(Finite("out"), Close(rtol=1e-4, atol=1e-4)),
            (CLAMP_ROUNDS, UNCLAMPED, EPSILON, *VALUE_MISTAKES),
        ),
        Check(
            "bce.extreme_probabilities_float64",
            1,
            "bce_loss(p, y) for float64 p of 0s and 1s with both labels and one p in (0, 1), shape (5,)",
            _extreme("float64"),
            # the same -100 terms, computed in float64 (eps 2.2e-16): a loss of about 40 agrees to 1e-6
            all_of(Finite("out"), Close(rtol=1e-6, atol=1e-6)),
            (UNCLAMPED, EPSILON, *VALUE_MISTAKES),
        ),
        Check(
            "bce.gradient",
            2,
            "the autograd gradient of bce_loss(p, y) with respect to p, random float64, shape (16, 1)",
            lambda rng: tensor_call("bce_loss", *_hard_labels(rng, 16, "float64"), grad_of=0),
            # each element is -y/(pN) or (1-y)/((1-p)N): p moved by 1e-7 moves it by 1e-7/0.02 = 5e-6 relative at most
            Close("grad", rtol=2e-5, atol=1e-9),
            VALUE_MISTAKES,
        ),
        Check(
            "bce.gradcheck",
            1,
            "torch.autograd.gradcheck(bce_loss, (p, y)) in p, random float64, soft labels",
            lambda rng: Probe(
                "gradcheck", "bce_loss", {"fn": "bce_loss", "args": list(_soft_labels(rng, (8, 1))), "wrt": [0]}
            ),
            Equal("message", GRADCHECK_PASSED),
            requires="bce.gradient",
        ),
        Check(
            "bce.shape_mismatch",
            3,
            "bce_loss(p, y) for p of shape (4, 1) and y of shape (4,)",
            _mismatched,
            Raises("ValueError", "shape"),
            (BROADCAST,),
            requires="bce.fixed_values",
        ),
        Check(
            "bce.input_unchanged",
            1,
            "bce_loss(p, y) for p, y of shape (4, 1): p and y must not change",
            lambda rng: tensor_call("bce_loss", *_fixed(rng), again=True),
            InputsUnchanged(),
            requires="bce.fixed_values",
        ),
        Check(
            "bce.own_code",
            1,
            "bce_loss(p, y) for p, y of shape (4, 1): which built-ins it calls",
            lambda rng: tensor_call("bce_loss", *_fixed(rng)),
            OwnCode(),
            requires="bce.fixed_values",
        ),
    ),
)
