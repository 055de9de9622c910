"""Exercise 3 checks: the model's layer, its forward pass through sigmoid, its gradients."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.checks.compare import CameThrough, Close, Equal, SameForm, all_of
from autograder.checks.properties import OwnCode
from autograder.i18n import N_
from autograder.sandboxed.standins import sigmoid


class _Model(torch.nn.Module):
    def __init__(self, in_features: int = 1):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)


class _NoSigmoid(_Model):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


class _Flattened(_Model):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return sigmoid(self.linear(x)).squeeze(1)


NO_SIGMOID = Mistake("model.no_sigmoid", {"LogisticRegression": _NoSigmoid})
FLATTENED = Mistake("model.flattened", {"LogisticRegression": _Flattened})


def _hours(rng: np.random.Generator) -> np.ndarray:
    """3 hours studied, drawn from 0 to 6 and sorted, as a float32 column."""
    return np.sort(rng.uniform(0, 6, size=(3, 1)), axis=0).astype(np.float32)


def _toy_forward(rng: np.random.Generator) -> Probe:
    """The toy model p = sigma(w x + b): w from 1 to 2, b from -5 to -3, on 3 drawn hours."""
    weight = np.array([[rng.uniform(1, 2)]], dtype=np.float32)
    bias = np.array([rng.uniform(-5, -3)], dtype=np.float32)
    return Probe("model", "LogisticRegression", {"x": _hours(rng), "weight": weight, "bias": bias})


def _three_features(rng: np.random.Generator, dtype: str = "float32") -> dict:
    return {
        "x": rng.normal(size=(5, 3)).astype(dtype),
        "in_features": 3,
        "weight": rng.normal(size=(1, 3)).astype("float32"),
        "bias": rng.normal(size=(1,)).astype("float32"),
    }


def _model_probe(rng: np.random.Generator) -> Probe:
    return Probe("model", "LogisticRegression", _three_features(rng))


USES_OWN_SIGMOID = all_of(OwnCode(), CameThrough("out", rtol=1e-5, atol=1e-6, via="sigmoid"))


def _marked_model_probe(rng: np.random.Generator) -> Probe:
    """The model probe with a secretly marked stand-in for sigmoid: the output shows whether forward called it."""
    return Probe("model", "LogisticRegression", {**_three_features(rng), "mark": float(rng.uniform(0.3, 0.9))})


LAYER_SHAPE = Equal(
    "linear_shape",
    N_("`LogisticRegression`'s self.linear has (in_features, out_features) = {got}; expected {expected}"),
)

EXERCISE = Exercise(
    number=3,
    module="ex3_model",
    title="The model",
    names=("LogisticRegression",),
    checks=(
        Check(
            "model.linear_layer",
            2,
            "LogisticRegression(3): its layer self.linear and its parameters",
            lambda rng: Probe(
                "model", "LogisticRegression", {"x": rng.normal(size=(2, 3)).astype(np.float32), "in_features": 3}
            ),
            all_of(
                Equal("linear_is_linear", N_("`LogisticRegression` has no layer self.linear of type torch.nn.Linear")),
                LAYER_SHAPE,
                Equal("parameter_names", N_("`LogisticRegression` has the parameters {got}; expected {expected}")),
            ),
        ),
        Check(
            "model.default_in_features",
            1,
            "LogisticRegression() with no argument: the shape of self.linear",
            lambda rng: Probe("model", "LogisticRegression", {"x": _hours(rng)}),
            LAYER_SHAPE,
        ),
        Check(
            "model.toy_forward",
            1,
            "LogisticRegression() with w from 1 to 2, b from -5 to -3, on 3 hours x of shape (3, 1)",
            _toy_forward,
            Close(rtol=1e-5, atol=1e-6),
            (NO_SIGMOID,),
        ),
        Check(
            "model.forward_values",
            2,
            "LogisticRegression(3) with random weights, forward(x) for x of shape (5, 3)",
            _model_probe,
            Close(rtol=1e-5, atol=1e-6),
            (NO_SIGMOID,),
        ),
        Check(
            "model.output_form",
            1,
            "LogisticRegression(3).forward(x): the output's type, dtype and shape (N, 1)",
            _model_probe,
            SameForm("out", ("type", "dtype", "shape")),
            (FLATTENED,),
            requires="model.forward_values",
            draws_as="model.forward_values",
        ),
        Check(
            "model.uses_own_sigmoid",
            2,
            "LogisticRegression(3).forward(x): which sigmoid it calls",
            _marked_model_probe,
            USES_OWN_SIGMOID,
            requires="model.forward_values",
        ),
        Check(
            "model.gradient",
            2,
            "the gradient of forward(x).sum() with respect to self.linear's weight and bias",
            _model_probe,
            all_of(Close("weight_grad", rtol=1e-5, atol=1e-6), Close("bias_grad", rtol=1e-5, atol=1e-6)),
            (NO_SIGMOID,),
        ),
        Check(
            "model.gradcheck",
            1,
            "torch.autograd.gradcheck(model.double(), x) for x of shape (5, 3), float64",
            _model_probe,
            Equal("gradcheck", N_("torch.autograd.gradcheck of the float64 model failed: {got}")),
            requires="model.gradient",
        ),
    ),
)
