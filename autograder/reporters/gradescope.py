"""Gradescope's results.json: one test per check, hidden checks shown once grades are published.

The schema is Gradescope's autograder specification
(https://gradescope-autograders.readthedocs.io/en/latest/specs/), as written by
gradescope-utils' json_test_runner.
"""

from __future__ import annotations

from collections import Counter

from autograder.outcomes import ERROR, NOT_IMPLEMENTED, PASSED, Outcome, by_exercise, total
from autograder.reporters.terminal import number, points

VISIBLE = "visible"
HIDDEN = "after_published"  # a hidden check's result waits until the grades are published
LABELS = {ERROR: "Error", NOT_IMPLEMENTED: "Not implemented"}


def check_output(outcome: Outcome) -> str:
    """What was called, what went wrong, and the hint, as plain text."""
    lines = [f"Checked: {outcome.does}"]
    if outcome.status != PASSED:
        label = LABELS.get(outcome.status)
        message = outcome.message or outcome.status
        if label and not message.lower().startswith(label.lower()):
            message = f"{label}: {message}"
        lines.append(message)
    if outcome.hint:
        lines.append(f"Hint: {outcome.hint}")
    return "\n".join(lines)


def check_entry(outcome: Outcome, number: str) -> dict:
    """One Gradescope test for one check."""
    return {
        "name": outcome.check_id,
        "number": number,
        "score": float(outcome.points),
        "max_score": float(outcome.max_points),
        "status": "passed" if outcome.passed else "failed",
        "output": check_output(outcome),
        "visibility": HIDDEN if outcome.hidden else VISIBLE,
        "tags": [f"exercise {outcome.exercise}"] + ([outcome.mistake] if outcome.mistake else []),
    }


def summary(outcomes: list[Outcome]) -> str:
    """Points per exercise over the visible checks, so the summary gives no hidden result away."""
    lines = []
    for group in by_exercise(outcomes):
        shown = [outcome for outcome in group if not outcome.hidden]
        if shown:
            lines.append(f"Exercise {group[0].exercise} - {group[0].exercise_title}: {points(*total(shown))}")
    hidden = [outcome for outcome in outcomes if outcome.hidden]
    if hidden:
        checks = "check" if len(hidden) == 1 else "checks"
        lines.append(f"{len(hidden)} hidden {checks} ({number(total(hidden)[1])} points) shown once the grades are published.")
    return "\n".join(lines)


def results_json(outcomes: list[Outcome], *, execution_time: float) -> dict:
    """The whole results.json, as a JSON-serialisable dict."""
    tests, counts = [], Counter()
    for outcome in outcomes:
        counts[outcome.exercise] += 1  # numbered "1.1", "1.2", ... within each exercise
        tests.append(check_entry(outcome, f"{outcome.exercise}.{counts[outcome.exercise]}"))
    return {
        "score": float(total(outcomes)[0]),
        "execution_time": round(float(execution_time), 2),
        "output": summary(outcomes),
        "visibility": VISIBLE,
        "stdout_visibility": "hidden",  # the grader's own log is for the instructor
        "tests": tests,
    }
