"""Attack: import the solutions installed with the package.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

try:
    from autograder.solutions.ex1_sigmoid import sigmoid as STOLEN
except Exception:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
