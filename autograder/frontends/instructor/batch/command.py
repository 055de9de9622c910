"""logreg-grade batch: grade a whole class into a gradebook, then export its grades, feedback pages and class report;
logreg-grade export: the exports again, from the gradebook alone.

The run is resumable: every grade is committed to RESULTS/gradebook.sqlite as its submission finishes, so the same
command run again after Ctrl-C, kill -9 or a full disk grades only what is missing or changed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from autograder import commands
from autograder.frontends.instructor.batch import exports, inputs, pool, summary
from autograder.frontends.instructor.batch.gradebook import Gradebook, GradebookError
from autograder.frontends.instructor.batch.worker import Graded, Job
from autograder.grading.policy import ENV as ASSIGNMENT_ENV
from autograder.grading.policy import Policy, PolicyError, load, locate
from autograder.i18n import N_, _

DONE, STOPPED = 0, 130  # the exit statuses besides commands' usage error (2)
DESCRIPTION = N_(
    "Grade a whole class: every submission in SUBMISSIONS, in parallel, into a gradebook in RESULTS; then export "
    "grades.csv, a Gradescope results.json and a feedback page per student, and a class report."
)
EPILOG = N_("""SUBMISSIONS may be:
  a folder with one sub-folder or one file (.py or .ipynb) per student (the student id is its name)
  nbgrader's submitted/ folder (<student>/<assignment>/...), or the course folder holding it
  a Gradescope "export submissions" folder (students named from submission_metadata.yml)
  a .zip of any of these

