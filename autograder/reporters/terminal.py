"""The terminal report: a table per exercise (one line for an untouched one), the notes, then the total."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from autograder import edition
from autograder.grading.outcomes import (
    ERROR,
    FAILED,
    NOT_IMPLEMENTED,
    PASSED,
    Outcome,
    SubmissionResult,
    by_exercise,
    total,
)
from autograder.i18n import _, ngettext
from autograder.i18n.messages import Joined, Value
from autograder.reporters.inert import inert, shown
from autograder.reporters.wording import lost, status_message

MARKS = {PASSED: ("✓", "green"), FAILED: ("✗", "red"), ERROR: ("!", "magenta"), NOT_IMPLEMENTED: ("○", "yellow")}


def points(earned: float, possible: float) -> str:
    """Points as "2/2" or "73.5/100"."""
    return f"{number(earned)}/{number(possible)}"


def number(x: float) -> str:
    """A number of points without trailing zeros: 2, 0.5, 73.5."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _score_style(earned: float, possible: float) -> str:
    """Green for full marks, yellow for some points, red for none."""
    if earned >= possible:
        return "bold green"
    return "bold yellow" if earned > 0 else "bold red"


def _hint(hint: Value) -> Text:
    """A hint, led by "Hint: "."""
    return Text.assemble((_("Hint: "), "bold cyan"), shown(hint))


def _colour(outcome: Outcome) -> str:
    """The colour of the outcome's points and message: its status's, red for a pass whose points were withheld."""
    return MARKS[FAILED][1] if outcome.withheld else MARKS.get(outcome.status, ("", ""))[1]


def _message(outcome: Outcome) -> Text:
    """The status message in the outcome's colour; a long expected-vs-got breaks before "got"."""
    message = status_message(outcome)
    if len(message) > 60 and message.startswith("expected ") and ", got " in message:
        message = message.replace(", got ", "\ngot ", 1)
    return Text(message, style=_colour(outcome))


def _details(outcome: Outcome, shown_hints: set[Value]) -> Text:
    """What was called and what went wrong (in every reporter's words: wording.py), and the hint once per report."""
    if not lost(outcome):
        return Text("")
    lines = [Text(shown(outcome.does), style="dim"), _message(outcome)]
    if outcome.hint and outcome.hint not in shown_hints:
        shown_hints.add(outcome.hint)
        lines.append(_hint(outcome.hint))
    return Text("\n").join(lines)


def _check_name(outcome: Outcome) -> Text:
    """The check id, marked when the check is hidden from students."""
    name = Text(outcome.check_id)
    if outcome.hidden:
        name.append(_(" (hidden)"), style="dim")
    return name


def _heading(outcomes: list[Outcome]) -> Text:
    """An exercise's number, title and points."""
    first = outcomes[0]
    earned, possible = total(outcomes)
    heading = _("Exercise {number} - {title}").format(number=first.exercise, title=shown(first.exercise_title))
    return Text.assemble((heading, "bold"), "  ", (points(earned, possible), _score_style(earned, possible)))


def not_started(outcomes: list[Outcome]) -> bool:
    """Whether every check of an exercise says not implemented: the stub is untouched."""
    return bool(outcomes) and all(outcome.status == NOT_IMPLEMENTED for outcome in outcomes)


