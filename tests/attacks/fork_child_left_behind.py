"""Attack: fork a child that outlives grading and rewrites results later.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
try:
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "614"])
    STOLEN = torch.special.expit
except OSError:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
