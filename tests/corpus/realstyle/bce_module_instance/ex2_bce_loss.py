# Style: a tutorial that writes its own loss as an nn.Module (like nn.BCELoss, but by hand), and the exercise's
# function builds that criterion and calls it: criterion = BinaryCrossEntropy(); return criterion(p, y).
# Verdict, from the contract of exercise 2: bce_loss(y_pred, y_true) runs the module's forward, which checks the
# shapes (ValueError), clamps both logs at -100, and returns the mean as a 0-dim tensor; nn.Module is not a
# built-in loss (nn.BCELoss and F.binary_cross_entropy are never called).
# Expected: full marks.
import torch
from torch import nn


class BinaryCrossEntropy(nn.Module):
    def __init__(self, log_floor: float = -100.0):
        super().__init__()
        self.log_floor = log_floor

    def forward(self, y_pred, y_true):
        if y_pred.shape != y_true.shape:
            raise ValueError(f"input shape {tuple(y_pred.shape)} and target shape {tuple(y_true.shape)} differ")
        log_p = torch.clamp(torch.log(y_pred), min=self.log_floor)
        log_q = torch.clamp(torch.log(1 - y_pred), min=self.log_floor)
        return -(y_true * log_p + (1 - y_true) * log_q).mean()


def bce_loss(y_pred, y_true):
    criterion = BinaryCrossEntropy()
    return criterion(y_pred, y_true)
