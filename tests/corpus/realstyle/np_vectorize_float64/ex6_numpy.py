# Style: np.vectorize over a math-based scalar sigmoid, without otypes or a cast back.
# Verdict, from the contract of exercise 6 (sigmoid_np: "same shape and dtype"): the values are right and nothing
# warns, but np.vectorize infers float64 from the Python floats it gets, so a float32 input comes back float64.
# Expected: loses np.sigmoid_dtype only; hint should name the dtype.
import math

import numpy as np


@np.vectorize
def sigmoid_np(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


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
