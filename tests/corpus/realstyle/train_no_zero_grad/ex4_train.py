# Style: a hand-rolled loop with index-sliced mini-batches and torch.randperm, zero_grad forgotten.
# Verdict, from the contract of exercise 4 (zero_grad in every step, else gradients add up across steps): SGD with
# lr, the own loss, shuffled batches and the weighted epoch mean are right, but every step after the first uses
# the sum of all gradients so far. The full-batch trajectory and weights show it; with lr = 0 nothing moves, so
# the epoch-mean check passes.
# Expected: loses train.full_batch_trajectory, train.final_weights, train.minibatch_steps (and their gated checks);
# mistake train.no_zero_grad.
import torch

from ex2_bce_loss import bce_loss


def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    n = x.shape[0]
    size = n if batch_size is None else batch_size
    history = []
    for epoch in range(epochs):
        order = torch.randperm(n) if batch_size is not None else torch.arange(n)
        total = 0.0
        for start in range(0, n, size):
            idx = order[start : start + size]
            loss = bce_loss(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        history.append(total / n)
    return history
