"""The table a batch prints at its end: the class's scores, the most-failed checks and the most common mistakes."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from autograder.frontends.instructor.batch.gradebook import Summary
from autograder.i18n import _
from autograder.i18n.messages import say
from autograder.reporters.inert import inert

BAR_WIDTH = 30  # characters of the widest bar of the score distribution


def table(summary: Summary) -> Group:
    """The summary, as rich renders it."""
    scores = Table(title=_("The class"), show_header=False, box=None, padding=(0, 2))
    scores.add_row(_("submissions"), str(summary.students))
    scores.add_row(_("graded"), str(summary.graded))
    scores.add_row(_("not graded"), str(summary.students - summary.graded))
    scores.add_row(_("mean score"), _number(summary.mean))
    scores.add_row(_("median score"), _number(summary.median))
    parts: list[Table | Text] = [scores, _distribution(summary)]
    if summary.failed_checks:
        failed = Table(title=_("Most failed checks"))
        failed.add_column(_("check"))
        failed.add_column(_("failed"), justify="right")
        for check in summary.failed_checks:
            failed.add_row(check.check_id, f"{check.failures}/{check.students}")
        parts.append(failed)
    if summary.mistakes:
        mistakes = Table(title=_("Most common known mistakes"))
        mistakes.add_column(_("mistake"))
        mistakes.add_column(_("students"), justify="right")
        mistakes.add_column(_("for example"), overflow="fold")
        for mistake in summary.mistakes:
            example = inert(say(mistake.example)).splitlines()
            mistakes.add_row(mistake.mistake, str(mistake.students), example[0] if example else "")
        parts.append(mistakes)
    return Group(*parts)


def _distribution(summary: Summary) -> Table:
    """The score distribution as a bar per band of the points possible."""
    bands = Table(title=_("Scores (percent of the points possible)"), show_header=False, box=None, padding=(0, 1))
    widest = max((count for _low, count in summary.distribution), default=0) or 1
    for low, count in summary.distribution:
        bar = "█" * round(BAR_WIDTH * count / widest)
        bands.add_row(f"{low:>3}-{min(low + 10, 100)}%", bar, str(count))
    return bands


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
