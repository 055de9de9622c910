"""The exercises of the lesson, in order, each with its declared checks."""

from autograder.checks import ex1_sigmoid, ex2_bce_loss, ex3_model, ex4_train, ex5_predict, ex6_numpy
from autograder.checks.base import Exercise

EXERCISES: tuple[Exercise, ...] = (ex1_sigmoid.EXERCISE, ex2_bce_loss.EXERCISE, ex3_model.EXERCISE, ex4_train.EXERCISE, ex5_predict.EXERCISE, ex6_numpy.EXERCISE)
