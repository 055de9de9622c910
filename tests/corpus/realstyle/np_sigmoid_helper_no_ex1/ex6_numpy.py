# Style: the NumPy exercise built on a helper module of the student's (activations.sigmoid), without exercise 1.
# Verdict, from the contract of exercise 6: sigmoid_np delegates to the stable helper (dtype kept, no warnings);
# the loss, gradient and fit are right. Exercise 1 was not handed in: the helper's `sigmoid` must not be graded
# as exercise 1 (lookup by ownership).
# Expected: full marks in exercise 6; exercise 1 earns 0.
import numpy as np

from activations import sigmoid


def sigmoid_np(z):
    return sigmoid(z)


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
