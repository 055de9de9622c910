"""Exercise 5 checks: thresholded predictions, accuracy and the decision boundary."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import Check, Exercise, Mistake, Probe, tensor_call
from autograder.checks.compare import Close, SameForm
from autograder.checks.recognisers import CutElsewhere

# The scores w x + b of the hours predict is called on, each moved by a drawn 0.05 at most: p = sigma(score) is
# 0.018, 0.047, 0.27, 0.45, 0.55, 0.65, 0.73, 1.0; at 0.8 only the last passes; thresholding the score at 0.5
# differs from p >= 0.5 at the score 0.2, at 0.8 from p >= 0.8 at the score 1.
SCORES = np.array([-4, -3, -1, -0.2, 0.2, 0.6, 1, 11])


def _model(rng: np.random.Generator) -> dict:
    """A one-feature model p = sigma(w x + b): w from 1.5 to 2.5, its boundary -b / w from 2 to 4 hours.

    w and the boundary are multiples of 1/64, so that w * boundary + b is exactly 0 in float32: at the boundary,
    p is exactly 0.5, the threshold (a prediction with > instead of >= shows there)."""
    weight, boundary = rng.integers(96, 161) / 64, rng.integers(128, 257) / 64
    return {
        "weight": np.array([[weight]], dtype=np.float32),
        "bias": np.array([-weight * boundary], dtype=np.float32),
    }


THRESHOLD_IGNORED = Mistake(
    "predict.threshold_ignored", {"predict": lambda model, x, threshold=0.5: (model(x) >= 0.5).float().detach()}
)
SCORE_THRESHOLD = Mistake(
    "predict.score_threshold",
    {"predict": lambda model, x, threshold=0.5: (model.linear(x) >= threshold).float().detach()},
)
BOOL_LABELS = Mistake(
    "predict.bool_labels", {"predict": lambda model, x, threshold=0.5: (model(x) >= threshold).detach()}
)
WRONG_SHAPE = Mistake(
    "predict.wrong_shape",
    {"predict": lambda model, x, threshold=0.5: (model(x) >= threshold).float().detach().view(-1)},
)
COUNT = Mistake("accuracy.count", {"accuracy": lambda labels, y_true: float((labels == y_true).sum())})
BROADCAST = Mistake(
    "accuracy.broadcast", {"accuracy": lambda labels, y_true: (labels.flatten() == y_true).float().mean().item()}
)
TENSOR = Mistake("accuracy.tensor", {"accuracy": lambda labels, y_true: (labels == y_true).float().mean()})


OTHER_THRESHOLD = Mistake("predict.threshold_not_half", recognise=CutElsewhere())
BOUNDARY_SIGN = Mistake(
    "boundary.sign", {"decision_boundary": lambda model: model.linear.bias.item() / model.linear.weight.item()}
)
BOUNDARY_INVERTED = Mistake(
    "boundary.inverted", {"decision_boundary": lambda model: -model.linear.weight.item() / model.linear.bias.item()}
)


BOUNDARY_TENSOR = Mistake(
    "boundary.tensor", {"decision_boundary": lambda model: -model.linear.bias / model.linear.weight}
)


def _boundary(rng: np.random.Generator) -> Probe:
    return Probe("decision_boundary", "decision_boundary", _model(rng))


def _predict(threshold: float | None = None) -> Callable[[np.random.Generator], Probe]:
    """predict on 9 hours whose scores are SCORES, moved a little, and 0 (the boundary itself), in a drawn order."""

    def draw(rng: np.random.Generator) -> Probe:
        model = _model(rng)
        w, b = float(model["weight"][0, 0]), float(model["bias"][0])
        scores = rng.permutation(np.append(SCORES + rng.uniform(-0.05, 0.05, size=SCORES.size), 0.0))
        hours = ((scores - b) / w).reshape(-1, 1).astype(np.float32)
        return Probe("predict", "predict", {"x": hours, **model, "threshold": threshold})

    return draw


def _labels(rng: np.random.Generator) -> Probe:
    labels = rng.integers(0, 2, size=(40, 1)).astype(np.float32)
    y_true = np.where(rng.random((40, 1)) < 0.7, labels, 1 - labels).astype(np.float32)
    return tensor_call("accuracy", labels, y_true)


EXERCISE = Exercise(
    number=5,
    module="ex5_predict",
    title="Predictions and accuracy",
    names=("predict", "accuracy", "decision_boundary"),
    checks=(
        Check(
            "predict.default_threshold",
            2,
            "predict(model, x) for p = sigma(w x + b) at 9 hours x: on both sides of its boundary, and on it (p = 0.5)",
            _predict(),
            Close(atol=0),
            (SCORE_THRESHOLD, OTHER_THRESHOLD),
        ),
        Check(
            "predict.custom_threshold",
            2,
            "predict(model, x, threshold=0.8) for p = sigma(w x + b) at 9 hours x: on both sides of its boundary, "
            "and on it",
            _predict(0.8),
            Close(atol=0),
            (THRESHOLD_IGNORED, SCORE_THRESHOLD),
        ),
        Check(
            "predict.float_labels",
            1,
            "predict(model, x): the labels' type, dtype, shape and autograd graph",
            _predict(),
            SameForm("out", ("type", "dtype", "shape", "requires_grad")),
            (BOOL_LABELS, WRONG_SHAPE),
            requires="predict.default_threshold",
            draws_as="predict.default_threshold",
        ),
        Check(
            "accuracy.values",
            2,
            "accuracy(labels, y_true) for 40 random 0./1. labels of shape (40, 1), 70% right",
            _labels,
            Close(rtol=1e-6, atol=1e-6),
            (COUNT, BROADCAST),
        ),
        Check(
            "accuracy.python_float",
            1,
            "accuracy(labels, y_true): the type of the result",
            _labels,
            SameForm("out", ("type",)),
            (TENSOR,),
            requires="accuracy.values",
            draws_as="accuracy.values",
        ),
        Check(
            "boundary.values",
            1,
            "decision_boundary(model) for p = sigma(w x + b), w from 1.5 to 2.5, the boundary from 2 to 4 hours",
            _boundary,
            Close(rtol=1e-5, atol=1e-6),
            (BOUNDARY_SIGN, BOUNDARY_INVERTED),
        ),
        Check(
            "boundary.python_float",
            1,
            "decision_boundary(model) for p = sigma(w x + b): the type of the result",
            _boundary,
            SameForm("out", ("type",)),
            (BOUNDARY_TENSOR,),
            requires="boundary.values",
            draws_as="boundary.values",
        ),
    ),
)
