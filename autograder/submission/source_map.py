"""Saying what the grader found in a notebook's module in the student's terms: the notebook, its cells.

A notebook is graded as the module its code cells make (notebooks.py); each Cell says where it sits in
that module, and a SourceMap says a message's places ("ex1_sigmoid.py, line 12") in cells.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from autograder.i18n import N_, _
from autograder.sandboxed import source
from autograder.submission import unrun

AT_CELL = N_("{file}, cell {cell}, line {line}")  # a module's line, said in its notebook (source.AT_LINE)
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

    names: Mapping[str, str] = field(
        default_factory=dict
    )  # module file -> the student's file (ex1_sigmoid.py -> .ipynb)
    cells: Mapping[str, tuple[Cell, ...]] = field(default_factory=dict)  # converted module file -> its cells
    said: frozenset[str] = frozenset()  # texts already in the student's terms: what was said about the notebooks

    def translate(self, text: str) -> str:
        """text with 'ex1_sigmoid.py, line 12' said as 'ex1_sigmoid.ipynb, cell 3, line 2', and other names likewise."""
        if text in self.said:
            return text
        for module, cells in self.cells.items():
            text = _in_cells(text, module, self.names[module], cells)
        for module, name in self.names.items():
            text = re.sub(rf"(?<![\w.-]){re.escape(module)}(?!\w)", name, text)
        return text


def _forms(template: str) -> list[str]:
    """A template in the current language and in English: what the child says (probes' places) stays English."""
    return list(dict.fromkeys([_(template), template]))


def _pattern(template: str, suffix: str = "", **groups: str) -> str:
    """A regular expression for the texts a template makes: each {placeholder} a group named placeholder + suffix."""
    parts = re.split(r"\{(\w+)\}", template)
    return "".join(
        f"(?P<{part}{suffix}>{groups[part]})" if odd else re.escape(part)
        for odd, part in ((index % 2 == 1, part) for index, part in enumerate(parts))
    )


def _places_pattern() -> re.Pattern[str]:
    """The places a note lists ('lines 20-24 (print)', in either language): groups first<k> and, for a span, last<k>."""
    number = r"\d+"
    spans = [
        (_pattern(form, str(k), first=number, last=number) if "{last}" in form else _pattern(form, str(k), line=number))
        for k, form in enumerate([*_forms(unrun.LINES), *_forms(unrun.LINE)])
    ]
    opening = "|".join(re.escape(form.partition("{lines}")[2].partition("{labels}")[0]) for form in _forms(unrun.PLACE))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(spans)})(?={opening})")


def _place_in_cells(match: re.Match[str], cells: tuple[Cell, ...]) -> str:
    """One place of a note said in cells."""
    found = {key.rstrip("0123456789"): int(value) for key, value in match.groupdict().items() if value is not None}
    first = found["first"] if "first" in found else found["line"]  # every place pattern has first<k> or line<k>
    return _span(cells, first, found.get("last", first))


def _in_cells(text: str, module: str, name: str, cells: tuple[Cell, ...]) -> str:
    """text with the module's lines said as the notebook's cells: 'x.py, line 12', a note's 'lines 20-24 (print)'."""
    for form in _forms(source.AT_LINE):
        at = _pattern(form, file=rf"(?<![\w.-]){re.escape(module)}", line=r"\d+")
        text = re.sub(at, lambda m: _at(name, cells, int(m["line"])), text)
    if not re.match(rf"{re.escape(module)}(?![\w.])", text):
        return text
    places = _places_pattern().sub(lambda m: _place_in_cells(m, cells), text[len(module) :])  # a note on the file
    return f"{name}{places}"


def _cell_at(cells: tuple[Cell, ...], line: int) -> Cell:
    """The cell holding a module line."""
    return cells[max(bisect.bisect_right([cell.start for cell in cells], line) - 1, 0)]


def _at(name: str, cells: tuple[Cell, ...], line: int) -> str:
    """'ex1_sigmoid.ipynb, cell 3, line 2' for a module line."""
    cell = _cell_at(cells, line)
    return _(AT_CELL).format(file=name, cell=cell.number, line=max(line - cell.start, 1))


def _span(cells: tuple[Cell, ...], first: int, last: int) -> str:
    """'cell 4' for a cell's whole code, 'cell 4, lines 2-3' for part of it, 'cells 4-6' across cells."""
    start, end = _cell_at(cells, first), _cell_at(cells, last)
    if start != end:
        return _(CELLS).format(first=start.number, last=end.number)
    if first <= start.code[0] and last >= start.code[1]:
        return _(CELL).format(cell=start.number)
    lines = (
        _(unrun.LINE).format(line=first - start.start)
        if first == last
        else _(unrun.LINES).format(first=first - start.start, last=last - start.start)
    )
    return _(CELL_LINES).format(cell=start.number, lines=lines)
