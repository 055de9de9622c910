"""Gradescope's results.json: one test per check, hidden checks shown once grades are published.

The schema is Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/), as written by
gradescope-utils' json_test_runner.
"""

from __future__ import annotations

from collections import Counter

from autograder import edition
from autograder.grading.outcomes import Outcome, SubmissionResult, by_exercise, total
from autograder.i18n import N_, _, ngettext
from autograder.i18n.messages import say
from autograder.reporters.inert import inert, shown
from autograder.reporters.terminal import number, points
from autograder.reporters.wording import lost, report_order, status_message

VISIBLE = "visible"
HIDDEN = "after_published"  # a hidden check's result waits until the grades are published
NOTHING_RAN = N_(
    "none needed: none of the submission's code ran"
)  # the isolation of a submission that could not be graded


def check_output(outcome: Outcome) -> str:
    """What was called, what went wrong, and the hint, as plain text."""
    lines = [_("Checked: {does}").format(does=shown(outcome.does))]
    if lost(outcome):
        lines.append(status_message(outcome, capitalise=True))
    if outcome.hint:
        lines.append(_("Hint: {hint}").format(hint=shown(outcome.hint)))
    return "\n".join(lines)


def check_entry(outcome: Outcome, test_number: str) -> dict:
    """One Gradescope test for one check."""
    return {
        "name": outcome.check_id,
        "number": test_number,
        "score": float(outcome.points),
        "max_score": float(outcome.max_points),
        "status": "failed" if lost(outcome) else "passed",
        "output": check_output(outcome),
        "output_format": "text",
        "visibility": HIDDEN if outcome.hidden else VISIBLE,
        "tags": [f"exercise {outcome.exercise}"] + ([outcome.mistake] if outcome.mistake else []),
    }


def summary(result: SubmissionResult) -> str:
    """Points per exercise over the visible checks (so it gives no hidden result away), then the grader's notes."""
    outcomes, lines = result.outcomes, []
    for group in by_exercise(outcomes):
        visible = [outcome for outcome in group if not outcome.hidden]
        if visible:
            lines.append(
                _("Exercise {number} - {title}: {points}").format(
                    number=group[0].exercise, title=shown(group[0].exercise_title), points=points(*total(visible))
                )
            )
    hidden = [outcome for outcome in outcomes if outcome.hidden]
    if hidden:
        lines.append(
            ngettext(
                "{count} hidden check ({points} points) shown once the grades are published.",
                "{count} hidden checks ({points} points) shown once the grades are published.",
                len(hidden),
            ).format(count=len(hidden), points=number(total(hidden)[1]))
        )
    if result.notes:
        lines += ["", _("Notes:"), *(f"- {shown(note)}" for note in result.notes)]
    if result.flags:
        lines += ["", _("Flagged for review:"), *(f"- {shown(flag)}" for flag in result.flags)]
    if result.isolation:
        lines += ["", _("Isolation: {isolation}").format(isolation=shown(result.isolation))]
    return "\n".join(lines)


def exercise_points(outcomes: list[Outcome]) -> list[dict]:
    """Points earned and possible per exercise, hidden checks included (extra_data is for the instructor)."""
    return [
        {
            "exercise": group[0].exercise,
            "title": say(group[0].exercise_title),
            "score": float(total(group)[0]),
            "max_score": float(total(group)[1]),
        }
        for group in by_exercise(outcomes)
    ]


def _results(*, score: float, output: str, tests: list[dict], extra_data: dict, execution_time: float) -> dict:
    """A results.json with the top-level keys of Gradescope's schema."""
    return {
        "score": float(score),
        "execution_time": round(float(execution_time), 2),
        "output": output,
        "output_format": "text",  # Gradescope would read it as HTML otherwise: a `<` in a message must stay a `<`
        "visibility": VISIBLE,
        "stdout_visibility": "hidden",  # the grader's own log is for the instructor
        "extra_data": extra_data,
        "tests": tests,
    }


def results_json(result: SubmissionResult, *, execution_time: float) -> dict:
    """The whole results.json of a graded submission, as a JSON-serialisable dict: the texts students see (output)
    with their student text inert, extra_data (the instructor's) as said, kept as data by JSON's escapes."""
    tests: list[dict] = []
    counts: Counter[int] = Counter()
    for outcome in report_order(result.outcomes):
        counts[outcome.exercise] += 1  # numbered "1.1", "1.2", ... within each exercise
        tests.append(check_entry(outcome, f"{outcome.exercise}.{counts[outcome.exercise]}"))
    extra_data: dict[str, object] = {
        "submission": result.submission,
        "seed": None if edition.EDITION == edition.RELEASE else result.seed,  # a release's inputs are recorded
        "exercises": exercise_points(result.outcomes),
        "notes": [say(note) for note in result.notes],
        "isolation": say(result.isolation),
        "review": [say(flag) for flag in result.flags],
        **({"assignment": result.assignment} if result.assignment else {}),
    }
    return _results(
        score=result.total[0], output=summary(result), tests=tests, extra_data=extra_data, execution_time=execution_time
    )


def ungraded_json(submission: str, seed: int | None, reason: str, *, execution_time: float, detail: str = "") -> dict:
    """The results.json of a submission that could not be graded: no points, and the reason for the student;
    detail, the reason in the instructor's terms where the student's differs (in extra_data, which students never see).

    seed is None when none was chosen (the assignment file that gives the seed could not be read), or none decides
    the inputs (a student release)."""
    extra_data: dict[str, object] = {
        "submission": submission,
        "seed": seed,
        "exercises": [],
        "notes": [],
        "isolation": _(NOTHING_RAN),
        "review": [],
        **({"instructor_reason": detail} if detail else {}),
    }
    return _results(score=0, output=inert(reason), tests=[], extra_data=extra_data, execution_time=execution_time)
