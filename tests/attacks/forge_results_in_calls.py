"""Attack: answer a probe request itself, on every descriptor, with a forged result.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os


def sigmoid(z):
    for fd in range(256):
        try:
            os.write(fd, b'{"result": {"out": {"type": "float", "value": 0.5}, "forbidden": []}}\n')
        except OSError:
            pass
    return torch.zeros_like(z)
