"""The note on a file's top-level code that grading does not run:
"lines 20-24 (print, plt.show), line 30 (a for loop)"."""

from __future__ import annotations

from collections.abc import Iterator

from autograder.i18n import N_
from autograder.i18n.messages import Lines, Message, Value, counted, joined, listed, message
from autograder.sandboxed.toplevel import Label, Step

PLACE = N_("{lines} ({labels})")  # "lines 20-24 (print, plt.show)"
MAX_RANGES = 8  # places named in one note
MAX_LABELS = 4  # labels named for one place


def said(label: Label) -> Message:
    """A label, as a message."""
    return message(label.text, **dict(label.values))


def summary(file: str, steps: list[Step]) -> Value | None:
    """The skipped statements of file worth a note, as "lines 20-24 (print), line 30 (a for loop)", or None."""
    places = [_place(file, run) for run in _skipped_runs(steps)]
    if not places:
        return None
    hidden = len(places) - MAX_RANGES
    if hidden <= 0:
        return listed(places)
    return joined(listed(places[:MAX_RANGES]), counted(", and {count} more", ", and {count} more", count=hidden))


def _skipped_runs(steps: list[Step]) -> Iterator[list[Step]]:
    """Consecutive skipped statements worth a note, grouped."""
    run: list[Step] = []
    for step in steps:
        if step.skipped is not None and step.skipped.text:
            run.append(step)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _place(file: str, run: list[Step]) -> Message:
    """'lines 20-24 (print, plt.show)' for one run of skipped statements."""
    first, last = run[0].statement.lineno, run[-1].statement.end_lineno or run[-1].statement.lineno
    labels = list(dict.fromkeys(said(step.skipped) for step in run if step.skipped is not None))
    shown = listed([*labels[:MAX_LABELS], *(["..."] if len(labels) > MAX_LABELS else [])])
    return message(PLACE, lines=Lines(file, first, last), labels=shown)
