# Exercise 5: predictions, accuracy and the decision boundary
"""Exercise 5 - from probabilities to decisions.

The model gives the probability of class 1; the prediction is 1 where that
probability reaches the threshold (0.5 by default) and 0 elsewhere. The
accuracy is the fraction of predictions equal to the true labels. For a
one-feature model p = sigma(w x + b), p = 0.5 exactly where w x + b = 0:
the decision boundary x = -b / w (how many hours of study make a pass).

Tasks:
- `predict(model, x, threshold=0.5)`: 0./1. labels (float, the shape of the
  model's output) that carry no autograd graph (requires_grad False).
  torch.no_grad() around the forward pass is the simple way; a forward pass
  with grad enabled is allowed too, as long as the labels returned carry no
  graph (a comparison such as p >= threshold never does).
- `accuracy(labels, y_true)`: a Python float in [0, 1].
- `decision_boundary(model)`: the input where a 1-feature model's
  probability is 0.5, as a Python float (read model.linear).
"""

import torch


def predict(model: torch.nn.Module, x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """0./1. labels: 1 where the model's probability is at least threshold."""
    raise NotImplementedError("Exercise 5: replace this line with your code (see the task at the top of ex5_predict.py)")


def accuracy(labels: torch.Tensor, y_true: torch.Tensor) -> float:
    """Fraction of labels equal to y_true, as a float in [0, 1]."""
    raise NotImplementedError("Exercise 5: replace this line with your code (see the task at the top of ex5_predict.py)")


def decision_boundary(model: torch.nn.Module) -> float:
    """The input x where w x + b = 0, i.e. where the probability is 0.5."""
    raise NotImplementedError("Exercise 5: replace this line with your code (see the task at the top of ex5_predict.py)")
