"""nbgrader's autograde step for the lesson's notebooks: the kit's sandboxed grader instead of the notebook's kernel.

nbgrader's own Execute step runs every cell of a submitted notebook in a kernel, without a sandbox, where a
student's cell could replace the check function before the check cell runs. The course (course.py) puts
SandboxedChecks in its place: it runs none of the student's cells, grades the notebook's code through the
sandboxed grader as `logreg-grade` grades an .ipynb, and writes each check cell's outputs as a run of it
would: the report (as text, and as HTML whose tables stay aligned in a browser), then the points earned as
the cell's result, which nbgrader takes as partial credit.
The report is in the course's language (its nbgrader_config.py sets SandboxedChecks.language), else in the
one the notebook was built in (its metadata), else in the one the environment names.
One sandboxed zygote serves the whole `nbgrader autograde` run (every notebook of every student, each in a fresh
child), as in `logreg-grade batch`: torch is imported into the sandbox once per run, not once per notebook.
"""

from __future__ import annotations

import atexit
import functools
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from rich.cells import cell_len
from traitlets import Bool, Unicode

from autograder import i18n
from autograder.frontends import jupyter
from autograder.grading import policy
from autograder.i18n import N_, _
from autograder.submission import notebooks

if TYPE_CHECKING:
    from autograder.sandbox.zygote import Zygote

REPORT_CLASS, LINE_CLASS = "logreg-report", "logreg-line"  # the report's HTML, for the feedback page's readers


def exercise_of(notebook: nbformat.NotebookNode, name: str) -> str:
    """The exercise module a notebook is for: its file name's (ex1_sigmoid.ipynb), which nbgrader found in the
    course's record; never its metadata, which the student can edit."""
    return name


def language_of(notebook: nbformat.NotebookNode) -> str | None:
    """The language a notebook was built in, when it is one of the kit's; None (the environment's) otherwise."""
    kit = notebook.get("metadata", {}).get(notebooks.METADATA) if isinstance(notebook.get("metadata"), dict) else None
    said = kit.get("language") if isinstance(kit, dict) else None
    return said if isinstance(said, str) and i18n.language_of(said) else None


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is one of the kit's check cells (nbgrader has already put back its original text)."""
    return cell.cell_type == "code" and cell.source.startswith(notebooks.KIT_MARKER + notebooks.CHECKS)


class SandboxedChecks(Preprocessor):
    """Fill the check cells of a notebook with the sandboxed grader's report and points;
    run nothing of the student's."""

    enabled = Bool(True)  # nbconvert's steps are off unless enabled: a check cell left empty would earn full marks
    assignment = Unicode("", help="the course's assignment file (never one from a student's folder)").tag(config=True)
    language = Unicode(
        "", help="the reports' language, en or zh (default: the notebook's, else the environment's)"
    ).tag(config=True)

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict) -> tuple[nbformat.NotebookNode, dict]:
        module = exercise_of(nb, resources.get("unique_key", ""))
        spoken = i18n.current()
        i18n.use(self.language or language_of(nb))
        try:
            if released_elsewhere(nb):  # its check cells would earn nothing in nbgrader's gradebook: said, not graded
                report, points = not_this_course(module), 0.0
                self.log.warning("%s", report.strip())
            else:
                report, points = self.grade(nb, module, self.assignment_file())
        finally:
            i18n.use(spoken)
        for count, cell in enumerate((cell for cell in nb.cells if is_check_cell(cell)), start=1):
            cell.execution_count = count  # a result in every one: nbgrader gives a cell without one full marks
            cell.outputs = [
                nbformat.v4.new_output("display_data", data={"text/html": report_html(report), "text/plain": report}),
                nbformat.v4.new_output("execute_result", data={"text/plain": repr(points)}, execution_count=count),
            ]
        return nb, resources

    def assignment_file(self) -> Path | None:
        """The course's assignment file (nbgrader_config.py names it), else the one the environment names."""
        return Path(self.assignment) if self.assignment else policy.locate(None)

    def grade(self, nb: nbformat.NotebookNode, module: str, assignment: Path | None) -> tuple[str, float]:
        """The report and the points earned, or why the notebook could not be graded and 0."""
        from autograder.reporters import terminal
        from autograder.reporters.inert import inert
        from autograder.submission.loader import SubmissionError

        text = io.StringIO()
        try:
            result, number = jupyter.grade_notebook(nb, module, assignment, zygote=shared_zygote())
        except (jupyter.NotGraded, SubmissionError, policy.PolicyError) as error:
            return inert(_("Not graded: {reason}").format(reason=error)) + "\n", 0.0
        except Exception as error:  # this notebook's fault or the grader's: it costs this notebook only
            reason = _("the grader failed: {error}").format(error=f"{type(error).__name__}: {error}"[:200])
            return inert(_("Not graded: {reason}").format(reason=reason)) + "\n", 0.0
        title = _("Exercise {number} as handed in").format(number=number)  # no seed: the course's is secret
        jupyter.report_console(text, colours=False).print(terminal.report(result, title=title))
        return text.getvalue(), jupyter.earned(result)


