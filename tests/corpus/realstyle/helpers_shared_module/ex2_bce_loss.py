# Style: exercise file importing the student's own helpers module (helpers.py beside it).
# Verdict, from the contract of exercise 2: check_same_shape raises ValueError naming the shapes; both logs are
# clamped at -100 by clamped_log; the mean is a 0-dim tensor; no built-in loss; nothing in place.
# Expected: full marks.
from helpers import check_same_shape, clamped_log


def bce_loss(y_pred, y_true):
    check_same_shape(y_pred, y_true)
    return -(y_true * clamped_log(y_pred) + (1 - y_true) * clamped_log(1 - y_pred)).mean()
