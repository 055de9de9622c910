# Style: forum answer "clamp the input so exp cannot overflow" (clamp to +-88, the float32 exp limit).
# Verdict, from the contract of exercise 1: e^(-z) with z in [-88, 88] is at most e^88 = 1.7e38 < float32's
# max, so every value and gradient is finite in both dtypes; clamping changes sigma only where it is below
# 1e-38 or within 1e-38 of 1 (far under every tolerance), and the clamped region's true gradient is below
# 1e-38 too; clamp() returns a new tensor and keeps dtype and shape; no built-in sigmoid is called.
# Expected: full marks.
import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    z = torch.clamp(z, -88.0, 88.0)
    return 1.0 / (1.0 + torch.exp(-z))
