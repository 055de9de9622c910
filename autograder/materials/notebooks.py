"""The lesson as Jupyter notebooks, built from solutions/: nbgrader's source notebooks and the students' ones.

A solution module becomes one notebook: its heading and docstring a Markdown task cell (indented
formula lines in LaTeX, the lesson's figures from autograder/materials/figures.py as PNG attachments), the kit's
setup cell, its given code (imports, constants) in locked cells, each top-level definition holding a
solution block in a solution cell, and one locked test cell that runs the kit's checks of the exercise,
worth the exercise's points. The nbgrader course (course.py) and the student release (release.py) use them.
The notebooks are built in the current language (i18n.use): a notebook built in another language than English
says so in its metadata, and its check cell reports in that language.
"""

from __future__ import annotations

import ast
import base64
import copy
import functools
import re
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from autograder import i18n
from autograder.i18n import N_, NC_, _
from autograder.locations import SOLUTIONS
from autograder.materials import figures
from autograder.materials import stubs as generate
from autograder.submission import notebooks

if TYPE_CHECKING:  # the declarations import torch: only nbgrader's notebooks need them, for the points
    from autograder.checks.base import Exercise

ASSIGNMENT = notebooks.ASSIGNMENT  # nbgrader's assignment id, and the notebooks' metadata
NOTEBOOK_STUB_MESSAGE = N_("replace this line with your code (see the task above)")
NOTEBOOK_STUB = generate.raise_line(NOTEBOOK_STUB_MESSAGE)  # in English
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
NBGRADER_SCHEMA = 3
HOW_TO = N_(
    "Write your code in place of each `raise NotImplementedError(...)` line and run the cells. "
    "The last cell runs the kit's checks of this exercise: run it for your points and a hint for each "
    "check that fails."
)
SETUP_COMMENT = N_("# The kit's notebook support: lets this notebook import your other exercises (do not edit it).")
CHECKS_COMMENT = N_(
    "# The kit's checks of exercise {number}: run this cell for your points and hints (do not edit it)."
)
TASK_LABELS = (NC_("task label", "Task"), NC_("task label", "Tasks"))  # the paragraph the figures go before

_EXERCISE_TITLE = re.compile(r"^\S+ \d+\s*-\s*")  # "Exercise 1 - ", "练习 1 - "
# A label at the start of a line: "Task:", "Chain rule:"; in Chinese "任务：" (a full-width colon)
_LABEL = re.compile(r"(?:(?P<label>[A-Z][A-Za-z ]*):(?=\s|$)|(?P<wide>[\u4e00-\u9fff]{1,8})：)")
_BOLD_LABEL = re.compile(r"\*\*([^*:]+):?\*\*")  # a paragraph's label as _prose writes it
_MATH_TOKEN = re.compile(r"d(?P<top>[A-Za-z])/d(?P<bottom>[A-Za-z])\b|\^T\b|\^\(|[A-Za-z]+|->|<-|\*|[()]|\s{3,}|.")
_MATH_WORDS = {
    "sigma": r"\sigma",
    "log": r"\log",
    "exp": r"\exp",
    "sum": r"\sum",
    "mean": r"\operatorname{mean}",
    "inf": r"\infty",
}
_MATH_SYMBOLS = {"^T": r"^\top", "->": r"\to", "<-": r"\leftarrow", "*": r"\cdot"}


def notebook_stub() -> str:
    """The line a solution block becomes in a student's notebook, in the current language."""
    return generate.raise_line(_(NOTEBOOK_STUB_MESSAGE))


def setup_source() -> str:
    """The kit's setup cell, its comment in the current language."""
    return f"{notebooks.KIT_MARKER}{notebooks.SETUP}]\n{_(SETUP_COMMENT)}\n%load_ext autograder.frontends.jupyter"


def checks_source(module: str, number: int) -> str:
    """The kit's check cell of an exercise: in another language than English, it reports in that language."""
    language = "" if i18n.current() == "en" else f', language="{i18n.current()}"'
    return (
        f"{notebooks.KIT_MARKER}{notebooks.CHECKS} {module}]\n{_(CHECKS_COMMENT).format(number=number)}\n"
        f'from autograder.frontends.jupyter import check\ncheck("{module}"{language})'
    )


class BuildError(ValueError):
    """The notebooks cannot be built: the message says why and what to do."""


@dataclass(frozen=True)
class Piece:
    """A run of a solution module's top-level code: given code, or definitions holding a solution block."""

    name: str  # the tail of its nbgrader grade_id: the definition's name, or "given"
    source: str
    solution: bool


# ---- the task text --------------------------------------------------------------


