# Style: a loss written like nn.BCELoss(reduction="none"): the elementwise losses, the reduction forgotten.
# Verdict, from the contract of exercise 2 ("return a 0-dim tensor: the mean ... over all elements"): each element
# is right, but a tensor of the inputs' shape comes back, not their mean; every value check and the form check
# see it, and the gradient of a non-scalar cannot be taken by backward() alone. It is not a sum.
# Expected: loses bce.fixed_values, bce.random_float32, bce.soft_labels_float64, bce.zero_dim,
# both bce.extreme_probabilities checks, bce.gradient (and their gated checks); hint should say the loss is not reduced
# (one loss per element; take the mean), not that it is the sum.
import torch


def bce_loss(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {y_pred.shape} and {y_true.shape}")
    log_p = torch.clamp(torch.log(y_pred), min=-100)
    log_q = torch.clamp(torch.log(1 - y_pred), min=-100)
    return -(y_true * log_p + (1 - y_true) * log_q)
