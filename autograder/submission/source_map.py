"""Saying what the grader found in a notebook's module in the student's terms: the notebook, its cells.

A notebook is graded as the module its code cells make (notebooks.py); each Cell says where it sits in
that module, and a SourceMap says a message's places in cells: a Place ("ex1_sigmoid.py, line 12") as
"ex1_sigmoid.ipynb, cell 3, line 2", a note's Lines as "cell 4" or "cells 4-6", a File by the notebook's
name. Only these values are changed, read as data: a message's text is never searched.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from autograder.i18n import N_
from autograder.i18n.messages import File, Lines, Message, Place, Value, changed, message

AT_CELL = N_("{file}, cell {cell}, line {line}")  # a module's line, said in its notebook
CELL, CELLS, CELL_LINES = N_("cell {cell}"), N_("cells {first}-{last}"), N_("cell {cell}, {lines}")  # places in a note


@dataclass(frozen=True)
class Cell:
    """Where one cell sits in the module made of its notebook."""

    number: int  # its place in the notebook, counting every cell from 1 (or its In[k] in a kernel's history)
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
