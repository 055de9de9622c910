"""Attack: a model whose forward skips the student's sigmoid, yet hopes to pass the check that it calls it.

Fails: model.uses_own_sigmoid
Replaces: ex3_model.py
Its forward's values are right, so only the check of which sigmoid runs is at stake.
"""
import torch

from ex1_sigmoid import sigmoid  # imported, so that the name is there, but not called


class LogisticRegression(torch.nn.Module):
    def __init__(self, in_features: int = 1):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)

    def forward(self, x):
        score = self.linear(x)
        return 1 / (1 + torch.exp(-score))
