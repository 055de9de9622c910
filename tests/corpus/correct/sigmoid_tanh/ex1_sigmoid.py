# Exercise 1: the sigmoid, through the identity sigma(z) = (1 + tanh(z / 2)) / 2
import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function: tanh never overflows, so neither does this."""
    return 0.5 * (1 + torch.tanh(z / 2))
