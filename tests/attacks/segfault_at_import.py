"""Attack: crash the interpreter while being imported.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import ctypes
ctypes.string_at(0)


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
