# Alice's exercise 6: her gradient misses the 1/N of the mean.
import numpy as np


def sigmoid_np(z):
    """Stable sigmoid."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_loss_np(p, y):
    """Mean BCE."""
    with np.errstate(divide="ignore"):
        return float(-np.mean(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100)))


def bce_grad_np(w, b, X, y):
    """Gradient of the loss."""
    residual = sigmoid_np(X @ w + b) - y
    return X.T @ residual, float(np.sum(residual))


def fit_np(X, y, *, lr=0.1, epochs=1000):
    """Gradient descent."""
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
    return w, b, history
