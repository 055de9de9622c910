"""Jupyter notebooks as submissions: read them, keep the student's code, and write each as the module it makes.

A notebook is graded as one module: its code cells in order, less the kit's own cells (setup, checks) and
nbgrader's test cells, with IPython's magics, shell and help lines turned into comments (so that line numbers
stay) and a `# In[k]` comment before each cell. The loader and the top-level plan then treat it as any .py
file: exploratory code does not run. Messages about a converted module are said in the student's terms: the
notebook's name, and "cell k, line n" (cells counted from the top, Markdown ones too).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import tokenize
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.i18n import N_
from autograder.i18n.messages import Value, counted, joined, listed, message, say
from autograder.submission import limits, loader
from autograder.submission.source_map import Cell, SourceMap

if TYPE_CHECKING:
    from nbformat import NotebookNode

SUFFIX = loader.NOTEBOOK_SUFFIX
METADATA = "logreg"  # the kit's key in notebook and cell metadata
ASSIGNMENT = "logreg"  # a notebook's metadata: {"logreg": {"assignment": ASSIGNMENT, "exercise": "ex1_sigmoid"}}
KIT_MARKER = "# [logreg: "  # the first line of a kit cell: "# [logreg: setup]", "# [logreg: checks ex1_sigmoid]"
SETUP, CHECKS = "setup", "checks"  # the roles of kit cells, also in a cell's metadata: {"logreg": {"role": "setup"}}
KIT_ROLES = frozenset({SETUP, CHECKS})
MAX_SHOWN = 3  # IPython lines quoted in a note
MAX_SNIPPET_CHARS = 30
MAX_REASON_CHARS = 200
MAX_MINOR = 99  # nbformat_minor: 4.5 is the newest so far
FILE_KINDS = {
    b"\x89PNG": N_("a PNG image"),
    b"\xff\xd8\xff": N_("a JPEG image"),
    b"%PDF": N_("a PDF document"),
    b"PK\x03\x04": N_("a zip archive"),
    b"GIF8": N_("a GIF image"),
}  # what a file that is not text starts with


class NotebookError(ValueError):
    """A file that cannot be graded as a notebook of this lesson; the message names the file and says why."""

    def __init__(self, said: Value):
        self.said = said
        super().__init__(say(said))


def read(path: Path) -> NotebookNode:
    """The notebook at path in format 4, validated; NotebookError when it is not one, or is another assignment's."""
    import nbformat  # about a second to import: only when a notebook is graded

    path = Path(path)
    text = _text(path)
    _within_limits(path.name, text)
    try:
        notebook = nbformat.convert(nbformat.reader.reads(text), 4)
        nbformat.validate(notebook)
    except nbformat.reader.NotJSONError as error:
        cause = error.__cause__
        where = (
            message(
                " at line {line}, column {column} ({reason})", line=cause.lineno, column=cause.colno, reason=cause.msg
            )
            if isinstance(cause, json.JSONDecodeError)
            else ""
        )
        raise NotebookError(
            message(
                "{file} is not a valid notebook: its JSON is broken{where}; hand in a copy that Jupyter opens",
                file=path.name,
                where=where,
            )
        ) from None
    except Exception as error:  # nbformat's checks, or anything it meets first in a notebook made to break it
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:MAX_REASON_CHARS]
        raise NotebookError(
            message(
                "{file} is not a valid notebook ({reason}): hand in the notebook as Jupyter saved it",
                file=path.name,
                reason=reason,
            )
        ) from None
    other = _metadata(notebook).get("assignment", ASSIGNMENT)
    if other != ASSIGNMENT:  # refuses this student's notebook only: it decides nothing else
        other = other if isinstance(other, str) else type(other).__name__
        raise NotebookError(
            message(
                "{file} is a notebook of another assignment (its metadata says {other}, not {ours}): "
                "hand in this lesson's notebook",
                file=path.name,
                other=repr(other),
                ours=repr(ASSIGNMENT),
            )
        )
    return notebook


