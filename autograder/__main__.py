"""python -m autograder: the same as logreg-grade."""

from autograder.cli import run

run()
