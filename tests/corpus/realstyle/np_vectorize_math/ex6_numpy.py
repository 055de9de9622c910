# Style: "write the scalar version with math, then np.vectorize it" (an intro-course habit), with otypes
# and a cast back to the input's dtype.
# Verdict, from the contract of exercise 6: the scalar sigmoid branches on the sign, so math.exp only ever sees
# -|x| (no OverflowError, no warning); np.vectorize(..., otypes=[np.float64]) gives float64 values, cast back
# with astype(z.dtype), so shape and dtype are kept; the loss, gradient and fit follow the formulas, with
# np.mean returned through float(); nothing is modified in place.
# Expected: full marks.
import math

import numpy as np


def _sigmoid_scalar(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_sigmoid_vec = np.vectorize(_sigmoid_scalar, otypes=[np.float64])


def sigmoid_np(z):
    return _sigmoid_vec(z).astype(z.dtype)


def _log_clamped(v):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(v), -100.0)


def bce_loss_np(p, y):
    return float(np.mean(-(y * _log_clamped(p) + (1 - y) * _log_clamped(1 - p))))


def bce_grad_np(w, b, X, y):
    n = len(y)
    diff = sigmoid_np(X @ w + b) - y
    return X.T @ diff / n, float(np.sum(diff)) / n


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = []
    for _ in range(epochs):
        losses.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        grad_w, grad_b = bce_grad_np(w, b, X, y)
        w = w - lr * grad_w
        b = b - lr * grad_b
    return w, b, losses