def latex(formula: str) -> str:
    """A formula as the docstrings write it (sigma(z) = 1 / (1 + e^(-z))) in LaTeX; wide gaps become \\qquad."""
    out: list[str] = []
    closing: list[str] = []  # what each open parenthesis closes with: ")" or "}" for an exponent
    for match in _MATH_TOKEN.finditer(formula.strip()):
        token = match.group()
        if match.group("top"):
            out.append(rf"\frac{{\partial {match.group('top')}}}{{\partial {match.group('bottom')}}}")
        elif token == "^(":
            out.append("^{")
            closing.append("}")
        elif token == "(":
            out.append("(")
            closing.append(")")
        elif token == ")":
            out.append(closing.pop() if closing else ")")
        elif token.isspace() and len(token) >= 3:
            out.append(r" \qquad ")
        elif token.isalpha():
            out.append(_MATH_WORDS.get(token, token if len(token) == 1 else rf"\text{{{token}}}"))
        else:
            out.append(_MATH_SYMBOLS.get(token, token))
    return "".join(out)


def _is_formula(lines: list[str]) -> bool:
    """An indented block of equations (not of code: no names with underscores, no labels)."""
    return all("=" in line and ":" not in line and "_" not in line for line in lines)


def _indented_block(lines: list[str]) -> str:
    """Indented docstring lines: display math when they are formulas, else a code block."""
    lines = textwrap.dedent("\n".join(lines)).splitlines()
    if _is_formula(lines):
        return "$$\n" + " \\\\\n".join(latex(line) for line in lines) + "\n$$"
    return "```text\n" + "\n".join(lines) + "\n```"


def _prose(lines: list[str]) -> str:
    """A paragraph of the docstring: a line that starts with a label ("Task:") starts a paragraph of its own."""
    out: list[str] = []
    for line in lines:
        label = _LABEL.match(line)
        if label:
            if out:
                out.append("")
            # **任务**：, as CommonMark ends bold before a letter only when no punctuation closes it
            bold = f"**{label['label']}:**" if label["label"] else f"**{label['wide']}**："
            line = bold + line[label.end() :]
        out.append(line)
    return "\n".join(out)


def task_markdown(source: str, module: str, shown: Sequence[str] = ()) -> str:
    """The task cell: the module's heading comment as the title, then its docstring as Markdown; shown (the
    figures' Markdown) goes before the first Task paragraph, else after the docstring."""
    first = source.splitlines()[0] if source else ""
    title = first.lstrip("#").strip() if first.startswith("#") else module
    docstring = ast.get_docstring(ast.parse(source)) or ""
    summary, _newline, body = docstring.partition("\n")
    summary = _EXERCISE_TITLE.sub("", summary, count=1)
    parts = [f"# {title}", f"*{summary[:1].upper()}{summary[1:]}*" if summary else ""]
    for paragraph in re.split(r"\n[ \t]*\n", body.strip("\n")):
        lines = paragraph.splitlines()
        if lines and all(line.startswith("    ") for line in lines):
            parts.append(_indented_block(lines))
        elif lines:
            parts.append(_prose(lines))
    labels = {i18n.pgettext("task label", label) for label in TASK_LABELS}
    tasks = [i for i, part in enumerate(parts) if (bold := _BOLD_LABEL.match(part)) and bold.group(1) in labels]
    parts[tasks[0] if tasks else len(parts) : 0] = shown
    parts.append(_(HOW_TO))
    return "\n\n".join(part for part in parts if part)


@functools.cache
def _without_figures(reason: str) -> None:
    """Say once, on stderr, that the notebooks are built without the lesson's figures."""
    print(
        _(
            "logreg-grade: building the notebooks without the lesson's figures ({reason}); install matplotlib "
            "(pip install matplotlib) to add them"
        ).format(reason=reason),
        file=sys.stderr,
    )


def task_figures(module: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The lesson's figures of an exercise: their Markdown, and the task cell's attachments (PNG, base64);
    none, said once on stderr, when matplotlib cannot be imported."""
    try:
        drawn = {figure: figure.png() for figure in figures.of(module)}
    except ImportError as missing:
        _without_figures(str(missing))
        return [], {}
    attachments = {figure.name: {"image/png": base64.b64encode(png).decode("ascii")} for figure, png in drawn.items()}
    return [figure.markdown() for figure in drawn], attachments


# ---- the code cells -------------------------------------------------------------


def _opens_block(lines: list[str], open_: bool) -> bool:
    """Whether a solution block is still open after these lines, given whether one was open before them."""
    for line in lines:
        marker = line.strip()
        if marker == generate.BEGIN:
            open_ = True
        elif marker == generate.END:
            open_ = False
    return open_


def _starts(lines: list[str], body: list[ast.stmt], first: int) -> list[int]:
    """The line (from 0) where each top-level statement's piece starts: its decorators, and the comments at the
    margin just above it; the first piece starts at first."""
    starts: list[int] = []
    for statement in body:
        start = min([statement.lineno, *(node.lineno for node in getattr(statement, "decorator_list", []))]) - 1
        while start > max(first, starts[-1] + 1 if starts else first) and lines[start - 1].startswith("#"):
            start -= 1
        starts.append(start)
    return [first, *starts[1:]]


def pieces(source: str) -> list[Piece]:
    """The module's code after its docstring, cut before top-level statements (never inside a solution block):
    each definition that holds a solution block a piece of its own, the code between them given pieces."""
    tree = ast.parse(source)
    lines = source.splitlines()
    body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
    if not body:
        return []
    starts = _starts(lines, body, (tree.body[0].end_lineno or 0) if body is not tree.body else 0)
    chunks: list[tuple[str, list[str]]] = []  # (the name of its first definition, its lines)
    open_ = False
    for statement, start, end in zip(body, starts, [*starts[1:], len(lines)], strict=True):
        chunk = lines[start:end]
        if chunks and open_:  # the block opened in the previous chunk is not closed yet
            chunks[-1][1].extend(chunk)
        else:
            chunks.append((getattr(statement, "name", ""), chunk))
        open_ = _opens_block(chunk, open_)
    found: list[Piece] = []
    for name, chunk in chunks:
        text = "\n".join(chunk).strip("\n")
        solution = any(line.strip() == generate.BEGIN for line in chunk)
        if not solution and found and not found[-1].solution:
            found[-1] = Piece(found[-1].name, f"{found[-1].source}\n\n{text}", False)
        elif text:
            found.append(Piece((name or "solution") if solution else "given", text, solution))
    return found


def _nbgrader(grade_id: str, *, solution: bool = False, points: float | None = None, locked: bool = False) -> dict:
    """A cell's nbgrader metadata (schema 3): a solution cell, a graded test cell (points), or a locked cell."""
    meta = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA,
        "solution": solution,
    }
    if points is not None:
        meta["points"] = points
    return meta


