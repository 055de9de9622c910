# Style: MOOC homework as above, but the cost is left as NumPy returns it: -np.mean(...) is an np.float64.
# Verdict, from the contract of exercise 6: the loss must be "a Python float" and history "one Python float per
# epoch"; np.float64 is a subclass of Python's float (isinstance(np.float64(1), float) is True), so the
# contract is met by behaviour; values, clamping, gradient and fit are right.
# Expected: full marks.
import numpy as np


def sigmoid_np(z):
    s = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + s), s / (1 + s))


def compute_cost(A, Y):
    with np.errstate(divide="ignore"):
        return -np.mean(Y * np.maximum(np.log(A), -100) + (1 - Y) * np.maximum(np.log(1 - A), -100))


def propagate(w, b, X, Y):
    m = X.shape[0]
    A = sigmoid_np(X @ w + b)
    cost = compute_cost(A, Y)
    grads = {"dw": X.T @ (A - Y) / m, "db": np.sum(A - Y) / m}
    return grads, cost


def bce_loss_np(p, y):
    return compute_cost(p, y)


def bce_grad_np(w, b, X, y):
    grads, _ = propagate(w, b, X, y)
    return grads["dw"], grads["db"]


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w = np.zeros(X.shape[1])
    b = 0.0
    costs = []
    for _ in range(epochs):
        grads, cost = propagate(w, b, X, y)
        costs.append(cost)
        w = w - lr * grads["dw"]
        b = b - lr * grads["db"]
    return w, b, costs
