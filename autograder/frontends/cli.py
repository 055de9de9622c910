"""logreg-grade: grade one submission, print the report, optionally write Gradescope's results.json."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from autograder import commands, edition
from autograder.grading.outcomes import SubmissionResult
from autograder.grading.policy import ENV as ASSIGNMENT_ENV
from autograder.grading.policy import Policy, PolicyError, load, locate
from autograder.i18n import N_, _, listing
from autograder.lesson.modules import MODULES, NUMBERS
from autograder.reporters import gradescope, terminal
from autograder.reporters.inert import inert
from autograder.sandbox import runner
from autograder.sandbox.zygote import Zygote
from autograder.submission import loader, notebooks
from autograder.submission.loader import SubmissionError

PROG = "logreg-grade"
FULL_MARKS, POINTS_LOST, CANNOT_GRADE, GRADER_FAILED = 0, 1, 2, 3  # the exit statuses
DEBUG_ENV = "LOGREG_DEBUG"  # set it to see the traceback when the grader itself fails

DESCRIPTION = N_("Grade a student's logistic-regression exercises: points and a hint for every check.")
EPILOG = N_("""exit status:
  {full_marks}  every graded point was earned
  {points_lost}  some points were lost
  {cannot_grade}  a usage error, or a submission that cannot be graded (a bad path, no .py files or
     notebooks, no check selected)
  {grader_failed}  the grader itself failed (set {debug}=1 to see its traceback)

commands for instructors (each has its own --help):
  logreg-grade release --out DIR      the student release: exercises and visible checks, no solutions
  logreg-grade nbgrader --out DIR     an nbgrader course generated from the solutions
  logreg-grade gradescope --out ZIP   a Gradescope autograder zip
  logreg-grade batch DIR --out DIR    grade a whole class: gradebook, grades.csv, feedback pages
  logreg-grade export DIR             a batch's exports again, from its gradebook

With --json FILE, results.json is written whenever the command line is valid: with 0 points
and the reason when nothing could be graded. Colours follow the NO_COLOR variable; --no-color
turns them off in any case.""")


HAND_IN_FILES = N_(
    "the files you handed in hold none of the exercises: hand in your exercise files ({files}) or their notebooks "
    "(.ipynb), as they are named in the exercises, all at the top of your upload or all in one folder"
)
EXERCISE_FILES = ", ".join(f"{module}.py" for module in MODULES)
SEED_HELP = {
    edition.KIT: N_(
        "seed of the random inputs, to replay a grading: the same seed gives the same grade "
        "(default: the assignment file's seed, else a secret seed drawn for this run and recorded "
        "in the report and results.json)"
    ),
    edition.RELEASE: N_(
        "accepted for the instructor's kit's command line; this release checks the inputs it recorded, "
        "so the seed changes nothing"
    ),
}


def exercise_numbers(numbers: list[int]) -> Callable[[str], list[int]]:
    """The type of --exercise: one number or a comma-separated list of them, each an exercise of the lesson."""

    def parse(value: str) -> list[int]:
        """The exercise numbers in "2" or "1,3"."""
        try:
            chosen = [int(part) for part in value.split(",")]
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("{value} is not a number or a list like 1,3").format(value=repr(value))
            ) from None
        unknown = [n for n in chosen if n not in numbers]
        if unknown:
            raise argparse.ArgumentTypeError(
                _("no exercise {numbers} (choose from {choices})").format(
                    numbers=listing(map(str, unknown)), choices=listing(map(str, numbers))
                )
            )
        return chosen

    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command line: a path and a few options, given in any order."""
    numbers = lesson_exercises()
    parser.add_argument(
        "path", metavar="PATH", type=Path, help=_("a student's folder, a .py file or an .ipynb notebook")
    )
    parser.add_argument(
        "--json",
        metavar="FILE",
        type=Path,
        help=_("also write Gradescope's results.json to FILE (its folders are created)"),
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=int,
        default=None,
        help=_(SEED_HELP[edition.EDITION]),
    )
    parser.add_argument(
        "--exercise",
        metavar="N",
        type=exercise_numbers(numbers),
        action="extend",
        help=_(
            "grade only exercise N (of {numbers}); repeat it or write --exercise 1,3 for several; default: all"
        ).format(numbers=listing(map(str, numbers))),
    )
    parser.add_argument(
        "--assignment",
        metavar="FILE",
        type=Path,
        help=_(
            "the instructor's assignment file (TOML): points and visibility per exercise or check, "
            "gates, the seed (default: the file ${variable} names, else the declared points)"
        ).format(variable=ASSIGNMENT_ENV),
    )
    parser.add_argument("--no-color", action="store_true", help=_("print the report without colours"))
    parser.add_argument(
        "--handed-in",
        action="store_true",
        help=_(
            "PATH is what a student handed in (Gradescope's run_autograder): when it cannot be graded, results.json "
            "tells the student what to hand in, and keeps the reason for the instructor"
        ),
    )


