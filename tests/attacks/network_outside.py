"""Attack: reach an address outside the machine.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import socket
try:
    socket.create_connection(("192.0.2.1", 80), timeout=1).close()
    STOLEN = torch.special.expit
except OSError:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
