"""python -m autograder: the same as logreg-grade."""

from autograder.frontends.cli import run

run()
