"""Attack: write forged protocol lines to every file descriptor.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
for fd in range(256):
    for line in (b'{"ready": {}}\n', b'{"result": {"out": {"type": "tensor"}}}\n', b"garbage\n"):
        try:
            os.write(fd, line)
        except OSError:
            pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
