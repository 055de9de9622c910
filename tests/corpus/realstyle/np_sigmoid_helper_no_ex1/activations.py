# Style: a student's helper module for the NumPy exercise, holding a NumPy `sigmoid` (no ex1_sigmoid.py handed in).
# Verdict: this file is not exercise 1 and its `sigmoid` works on NumPy arrays, not tensors; it is a helper of
# ex6_numpy.py. Exercise 1 was not handed in, so it earns nothing.
# Expected: exercise 1 earns 0 (not graded from this file); see ex6_numpy.py.
import numpy as np


def sigmoid(z):
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
