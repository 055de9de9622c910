# Style: the tutorial one-liner: nn.BCELoss()(y_pred, y_true), with a shape check in front.
# Verdict, from the contract of exercise 2 ("do not call ... torch.nn.BCELoss"): nn.BCELoss computes exactly the
# asked mean with logs clamped at -100, so every value, extreme and gradient is right; the rule is broken.
# Expected: loses bce.own_code only; hint should name nn.BCELoss.
import torch.nn as nn


def bce_loss(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError(f"expected matching shapes, got {tuple(y_pred.shape)} and {tuple(y_true.shape)}")
    criterion = nn.BCELoss()
    return criterion(y_pred, y_true)
