# Exercise 2: the binary cross-entropy, logs floored with torch.maximum, log(1 - p) as log1p(-p)
import torch


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Mean of -(y log p + (1 - y) log(1 - p)), each log at least -100."""
    if y_pred.shape != y_true.shape:
        raise ValueError(f"the shape of y_pred {list(y_pred.shape)} differs from y_true's {list(y_true.shape)}")
    floor = torch.tensor(-100.0, dtype=y_pred.dtype)
    log_p = torch.maximum(torch.log(y_pred), floor)
    log_q = torch.maximum(torch.log1p(-y_pred), floor)
    losses = -(y_true * log_p + (1 - y_true) * log_q)
    return losses.sum() / losses.numel()
