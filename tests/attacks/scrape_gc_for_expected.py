"""Attack: scrape the garbage collector and frames for the expected answers.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import gc
import sys


def _scrape(z):
    frame = sys._getframe()
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, dict) and "expected" in value:
                return value["expected"]
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj and isinstance(obj["expected"], torch.Tensor):
            return obj["expected"]
    return torch.zeros_like(z)


STOLEN = _scrape


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
