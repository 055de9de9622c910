"""Attack: patch the grader's own child-side modules to forge what is sent back.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import sys
for name, module in list(sys.modules.items()):
    if name.startswith("autograder"):
        for attribute in ("describe", "dumps", "run_probe"):
            if hasattr(module, attribute):
                setattr(module, attribute, lambda *args, **kwargs: {"out": {"type": "float", "value": 0.5}})


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
