"""The kit in Jupyter: `%load_ext autograder.frontends.jupyter`, and the check cells of the lesson's notebooks.

The extension lets a notebook import the student's other exercises (`from ex1_sigmoid import
sigmoid` in exercise 3) from the notebook or .py file of that name beside it, running only what
defines them (the grader's top-level plan, toplevel.py), never a training run or a plot.

check(module) grades the code cells this kernel has run, as that exercise, through the sandboxed
grader, prints the same report as logreg-grade and returns the points earned: nbgrader takes them
as the check cell's partial credit. Nothing reaches stderr while it grades, since nbgrader scores a
cell with any stderr output 0.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
import tempfile
import types
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from autograder import i18n
from autograder.grading import policy
from autograder.grading.outcomes import SubmissionResult
from autograder.i18n import _
from autograder.sandboxed import toplevel
from autograder.submission import notebooks, source_map

if TYPE_CHECKING:
    from autograder.sandbox.zygote import Zygote

REPORT_WIDTH = 110  # Jupyter wraps longer lines; the report's tables fit in this
_EXERCISE_MODULE = re.compile(r"ex\d+_\w+")


class _ExerciseImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an exercise module from <name>.ipynb or <name>.py in a folder, running only its definitions."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if path is not None or not _EXERCISE_MODULE.fullmatch(fullname):
            return None
        file = self.source_file(fullname)
        if file is None:
            if importlib.machinery.PathFinder.find_spec(fullname) is None:
                raise ModuleNotFoundError(
                    _(
                        "No module named {quoted}: save your {module}.ipynb (or {module}.py) in {folder}, "
                        "beside this notebook, then run this cell again"
                    ).format(quoted=repr(fullname), module=fullname, folder=self.folder),
                    name=fullname,
                )
            return None
        return importlib.util.spec_from_file_location(fullname, file, loader=self)

    def source_file(self, module: str) -> Path | None:
        """The .py file or notebook of the module in the folder (the .py file when there are both, as when grading)."""
        return next(
            (
                file
                for file in (self.folder / f"{module}.py", self.folder / f"{module}{notebooks.SUFFIX}")
                if file.is_file()
            ),
            None,
        )

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the definitions of the file: the top-level statements the grader's plan keeps."""
        assert module.__file__ is not None, "find_spec gave the module its file"
        file = Path(module.__file__)
        source = module_text(file)
        tree = ast.parse(source, filename=str(file))
        own = toplevel.submission_names([module.__name__], [tree])
        kept = ast.Module(body=[step.statement for step in toplevel.plan(tree, own) if step.runs], type_ignores=[])
        exec(compile(kept, str(file), "exec", dont_inherit=True), vars(module))


