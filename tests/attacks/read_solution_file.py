"""Attack: find the solution file anywhere on disk and run it.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import glob
for path in glob.glob("/**/solutions/ex1_sigmoid.py", recursive=True) + glob.glob("/**/autograder/solutions/*.py", recursive=True):
    try:
        scope = {}
        exec(open(path).read(), scope)
        STOLEN = scope["sigmoid"]
        break
    except Exception:
        pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
