# Exercise 3: the logistic-regression model
"""Exercise 3 - from linear regression to logistic regression.

The linear model computes a score z = x W^T + b. Logistic regression keeps
that layer and passes the score through the sigmoid, so the output is the
probability of class 1:

    p = sigma(x W^T + b)

Task: complete `LogisticRegression`.
- `__init__(in_features=1)`: one torch.nn.Linear(in_features, 1), stored as
  `self.linear` (and no other parameters).
- `forward(x)`: x has shape (N, in_features); return probabilities of shape
  (N, 1), computed with your own `sigmoid` from exercise 1.
"""

import torch

from ex1_sigmoid import sigmoid


class LogisticRegression(torch.nn.Module):
    """A linear layer followed by the sigmoid: p = sigma(x W^T + b)."""

    def __init__(self, in_features: int = 1):
        super().__init__()
        raise NotImplementedError("Exercise 3: replace this line with your code (see the task at the top of ex3_model.py)")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Probabilities of shape (N, 1) for inputs of shape (N, in_features)."""
        raise NotImplementedError("Exercise 3: replace this line with your code (see the task at the top of ex3_model.py)")
