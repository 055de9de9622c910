"""Attack: stop its own process group, so that nothing answers.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
import signal


def sigmoid(z):
    os.killpg(0, signal.SIGSTOP)
    return torch.zeros_like(z)
