"""logreg-grade nbgrader: an nbgrader course generated from solutions/, in a folder nbgrader runs in.

DIR/source/logreg/ holds nbgrader's source notebooks (materials/notebooks.py); DIR/nbgrader_config.py sets the
kit's stub line and puts the kit's sandboxed step (autograde.py) in place of nbgrader's Execute; DIR/assignment.toml
holds the instructor's assignment file with a secret seed, at the course root where nbgrader never releases it.
The course is written in the language --lang names (else the environment's): its notebooks, their stub line and
the check cells' reports, which nbgrader_config.py sets for the kit's autograde step.
"""

from __future__ import annotations

import argparse
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from autograder import commands, i18n
from autograder.grading import policy
from autograder.i18n import N_, _
from autograder.locations import SOLUTIONS
from autograder.materials import stubs as generate
from autograder.materials.notebooks import ASSIGNMENT, BuildError, notebook_stub, source_notebooks

POLICY_FILE = policy.FILE_NAME  # at the course root, so that generate_assignment never releases it

NBGRADER_CONFIG = '''"""nbgrader's settings for the {assignment} course, written by `logreg-grade nbgrader`."""

import os
import sys

c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = "{assignment}"
# nbgrader runs alembic, a command of this Python's environment, by name: found even where it is not activated.
os.environ["PATH"] = os.pathsep.join(filter(None, [os.path.dirname(sys.executable), os.environ.get("PATH")]))
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The same line as in the kit's student notebooks, so that an untouched exercise is "not implemented yet".
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# Autograding runs no cell of a student's notebook: the kit's sandboxed grader grades its code and fills the
# check cells (nbgrader/autograde.py), where nbgrader's Execute would run every cell in a kernel, unsandboxed.
from autograder.frontends.instructor.nbgrader.autograde import (  # noqa: E402
    autograde_steps,
    submissions_built_without_autoflush,
)
from autograder.frontends.instructor.nbgrader.validate import ValidSubmission  # noqa: E402
from nbgrader.converters import Autograde  # noqa: E402

# A submitted notebook's metadata is the student's: what the gradebook does not vouch for is dropped first.
c.Autograde.sanitize_preprocessors = [ValidSubmission, *Autograde.class_traits()["sanitize_preprocessors"].default()]
c.Autograde.autograde_preprocessors = autograde_steps(Autograde.class_traits()["autograde_preprocessors"].default())
submissions_built_without_autoflush()  # else SQLAlchemy warns on stderr for each submission graded
c.SandboxedChecks.assignment = os.path.join(c.CourseDirectory.root, "{policy}")  # not one a student hands in
c.SandboxedChecks.language = "{language}"  # the language of the check cells' reports, as the course was built in
'''

COURSE_README = N_("""# The {assignment} course for nbgrader

Written by `logreg-grade nbgrader` from the kit's solutions; run nbgrader in this folder.

    nbgrader generate_assignment {assignment}   # release/{assignment}/: the students' notebooks, solutions removed
    # put each student's notebooks in submitted/<student>/{assignment}/
    nbgrader autograde {assignment}             # grades each notebook's code in the kit's sandbox: no cell runs
    nbgrader export                        # grades.csv

Students work in these notebooks in a Jupyter whose Python has the kit's package installed (the
instructor's kit, or the student release built with `logreg-grade release`): the first code cell of
each notebook loads it (`%load_ext autograder.frontends.jupyter`) and fails without it. They hand in the
notebooks nbgrader released; a notebook of the kit's student release has no nbgrader records, and
autograding says so in its check cells instead of grading it.

`{policy}` holds the points, visibility, gates and the secret seed the check cells grade with; it
stays here at the course root, out of what nbgrader releases. Rebuild the course after editing it
(`logreg-grade nbgrader --out . --assignment {policy} --force`): the check cells carry the points.
""")


class CourseError(ValueError):
    """The course cannot be written: the message says why and what to do."""


def with_seed(text: str, seed: int) -> str:
    """An assignment file's text with `seed = N` in its [assignment] table (the table added when it has none)."""
    header = re.search(r"^[ \t]*\[assignment\][ \t]*(#.*)?\r?$", text, re.MULTILINE)
    line = f"seed = {seed}  # drawn when the course was built: it makes autograding reproducible; keep it secret\n"
    if header is None:
        return f"[assignment]\n{line}\n{text}"
    return f"{text[: header.end()]}\n{line}{text[header.end() + 1 :]}"


