# Style: the classic tutorial class (nn.Module, self.linear, forward calling the sigmoid written earlier).
# Verdict, from the contract of exercise 3: one nn.Linear(in_features, 1) stored as self.linear, no other
# parameters, default in_features=1, forward returns sigmoid(self.linear(x)) of shape (N, 1) using the
# sigmoid of exercise 1.
# Expected: full marks.
import torch.nn as nn

from ex1_sigmoid import sigmoid


class LogisticRegression(nn.Module):
    def __init__(self, in_features=1):
        super(LogisticRegression, self).__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, x):
        out = self.linear(x)
        return sigmoid(out)
