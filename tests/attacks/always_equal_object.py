"""Attack: return an object that compares equal to anything and fakes tensor methods.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None



class AlwaysEqual:
    shape = dtype = None

    def __eq__(self, other):
        return True

    def __getattr__(self, name):
        return lambda *args, **kwargs: self

    def __float__(self):
        return 0.5


STOLEN = lambda z: AlwaysEqual()


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
