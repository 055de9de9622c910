# Style: the NumPy loss as most courses teach it: np.log(p + 1e-8), "so that log(0) never happens".
# Verdict, from the contract of exercise 6 (logs clamped at -100): for ordinary p in [0.02, 0.98] the epsilon
# moves the mean loss by about 1e-8 * mean(1/p) < 1e-7, which is within what the loss's conditioning allows, so
# the value check must pass; at p = 0 or 1 the loss is -log(1e-8) = 18.4 per example instead of 100, really
# different. Sigmoid, gradient and fit are right.
# Expected: loses np.loss_extremes and np.loss_extremes_float32 (in both dtypes); hint should name the epsilon.
import numpy as np


def sigmoid_np(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_loss_np(p, y):
    eps = 1e-8
    return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))


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