def _grid(*, show_header: bool = True) -> Table:
    """A borderless table whose first column holds the status mark, as every exercise's table has."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, show_header=show_header, header_style="dim")
    table.add_column("", width=1, no_wrap=True)
    return table


def _not_started_table(outcomes: list[Outcome], shown_hints: set[Value]) -> Table:
    """An untouched exercise in one line, with its hints unless the report has given them already."""
    mark, style = MARKS[NOT_IMPLEMENTED]
    table = _grid(show_header=False)
    table.add_column(overflow="fold")
    said = ngettext(
        "not started: every check says not implemented yet ({count} check)",
        "not started: every check says not implemented yet ({count} checks)",
        len(outcomes),
    )
    table.add_row(Text(mark, style=f"bold {style}"), Text(said.format(count=len(outcomes)), style=style))
    for hint in dict.fromkeys(outcome.hint for outcome in outcomes if outcome.hint):
        if hint not in shown_hints:
            shown_hints.add(hint)
            table.add_row("", _hint(hint))
    return table


class _ChecksTable:
    """A row per check: mark, check id, points and what to fix, in columns when the console is wide enough.

    On a narrow console what to fix goes under the check id instead, so nothing is ever cut short.
    """

    FIX_WIDTH = 36  # the least width worth giving the "what to fix" column
    FRAME = 14  # the mark column, the points column and the padding between columns

    def __init__(self, outcomes: list[Outcome], check_width: int, shown_hints: set[Value]) -> None:
        self.check_width = check_width
        self.explain = any(map(lost, outcomes))
        self.rows = []
        for outcome in outcomes:  # the hints shown are decided now, so that rendering twice gives the same text
            mark, style = MARKS.get(outcome.status, ("?", "bold"))
            self.rows.append(
                (
                    Text(mark, style=f"bold {style}"),
                    _check_name(outcome),
                    Text(points(outcome.points, outcome.max_points), style=_colour(outcome)),
                    _details(outcome, shown_hints),
                )
            )

    def table(self, wide: bool) -> Table:
        """The rows laid out with what to fix in a column of its own (wide) or under the check id."""
        table = _grid()
        table.add_column(_("check"), min_width=self.check_width if wide else None, overflow="fold")
        table.add_column(_("points"), justify="right", no_wrap=True)
        if wide and self.explain:
            table.add_column(_("what to fix"), overflow="fold", max_width=72)
        for mark, name, score, details in self.rows:
            if wide:
                table.add_row(mark, name, score, *([details] if self.explain else []))
            else:
                table.add_row(mark, Text("\n").join([name, details]) if details else name, score)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table(wide=options.max_width >= self.check_width + self.FRAME + self.FIX_WIDTH)


def exercise_table(outcomes: list[Outcome], *, check_width: int = 0, shown_hints: set[Value] | None = None) -> Group:
    """One exercise's heading and checks; an untouched exercise gets one line instead of a row per check."""
    shown_hints = set() if shown_hints is None else shown_hints
    if not_started(outcomes):
        return Group(_heading(outcomes), _not_started_table(outcomes, shown_hints))
    return Group(_heading(outcomes), _ChecksTable(outcomes, check_width, shown_hints))


class _Title:
    """The report's title on a rule, or above the rule when the line is too narrow for it: never cut short."""

    def __init__(self, title: str) -> None:
        self.text = Text(inert(title), style="bold")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.text.cell_len + 4 <= options.max_width:
            yield Rule(self.text, align="left")
        else:
            yield self.text
            yield Rule()


def _notes(notes: Sequence[Value]) -> list[RenderableType]:
    """The grader's notes on the submission (skipped code, stubbed imports), each once."""
    if not notes:
        return []
    lines = [Text.assemble(("- ", "dim"), shown(note)) for note in notes]
    return [Text(_("Notes"), style="bold"), *lines, Text("")]


def report(result: SubmissionResult | Sequence[Outcome], *, title: str | None = None) -> Group:
    """The whole report, ready for rich's Console.print; the title defaults to the submission and seed."""
    if isinstance(result, SubmissionResult):
        outcomes, notes = list(result.outcomes), result.notes
        title = title or heading(result)
    else:
        outcomes, notes = list(result), ()
    earned, possible = total(outcomes)
    parts: list[RenderableType] = [_Title(title or _("Grading"))]
    check_width = max((_check_name(outcome).cell_len for outcome in outcomes), default=0)  # aligns the tables
    shown_hints: set[Value] = set()
    for group in by_exercise(outcomes):
        parts += [exercise_table(group, check_width=check_width, shown_hints=shown_hints), Text("")]
    if not outcomes:
        parts.append(Text(_("No checks were graded."), style="yellow"))
    parts += _notes(notes)
    if isinstance(result, SubmissionResult) and result.flags:
        parts += [
            Text(_("Flagged for review"), style="bold yellow"),
            *(Text.assemble(("- ", "dim"), shown(flag)) for flag in result.flags),
            Text(""),
        ]
    if isinstance(result, SubmissionResult) and result.isolation:  # in short: results.json has it in full
        parts_said = result.isolation.parts if isinstance(result.isolation, Joined) else (result.isolation,)
        said = " + ".join(shown(part).split(":")[0].strip() for part in parts_said)
        parts.append(Text.assemble((_("Isolation: "), "dim"), (said, "dim")))
    parts.append(Text.assemble((_("Total: "), "bold"), (points(earned, possible), _score_style(earned, possible))))
    return Group(*parts)


def heading(result: SubmissionResult) -> str:
    """The report's title: the submission, the assignment it was graded for, and the seed where it decides the inputs
    (the kit's; a student release grades its recorded inputs, whatever the seed)."""
    if edition.EDITION == edition.RELEASE:
        if result.assignment:
            return _("Grading {submission} for {assignment}").format(
                submission=result.submission, assignment=result.assignment
            )
        return _("Grading {submission}").format(submission=result.submission)
    if result.assignment:
        return _("Grading {submission} for {assignment} (seed {seed})").format(
            submission=result.submission, assignment=result.assignment, seed=result.seed
        )
    return _("Grading {submission} (seed {seed})").format(submission=result.submission, seed=result.seed)
