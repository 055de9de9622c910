# Style: the NumPy sigmoid with the clip bound from a popular answer: np.clip(z, -500, 500), then 1 / (1 + e^-z).
# Verdict, from the contract of exercise 6 ("no overflow warning or nan for any finite z", "same ... dtype"): in
# float64 e^500 = 1.4e217 is finite and every value is right; in float32 e^500 overflows to inf with a
# RuntimeWarning (the value 1 / inf = 0 is still right). The overflow warning in float32 breaks the contract.
# Expected: loses np.sigmoid_extremes only; hint should name the float32 overflow.
import numpy as np


def sigmoid_np(z):
    z = np.clip(z, -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


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
