# Alice's exercise 1: the textbook formula, fine in value but not at the extremes.
import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function."""
    return 1.0 / (1.0 + torch.exp(-z))
