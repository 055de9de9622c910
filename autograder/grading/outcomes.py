"""One small frozen record per check: what the reporters and the gradebook receive."""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.i18n import N_, _
from autograder.i18n.messages import Value

PASSED = "passed"
FAILED = "failed"
ERROR = "error"
NOT_IMPLEMENTED = "not implemented"
STATUS_LABELS = {ERROR: N_("error"), NOT_IMPLEMENTED: N_("not implemented")}  # said in words, not only by a mark
STATUS_WORDS = {PASSED: N_("passed"), FAILED: N_("failed")}  # the other statuses, where a report names them


def status_word(status: str) -> str:
    """A status in words, in the current language: "error", "not implemented", "failed", "passed"."""
    return _(STATUS_LABELS.get(status) or STATUS_WORDS.get(status, status))


@dataclass(frozen=True)
class Outcome:
    """The result of one check on one submission, as plain data."""

    check_id: str
    exercise: int
    exercise_title: Value
    does: Value  # what the grader called, in the student's terms
    points: float
    max_points: float
    status: str
    message: Value = ""  # expected vs got, or what went wrong
    hint: Value = ""  # a hint in its check's or mistake's context (lesson/hints.py): what decisions compare
    mistake: str | None = None  # id of the known mistake the output matched
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def withheld(self) -> bool:
        """Whether the check passed but its points were withheld: a gate of its exercise did not pass."""
        return self.passed and self.points < self.max_points


@dataclass(frozen=True)
class Curve:
    """One plot's numbers for a feedback page: y over x for the reference and for the student's code.

    The numbers come back from the child as plain data; plots are drawn in the trusted process (reporters).
    """

    x: tuple[float, ...]
    reference: tuple[float, ...]
    student: tuple[float, ...] | None = None  # None: the student's function gave no numbers (its checks say why)
    reference_boundary: float | None = None  # where the curve crosses 0.5 (the pass probability's decision boundary)
    student_boundary: float | None = None


CURVES = ("sigmoid", "loss", "pass_probability")  # the curves a batch records, in the order a feedback page shows them


@dataclass(frozen=True)
class SubmissionResult:
    """Everything one grading of one submission produced, as plain data for the reporters.

    Every text is a message with its values (autograder/i18n/messages.py), said in a language only by the
    reporters: one result can be shown in English and in Chinese without grading again.
    """

    submission: str  # the path as given
    seed: int
    outcomes: list[Outcome]
    notes: tuple[Value, ...] = ()  # what the grader skipped, stubbed or guessed, said once per submission
    exercises: tuple[int, ...] = field(default=())  # the exercises graded, in order
    isolation: Value = ""  # how the student's code was isolated, in words: said in every report
    flags: tuple[
        Value, ...
    ] = ()  # places in the source an instructor should look at: said in every report, cost nothing
    assignment: str = ""  # the name the assignment file gives, "" without one
    curves: dict[str, Curve] = field(default_factory=dict)  # by name (CURVES), where asked for (batch grading)
    fingerprints: tuple[tuple[str, str], ...] = ()  # (name, digest of its source with comments and local names set
    # aside) for each graded function: the class report groups identical submissions by them

    @property
    def total(self) -> tuple[float, float]:
        return total(self.outcomes)


def total(outcomes: list[Outcome]) -> tuple[float, float]:
    """Points earned and points possible."""
    return sum(o.points for o in outcomes), sum(o.max_points for o in outcomes)


def by_exercise(outcomes: list[Outcome]) -> list[list[Outcome]]:
    """The outcomes split into one list per exercise, in exercise order."""
    groups: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.exercise, []).append(outcome)
    return [groups[number] for number in sorted(groups)]
