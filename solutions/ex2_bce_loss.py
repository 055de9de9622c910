# Exercise 2: the binary cross-entropy loss
"""Exercise 2 - measure how wrong the predicted probabilities are.

Mean squared error suits regression; for probabilities we use the binary
cross-entropy. For one example with label y (0 = fail, 1 = pass) and
predicted pass probability p:

    loss = -(y * log(p) + (1 - y) * log(1 - p))

and the loss of a mini-batch is the mean over all its elements.

Task: implement `bce_loss(y_pred, y_true)`.
- Return a 0-dim tensor: the mean, not the sum, over all elements.
- Clamp each log at -100 (as torch.nn.BCELoss does), so p = 0 or p = 1
  gives a large but finite loss instead of inf or nan.
- Soft labels (any y in [0, 1]) are allowed.
- Keep it differentiable in y_pred, and do not modify the inputs.
- If y_pred and y_true have different shapes, raise a ValueError that says
  so: comparing (N, 1) with (N,) would silently broadcast to (N, N).
- Write it yourself: do not call torch.nn.functional.binary_cross_entropy
  or torch.nn.BCELoss.
"""

import torch


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Mean of -(y log p + (1 - y) log(1 - p)), with each log clamped at -100."""
    ### BEGIN SOLUTION
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"bce_loss: y_pred has shape {tuple(y_pred.shape)} but y_true has shape "
            f"{tuple(y_true.shape)}; reshape one so the shapes match"
        )
    log_p = torch.clamp(torch.log(y_pred), min=-100)
    log_not_p = torch.clamp(torch.log(1 - y_pred), min=-100)
    return -(y_true * log_p + (1 - y_true) * log_not_p).mean()
    ### END SOLUTION