def _course_policy(out: Path, assignment: Path | None, given: policy.Policy) -> policy.Policy:
    """Write the course's assignment file (the given one, or the defaults, with a seed) and read it back."""
    text = assignment.read_text(encoding="utf-8") if assignment else f'[assignment]\nname = "{ASSIGNMENT}"\n'
    if given.seed is None:
        from autograder.grading.grade import secret_seed

        text = with_seed(text, secret_seed())
    target = out / POLICY_FILE
    target.write_text(text, encoding="utf-8")
    written = policy.load(target)
    if written.seed is None:  # a file that sets [assignment] keys in a way with_seed cannot extend
        raise CourseError(
            _("could not add a seed to {file}: write `seed = N` in its [assignment] table yourself").format(file=target)
        )
    return written


def build(out: Path, assignment: Path | None = None, *, force: bool = False, solutions: Path = SOLUTIONS) -> list[Path]:
    """Write the nbgrader course into out, in the current language: nbgrader_config.py, assignment.toml, README.md
    and the source notebooks in source/logreg/; the paths written."""
    if out.exists() and not out.is_dir():
        raise CourseError(_("{folder} is a file: give a folder for the course").format(folder=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise CourseError(
            _("{folder} is not empty: give a new folder, or add --force to rewrite the course's files there").format(
                folder=out
            )
        )
    from autograder.lesson import EXERCISES

    given = policy.load(assignment)  # before anything is written: a PolicyError names the instructor's file
    out.mkdir(parents=True, exist_ok=True)
    course_policy = _course_policy(out, assignment, given)
    folder = out / "source" / ASSIGNMENT
    if folder.is_dir():
        shutil.rmtree(folder)  # no notebook of an exercise that has gone stays behind
    written = [out / POLICY_FILE, *source_notebooks(folder, course_policy.apply(EXERCISES), solutions)]
    config = NBGRADER_CONFIG.format(
        assignment=ASSIGNMENT, stub=notebook_stub(), policy=POLICY_FILE, language=i18n.current()
    )
    readme = _(COURSE_README).format(assignment=ASSIGNMENT, policy=POLICY_FILE)
    for name, text in (("nbgrader_config.py", config), ("README.md", readme)):
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


DESCRIPTION = N_(
    "Write an nbgrader course generated from the kit's solutions: one notebook per exercise whose locked check "
    "cell runs the kit's checks for the exercise's points."
)
EPILOG = N_(
    "then, in DIR: nbgrader generate_assignment {assignment}, and after collecting the submissions in "
    "DIR/submitted/<student>/{assignment}/, nbgrader autograde {assignment}"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of logreg-grade nbgrader."""
    parser.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help=_("the course folder to write (new or empty)")
    )
    parser.add_argument(
        "--assignment",
        type=Path,
        metavar="FILE",
        help=_(
            "the assignment file (points, visibility, gates, seed) copied to DIR/{file}; a secret seed is added "
            "when it sets none (default: ${variable}, else the declared points)"
        ).format(file=POLICY_FILE, variable=policy.ENV),
    )
    parser.add_argument(
        "--force", action="store_true", help=_("rewrite the course's files in a folder that is not empty")
    )


def run(args: argparse.Namespace) -> int:
    """Write the course; 0, or a CommandError that says why not."""
    try:
        written = build(args.out, policy.locate(args.assignment), force=args.force)
    except (CourseError, BuildError, policy.PolicyError, generate.MarkerError, OSError) as error:
        raise commands.CommandError(str(error)) from None
    notebooks_written = [path for path in written if path.suffix == ".ipynb"]
    print(
        _(
            "Wrote the nbgrader course in {folder}: {count} notebooks in {notebooks}, nbgrader_config.py, {policy} "
            "(with the grading seed: keep it out of the students' reach) and README.md"
        ).format(
            folder=args.out,
            count=len(notebooks_written),
            notebooks=args.out / "source" / ASSIGNMENT,
            policy=POLICY_FILE,
        )
    )
    print(
        _("Next: cd {folder} && nbgrader generate_assignment {assignment}").format(
            folder=args.out, assignment=ASSIGNMENT
        )
    )
    return 0


COMMAND = commands.Command(
    prog="logreg-grade nbgrader",
    description=DESCRIPTION,
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the course's language"),
    placeholders={"assignment": ASSIGNMENT},
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `logreg-grade nbgrader`; the exit status (0 written, 2 a usage error or a course that cannot be written)."""
    return commands.main(COMMAND, argv)
