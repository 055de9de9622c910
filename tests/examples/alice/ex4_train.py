# Alice's exercise 4: she forgot optimizer.zero_grad(), so gradients pile up.
import torch
from torch.utils.data import DataLoader, TensorDataset

from ex2_bce_loss import bce_loss


def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
    """SGD on bce_loss; returns the mean loss per epoch."""
    sgd = torch.optim.SGD(model.parameters(), lr=lr)
    size = len(x) if batch_size is None else batch_size
    loader = DataLoader(TensorDataset(x, y), batch_size=size, shuffle=batch_size is not None)
    losses = []
    for epoch in range(epochs):
        seen, running = 0, 0.0
        for features, labels in loader:
            loss = bce_loss(model(features), labels)
            loss.backward()
            sgd.step()
            running += loss.item() * len(features)
            seen += len(features)
        losses.append(running / seen)
    return losses
