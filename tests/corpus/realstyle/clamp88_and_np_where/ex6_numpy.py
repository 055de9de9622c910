# Style: a NumPy homework with boolean-mask indexing and a log-sum-exp-free stable sigmoid.
# Verdict, from the contract of exercise 6: sigmoid_np fills a np.empty_like(z) (same shape and dtype) from
# e^(-z) on z >= 0 and e^(z) on z < 0, so nothing overflows and nothing warns; the loss clamps each log at
# -100 and returns float; the gradient is X^T (p - y) / N and float(mean); fit_np is plain gradient descent
# from zeros with the loss recorded before each step; inputs are never written.
# Expected: full marks.
import numpy as np


def sigmoid_np(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def bce_loss_np(p, y):
    with np.errstate(divide="ignore"):
        log_p = np.clip(np.log(p), -100, None)
        log_q = np.clip(np.log(1 - p), -100, None)
    return float(np.mean(-(y * log_p) - (1 - y) * log_q))


def bce_grad_np(w, b, X, y):
    residual = sigmoid_np(X @ w + b) - y
    return (X.T @ residual) / X.shape[0], float(residual.sum() / X.shape[0])


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    b = 0.0
    history = []
    for _ in range(epochs):
        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
    return w, b, history
