"""Attack: climb from the submission to the grader's checkout and read solutions/.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
here = os.path.dirname(os.path.abspath(__file__))
for _ in range(6):
    here = os.path.dirname(here)
    candidate = os.path.join(here, "solutions", "ex1_sigmoid.py")
    if os.path.exists(candidate):
        scope = {}
        exec(open(candidate).read(), scope)
        STOLEN = scope["sigmoid"]
        break


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
