"""A batch's class report: one self-contained HTML page of how the whole class did.

The numbers are small pure functions of the results (counts, scores, pass rates, known mistakes, identical
submissions); the HTML only shows them. Student ids and messages are escaped, as on a feedback page.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from autograder.grading.outcomes import Outcome, SubmissionResult
from autograder.i18n import N_, _, listing, ngettext
from autograder.i18n.messages import Value
from autograder.reporters import plots
from autograder.reporters.feedback_page import document, element, figure
from autograder.reporters.terminal import number
from autograder.reporters.wording import report_order

Row = tuple[str, SubmissionResult | None, str]  # a student, their result (None: not graded) and why not
BINS = 10
CLASS_REPORT = N_("Class report")


@dataclass(frozen=True)
class Scores:
    """How many were graded and not, and the points of those graded (out of the most possible)."""

    graded: int
    ungraded: int
    mean: float | None
    median: float | None
    possible: float


@dataclass(frozen=True)
class Rate:
    """How many of the students graded on a check passed it."""

    check_id: str
    exercise: int
    passed: int
    graded: int

    @property
    def fraction(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Mistake:
    """A known mistake, the students whose output matched it, and one message and hint it came with."""

    mistake: str
    check_id: str
    students: tuple[str, ...]
    example: Value
    hint: Value


def graded(rows: Sequence[Row]) -> list[tuple[str, SubmissionResult]]:
    """The students graded, with their results."""
    return [(student, result) for student, result, _reason in rows if result is not None]


def scores(rows: Sequence[Row]) -> Scores:
    """The counts, and the mean and median points of the students graded (None when none was)."""
    results = [result for _student, result in graded(rows)]
    earned = [result.total[0] for result in results]
    return Scores(
        graded=len(results),
        ungraded=len(rows) - len(results),
        mean=statistics.mean(earned) if earned else None,
        median=statistics.median(earned) if earned else None,
        possible=max((result.total[1] for result in results), default=0.0),
    )


def histogram(earned: Sequence[float], possible: float, bins: int = BINS) -> tuple[list[float], list[int]]:
    """The bin edges from 0 to possible and how many scores fall in each (a full score in the last bin)."""
    top = possible or 1.0
    counts = [0] * bins
    for points in earned:
        counts[min(max(int(points * bins / top), 0), bins - 1)] += 1
    return [top * index / bins for index in range(bins + 1)], counts


def pass_rates(rows: Sequence[Row]) -> list[Rate]:
    """Each check's passes among the students graded on it, in report_order."""
    by_check: dict[str, list[bool]] = {}
    firsts: dict[str, Outcome] = {}
    for _student, result in graded(rows):
        for outcome in result.outcomes:
            firsts.setdefault(outcome.check_id, outcome)
            by_check.setdefault(outcome.check_id, []).append(outcome.passed)
    return [
        Rate(first.check_id, first.exercise, sum(by_check[first.check_id]), len(by_check[first.check_id]))
        for first in report_order(list(firsts.values()))
    ]


def mistakes(rows: Sequence[Row]) -> list[Mistake]:
    """The known mistakes the class made, the most students first, each with the first message it came with."""
    first: dict[str, Outcome] = {}
    students: dict[str, dict[str, None]] = {}
    for student, result in graded(rows):
        for outcome in result.outcomes:
            if outcome.mistake is not None:
                first.setdefault(outcome.mistake, outcome)
                students.setdefault(outcome.mistake, {})[student] = None
    found = [
        Mistake(mistake, outcome.check_id, tuple(students[mistake]), outcome.message, outcome.hint)
        for mistake, outcome in first.items()
    ]
    return sorted(found, key=lambda mistake: (-len(mistake.students), mistake.mistake))


def identical(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    """Groups of two or more students whose graded functions have the same fingerprints, the largest first;
    students without fingerprints are left out."""
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for student, result in graded(rows):
        if result.fingerprints:
            groups.setdefault(result.fingerprints, []).append(student)
    found = [tuple(students) for students in groups.values() if len(students) > 1]
    return sorted(found, key=lambda students: (-len(students), students))


def _summary(rows: Sequence[Row]) -> list[str]:
    found = scores(rows)
    mean, median = ("-" if x is None else f"{number(x)}/{number(found.possible)}" for x in (found.mean, found.median))
    cells = ((_("graded"), found.graded), (_("not graded"), found.ungraded), (_("mean"), mean), (_("median"), median))
    table = ["<table>", *(f"<tr>{element('th', k)}{element('td', v, css='num')}</tr>" for k, v in cells), "</table>"]
    if not found.graded:
        return table
    edges, counts = histogram([result.total[0] for _student, result in graded(rows)], found.possible)
    return [*table, figure(plots.histogram(edges, counts))]


def _rate(rate: Rate) -> str:
    bar = f'<span class="bar"><span style="width:{rate.fraction:.0%}"></span></span> {rate.fraction:.0%}'
    passed = element("td", f"{rate.passed}/{rate.graded}", css="num")
    return f"<tr><td>{element('code', rate.check_id)}</td>{passed}<td>{bar}</td></tr>"


def _rates(rows: Sequence[Row]) -> list[str]:
    header = "<tr>" + element("th", _("check")) + element("th", _("passed")) + "<th></th></tr>"
    lines = [_rate(rate) for rate in pass_rates(rows)]
    return [element("h2", _("Pass rate of each check")), "<table>", header, *lines, "</table>"]


def _mistake(mistake: Mistake) -> str:
    count = ngettext("{count} student", "{count} students", len(mistake.students)).format(count=len(mistake.students))
    hint = element("pre", _("Hint: "), mistake.hint, css="hint") if mistake.hint else ""
    return (
        f"<tr><td>{element('code', mistake.mistake)}<br>{element('span', mistake.check_id, css='dim')}</td>"
        f"{element('td', count, css='num')}<td>{element('pre', mistake.example)}{hint}"
        f"{element('span', listing(mistake.students), css='dim')}</td></tr>"
    )


def _mistakes(rows: Sequence[Row]) -> list[str]:
    found = mistakes(rows)
    lines = [_mistake(mistake) for mistake in found]
    return [element("h2", _("Known mistakes")), "<table>", *lines, "</table>"] if lines else []


def _identical(rows: Sequence[Row]) -> list[str]:
    items = [element("li", listing(group)) for group in identical(rows)]
    return [element("h2", _("Identical submissions")), "<ul>", *items, "</ul>"] if items else []


def _ungraded(rows: Sequence[Row]) -> list[str]:
    items = [element("li", student, ": ", reason) for student, result, reason in rows if result is None]
    return [element("h2", _("Not graded")), "<ul>", *items, "</ul>"] if items else []


def report(results: Sequence[Row]) -> str:
    """The class report of a batch: (student, result or None when not graded, the reason) for each student."""
    title = _(CLASS_REPORT)
    body = [element("h1", title), *_summary(results), *_rates(results), *_mistakes(results)]
    return document(title, [*body, *_identical(results), *_ungraded(results)])
