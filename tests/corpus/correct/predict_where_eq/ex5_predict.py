# Exercise 5: predictions with torch.where, accuracy with torch.eq, sum and numel
import torch


def predict(model, x, threshold=0.5):
    """1. where the probability reaches threshold, else 0."""
    with torch.no_grad():
        p = model(x)
        return torch.where(p >= threshold, torch.ones_like(p), torch.zeros_like(p))


def accuracy(labels, y_true):
    """Fraction of equal labels."""
    correct = torch.eq(labels, y_true).sum()
    return (correct / y_true.numel()).item()


def decision_boundary(model):
    """w x + b = 0 at x = -b / w."""
    with torch.no_grad():
        return float(-(model.linear.bias / model.linear.weight).reshape(()))
