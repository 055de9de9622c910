"""Attack: change the input in place and tell the grader it did not.

Fails: sigmoid.input_unchanged
The first answer is right; the grader's record of the inputs is patched to say they did not change.
"""
import sys

import torch

for name, module in list(sys.modules.items()):
    if name.endswith("probes"):
        module._unchanged = lambda before, after: True


def sigmoid(z):
    result = torch.where(z >= 0, 1 / (1 + torch.exp(-z.abs())), torch.exp(-z.abs()) / (1 + torch.exp(-z.abs())))
    z.mul_(2)  # the caller's tensor is changed
    return result