_shared: list[Zygote] = []  # the run's zygote, started by the first notebook graded


def shared_zygote() -> Zygote | None:
    """The zygote this nbgrader run grades every notebook on: started once, again only if it has ended, closed when
    the run ends; None where none starts (each notebook then starts its own)."""
    from autograder.sandbox.runner import serving_zygote

    if _shared and _shared[0].alive:
        return _shared[0]
    if _shared:
        _shared.pop().close()
    zygote = serving_zygote()
    if zygote is None:
        return None
    _shared.append(zygote)
    atexit.register(zygote.close)  # close() twice does nothing
    return zygote


OTHER_RELEASE = N_(
    "Not graded: {file} is not the notebook this nbgrader course released (its check cells carry no record of the "
    "course, so nbgrader would count nothing they earn; a notebook of the kit's student release is one such). "
    "Copy your code into release/{assignment}/{file}, the notebook nbgrader released, and hand that in."
)


def released_elsewhere(nb: nbformat.NotebookNode) -> bool:
    """Whether the notebook has check cells but none with nbgrader's record of a graded cell (ValidSubmission has
    kept only the course's records): one from the kit's student release, or one whose records were all foreign."""
    checks = [cell for cell in nb.cells if is_check_cell(cell)]
    return bool(checks) and not any(_graded(cell) for cell in checks)


def _graded(cell: nbformat.NotebookNode) -> bool:
    record = cell.get("metadata", {}).get("nbgrader")
    return isinstance(record, dict) and record.get("grade") is True


def not_this_course(module: str) -> str:
    """The check cells' report for a notebook this course did not release: which notebook to hand in instead."""
    from autograder.reporters.inert import inert

    return inert(_(OTHER_RELEASE).format(file=f"{module}{notebooks.SUFFIX}", assignment=notebooks.ASSIGNMENT)) + "\n"


def _cells(character: str) -> str:
    """A character of the report as HTML: outside ASCII, a box exactly as wide as its terminal cells (rich's count)."""
    if character.isascii():
        return html.escape(character)
    return f'<span style="display:inline-block;width:{cell_len(character)}ch">{html.escape(character)}</span>'


def report_html(report: str) -> str:
    """The report for a web page (nbgrader's feedback): each character takes its terminal cells whatever the
    browser's fonts make of Chinese, box drawing or marks, so the tables stay aligned; every character escaped
    (student text arrives inert already: control and bidirectional characters as escapes, made so again here)."""
    from autograder.reporters.inert import inert

    lines = ("".join(map(_cells, line)) for line in inert(report).splitlines())
    return (
        f'<pre class="{REPORT_CLASS}">'
        + "\n".join(f'<span class="{LINE_CLASS}">{line}</span>' for line in lines)
        + "</pre>"
    )


def autograde_steps(steps: list[Any]) -> list[Any]:
    """nbgrader's autograde steps (Autograde.autograde_preprocessors) with SandboxedChecks in place of Execute."""
    from nbgrader.preprocessors import Execute

    return [SandboxedChecks if step is Execute else step for step in steps]


def submissions_built_without_autoflush() -> None:
    """Make nbgrader's Gradebook build each new submission with its session's autoflush off.

    Gradebook.add_submission (nbgrader 0.9) attaches a new submission, its notebooks, grades and comments to rows
    already in the session, then adds the submission and commits. Meanwhile it reads the assignment's cells, and each
    read autoflushes: SQLAlchemy 2.0.19 and later warn on stderr, several times for every submission autograded, that
    the half-built objects are not in the session yet ("Consider using no_autoflush"). Built as SQLAlchemy advises,
    the same rows are written and nothing is said. (SQLAlchemy 2.0.18, the last release without the warning, does not
    run on Python 3.13: no pin can avoid it.)
    """
    from nbgrader.api import Gradebook

    add_submission = Gradebook.add_submission
    if getattr(add_submission, "without_autoflush", False):
        return

    @functools.wraps(add_submission)
    def built_without_autoflush(self: Gradebook, *args: Any, **kwargs: Any) -> Any:
        with self.db.no_autoflush:
            return add_submission(self, *args, **kwargs)

    built_without_autoflush.without_autoflush = True  # type: ignore[attr-defined]
    Gradebook.add_submission = built_without_autoflush
