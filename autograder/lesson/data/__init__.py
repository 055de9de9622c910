"""Data sets bundled with the kit: the lesson's toy set and the digits 7 vs 9."""

from __future__ import annotations

import functools
from importlib import resources
from typing import NamedTuple

import numpy as np

__all__ = ["Split", "toy_hours", "digits_7_vs_9"]

_DIGITS_FILE = "digits_7_vs_9.npz"


class Split(NamedTuple):
    """A fixed train/test split: x arrays (N, features), y arrays (N, 1)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def toy_hours() -> tuple[np.ndarray, np.ndarray]:
    """Return the toy set: hours studied x (3, 1), fail/pass y (3, 1), float32."""
    x = np.array([[1.0], [2.0], [3.0]], dtype=np.float32)
    y = np.array([[0.0], [0.0], [1.0]], dtype=np.float32)
    return x, y


@functools.cache
def _load_digits_7_vs_9() -> Split:
    """Read the bundled npz once; the arrays are marked read-only."""
    with resources.files(__name__).joinpath(_DIGITS_FILE).open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
        arrays = {name: np.array(npz[name]) for name in Split._fields}
    for arr in arrays.values():
        arr.setflags(write=False)
    return Split(**arrays)


def digits_7_vs_9() -> Split:
    """Return the digits 7 (label 0) vs 9 (label 1) split, as fresh copies."""
    cached = _load_digits_7_vs_9()
    return Split(*(arr.copy() for arr in cached))
