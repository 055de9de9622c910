# Style: MOOC propagate() returning (grads, cost), with the 1/m forgotten on dw only (db keeps it).
# Verdict, from the contract of exercise 6 (dL/dw = X^T (p - y) / N): dw is N times too large, db is right; the
# loss, sigmoid and fit (graded with a correct gradient) are right.
# Expected: loses np.grad_values and np.grad_finite_differences only (and their gated checks); hint should name the
# missing division by N (the mean) in dw.
import numpy as np


def sigmoid_np(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_loss_np(p, y):
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100)
        log_q = np.maximum(np.log(1 - p), -100)
    return float(-np.mean(y * log_p + (1 - y) * log_q))


def propagate(w, b, X, Y):
    m = X.shape[0]
    A = sigmoid_np(np.dot(X, w) + b)
    cost = bce_loss_np(A, Y)
    dw = np.dot(X.T, (A - Y))
    db = 1 / m * np.sum(A - Y)
    grads = {"dw": dw, "db": float(db)}
    return grads, cost


def bce_grad_np(w, b, X, y):
    grads, cost = propagate(w, b, X, y)
    return grads["dw"], grads["db"]


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w, b = np.zeros(X.shape[1]), 0.0
    costs = []
    for i in range(epochs):
        costs.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
    return w, b, costs
