"""Attack: flood every descriptor with lines the trusted side must refuse before the work: a line of
5 MiB of numbers, a line nested a million levels deep, a forged result whose shape disagrees with its
numbers, an array of a billion declared values.

If the attack works, the grader crashes, stalls or takes a forged answer (the damage shows in the test);
if not, each costs only its own call, and sigmoid returns zeros.
"""
import os

import torch

LINES = [
    b"[" + b"1," * (5 * 1024 * 1024 // 2) + b"1]\n",
    b"[" * 1_000_000 + b"]" * 1_000_000 + b"\n",
    b'{"result": {"out": {"type": "tensor", "dtype": "float32", "shape": [7, 9],'
    b' "value": {"__array__": "AAAAAA==", "dtype": "float32", "shape": [1]}}}}\n',
    b'{"result": {"out": {"type": "ndarray", "value": {"__array__": "", "dtype": "float64",'
    b' "shape": [1000000000]}}}}\n',
]


def sigmoid(z):
    for line in LINES:
        for fd in range(256):
            try:
                os.write(fd, line)
            except OSError:
                pass
    return torch.zeros_like(z)
