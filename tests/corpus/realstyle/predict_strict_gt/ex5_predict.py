# Style: a tutorial's predict with a strict comparison: (probs > threshold).float().
# Verdict, from the contract of exercise 5 ("the prediction is 1 where that probability reaches the threshold"):
# every input whose probability is not exactly the threshold gets the right label, but p == threshold (a point on
# the decision boundary, x = -b / w, where p = 0.5 exactly) must be labelled 1 and gets 0. accuracy and
# decision_boundary are right.
# Expected: loses predict.default_threshold (the check that owns the threshold rule; predict.custom_threshold may
# lose too); hint should name >= (reaching the threshold counts as 1).
import torch


def predict(model, x, threshold=0.5):
    with torch.no_grad():
        probs = model(x)
    return (probs > threshold).float()


def accuracy(labels, y_true):
    return (labels == y_true).float().mean().item()


def decision_boundary(model):
    return -model.linear.bias.item() / model.linear.weight.item()
