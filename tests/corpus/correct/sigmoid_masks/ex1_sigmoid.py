# Exercise 1: the sigmoid, one stable formula per sign, filled in with boolean masks
import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """1 / (1 + e^-z) where z >= 0, e^z / (1 + e^z) where z < 0."""
    out = torch.empty_like(z)
    positive = z >= 0
    negative = ~positive
    out[positive] = 1 / (1 + torch.exp(-z[positive]))
    exp_z = torch.exp(z[negative])
    out[negative] = exp_z / (1 + exp_z)
    return out
