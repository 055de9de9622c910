# Style: the Keras-like "clip the probabilities with a tiny epsilon" loss, eps = 1e-15 (sklearn's log_loss default).
# Verdict, from the contract of exercise 2 (clamp each log at -100 so p = 0 or 1 gives a large but finite loss):
# on ordinary p the clip changes nothing; at the extremes it caps the loss at -log(1e-15) = 34.5, not 100, and in
# float32 1 - 1e-15 rounds to exactly 1.0, so p = 1 with label 0 gives log(0) = -inf and an infinite loss.
# Expected: loses bce.extreme_probabilities and bce.extreme_probabilities_float64 (34.5, not 100, in float64);
# the float32 check's hint should name the float32 rounding of 1 - 1e-15 (to 1.0).
import torch


def bce_loss(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError("y_pred and y_true must have the same shape")
    eps = 1e-15
    p = torch.clamp(y_pred, eps, 1 - eps)
    return torch.mean(-(y_true * torch.log(p) + (1 - y_true) * torch.log(1 - p)))
