"""Attack: open a network connection to a server the test listens on.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import socket
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
    STOLEN = torch.special.expit
except OSError:
    pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
