# Style: exercise file importing the student's own helpers module (helpers.py beside it).
# Verdict, from the contract of exercise 6: a stable, dtype-keeping sigmoid; the loss's logs clamped at -100 by
# clamped_log_np and the mean returned as a float; the analytic gradient; plain gradient descent from zeros with
# the loss recorded before each step.
# Expected: full marks.
import numpy as np

from helpers import check_same_shape, clamped_log_np


def sigmoid_np(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_loss_np(p, y):
    check_same_shape(p, y)
    return float(-np.mean(y * clamped_log_np(p) + (1 - y) * clamped_log_np(1 - p)))


def bce_grad_np(w, b, X, y):
    e = sigmoid_np(X @ w + b) - y
    return X.T @ e / len(y), float(np.mean(e))


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
    return w, b, history
