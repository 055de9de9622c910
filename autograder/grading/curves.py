"""The numbers behind a feedback page's plots: the student's functions on the lesson's own inputs, and the reference's.

They come back from the child as plain numbers, like every answer; the plots are drawn by the reporters, in this
process. A function that cannot run, fails or gives numbers of the wrong size leaves its curve without a student line.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import Probe, tensor_call
from autograder.checks.values import at, numbers
from autograder.grading.judge import trusted_result
from autograder.grading.outcomes import Curve
from autograder.sandboxed.answers import Result

Z = np.linspace(-10, 10, 201, dtype=np.float32)  # sigma(z) over the lesson's figure
HOURS = np.linspace(0, 10, 101)  # the pass probability over 0..10 hours of study
EPOCHS, LEARNING_RATE = 200, 0.5
SIGMOID = tensor_call("sigmoid", Z)
TRAINING = Probe(  # the lesson's toy set: 1, 2, 3 hours studied -> fail, fail, pass; from w = b = 0
    "train",
    "train",
    {
        "x": np.array([[1.0], [2.0], [3.0]], dtype=np.float32),
        "y": np.array([[0.0], [0.0], [1.0]], dtype=np.float32),
        "weight": np.zeros((1, 1), dtype=np.float32),
        "bias": np.zeros(1, dtype=np.float32),
        "epochs": EPOCHS,
        "lr": LEARNING_RATE,
        "batch_size": None,
        "seed": 0,
        "repeat_seed": None,
    },
    deadline_s=5.0,
)

Ask = Callable[[Probe], Result | None]  # the child's answer to a probe, or None where its function cannot run


def measured(ask: Ask) -> dict[str, Curve]:
    """The curves of the student's code (asked through ask) against the reference's."""
    reference_training, student_training = trusted_result(TRAINING), _answer(ask, TRAINING)
    reference_history = _numbers(reference_training, "history", EPOCHS)
    assert reference_history is not None, "the reference trains for EPOCHS epochs"
    return {
        "sigmoid": Curve(
            x=_plain(Z), reference=_required(trusted_result(SIGMOID), "out"), student=_student(ask, SIGMOID, "out")
        ),
        "loss": Curve(
            x=tuple(float(epoch) for epoch in range(1, EPOCHS + 1)),
            reference=_plain(reference_history),
            student=_maybe(_numbers(student_training, "history", EPOCHS)),
        ),
        "pass_probability": _pass_probability(reference_training, student_training),
    }


def _answer(ask: Ask, probe: Probe) -> Result | None:
    result = ask(probe)
    return result if result is not None and result.error is None else None


def _numbers(result: Result | None, key: str, size: int) -> np.ndarray | None:
    """The numbers result holds at key, flat, when there are size of them."""
    found = None if result is None else numbers(at(result, key))
    return found.reshape(-1) if found is not None and found.size == size else None


def _plain(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(value) for value in values.reshape(-1))


def _maybe(values: np.ndarray | None) -> tuple[float, ...] | None:
    return None if values is None else _plain(values)


def _required(result: Result, key: str) -> tuple[float, ...]:
    values = _numbers(result, key, Z.size)
    assert values is not None, "the reference answers every curve's probe"
    return _plain(values)


def _student(ask: Ask, probe: Probe, key: str) -> tuple[float, ...] | None:
    return _maybe(_numbers(_answer(ask, probe), key, Z.size))


def _line(result: Result | None) -> tuple[np.ndarray, float | None] | None:
    """The pass probability over HOURS of the model a training left, and its decision boundary -b / w."""
    weight, bias = _numbers(result, "weight", 1), _numbers(result, "bias", 1)
    if weight is None or bias is None:
        return None
    w, b = float(weight[0]), float(bias[0])
    with np.errstate(all="ignore"):
        probability = 1 / (1 + np.exp(-(w * HOURS + b)))
    return probability, (-b / w if w != 0 and np.isfinite(b / w) else None)


def _pass_probability(reference: Result, student: Result | None) -> Curve:
    reference_line, student_line = _line(reference), _line(student)
    assert reference_line is not None, "the reference's training leaves a weight and a bias"
    return Curve(
        x=_plain(HOURS),
        reference=_plain(reference_line[0]),
        student=None if student_line is None else _plain(student_line[0]),
        reference_boundary=reference_line[1],
        student_boundary=None if student_line is None else student_line[1],
    )
