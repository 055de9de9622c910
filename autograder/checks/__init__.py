"""The exercises of the lesson, in order, each with its declared checks.

A student release ships no declarations: its visible checks are read from its checks file (manifest.py).
"""

import importlib

from autograder.checks import manifest
from autograder.checks.base import Exercise

MODULES = ("ex1_sigmoid", "ex2_bce_loss", "ex3_model", "ex4_train", "ex5_predict", "ex6_numpy")
RELEASE: manifest.Release | None = manifest.load() if manifest.MANIFEST.exists() else None

EXERCISES: tuple[Exercise, ...] = (
    RELEASE.exercises if RELEASE is not None
    else tuple(importlib.import_module(f"autograder.checks.{module}").EXERCISE for module in MODULES)
)
