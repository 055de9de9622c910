# Style: predict that flattens, as for sklearn-style 1-d label arrays: (...).float().view(-1).
# Verdict, from the contract of exercise 5 (labels of "the shape of the model's output", (N, 1)): each label is right
# and the threshold is honoured, but the shape is (N,). Only the form is wrong: the value checks can compare the
# labels element by element, and only the form check owns the shape.
# Expected: loses predict.float_labels only; hint should name the shape (N, 1), not the threshold.
import torch


def predict(model, x, threshold=0.5):
    with torch.no_grad():
        return (model(x) >= threshold).float().view(-1)


def accuracy(labels, y_true):
    return (labels == y_true).float().mean().item()


def decision_boundary(model):
    return -model.linear.bias.item() / model.linear.weight.item()
