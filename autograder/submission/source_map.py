"""Saying what the grader found in a notebook's module in the student's terms: the notebook, its cells.

A notebook is graded as the module its code cells make (notebooks.py); each Cell says where it sits in
that module, and a SourceMap says a message's places in cells: a Place ("ex1_sigmoid.py, line 12") as
"ex1_sigmoid.ipynb, cell 3, line 2", a note's Lines as "cell 4" or "cells 4-6", a File by the notebook's
name. Only these values are changed, read as data: a message's text is never searched.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from autograder.i18n import N_
from autograder.i18n.messages import File, Lines, Message, Place, Value, changed, message

AT_CELL = N_("{file}, cell {cell}, line {line}")  # a module's line, said in its notebook
CELL, CELLS, CELL_LINES = N_("cell {cell}"), N_("cells {first}-{last}"), N_("cell {cell}, {lines}")  # places in a note
RUN = N_("In [{count}]")  # a cell a kernel ran that its saved notebook does not hold as it ran: Jupyter's prompt
_NUMBERED = frozenset({AT_CELL, CELL, CELLS, CELL_LINES})  # the messages whose cell, first and last are cell numbers


@dataclass(frozen=True)
class Cell:
    """Where one cell sits in the module made of its notebook."""

    number: int  # its place in the notebook, counting every cell from 1 (markdown too): the one rule of every report
    start: int  # the module line of its `# In[k]` comment: the cell's line n is module line start + n
    code: tuple[int, int]  # the module lines of its first and last line of code (not blank, not a comment)


@dataclass(frozen=True)
class SourceMap:
    """Says what the grader found in converted modules in the student's terms: the notebook and its cells."""

    names: Mapping[str, str] = field(default_factory=dict)  # module file -> the student's (ex1_sigmoid.py -> .ipynb)
    cells: Mapping[str, tuple[Cell, ...]] = field(default_factory=dict)  # converted module file -> its cells

    def translate(self, said: Value) -> Value:
        """said with every place, lines and file of a converted module said in its notebook's terms."""
        return changed(said, self._in_notebook) if self.names else said

    def _in_notebook(self, value: Value) -> Value | None:
        if isinstance(value, File) and value.name in self.names:
            return File(self.names[value.name])
        if isinstance(value, Place) and value.file in self.cells:
            cell = _cell_at(self.cells[value.file], value.line)
            return message(
                AT_CELL, file=File(self.names[value.file]), cell=cell.number, line=max(value.line - cell.start, 1)
            )
        if isinstance(value, Lines) and value.file in self.cells:
            return _span(self.cells[value.file], value.first, value.last)
        return None


def _cell_at(cells: tuple[Cell, ...], line: int) -> Cell:
    """The cell holding a module line."""
    return cells[max(bisect.bisect_right([cell.start for cell in cells], line) - 1, 0)]


def _span(cells: tuple[Cell, ...], first: int, last: int) -> Message:
    """'cell 4' for a cell's whole code, 'cell 4, lines 2-3' for part of it, 'cells 4-6' across cells."""
    start, end = _cell_at(cells, first), _cell_at(cells, last)
    if start != end:
        return message(CELLS, first=start.number, last=end.number)
    if first <= start.code[0] and last >= start.code[1]:
        return message(CELL, cell=start.number)
    return message(
        CELL_LINES, cell=start.number, lines=Lines("", first - start.start, last - start.start)
    )  # in no module


def renumbered(said: Value, numbers: Mapping[int, Value]) -> Value:
    """said with the cell numbers of its places replaced by numbers' (a check cell grades the kernel's history, whose
    cell k is In[k]: numbers gives each its place in the saved notebook, or In [k] where the notebook lacks it)."""

    def change(value: Value) -> Value | None:
        if not isinstance(value, Message) or value.text not in _NUMBERED:
            return None
        values = tuple(
            (
                key,
                numbers.get(number, number) if key in ("cell", "first", "last") and isinstance(number, int) else number,
            )
            for key, number in value.values
        )
        return Message(value.text, values, value.context, value.plural)

    return changed(said, change)


def places_in_notebook(ran: Sequence[str], saved: Sequence[tuple[int, str]]) -> dict[int, Value]:
    """For each cell a kernel ran (In[1], In[2], ...), its place in the saved notebook (saved: each code cell's place,
    counting every cell from 1, and source), where exactly one cell there holds that code; else In [k]."""
    found: dict[str, list[int]] = {}
    for place, source in saved:
        found.setdefault(source.rstrip(), []).append(place)
    numbers: dict[int, Value] = {}
    for count, source in enumerate(ran, 1):
        places = found.get(source.rstrip(), [])
        numbers[count] = places[0] if len(places) == 1 else message(RUN, count=count)
    return numbers
