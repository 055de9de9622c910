"""The exercises of the lesson, in order, each with its checks.

In the instructors' kit the checks are the declarations (declarations/); a student release has none
(their known mistakes are near-solutions) and reads its visible checks from its checks file instead
(manifest.py). Which of the two this package is, edition.py says.
"""

import importlib

from autograder import edition
from autograder.checks.base import Exercise
from autograder.lesson import manifest
from autograder.lesson.modules import MODULES

RELEASE: manifest.Release | None = manifest.load() if edition.EDITION == edition.RELEASE else None

EXERCISES: tuple[Exercise, ...] = (
    RELEASE.exercises
    if RELEASE is not None
    else tuple(importlib.import_module(f"autograder.lesson.declarations.{module}").EXERCISE for module in MODULES)
)
