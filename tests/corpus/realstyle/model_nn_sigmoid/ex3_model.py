# Style: the textbook layer pair: self.linear then self.activation = nn.Sigmoid() (no ex1 file handed in).
# Verdict, from the contract of exercise 3 ("computed with your own `sigmoid` from exercise 1"): the layer, the
# values and the gradients are right, but the sigmoid is torch's, not exercise 1's; nn.Sigmoid has no parameters,
# so the parameter list is still the layer's.
# Expected: loses model.uses_own_sigmoid only; hint should name the own sigmoid (from ex1_sigmoid import sigmoid).
import torch.nn as nn


class LogisticRegression(nn.Module):
    def __init__(self, in_features=1):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)
        self.activation = nn.Sigmoid()

    def forward(self, x):
        return self.activation(self.linear(x))
