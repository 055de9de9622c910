"""Attack: import the grader's reference solutions.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

try:
    from autograder.lesson.reference import reference
    STOLEN = reference()["sigmoid"]
except Exception:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
