# Exercise 3: the model, writing out the linear layer's product by hand
import torch

from ex1_sigmoid import sigmoid


class LogisticRegression(torch.nn.Module):
    """p = sigma(x W^T + b), with W and b stored in self.linear."""

    def __init__(self, in_features: int = 1):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores = x @ self.linear.weight.T + self.linear.bias
        return sigmoid(scores)