def _unique(grade_id: str, taken: set[str]) -> str:
    """grade_id, or grade_id_2, _3, ... when a cell of the notebook has it already."""
    candidate, n = grade_id, 1
    while candidate in taken:
        n += 1
        candidate = f"{grade_id}_{n}"
    taken.add(candidate)
    return candidate


def source_notebook(path: Path, points: float | None = None) -> nbformat.NotebookNode:
    """nbgrader's source notebook of one solution module; points: the test cell's (None: a test cell without them)."""
    module = path.stem
    number = generate.exercise_number(path.name)
    text = generate.translated(path.read_text(encoding="utf-8"), module)
    taken: set[str] = set()
    new = nbformat.v4

    def cell(make, source: str, tail: str, logreg: str | None = None, **nbgrader) -> nbformat.NotebookNode:
        grade_id = _unique(f"{module}_{tail}", taken)
        metadata = {"nbgrader": _nbgrader(grade_id, **nbgrader)}
        if logreg:
            metadata[notebooks.METADATA] = {"role": logreg}
        return make(source, id=grade_id.replace("_", "-")[:64], metadata=metadata)

    shown, attachments = task_figures(module)
    task = cell(new.new_markdown_cell, task_markdown(text, module, shown), "task", locked=True)
    if attachments:
        task.attachments = attachments
    cells = [task, cell(new.new_code_cell, setup_source(), "setup", notebooks.SETUP, locked=True)]
    for piece in pieces(text):
        cells.append(
            cell(new.new_code_cell, piece.source, piece.name, solution=piece.solution, locked=not piece.solution)
        )
    cells.append(
        cell(new.new_code_cell, checks_source(module, number), "checks", notebooks.CHECKS, points=points, locked=True)
    )
    metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        notebooks.METADATA: {"assignment": ASSIGNMENT, "exercise": module},
    }
    if i18n.current() != "en":
        metadata[notebooks.METADATA]["language"] = i18n.current()
    notebook = new.new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return notebook


def student_notebook(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A source notebook as students get it: each solution block replaced by the stub line (in the current
    language, as the notebook is built), the locked cells
    read-only in Jupyter, no nbgrader metadata."""
    notebook = copy.deepcopy(source)
    name = f"{notebook.metadata[notebooks.METADATA]['exercise']}.ipynb"
    for cell in notebook.cells:
        meta = cell.metadata.pop("nbgrader", {})
        if meta.get("solution"):
            cell.source = generate.make_stub(cell.source, name, notebook_stub())
        if meta.get("locked"):
            cell.metadata.update(editable=False, deletable=False)
    nbformat.validate(notebook)
    return notebook


def _write(notebook: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def source_notebooks(out: Path, exercises: Sequence[Exercise], solutions: Path = SOLUTIONS) -> list[Path]:
    """Write nbgrader's source notebook of every solution module into out; each test cell is worth its
    exercise's points among exercises (the declarations under the assignment's policy)."""
    points = {exercise.module: round(exercise.points, 2) for exercise in exercises}  # hundredths: as check() returns
    written = []
    for path in generate.sources(solutions):
        if path.stem not in points:
            raise BuildError(
                _(
                    "{file} has no checks: declare them in autograder/checks/{file} and add its name to "
                    "MODULES in autograder/checks/__init__.py"
                ).format(file=path.name)
            )
        written.append(_write(source_notebook(path, points[path.stem]), out / f"{path.stem}.ipynb"))
    return written


def student_notebooks(out: Path, solutions: Path = SOLUTIONS) -> list[Path]:
    """Write the students' notebook of every solution module into out (no solution in them); the paths."""
    return [
        _write(student_notebook(source_notebook(path)), out / f"{path.stem}.ipynb")
        for path in generate.sources(solutions)
    ]
