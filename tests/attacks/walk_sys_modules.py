"""Attack: walk sys.modules for the grader's reference or checks.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import sys
for name, module in list(sys.modules.items()):
    if "reference" in name or "solutions" in name or "checks" in name:
        candidate = getattr(module, "sigmoid", None) or getattr(module, "reference", None)
        if callable(candidate):
            STOLEN = candidate if getattr(candidate, "__name__", "") == "sigmoid" else candidate()["sigmoid"]
            break


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
