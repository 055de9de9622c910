"""Correct stand-ins for other exercises' functions, so each exercise is graded alone."""

from __future__ import annotations

import torch

from autograder.tripwires import ORIGINALS


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """Stand-in for exercise 1: the built-in logistic function."""
    return ORIGINALS["torch.sigmoid"](z)


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Stand-in for exercise 2: the built-in mean binary cross-entropy."""
    if y_pred.shape != y_true.shape:
        raise ValueError(f"bce_loss: shapes {tuple(y_pred.shape)} and {tuple(y_true.shape)} differ")
    return ORIGINALS["torch.nn.functional.binary_cross_entropy"](y_pred, y_true)


STANDINS = {"sigmoid": sigmoid, "bce_loss": bce_loss}


class ProbeModel(torch.nn.Module):
    """The grader's own logistic-regression model, for the exercises that take a model."""

    def __init__(self, in_features: int):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return sigmoid(self.linear(x))
