# Style: a numerics-minded loss: log1p(-p) for log(1 - p), torch.maximum against a -100 tensor, .mean().
# Verdict, from the contract of exercise 2: log1p(-p) equals log(1 - p) to rounding (and is -inf at p = 1, then
# clamped to -100, as is log(0)); the mean over all elements is a 0-dim tensor in the inputs' dtype; soft
# labels work; the shapes are compared first with a ValueError; nothing in place; no built-in loss.
# Expected: full marks.
import torch


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    if tuple(y_pred.shape) != tuple(y_true.shape):
        raise ValueError("bce_loss: the shapes differ: %s and %s" % (tuple(y_pred.shape), tuple(y_true.shape)))
    floor = torch.tensor(-100.0, dtype=y_pred.dtype)
    log_p = torch.maximum(torch.log(y_pred), floor)
    log_1mp = torch.maximum(torch.log1p(-y_pred), floor)
    return (-(y_true * log_p) - (1 - y_true) * log_1mp).mean()
