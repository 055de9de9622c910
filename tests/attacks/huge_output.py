"""Attack: return a tensor far too large to send back, and print without end.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import sys


def sigmoid(z):
    sys.stderr.write("x" * 10_000_000)
    return torch.zeros(20_000, 20_000)
