"""Tests that recognise a known mistake in a student's output where its outputs cannot be listed in advance.

Each is a frozen dataclass called as recognise(got, probe), so that it can be stored as data (see manifest.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.checks.base import Probe
from autograder.checks.values import numbers
from autograder.sandboxed.answers import Result

EPOCH_LOSSES = {"mean": lambda losses: sum(losses) / len(losses), "sum": sum, "last": lambda losses: losses[-1]}


def _probabilities(args: dict) -> np.ndarray:
    """The model's probabilities sigma(x W^T + b) for a probe's inputs and weights."""
    return 1 / (1 + np.exp(-(args["x"] @ args["weight"].T + args["bias"])))


@dataclass(frozen=True)
class EpochOfBatchLosses:
    """A history that records the mean, sum or last of the batch losses (EPOCH_LOSSES),
    for any order of the examples."""

    combine: str

    def __call__(self, got: Result, probe: Probe) -> bool:
        args = probe.args
        p, y = _probabilities(args), args["y"]
        per_example = -(y * np.log(p) + (1 - y) * np.log(1 - p)).ravel()
        epoch_loss = EPOCH_LOSSES[self.combine]
        alone = [
            epoch_loss([float(np.delete(per_example, i).mean()), float(per_example[i])])
            for i in range(len(per_example))
        ]
        history = numbers(got.history)
        return (
            history is not None
            and history.size == args["epochs"]
            and all(np.isclose(alone, value, rtol=1e-4).any() for value in history)
            and not np.allclose(history, per_example.mean(), rtol=1e-4)
        )


@dataclass(frozen=True)
class CutElsewhere:
    """Labels that split the probabilities at some threshold other than 0.5."""

    def __call__(self, got: Result, probe: Probe) -> bool:
        p = _probabilities(probe.args).ravel()
        labels = numbers(got.out)
        if labels is None or labels.size != p.size:
            return False
        in_order = labels.ravel()[np.argsort(p)]
        is_a_cut = set(np.unique(in_order)) <= {0.0, 1.0} and bool(np.all(np.diff(in_order) >= 0))
        return is_a_cut and not np.array_equal(in_order, np.sort(p) >= 0.5)
