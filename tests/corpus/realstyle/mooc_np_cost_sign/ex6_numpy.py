# Style: MOOC cost line with the leading minus sign lost: cost = 1/m * np.sum(Y log A + (1 - Y) log(1 - A)).
# Verdict, from the contract of exercise 6 (L = mean(-(y log p + (1 - y) log(1 - p)))): the loss comes out
# negated, everywhere; the sigmoid, the gradient (computed from A - Y, not from the cost) and fit (graded with a
# correct loss) are right.
# Expected: loses np.loss_values and both np.loss_extremes checks only (and their gated checks); mistake
# np.loss_sign_flipped.
import numpy as np


def sigmoid_np(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_loss_np(p, y):
    m = p.shape[0]
    with np.errstate(divide="ignore"):
        cost = 1 / m * np.sum(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100))
    return float(cost)


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
