"""Attack: use the built-in through a computed name and silence the grader's record of built-in calls.

Fails: sigmoid.own_code
The values are right (the built-in computes them), so only the own-code check is at stake.
"""
import sys

import torch

for name, module in list(sys.modules.items()):
    if name.endswith("tripwires"):
        module.take_calls = lambda: []


def sigmoid(z):
    return getattr(torch, "sig" + "moid")(z)
