# Style: MOOC homework ("Logistic Regression with a Neural Network mindset"): propagate() returns
# (grads, cost) with grads = {"dw": ..., "db": ...}, optimize() loops and keeps the costs, the exercise's
# functions are thin wrappers. Here X is (N, D) as the exercise says, so the MOOC's X.T / (1, m) shapes are
# turned around; cost goes through float(np.squeeze(...)).
# Verdict, from the contract of exercise 6: sigmoid via e^(-|z|) and np.where (no overflow, dtype kept);
# cost = -1/m * sum(...) is the mean, logs clamped at -100, a Python float; dw = 1/m X^T (A - Y), db = 1/m
# sum(A - Y) as a float; optimize records the cost before each update and starts from zeros.
# Expected: full marks.
import numpy as np


def sigmoid_np(z):
    s = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + s), s / (1 + s))


def initialize_with_zeros(dim):
    w = np.zeros((dim,))
    b = 0.0
    return w, b


def propagate(w, b, X, Y):
    m = X.shape[0]
    A = sigmoid_np(np.dot(X, w) + b)
    with np.errstate(divide="ignore"):
        cost = -1 / m * np.sum(Y * np.maximum(np.log(A), -100) + (1 - Y) * np.maximum(np.log(1 - A), -100))
    dw = 1 / m * np.dot(X.T, (A - Y))
    db = 1 / m * np.sum(A - Y)
    cost = float(np.squeeze(cost))
    grads = {"dw": dw, "db": float(db)}
    return grads, cost


def optimize(w, b, X, Y, num_iterations, learning_rate):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        costs.append(cost)
    params = {"w": w, "b": b}
    return params, grads, costs


def bce_loss_np(p, y):
    m = p.shape[0]
    with np.errstate(divide="ignore"):
        cost = -1 / m * np.sum(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100))
    return float(np.squeeze(cost))


def bce_grad_np(w, b, X, y):
    grads, _ = propagate(w, b, X, y)
    return grads["dw"], grads["db"]


def fit_np(X, y, *, lr=0.1, epochs=1000):
    w, b = initialize_with_zeros(X.shape[1])
    params, grads, costs = optimize(w, b, X, y, num_iterations=epochs, learning_rate=lr)
    return params["w"], params["b"], costs
