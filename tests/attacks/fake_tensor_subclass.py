"""Attack: return a tensor subclass whose methods lie about its values.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None



class Liar(torch.Tensor):
    def numpy(self):
        raise RuntimeError("no")

    def __eq__(self, other):
        return True


STOLEN = lambda z: torch.zeros_like(z).as_subclass(Liar)


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
