# Alice's exercise 2: she adds the losses up instead of averaging them.
import torch


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy."""
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shape mismatch: {y_pred.shape} vs {y_true.shape}")
    per_example = y_true * torch.clamp(torch.log(y_pred), min=-100) + (1 - y_true) * torch.clamp(torch.log1p(-y_pred), min=-100)
    return -per_example.sum()