def write_json(path: Path, results: dict) -> None:
    """Write results to path atomically: a reader sees the old file or the whole new one, never half of it."""
    text = json.dumps(results, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def one_line(error: BaseException) -> str:
    """An exception as one line: its type, then its message with line breaks folded into spaces."""
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def exit_status(result: SubmissionResult) -> int:
    """0 on full marks, 1 when points were lost."""
    earned, possible = result.total
    return FULL_MARKS if earned >= possible - 1e-9 else POINTS_LOST


def save(path: Path, results: dict, err: Console) -> bool:
    """Write results.json and say so on stderr; False, with the reason said, when it cannot be written."""
    try:
        write_json(path, results)
    except OSError as error:
        commands.say_error(
            PROG, _("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error), err
        )
        return False
    err.print(_("Wrote {path}").format(path=path), markup=False, style="dim", soft_wrap=True)
    return True


def fail(
    args: argparse.Namespace, err: Console, started: float, status: int, reason: str, advice: str = "", *, student=""
) -> int:
    """Say why nothing was graded, on stderr (with advice) and in results.json; return the exit status.
    The reason may hold student text (a file's name, an exception's message): it is shown inert. With --handed-in,
    results.json tells the student what to do (student, when given), and keeps the reason for the instructor."""
    commands.say_error(PROG, inert(f"{reason}{advice}"), err)
    if args.json:
        said, detail = (student, reason) if args.handed_in and student else (reason, "")
        seed = None if edition.EDITION == edition.RELEASE else args.seed
        elapsed = time.perf_counter() - started
        results = gradescope.ungraded_json(str(args.path), seed, said, execution_time=elapsed, detail=detail)
        save(args.json, results, err)
    return status


def lesson_exercises() -> list[int]:
    """The lesson's exercise numbers, from the one light list of them (no torch)."""
    return list(NUMBERS)


def grade(path: Path, **options: Any) -> SubmissionResult:
    """autograder.grading.grade.grade, imported only when needed: it imports torch."""
    from autograder.grading.grade import grade as grade_submission

    return grade_submission(path, **options)


def secret_seed() -> int:
    """autograder.grading.grade.secret_seed, imported only when needed."""
    from autograder.grading.grade import secret_seed as draw

    return draw()


def early_zygote(path: Path) -> Zygote | None:
    """A zygote for the submission, started before this process imports torch, so that both import it at once.

    Notebooks are graded as the modules they make, written later: such a zygote is given that folder as a copy.
    """
    try:
        root = loader.submission_root(path)
        return Zygote(None if notebooks.involved(path) else root, runner.limit_resources)
    except Exception:  # grading meets the same fault, and says it in results.json
        return None


def run_grading(args: argparse.Namespace, err: Console, zygote: Zygote | None, policy: Policy) -> SubmissionResult:
    """Grade the submission of the command line, with a spinner on stderr naming the check being graded."""
    with err.status(_("Grading {path} ...").format(path=args.path)) as status:
        return grade(
            args.path,
            seed=args.seed,
            select=lambda exercise, check: not args.exercise or exercise.number in args.exercise,
            progress=lambda exercise, check: status.update(
                _("Grading {path}: exercise {number}, {check}").format(
                    path=args.path, number=exercise.number, check=check.id
                )
            ),
            policy=policy,
            zygote=zygote,
        )


SUBCOMMANDS = {  # the instructors' commands: logreg-grade <name> ..., each a module's COMMAND (or the one named)
    "release": "autograder.frontends.instructor.release",
    "nbgrader": "autograder.frontends.instructor.nbgrader.course",
    "gradescope": "autograder.frontends.instructor.gradescope",
    "batch": "autograder.frontends.instructor.batch.command",
    "export": "autograder.frontends.instructor.batch.command:EXPORT_COMMAND",
}
NOT_HERE = N_(
    "`{command}` is an instructors' command: it comes with the kit, not with the student release "
    "(to grade a folder of that name, write ./{command})"
)


def instructors_commands_here() -> bool:
    """Whether this install has the instructors' commands: the kit has them, a student release does not."""
    return importlib.util.find_spec("autograder.frontends.instructor") is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Run logreg-grade (or one of its instructors' commands); the return value is the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:  # a folder of that name is still graded as ./release
        if not instructors_commands_here():  # a student release ships without them
            return commands.refuse(PROG, argv, NOT_HERE, command=argv[0])
        module, _colon, name = SUBCOMMANDS[argv[0]].partition(":")
        return commands.main(getattr(importlib.import_module(module), name or "COMMAND"), argv[1:])
    return commands.main(GRADING, argv)


def parser() -> argparse.ArgumentParser:
    """logreg-grade's parser, in the current language."""
    return commands.parser(GRADING)


def run_command(args: argparse.Namespace) -> int:
    """Grade the submission of a valid command line; the exit status."""
    zygote = early_zygote(args.path)  # first: it imports torch while this process does
    started = time.perf_counter()
    try:
        return grade_and_report(args, zygote)
    except Exception as error:  # the report or results.json failed to be made: results.json still says why
        return fail(
            args,
            Console(stderr=True),
            started,
            GRADER_FAILED,
            _("the grader failed: {error}").format(error=one_line(error)),
        )
    finally:
        if zygote is not None:
            zygote.close()


def grade_and_report(args: argparse.Namespace, zygote: Zygote | None) -> int:
    """Grade, print the report, write results.json; the exit status."""
    no_color = True if args.no_color else None  # None lets rich follow the NO_COLOR variable
    out = Console(no_color=no_color, highlight=False)
    err = Console(stderr=True, no_color=no_color, highlight=False)
    started = time.perf_counter()
    try:
        policy = load(locate(args.assignment))  # imports the declarations, and torch, while the zygote does
    except PolicyError as error:
        return fail(args, err, started, CANNOT_GRADE, str(error))
    if args.seed is None:
        args.seed = secret_seed() if policy.seed is None else policy.seed
    try:
        result = run_grading(args, err, zygote, policy)
    except SubmissionError as error:
        reason = _("the submission cannot be graded: {reason}").format(reason=error)
        return fail(args, err, started, CANNOT_GRADE, reason, student=_(HAND_IN_FILES).format(files=EXERCISE_FILES))
    except Exception as error:  # a fault of the grader, not of the submission
        debug = bool(os.environ.get(DEBUG_ENV))
        if debug:
            sys.stderr.write(inert(traceback.format_exc()))
        return fail(
            args,
            err,
            started,
            GRADER_FAILED,
            _("the grader failed: {error}").format(error=one_line(error)),
            advice="" if debug else _(" (set {variable}=1 to see the traceback)").format(variable=DEBUG_ENV),
        )
    if not result.outcomes:  # no report: a table of nothing and "Total: 0/0" would read as a grade
        return fail(
            args,
            err,
            started,
            CANNOT_GRADE,
            _("no check was graded: {path} holds none of the exercises selected").format(path=args.path),
            student=_(HAND_IN_FILES).format(files=EXERCISE_FILES),
        )
    out.print(terminal.report(result))
    if args.json and not save(
        args.json, gradescope.results_json(result, execution_time=time.perf_counter() - started), err
    ):
        return CANNOT_GRADE
    return exit_status(result)


GRADING = commands.Command(
    prog=PROG,
    description=DESCRIPTION,
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run_command,
    lang_what=N_("the report's language"),
    placeholders={
        "full_marks": FULL_MARKS,
        "points_lost": POINTS_LOST,
        "cannot_grade": CANNOT_GRADE,
        "grader_failed": GRADER_FAILED,
        "debug": DEBUG_ENV,
    },
    layout_kept=True,
)


def run() -> None:
    """The console script: main(), then exit at once; tearing down torch's modules would take most of a second."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
