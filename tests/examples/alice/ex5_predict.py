# Alice's exercise 5: correct, written her own way.
import torch


def predict(model, x, threshold=0.5):
    """0./1. labels."""
    with torch.no_grad():
        p = model(x)
    return torch.where(p >= threshold, torch.ones_like(p), torch.zeros_like(p))


def accuracy(labels, y_true):
    """Fraction correct."""
    return float(torch.eq(labels, y_true).sum()) / labels.numel()


def decision_boundary(model):
    """Where w x + b = 0."""
    return float(-model.linear.bias / model.linear.weight.squeeze())
