"""The terminal report: a table per exercise, a row per check, then the total."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from autograder.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome, by_exercise, total

MARKS = {PASSED: ("✓", "green"), FAILED: ("✗", "red"), ERROR: ("!", "magenta"), NOT_IMPLEMENTED: ("○", "yellow")}
LABELS = {ERROR: "error", NOT_IMPLEMENTED: "not implemented"}  # said in words, not only by the mark


def points(earned: float, possible: float) -> str:
    """Points as "2/2" or "73.5/100"."""
    return f"{number(earned)}/{number(possible)}"


def number(x: float) -> str:
    """A number of points without trailing zeros: 2, 0.5, 73.5."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _score_style(earned: float, possible: float) -> str:
    if earned >= possible:
        return "bold green"
    return "bold yellow" if earned > 0 else "bold red"


def _message(outcome: Outcome) -> Text:
    """What went wrong, led by the status in words; a long expected-vs-got breaks before "got"."""
    message = outcome.message or outcome.status
    label = LABELS.get(outcome.status)
    if label and not message.startswith(label):
        message = f"{label}: {message}"
    if len(message) > 60 and message.startswith("expected ") and ", got " in message:
        message = message.replace(", got ", "\ngot ", 1)
    return Text(message, style=MARKS.get(outcome.status, ("", ""))[1])


def _details(outcome: Outcome, previous: Outcome | None, shown_hints: set[str]) -> RenderableType:
    """What was called, what went wrong and the hint, each said once per table."""
    if outcome.passed:
        return Text("")
    if previous is not None and (previous.status, previous.message) == (outcome.status, outcome.message):
        return Text(f"{LABELS.get(outcome.status, 'failed')}, as above", style="dim")
    lines = [Text(outcome.does, style="dim"), _message(outcome)]
    if outcome.hint and outcome.hint not in shown_hints:
        shown_hints.add(outcome.hint)
        lines.append(Text.assemble(("Hint: ", "bold cyan"), outcome.hint))
    return Text("\n").join(lines)


def _check_name(outcome: Outcome) -> Text:
    name = Text(outcome.check_id)
    if outcome.hidden:
        name.append(" (hidden)", style="dim")
    return name


def exercise_table(outcomes: list[Outcome], *, check_width: int | None = None) -> Group:
    """One exercise's heading and checks: mark, check id, points, and what to fix (a column only when needed)."""
    first = outcomes[0]
    earned, possible = total(outcomes)
    title = Text.assemble((f"Exercise {first.exercise} - {first.exercise_title}", "bold"), "  ",
                          (points(earned, possible), _score_style(earned, possible)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, header_style="dim")
    table.add_column("", width=1, no_wrap=True)
    table.add_column("check", min_width=check_width, no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    explain = not all(outcome.passed for outcome in outcomes)
    if explain:
        table.add_column("what to fix", overflow="fold", min_width=30, max_width=72)
    shown_hints: set[str] = set()
    previous = None
    for outcome in outcomes:
        mark, style = MARKS.get(outcome.status, ("?", "bold"))
        cells = [Text(mark, style=f"bold {style}"), _check_name(outcome),
                 Text(points(outcome.points, outcome.max_points), style=style)]
        table.add_row(*cells, *([_details(outcome, previous, shown_hints)] if explain else []))
        previous = outcome
    return Group(title, table)  # the heading stays on one line however narrow the table


def report(outcomes: list[Outcome], *, title: str) -> Group:
    """The whole report, ready for rich's Console.print."""
    earned, possible = total(outcomes)
    parts: list[RenderableType] = [Rule(Text(title, style="bold"), align="left")]
    check_width = max((_check_name(outcome).cell_len for outcome in outcomes), default=0)  # aligns the tables
    for group in by_exercise(outcomes):
        parts += [exercise_table(group, check_width=check_width), Text("")]
    if not outcomes:
        parts.append(Text("No checks were graded.", style="yellow"))
    parts.append(Text.assemble(("Total: ", "bold"), (points(earned, possible), _score_style(earned, possible))))
    return Group(*parts)
