# Exercise 1: the sigmoid (logistic) function
"""Exercise 1 - turn a real score into a probability.

A linear model gives a score z that can be any real number, but a classifier
needs the probability that the answer is "pass" (or "this digit is a 9").
The logistic function squashes every real number into (0, 1):

    sigma(z) = 1 / (1 + e^(-z))

sigma(0) = 0.5, sigma(z) -> 1 as z -> +inf and sigma(z) -> 0 as z -> -inf.

Task: implement `sigmoid(z)` elementwise for a tensor of any shape.
- Keep the shape and the dtype (float32 or float64) of z; do not modify z.
- Stay finite for every finite input, even |z| = 10000: e^(-z) overflows to
  inf for z = -1000, and inf / inf is nan. Use the equivalent form
  sigma(z) = e^z / (1 + e^z) where z < 0, so e^(...) never exceeds 1.
- Autograd must give finite, correct gradients sigma(z) * (1 - sigma(z)),
  also at extreme inputs.
- Write it yourself: do not call torch.sigmoid, torch.special.expit,
  torch.nn.functional.sigmoid or torch.nn.Sigmoid.
"""

import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function 1 / (1 + e^(-z)), elementwise and overflow-free."""
    raise NotImplementedError("Exercise 1: replace this line with your code (see the task at the top of ex1_sigmoid.py)")