def _within_limits(name: str, text: str) -> None:
    """NotebookError unless the notebook's JSON is an object in format 3 or 4 with at most limits.MAX_NOTEBOOK_CELLS
    cells: checked before nbformat reads it (nbformat takes seconds per 10,000 cells, and fails on absurd formats)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return  # nbformat says why it is not JSON
    if not isinstance(data, dict):
        raise NotebookError(message("{file} is not a valid notebook: its JSON is not an object", file=name))
    major, minor = data.get("nbformat"), data.get("nbformat_minor", 0)
    if type(major) is not int or major not in (3, 4) or type(minor) is not int or not 0 <= minor <= MAX_MINOR:
        raise NotebookError(
            message(
                "{file} is not a valid notebook: its format ({major}.{minor}) is not Jupyter's 4.x (or 3.x)",
                file=name,
                major=str(major)[:MAX_SNIPPET_CHARS],
                minor=str(minor)[:MAX_SNIPPET_CHARS],
            )
        )
    sheets: list = data["worksheets"] if isinstance(data.get("worksheets"), list) else []
    cells = data.get("cells") if major == 4 else [c for w in sheets if isinstance(w, dict) for c in w.get("cells", [])]
    if isinstance(cells, list) and len(cells) > limits.MAX_NOTEBOOK_CELLS:
        raise NotebookError(
            message(
                "{file} was not graded: it has {count} cells, over the limit of {limit}",
                file=name,
                count=len(cells),
                limit=limits.MAX_NOTEBOOK_CELLS,
            )
        )


def _text(path: Path) -> str:
    """The text of a file that may be a notebook (a JSON object); NotebookError for an image, Python, nothing, or
    a file over limits.MAX_NOTEBOOK_BYTES."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_NOTEBOOK_BYTES:
            raise NotebookError(
                message(
                    "{file} was not graded: it holds {size} bytes, over the limit of {limit} for a notebook",
                    file=path.name,
                    size=size,
                    limit=limits.MAX_NOTEBOOK_BYTES,
                )
            )
        data = path.read_bytes()
    except OSError as error:
        raise NotebookError(
            message("{file} cannot be read: {reason}", file=path.name, reason=str(error.strerror or error))
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        kind = next((kind for magic, kind in FILE_KINDS.items() if data.startswith(magic)), N_("binary data"))
        raise NotebookError(
            message("{file} is not a Jupyter notebook: it holds {kind}, not text", file=path.name, kind=message(kind))
        ) from None
    if not text.strip():
        raise NotebookError(message("{file} is empty: hand in the notebook as Jupyter saved it", file=path.name))
    if text.lstrip().startswith("{"):
        return text
    try:
        compile(text, path.name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError):
        raise NotebookError(message("{file} is not a Jupyter notebook: it is not JSON", file=path.name)) from None
    raise NotebookError(
        message("{file} holds Python code, not a notebook: rename it to {module}.py", file=path.name, module=path.stem)
    )


def _metadata(node: Any) -> dict:
    """The kit's part of a notebook's or a cell's metadata ({} when absent or not a mapping)."""
    found = node.get("metadata", {}).get(METADATA, {}) if isinstance(node.get("metadata"), dict) else {}
    return found if isinstance(found, dict) else {}


def _is_kit_cell(cell: Any) -> bool:
    """A setup or checks cell of the kit, or an nbgrader test cell: the kit's own checks run instead."""
    grading = cell.get("metadata", {}).get("nbgrader", {})
    test_cell = isinstance(grading, dict) and bool(grading.get("grade")) and not grading.get("solution")
    return (
        cell.get("source", "").lstrip().startswith(KIT_MARKER) or _metadata(cell).get("role") in KIT_ROLES or test_cell
    )


def _student_code(notebook: NotebookNode) -> list[tuple[int, str]]:
    """(cell number, counting every cell from 1; source) of each of the student's code cells."""
    return [
        (number, cell.source)
        for number, cell in enumerate(notebook.cells, 1)
        if cell.cell_type == "code" and not _is_kit_cell(cell)
    ]


def student_cells(notebook: NotebookNode) -> list[str]:
    """The sources of the notebook's code cells, less the kit's own cells and nbgrader's test cells."""
    return [source for _number, source in _student_code(notebook)]


# From cells to a module.


def _cell_magic(lines: list[str]) -> str | None:
    """The cell magic (`%%time`) that makes the whole cell IPython's, or None."""
    first = next((line.strip() for line in lines if line.strip()), "")
    return first if first.startswith("%%") else None


def _ipython_commands(cell: str) -> list[tuple[int, int]]:
    """(first, last) line, counted from 1 in the cell, of each IPython command: %magic, !shell, help with ?."""
    try:
        return [
            (first, last) for first, last, tokens in _logical_lines(cell) if _is_ipython([t.string for t in tokens])
        ]
    except (tokenize.TokenError, SyntaxError):  # unbalanced brackets or strings: judge each line by itself
        return [(n, n) for n, line in enumerate(cell.splitlines(), 1) if re.match(r"\s*[%!?]|\s*[\w.]+\?\??\s*$", line)]


def _logical_lines(cell: str) -> Iterator[tuple[int, int, list[tokenize.TokenInfo]]]:
    """(first line, last line, significant tokens) of each logical line of Python-like source."""
    tokens: list[tokenize.TokenInfo] = []
    for token in tokenize.generate_tokens(io.StringIO(cell).readline):
        if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) and tokens:
            yield tokens[0].start[0], token.start[0], tokens
            tokens = []
        elif (
            token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT) and token.string.strip()
        ):
            tokens.append(token)


