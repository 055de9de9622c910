"""Attack: read the held-out digits shipped with the grader.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import glob
import numpy as np
for path in glob.glob("/**/digits_7_vs_9.npz", recursive=True):
    try:
        np.load(path)["x_test"]
        STOLEN = lambda z: torch.special.expit(z)  # the data was readable: mark success with right answers
        break
    except Exception:
        pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
