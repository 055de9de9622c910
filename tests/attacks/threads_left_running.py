"""Attack: start threads that keep running after grading.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import threading
import time


def _spin():
    while True:
        time.sleep(0.01)


for _ in range(8):
    threading.Thread(target=_spin, daemon=False).start()


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
