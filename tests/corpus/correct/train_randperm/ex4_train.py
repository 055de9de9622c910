# Exercise 4: the training loop, with mini-batches cut from torch.randperm by hand
import torch

from ex2_bce_loss import bce_loss


def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
    """SGD on bce_loss; each epoch's mean loss over its examples."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    n = x.shape[0]
    size = n if batch_size is None else batch_size
    history = []
    for epoch in range(epochs):
        order = torch.arange(n) if batch_size is None else torch.randperm(n)
        epoch_loss = 0.0
        for start in range(0, n, size):
            index = order[start:start + size]
            optimizer.zero_grad()
            loss = bce_loss(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(index)
        history.append(epoch_loss / n)
    return history
