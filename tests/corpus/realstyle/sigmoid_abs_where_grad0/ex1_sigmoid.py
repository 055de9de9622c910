# Style: the "stable sigmoid" of many blog posts: e = exp(-|z|), then torch.where on the sign.
# Verdict, from the contract of exercise 1 ("autograd must give finite, correct gradients sigma(z)(1 - sigma(z))"):
# the values are right everywhere, but torch's abs has subgradient 0 at z = 0, so the autograd gradient at
# exactly z = 0 is 0 where it must be 0.25 (and a model started from w = b = 0 never moves). Only the gradient
# is wrong, at one point.
# Expected: loses sigmoid.gradient only; hint should name the gradient at z = 0 (|z|).
import torch


def sigmoid(z):
    e = torch.exp(-torch.abs(z))
    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
