"""Autograder for the logistic-regression lesson: checks, child-process runner, reporters, CLI, pytest plugin."""

__version__ = "0.1.0"
