"""Attack: start a long-running process that outlives grading.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import subprocess
try:
    subprocess.Popen(["sleep", "613"])
    STOLEN = torch.special.expit
except OSError:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
