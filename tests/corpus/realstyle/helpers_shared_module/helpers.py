# Style: a student's own helper module shared by two exercise files (the clamped logs in torch and in NumPy).
# Verdict: a helper file is not an exercise; the exercises that import it are graded with it (see the
# exercise files' own comments).
# Expected: full marks (for ex2_bce_loss.py and ex6_numpy.py).
import numpy as np
import torch

LOG_FLOOR = -100.0


def clamped_log(t):
    return torch.clamp(torch.log(t), min=LOG_FLOOR)


def clamped_log_np(a):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(a), LOG_FLOOR)


def check_same_shape(a, b):
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch: {tuple(a.shape)} vs {tuple(b.shape)}")
