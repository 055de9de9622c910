"""The note on a file's top-level code that grading does not run:
"lines 20-24 (print, plt.show), line 30 (a for loop)"."""

from __future__ import annotations

from collections.abc import Iterator

from autograder.i18n import N_, _, listing, ngettext
from autograder.sandboxed.toplevel import Label, Step

LINE, LINES = N_("line {line}"), N_("lines {first}-{last}")  # a place in a note
PLACE = N_("{lines} ({labels})")  # "lines 20-24 (print, plt.show)"
MAX_RANGES = 8  # places named in one note
MAX_LABELS = 4  # labels named for one place


def said(label: Label) -> str:
    """A label in the current language."""
    return _(label.text).format(**dict(label.values))


def summary(steps: list[Step]) -> str | None:
    """The skipped statements worth a note, as "lines 20-24 (print), line 30 (a for loop)", or None."""
    places = [_place(run) for run in _skipped_runs(steps)]
    if not places:
        return None
    hidden = len(places) - MAX_RANGES
    more = ngettext(", and {count} more", ", and {count} more", hidden).format(count=hidden) if hidden > 0 else ""
    return listing(places[:MAX_RANGES]) + more


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


def _place(run: list[Step]) -> str:
    """'lines 20-24 (print, plt.show)' for one run of skipped statements."""
    first, last = run[0].statement.lineno, run[-1].statement.end_lineno or run[-1].statement.lineno
    lines = _(LINE).format(line=first) if first == last else _(LINES).format(first=first, last=last)
    labels = list(dict.fromkeys(said(step.skipped) for step in run if step.skipped is not None))
    shown = listing([*labels[:MAX_LABELS], *(["..."] if len(labels) > MAX_LABELS else [])])
    return _(PLACE).format(lines=lines, labels=shown)
