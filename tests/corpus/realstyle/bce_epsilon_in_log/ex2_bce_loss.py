# Style: the habit taught everywhere: an epsilon inside each log, log(p + 1e-7), plus the -100 clamp for safety.
# Verdict, from the contract of exercise 2: for ordinary p in [0.02, 0.98] the epsilon moves each log by at most
# 1e-7 / p = 5e-6 relative, below what float32 inputs and the loss's conditioning can tell apart, so the value
# and gradient checks must pass; at p = 0 or 1 the loss is -log(1e-7) = 16.1 instead of the clamped 100, which
# is really a different answer.
# Expected: loses bce.extreme_probabilities and bce.extreme_probabilities_float64 (in both dtypes); hint should
# name the epsilon.
import torch

EPS = 1e-7


def bce_loss(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {tuple(y_pred.shape)} vs {tuple(y_true.shape)}")
    log_p = torch.clamp(torch.log(y_pred + EPS), min=-100)
    log_q = torch.clamp(torch.log(1 - y_pred + EPS), min=-100)
    return -torch.mean(y_true * log_p + (1 - y_true) * log_q)
