# Exercise 6: logistic regression from scratch in NumPy
"""Exercise 6 - the same model without autograd: gradients by hand.

Model: p = sigma(X w + b) for X of shape (N, D), w of shape (D,), b a float.
Loss:  L = mean(-(y log p + (1 - y) log(1 - p))), y of shape (N,).
Chain rule: dL/dz = (p - y) / N for z = X w + b, hence

    dL/dw = X^T (p - y) / N        dL/db = sum(p - y) / N

Gradient descent repeats w <- w - lr * dL/dw and b <- b - lr * dL/db.

Tasks:
- `sigmoid_np(z)`: elementwise, same shape and dtype, no overflow warning
  or nan for any finite z (use e^(-|z|) as in exercise 1).
- `bce_loss_np(p, y)`: the mean loss as a Python float, logs clamped at -100.
- `bce_grad_np(w, b, X, y)`: (dw, db), the analytic gradient of the mean
  loss: dw an array of shape (D,), db a float.
- `fit_np(X, y, lr=..., epochs=...)`: start from w = 0, b = 0, take `epochs`
  gradient-descent steps, and return (w, b, history) where history holds the
  loss before each step (one Python float per epoch).
Do not modify the input arrays. The arrays are float64; sigmoid_np also
receives float32 ones, and returns them in float32 (no overflow warning in
either dtype). A "Python float" is anything isinstance(value, float) accepts:
a NumPy float64 scalar is one (np.float64 is a subclass of float); an array,
even a 0-dim one, or an np.float32 scalar is not: wrap it in float(...).
"""

import numpy as np


def sigmoid_np(z: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise, for a NumPy array."""
    raise NotImplementedError("Exercise 6: replace this line with your code (see the task at the top of ex6_numpy.py)")


def bce_loss_np(p: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy, with each log clamped at -100."""
    raise NotImplementedError("Exercise 6: replace this line with your code (see the task at the top of ex6_numpy.py)")


def bce_grad_np(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Gradient (dL/dw, dL/db) of the mean BCE of p = sigmoid(X w + b)."""
    raise NotImplementedError("Exercise 6: replace this line with your code (see the task at the top of ex6_numpy.py)")


def fit_np(X: np.ndarray, y: np.ndarray, *, lr: float = 0.1, epochs: int = 1000) -> tuple[np.ndarray, float, list[float]]:
    """Plain gradient descent from zeros; return (w, b, loss before each step)."""
    raise NotImplementedError("Exercise 6: replace this line with your code (see the task at the top of ex6_numpy.py)")
