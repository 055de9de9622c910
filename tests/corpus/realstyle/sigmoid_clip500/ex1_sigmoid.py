# Style: "clip the input to avoid overflow" with the bound copied from NumPy code (+-500).
# Verdict, from the contract of exercise 1 (finite, correct gradients also at extreme inputs): in float64 e^500
# is finite and everything is right; in float32 e^(-z) overflows to inf for z < -88.7, so inside [-500, -88.7]
# the value is still 0 (1 / inf) but the gradient is inf / inf = nan. The bug is float32 gradients at large
# negative z; it has no torch.where.
# Expected: loses sigmoid.gradient_extreme only; hint should name the overflow of exp in float32 (and not torch.where).
import torch


def sigmoid(z):
    z = torch.clamp(z, min=-500, max=500)
    return 1 / (1 + torch.exp(-z))
