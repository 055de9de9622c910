# Style: a tutorial loop that switched to the optimiser everyone uses elsewhere: torch.optim.Adam(lr=lr).
# Verdict, from the contract of exercise 4 ("use torch.optim.SGD on model.parameters() with learning rate lr"):
# the loop itself is right (zero_grad, backward, step, shuffled mini-batches, weighted epoch mean), but Adam's
# steps are not w - lr * grad, so the trajectory, the final weights and the size of the mini-batch steps differ
# from SGD's. With lr = 0 nothing moves, so the epoch-mean check still passes.
# Expected: loses train.full_batch_trajectory, train.final_weights, train.minibatch_steps (and their gated
# checks); hint should name Adam / the optimiser (use torch.optim.SGD).
import torch
from torch.utils.data import DataLoader, TensorDataset

from ex2_bce_loss import bce_loss


def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch_size or len(x), shuffle=True)
    history = []
    for _ in range(epochs):
        epoch_loss = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = bce_loss(model(xb), yb)
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(xb)
        history.append(epoch_loss / len(x))
    return history