def _is_ipython(strings: list[str]) -> bool:
    """Whether a logical line is IPython's: %magic, !shell, ?help, help?, or `x = %magic` / `x = !shell`."""
    if strings[0] in ("%", "?") or strings[0].startswith("!") or strings[-1] == "?":
        return True
    after = strings.index("=") + 1 if "=" in strings else 0
    return 0 < after < len(strings) and strings[after] in ("%", "!")


def _as_comments(lines: list[str], first: int, last: int) -> None:
    """Turn lines first..last (from 1) into comments; an indented first line keeps its block alive with `pass`."""
    for n in range(first, last + 1):
        line = lines[n - 1]
        indent = line[: len(line) - len(line.lstrip())]
        lines[n - 1] = f"{indent}pass  # {line.lstrip()}" if n == first and indent else f"# {line}"


def _convert(cells: Sequence[str], numbers: Sequence[int]) -> tuple[str, list[Value], tuple[Cell, ...]]:
    """The module source of the cells, the IPython commands left out, and where each cell sits."""
    out: list[str] = []
    skipped: list[Value] = []
    places: list[Cell] = []
    for number, cell in zip(numbers, cells, strict=True):
        lines = cell.splitlines()
        magic = _cell_magic(lines)
        for first, last in [(1, len(lines))] if magic else _ipython_commands(cell):
            skipped.append(message("{magic} and its cell", magic=magic) if magic else lines[first - 1].strip())
            _as_comments(lines, first, last)
        start = len(out) + 1
        code = [start + n for n, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
        places.append(Cell(number, start, (code[0], code[-1]) if code else (start, start)))
        out += [f"# In[{number}]", *lines, ""]
    return "\n".join(out) + "\n", skipped, tuple(places)


def _ipython_note(name: str, skipped: list[Value]) -> list[Value]:
    """'ex1_sigmoid.ipynb: 2 IPython lines not run (%matplotlib inline, !pip install torch)', or nothing."""
    if not skipped:
        return []
    shown = [
        text if not isinstance(text, str) or len(text) <= MAX_SNIPPET_CHARS else text[: MAX_SNIPPET_CHARS - 3] + "..."
        for text in skipped[:MAX_SHOWN]
    ]
    more = ["..."] if len(skipped) > MAX_SHOWN else []
    note = counted(
        "{count} IPython line not run ({lines})",
        "{count} IPython lines not run ({lines})",
        count=len(skipped),
        lines=listed([*shown, *more]),
    )
    return [message("{file}: {note}", file=name, note=note) if name else note]


def module_source(
    cells: Sequence[str], *, name: str = "", numbers: Sequence[int] | None = None
) -> tuple[str, list[Value]]:
    """The student's code cells joined into one module's source, and notes on what of IPython's was left out.

    IPython's magics (`%line`, a `%%cell` as a whole), shell lines (`!pip ...`) and help (`x?`) become comments,
    so line numbers stay; a `# In[k]` comment opens each cell, k from numbers (default 1, 2, ...).
    name (ex1_sigmoid.ipynb) opens the notes.
    """
    source, skipped, _cells = _convert(cells, numbers or range(1, len(cells) + 1))
    return source, _ipython_note(name, skipped)


# A submission's notebooks as modules.


@dataclass(frozen=True)
class Materialised:
    """A submission with each notebook written as a module: what to grade, and what to say about it."""

    path: Path  # the folder (or the one file) to grade
    notes: tuple[Value, ...] = ()  # what the report says about the notebooks
    broken: Mapping[str, Value] = field(default_factory=dict)  # module file -> why its notebook gives no code
    source_map: SourceMap = SourceMap()

    def layout(self, wanted: dict[str, str]) -> loader.Layout:
        """Where the modules define each wanted name (loader.scan), with the notebooks that gave no code as broken."""
        layout = loader.scan(self.path, wanted)
        return dataclasses.replace(layout, broken={**self.broken, **layout.broken}) if self.broken else layout


def involved(path: Path) -> bool:
    """Whether grading path means reading notebooks: it is one, or the folder to grade holds one."""
    try:
        _root, files, _notes = loader.student_files(Path(path))
    except loader.SubmissionError:
        return False
    return any(file.suffix == SUFFIX for file in files)


def _write_module(path: Path, target: Path, lesson: Mapping[str, str]) -> tuple[tuple[Cell, ...], list[Value]]:
    """Write the module the notebook at path makes to target; its cells and notes. NotebookError when it gives none."""
    notebook = read(path)
    numbered = _student_code(notebook)
    source, skipped, cells = _convert([cell for _number, cell in numbered], [number for number, _cell in numbered])
    named = {*lesson, *lesson.values()}
    if (
        lesson
        and "assignment" not in _metadata(notebook)
        and any(cell.strip() for _number, cell in numbered)
        and not any(re.search(rf"\b{re.escape(name)}\b", source) for name in named)
    ):
        raise NotebookError(
            message(
                "{file} holds none of this lesson's functions ({names}): is it a notebook of another assignment?",
                file=path.name,
                names=listed([*list(lesson)[:MAX_SHOWN], "..."]),
            )
        )
    target.write_text(source, encoding="utf-8")
    return cells, _ipython_note(path.name, skipped)


def materialise(submission: Path, into: Path, lesson: Mapping[str, str] | None = None) -> Materialised:
    """The submission copied into a folder, each notebook written as the module of its stem, .py files as they are.

    The folder to grade is found as for .py files (loader.student_files). Where x.py and x.ipynb are both
    there, x.py is graded. lesson: the lesson's names, each with its module; a notebook whose metadata names
    no assignment and whose code names none of them is taken for another assignment's. A notebook that gives
    no code (not a notebook, another assignment's) becomes an empty module, and `broken` says why.
    """
    submission, lesson = Path(submission), lesson or {}
    root, files, notes = loader.student_files(submission)
    modules = {file.stem for file in files if file.suffix == ".py"}
    names: dict[str, str] = {}
    cells: dict[str, tuple[Cell, ...]] = {}
    broken: dict[str, Value] = {}
    strays: list[Value] = []  # why notebooks named after no exercise give no code
    for file in files:
        target = into / f"{file.stem}.py"
        if file.suffix == ".py":
            shutil.copyfile(file, target)
        elif file.stem in modules:
            notes.append(message("{file} was not graded: {module}, beside it, was", file=file.name, module=target.name))
        else:
            names[target.name] = file.name
            try:
                cells[target.name], more = _write_module(file, target, lesson)
                notes += more
            except NotebookError as error:
                target.write_text("")
                broken[target.name] = error.said
                if file.stem not in lesson.values():  # no exercise's checks will say it
                    strays.append(error.said)
    if strays and not modules and not cells:  # nothing could be read: the exercises say why
        broken = {**{f"{module}.py": joined(*strays, separator="; ") for module in lesson.values()}, **broken}
    if not modules:  # a student who works in notebooks is told of notebooks, also the ones not handed in
        names.update({f"{module}.py": f"{module}{SUFFIX}" for module in lesson.values() if f"{module}.py" not in names})
    path = into / f"{submission.stem}.py" if submission.is_file() else into
    notes += strays
    return Materialised(path, tuple(notes), broken, SourceMap(names, cells))