def module_text(file: Path) -> str:
    """The Python source of an exercise file: a .py file's text, or the student's code cells of a notebook."""
    if file.suffix != notebooks.SUFFIX:
        return file.read_text(encoding="utf-8")
    return notebooks.module_source(notebooks.student_cells(notebooks.read(file)))[0]


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext autograder.frontends.jupyter`: exercise modules are imported from the
    notebook's folder (the kernel's)."""
    unload_ipython_extension(ipython)
    sys.meta_path.insert(0, _ExerciseImporter(Path.cwd()))


def unload_ipython_extension(ipython: Any) -> None:
    """Stop importing exercise modules from notebooks."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _ExerciseImporter)]


# ---- the check cells --------------------------------------------------------------


def history_notebook(cells: list[str], module: str) -> nbformat.NotebookNode:
    """The cells this kernel ran as a notebook of the exercise, cell k being In[k] (the kit's cells are skipped
    when it is graded); in_saved_cells then says each by its place in the saved notebook."""
    metadata = {notebooks.METADATA: {"assignment": notebooks.ASSIGNMENT, "exercise": module}}
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells], metadata=metadata)


def _history() -> list[str]:
    """The code of every cell this kernel has run, In[1], In[2], ... (each run of a cell)."""
    from IPython import get_ipython

    shell = get_ipython()
    return list(shell.history_manager.input_hist_raw[1:]) if shell is not None else []


def assignment_file(folder: Path) -> Path | None:
    """The assignment file that applies: the one $LOGREG_ASSIGNMENT names, else an assignment.toml in folder or
    a folder above it (an nbgrader course keeps one at its root), else None (the declared points)."""
    named = policy.locate(None)
    if named is not None:
        return named
    return next(
        (place / policy.FILE_NAME for place in (folder, *folder.parents) if (place / policy.FILE_NAME).is_file()), None
    )


@contextlib.contextmanager
def _nothing_on_stderr() -> Iterator[None]:
    """Send what is written to stderr (sys.stderr, or descriptor 2) to stdout, and silence warnings."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(1, 2)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 2)
        os.close(saved)


class NotGraded(ValueError):
    """A check cell that cannot grade: the message says why and what to do."""


def grade_notebook(
    notebook: nbformat.NotebookNode, module: str, assignment: Path | None, zygote: Zygote | None = None
) -> tuple[SubmissionResult, int]:
    """Grade a notebook as the exercise module, under the assignment file (None: the declared points): the result,
    and the exercise's number. zygote: one serving many notebooks (nbgrader's autograde), else one of its own."""
    from autograder.grading.grade import grade, secret_seed
    from autograder.lesson import EXERCISES

    exercise = next((exercise for exercise in EXERCISES if exercise.module == module), None)
    if exercise is None:
        known = i18n.listing([exercise.module for exercise in EXERCISES])
        raise NotGraded(
            _("check({module}): no exercise has that name (the lesson's are {known})").format(
                module=repr(module), known=known
            )
        )
    course = policy.load(assignment)
    seed = secret_seed() if course.seed is None else course.seed
    with tempfile.TemporaryDirectory(prefix="logreg-check-") as scratch:
        nbformat.write(notebook, Path(scratch) / f"{module}{notebooks.SUFFIX}")
        result = grade(scratch, seed=seed, exercises=[exercise], policy=course, zygote=zygote)  # no note on a lone file
    return result, exercise.number


def in_saved_cells(result: SubmissionResult, ran: list[str], saved: Path) -> SubmissionResult:
    """The result with each cell the kernel ran said by its place in the saved notebook, as logreg-grade and nbgrader
    say it (every cell counted from 1); a cell the saved notebook lacks as it ran (not saved since) as In [k]."""
    try:
        notebook = notebooks.read(saved) if saved.is_file() else None
    except Exception:  # not a notebook the grader reads: every cell is said as In [k]
        notebook = None
    cells = (
        [] if notebook is None else [(n, c.source) for n, c in enumerate(notebook.cells, 1) if c.cell_type == "code"]
    )
    numbers = source_map.places_in_notebook(ran, cells)
    return replace(
        result,
        outcomes=[replace(o, message=source_map.renumbered(o.message, numbers)) for o in result.outcomes],
        notes=tuple(source_map.renumbered(note, numbers) for note in result.notes),
        flags=tuple(source_map.renumbered(flag, numbers) for flag in result.flags),
    )


def report_console(file: Any = None, *, colours: bool = True) -> Any:
    """A rich console that writes the report as logreg-grade prints it (in colour, or plain),
    at a width Jupyter shows whole."""
    from rich.console import Console

    return Console(
        file=file or sys.stdout,
        force_jupyter=False,
        force_terminal=colours,
        no_color=not colours,
        width=REPORT_WIDTH,
        highlight=False,
    )


def earned(result: SubmissionResult) -> float:
    """The points earned, in hundredths: nbgrader refuses a cell result above what the cell is worth,
    by any rounding."""
    return float(round(result.total[0], 2))


def check(module: str, language: str | None = None) -> float:
    """Grade the code cells this kernel has run as the exercise module, print the report, return the points earned;
    the report in language ("zh" in a notebook built in Chinese), else in the one the environment names."""
    i18n.use(language)
    from autograder.reporters.inert import inert
    from autograder.submission.loader import SubmissionError

    out = report_console()
    with _nothing_on_stderr():
        try:
            ran = _history()
            result, number = grade_notebook(history_notebook(ran, module), module, assignment_file(Path.cwd()))
            result = in_saved_cells(result, ran, Path.cwd() / f"{module}{notebooks.SUFFIX}")
        except (NotGraded, SubmissionError, policy.PolicyError) as error:
            out.print(inert(_("Not graded: {reason}").format(reason=error)), markup=False)
            return 0.0
        except Exception as error:  # a fault of the grader, not of the notebook
            said = _("Not graded: the grader failed: {error}: {message}").format(
                error=type(error).__name__, message=error
            )
            out.print(inert(said), markup=False)
            return 0.0
        out.print(check_report(result, number))
        return earned(result)


def check_report(result: SubmissionResult, number: int) -> Any:
    """What a check cell prints: the terminal report, titled without the seed (the course's is secret, and a
    student reads this)."""
    from autograder.reporters import terminal

    return terminal.report(result, title=_("Exercise {number} as run in this notebook").format(number=number))
