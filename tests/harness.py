"""Grade hand-made student functions in this process: fast tests of the verdicts, no child process.

The probes run here exactly as in the child, and their results cross the same JSON wire
before they are judged, so the checks see what they would see from a real submission.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from autograder.checks.base import Check, Exercise
from autograder.grading.grade import run_checks, selected_checks, wanted_names
from autograder.grading.outcomes import Outcome
from autograder.lesson import EXERCISES
from autograder.lesson.reference import reference
from autograder.sandboxed import answers, probes
from autograder.submission import loader


class InProcessRunner:
    """Answers probes in this process, with the given names standing for the student's."""

    def __init__(self, names: dict[str, Any]):
        ref = reference()
        self.ns = probes.Namespace(names={**ref.names, **names}, modules=ref.modules)

    def problem(self, name: str) -> str | None:
        return None

    def run(self, probe: str, args: dict, deadline_s: float) -> answers.Result:
        answer = probes.run_probe(self.ns, probe, args, Path(__file__).parent)
        return answers.crossed(answer)


def grade_functions(
    names: dict[str, Any],
    *,
    exercise: int | None = None,
    seed: int = 0,
    select: Callable[[Exercise, Check], bool] = lambda exercise, check: True,
    exercises: Sequence[Exercise] = EXERCISES,
) -> list[Outcome]:
    """Outcomes of the checks (of one exercise, or all, as declared in exercises) with
    these functions as the student's."""
    chosen = [e for e in exercises if exercise is None or e.number == exercise]
    layout = loader.Layout(root=Path(__file__).parent, files=(), where=dict.fromkeys(wanted_names(), "student"))
    return run_checks(layout, InProcessRunner(names), selected_checks(chosen, select), seed)


def by_id(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {outcome.check_id: outcome for outcome in outcomes}