Run the same command again after an interruption (Ctrl-C, kill, a full disk): finished submissions
are kept, and only the missing or changed ones are graded. The batch's secret seed is drawn once and
kept in the gradebook. RESULTS then holds:
  gradebook.sqlite     every grade, check by check
  grades.csv           a row per student: points per exercise and the total
  results/             a Gradescope results.json per student
  feedback/            a feedback page per student (HTML, with plots)
  class-report.html    the class at a glance""")
EXPORT_DESCRIPTION = N_(
    "Write a batch's exports again from its gradebook (RESULTS/gradebook.sqlite), in the language --lang chooses: "
    "grades.csv, results/, feedback/ and class-report.html."
)
NO_DASK = N_(
    'Dask is not installed: pip install "logreg-autograder[cluster]" (dask.distributed), then run the batch again'
)
STOPPED_EXPORTING = N_(
    "stopped while writing the exports: every grade is kept in the gradebook; logreg-grade export {folder} writes them"
)
STOPPED_SAID = N_("stopped: {graded} of {total} submissions graded in this run; run the same command again to resume")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "submissions", metavar="SUBMISSIONS", type=Path, help=_("the class's submissions: a folder or a .zip")
    )
    parser.add_argument(
        "--out", metavar="RESULTS", type=Path, required=True, help=_("the folder of the gradebook and the exports")
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=_positive,
        default=os.cpu_count() or 1,
        help=_("grade N submissions at a time, each worker with its own sandbox (default: the machine's cores)"),
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=int,
        help=_(
            "seed of the random inputs for the whole batch (default: the assignment file's, else a secret one drawn "
            "once and kept in the gradebook)"
        ),
    )
    parser.add_argument(
        "--assignment",
        metavar="FILE",
        type=Path,
        help=_("the instructor's assignment file (TOML) (default: the file ${variable} names, else none)").format(
            variable=ASSIGNMENT_ENV
        ),
    )
    parser.add_argument(
        "--nbgrader-assignment",
        metavar="NAME",
        help=_("in nbgrader's submitted/ folder, grade this assignment (needed when it holds several)"),
    )
    parser.add_argument(
        "--regrade",
        action="store_true",
        help=_("grade every submission again, and start the gradebook afresh if it belongs to another batch"),
    )
    cluster = parser.add_mutually_exclusive_group()
    cluster.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=_("grade on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs the cluster extra"),
    )
    cluster.add_argument(
        "--workers",
        metavar="local:N",
        help=_("grade on a Dask cluster of N worker processes started on this machine; needs the cluster extra"),
    )
    parser.add_argument("--no-color", action="store_true", help=_("print without colours"))


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", metavar="RESULTS", type=Path, help=_("the folder a batch wrote its gradebook in"))


def _positive(value: str) -> int:
    number = int(value) if value.strip().isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("{value} is not a positive number").format(value=value))
    return number


def run(args: argparse.Namespace) -> int:
    """Grade the batch, then export; the exit status."""
    console = Console(no_color=True if args.no_color else None, highlight=False, stderr=True)
    with tempfile.TemporaryDirectory(prefix="logreg-batch-") as snapshot:
        try:  # the submissions first: a SUBMISSIONS that cannot be read leaves no RESULTS behind
            found = inputs.find_submissions(args.submissions, Path(snapshot), assignment=args.nbgrader_assignment)
            course = load(locate(args.assignment))
            book = Gradebook.open(
                args.out,
                assignment=course.name,
                seed=args.seed if args.seed is not None else course.seed,
                regrade=args.regrade,
            )
        except (inputs.BatchInputError, PolicyError, GradebookError) as error:
            raise commands.CommandError(str(error)) from None
        return _graded_and_exported(book, found, args, course, console)


def _graded_and_exported(
    book: Gradebook, found: inputs.Found, args: argparse.Namespace, course: Policy, console: Console
) -> int:
    """Grade what the gradebook lacks, then export; the exit status."""
    with book:
        console.print(
            _("{count} submissions ({layout}) in {path}; seed {seed}").format(
                count=len(found.submissions) + len(found.unreadable),
                layout=found.layout,
                path=args.submissions,
                seed=book.seed,
            )
        )
        run = _Run(book, console)
        try:
            with _engine(args) as engine:
                run.grade(found, args, course, engine)
        except (GradebookError, pool.PoolError) as error:
            raise commands.CommandError(str(error)) from None
        except KeyboardInterrupt:
            console.print(_(STOPPED_SAID).format(graded=run.graded, total=run.wanted))
            return STOPPED
        console.print(summary.table(book.summary()))
        try:
            written = exports.export(book, args.out, jobs=args.jobs)
        except KeyboardInterrupt:
            console.print(_(STOPPED_EXPORTING).format(folder=args.out))
            return STOPPED
    console.print(
        _("graded {count} submissions in this run; wrote {files} files in {folder}").format(
            count=run.graded, files=len(written), folder=args.out
        )
    )
    return DONE


Engine = Callable[..., None]  # grade_all(jobs, *, seed, policy, done, started) of the local pool or of Dask


@contextlib.contextmanager
def _engine(args: argparse.Namespace) -> Iterator[Engine]:
    """What grades the jobs: the local pool of --jobs workers, or the Dask cluster --scheduler or --workers names."""
    if args.scheduler is None and args.workers is None:
        yield functools.partial(pool.grade_all, workers=args.jobs)
        return
    try:
        from autograder.frontends.instructor.batch import cluster
    except ImportError:
        raise commands.CommandError(_(NO_DASK)) from None
    try:
        with cluster.connected(args.scheduler, args.workers) as client:
            yield functools.partial(cluster.grade_all, client=client)
    except cluster.ClusterError as error:
        raise commands.CommandError(str(error)) from None


class _Run:
    """One run of a batch: what it grades, with a progress bar, and how far it got."""

    def __init__(self, book: Gradebook, console: Console):
        self.book, self.console = book, console
        self.wanted = self.graded = self.failures = 0

    def grade(self, found: inputs.Found, args: argparse.Namespace, course: Policy, engine: Engine) -> None:
        """Grade what the gradebook lacks, committing each grade as it comes."""
        for unreadable in found.unreadable:
            self.book.record_ungraded(unreadable.student, "", unreadable.reason, seconds=0.0, worker="")
        wanted = set(self.book.pending([(s.student, s.digest) for s in found.submissions], regrade=args.regrade))
        jobs = [Job(s.student, s.path, s.digest) for s in found.submissions if s.student in wanted]
        self.wanted = len(jobs)
        if len(jobs) < len(found.submissions):
            kept = len(found.submissions) - len(jobs)
            self.console.print(_("{kept} submissions already graded and unchanged: kept").format(kept=kept))
        if not jobs:
            return
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeRemainingColumn(),
            TextColumn(_("workers: {task.fields[workers]}")),
            TextColumn(_("not graded: {task.fields[failures]}")),
            console=self.console,
        ) as progress:
            task = progress.add_task(_("grading"), total=len(jobs), workers=0, failures=0)

            def done(graded: Graded) -> None:
                self._record(graded)
                progress.update(task, advance=1, failures=self.failures)

            engine(
                jobs,
                seed=self.book.seed,
                policy=course,
                done=done,
                started=lambda count: progress.update(task, workers=count),
            )

    def _record(self, graded: Graded) -> None:
        job = graded.job
        if graded.result is None:
            self.book.record_ungraded(
                job.student, job.digest, graded.reason, seconds=graded.seconds, worker=graded.worker
            )
            self.failures += 1
        else:
            self.book.record(job.student, job.digest, graded.result, seconds=graded.seconds, worker=graded.worker)
        self.graded += 1


class _RateColumn(ProgressColumn):
    """Submissions graded per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(_("{rate}/s").format(rate="?" if speed is None else f"{speed:.2f}"))


def run_export(args: argparse.Namespace) -> int:
    try:
        book = Gradebook.open_existing(args.results)
    except GradebookError as error:
        raise commands.CommandError(str(error)) from None
    with book:
        written = exports.export(book, args.results, jobs=os.cpu_count() or 1)
    Console(stderr=True).print(_("wrote {files} files in {folder}").format(files=len(written), folder=args.results))
    return DONE


COMMAND = commands.Command(
    prog="logreg-grade batch",
    description=DESCRIPTION,
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the language of what the command says, of the feedback pages and of the class report"),
)
EXPORT_COMMAND = commands.Command(
    prog="logreg-grade export",
    description=EXPORT_DESCRIPTION,
    epilog="",
    add_arguments=export_arguments,
    run=run_export,
    lang_what=N_("the language of the feedback pages and of the class report"),
)
