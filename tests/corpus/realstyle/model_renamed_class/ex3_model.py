# Style: a tutorial class given the tutorial's own name (LogisticRegressionModel) instead of the exercise's.
# Verdict, from the contract of exercise 3 ("complete `LogisticRegression`"): the class is right but has another
# name, so no `LogisticRegression` exists and every check of exercise 3 loses its points; the message should say
# which name was found (LogisticRegressionModel) and to rename it, not "did you mean `LogisticRegression`?".
# Expected: loses every check of exercise 3; the message names LogisticRegressionModel as what was found.
import torch

from ex1_sigmoid import sigmoid


class LogisticRegressionModel(torch.nn.Module):
    def __init__(self, in_features=1):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, 1)

    def forward(self, x):
        return sigmoid(self.linear(x))
