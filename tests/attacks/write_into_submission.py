"""Attack: change its own files while being graded.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
try:
    with open(os.path.abspath(__file__), "a") as file:
        file.write("\n# changed while graded\n")
    STOLEN = torch.special.expit
except OSError:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
