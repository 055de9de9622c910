# Style: np.frompyfunc over a stable scalar sigmoid, returned as it comes (an object-dtype array).
# Verdict, from the contract of exercise 6 (sigmoid_np: "same shape and dtype"): every value is a correct Python
# float and nothing overflows or warns, but the array's dtype is object, not the input's float32/float64. Only the
# form is wrong: the value checks can read the numbers, and only the dtype check owns the dtype.
# Expected: loses np.sigmoid_dtype only; hint should name the dtype (object); values shown as the numbers they are.
import math

import numpy as np


def _sig(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def sigmoid_np(z):
    return np.frompyfunc(_sig, 1, 1)(z)


def bce_loss_np(p, y):
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100)
        log_q = np.maximum(np.log(1 - p), -100)
    return float(-np.mean(y * log_p + (1 - y) * log_q))


def bce_grad_np(w, b, X, y):
    e = sigmoid_np(X @ w + b) - y
    return X.T @ e / len(y), float(e.mean())


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w = np.zeros(X.shape[1])
    b = 0.0
    history = []
    for _ in range(epochs):
        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
    return w, b, history
