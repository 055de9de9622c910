"""Exercise 5 checks: thresholded predictions, accuracy and the decision boundary."""

from __future__ import annotations

import numpy as np

from autograder.checks.base import Check, Exercise, Mistake, Probe, tensor_call
from autograder.checks.compare import Close, SameForm
from autograder.checks.recognisers import CutElsewhere

HOURS = np.array([[0.5], [1.0], [2.0], [2.4], [2.6], [2.8], [3.0], [8.0]], dtype=np.float32)
WEIGHT, BIAS = np.array([[2.0]], dtype=np.float32), np.array([-5.0], dtype=np.float32)
# p = sigma(2x - 5): 0.018, 0.047, 0.27, 0.45, 0.55, 0.65, 0.73, 1.0; at 0.8 only x = 8 passes;
# the score 2x - 5 reaches 0.5 at x = 2.75, so thresholding the score differs from p >= 0.7 at x = 2.8.

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
BOUNDARY = Probe("decision_boundary", "decision_boundary", {"weight": WEIGHT, "bias": BIAS})


def _predict(threshold: float | None = None) -> Probe:
    return Probe("predict", "predict", {"x": HOURS, "weight": WEIGHT, "bias": BIAS, "threshold": threshold})


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
            "predict(model, x) for p = sigma(2x - 5) at x = [0.5, 1, 2, 2.4, 2.6, 2.8, 3, 8] hours",
            _predict(),
            Close(atol=0),
            (SCORE_THRESHOLD, OTHER_THRESHOLD),
        ),
        Check(
            "predict.custom_threshold",
            2,
            "predict(model, x, threshold=0.8) for p = sigma(2x - 5) at the same hours",
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
            (BOOL_LABELS,),
            requires="predict.default_threshold",
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
        ),
        Check(
            "boundary.values",
            1,
            "decision_boundary(model) for p = sigma(2x - 5)",
            BOUNDARY,
            Close(rtol=1e-5, atol=1e-6),
            (BOUNDARY_SIGN, BOUNDARY_INVERTED),
        ),
        Check(
            "boundary.python_float",
            1,
            "decision_boundary(model) for p = sigma(2x - 5): the type of the result",
            BOUNDARY,
            SameForm("out", ("type",)),
            (BOUNDARY_TENSOR,),
            requires="boundary.values",
        ),
    ),
)
