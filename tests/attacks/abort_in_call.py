"""Attack: abort the process inside a call.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os


def sigmoid(z):
    os.abort()
