"""What every reporter says of a check, computed here once: whether it counts as lost, its status in words, and
the order of the checks.

The terminal report, the pytest plugin, Jupyter's check cells, Gradescope's results.json and nbgrader's feedback
all say a check's status with status_message and list the checks in report_order, so that one graded result reads
the same in each of them (tests/test_agreement.py renders one through all and compares). Places in a notebook
are said by submission/source_map.py before any reporter sees them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from autograder.grading.outcomes import STATUS_LABELS, Outcome, by_exercise, status_word
from autograder.i18n import _
from autograder.reporters.inert import shown


def lost(outcome: Outcome) -> bool:
    """Whether the check did not earn its points: it failed, or passed with its points withheld by a gate."""
    return not outcome.passed or outcome.withheld


def status_message(outcome: Outcome, *, capitalise: bool = False) -> str:
    """What went wrong, led by the status in words ("error: ...") unless the message already says them:
    the same words in every reporter, for every check that did not earn its points."""
    message = shown(outcome.message) or status_word(outcome.status)
    if outcome.status in STATUS_LABELS and not says(message, status_word(outcome.status)):
        label = status_word(outcome.status)
        message = _("{status}: {message}").format(status=label.capitalize() if capitalise else label, message=message)
    return message


def says(message: str, label: str) -> bool:
    """Whether message says label: as a word of its own in English ("TypeError" does not say "error"),
    anywhere in Chinese."""
    if not label.isascii():  # Chinese has no spaces between words
        return label.lower() in message.lower()
    return re.search(rf"\b{re.escape(label)}\b", message, re.IGNORECASE) is not None


def report_order(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The checks in the order every report lists them: by exercise, then as graded (the declaration's order)."""
    return [outcome for group in by_exercise(list(outcomes)) for outcome in group]
