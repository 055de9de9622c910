"""Attack: crash the interpreter inside a call.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import ctypes


def sigmoid(z):
    ctypes.string_at(0)
