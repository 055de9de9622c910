"""The exercises of the lesson, in order, each with its checks.

In the instructors' kit the checks are the declarations (declarations/); a student release has none
(their known mistakes are near-solutions) and reads its visible checks from its checks file instead
(manifest.py). Which of the two this package is, edition.py says.

EXERCISES and RELEASE are made when first asked for, so that the light modules of this package (modules.py:
the exercise list) are read without the checks and torch: `logreg-grade --help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from autograder.lesson.modules import MODULES

if TYPE_CHECKING:
    from autograder.checks.base import Exercise
    from autograder.lesson import manifest

    RELEASE: manifest.Release | None
    EXERCISES: tuple[Exercise, ...]


def __getattr__(name: str) -> Any:
    """RELEASE (a student release's checks file, read; None in the kit) and EXERCISES, made on first use."""
    if name not in ("RELEASE", "EXERCISES"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from autograder import edition
    from autograder.lesson import manifest

    release = manifest.load() if edition.EDITION == edition.RELEASE else None
    exercises = (
        release.exercises
        if release is not None
        else tuple(importlib.import_module(f"autograder.lesson.declarations.{module}").EXERCISE for module in MODULES)
    )
    globals().update(RELEASE=release, EXERCISES=exercises)
    return globals()[name]
