# Exercise 4: the training loop
"""Exercise 4 - the same loop as for linear regression, with the BCE loss.

Every epoch, for every mini-batch (xb, yb):

    forward:    loss = bce_loss(model(xb), yb)
    zero_grad:  optimizer.zero_grad()   (else gradients add up across steps)
    backward:   loss.backward()
    step:       optimizer.step()        (w <- w - lr * dL/dw)

Task: implement `train(model, x, y, epochs=..., lr=..., batch_size=...)`.
- Use torch.optim.SGD on model.parameters() with learning rate lr, and your
  own `bce_loss` from exercise 2. Plain SGD: no momentum, no weight decay,
  no other optimiser (Adam's steps are not w - lr * grad).
- batch_size=None means full batch: one step per epoch on all of x.
  Otherwise use shuffled mini-batches of that size
  (torch.utils.data.TensorDataset and DataLoader(..., shuffle=True)).
- Return a list with one Python float per epoch: the mean loss over the
  examples of that epoch (each batch's loss weighted by its size).
"""

import torch
from torch.utils.data import DataLoader, TensorDataset

from ex2_bce_loss import bce_loss


def train(
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 1000,
    lr: float = 0.01,
    batch_size: int | None = None,
) -> list[float]:
    """Fit model to (x, y) by SGD on bce_loss; return each epoch's mean loss."""
    ### BEGIN SOLUTION
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    if batch_size is None:
        batches = [(x, y)]
    else:
        batches = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
    history = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in batches:
            loss = bce_loss(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        history.append(total / len(x))
    return history
    ### END SOLUTION
