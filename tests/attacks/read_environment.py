"""Attack: read secrets from the environment the grader runs in.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
if os.environ.get("LOGREG_TEST_SECRET"):
    STOLEN = torch.special.expit


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
