"""The held-out accuracy check: trained weights judged on digits the student's code never sees.

Instructor-only: the student release holds neither this module nor the held-out digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.checks.compare import Comparison, Verdict
from autograder.checks.values import at, numbers
from autograder.checks.words import expected_then, show, subject
from autograder.i18n.messages import message
from autograder.lesson.data import digits_7_vs_9
from autograder.sandboxed.answers import Result


@dataclass(frozen=True)
class HeldOutAccuracy(Comparison):
    """Trained weights reach the reference's accuracy, less a margin, on the held-out digits.

    The weights count only when the same call's own trajectory passes (trajectory: the loss history, as
    right as the training can be told from here): a point needs a right answer from the function the
    check is about, not weights that came by another route (a closed-form fit, weights from elsewhere).
    """

    weight: str = "weight"
    bias: str = "bias"
    margin: float = 0.03
    trajectory: Comparison | None = None

    @property
    def observes(self) -> tuple[str, ...]:
        return (self.weight, self.bias, *(self.trajectory.observes if self.trajectory is not None else ()))

    def accuracy(self, result: Result) -> float | None:
        """Accuracy on the test split, computed here: the child never sees that split."""
        split = digits_7_vs_9()
        w, b = numbers(at(result, self.weight)), numbers(at(result, self.bias))
        if w is None or b is None or w.size != split.x_test.shape[1] or b.size != 1:
            return None
        with np.errstate(all="ignore"):
            predicted_nine = split.x_test @ w.reshape(-1) + float(b.reshape(())) >= 0  # sigma(z) >= 0.5
        return float((predicted_nine == (split.y_test.ravel() == 1)).mean())

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        if self.trajectory is not None:
            followed = self.trajectory.verdict(got, expected, fn)
            if not followed.passed:
                return followed
        reached, reference = self.accuracy(got), self.accuracy(expected)
        if reached is None:
            wanted = message("{count} weights and one bias", count=digits_7_vs_9().x_test.shape[1])
            if ".items." in self.weight:  # both come back in one tuple: show it whole
                container = self.weight.split(".items.")[0]
                return Verdict(False, expected_then(wanted, subject(container, fn, got, show(at(got, container)))))
            said = subject(self.weight, fn, got, show(at(got, self.weight)))
            return Verdict(
                False,
                expected_then(
                    wanted, message("{message} and the bias {bias}", message=said, bias=show(at(got, self.bias)))
                ),
            )
        assert reference is not None, "the expected answer (the reference's) holds trained weights of the right size"
        needed = reference - self.margin
        if reached >= needed:
            return Verdict(True)
        return Verdict(
            False,
            message(
                "after `{fn}`, held-out accuracy {reached}; at least {needed} needed "
                "(the reference reaches {reference})",
                fn=fn,
                reached=format(reached, ".3f"),
                needed=format(needed, ".3f"),
                reference=format(reference, ".3f"),
            ),
        )
