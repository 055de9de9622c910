"""The pytest plugin: `pytest --submission PATH` grades a submission, one test item per declared check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest
from rich.cells import cell_len

from autograder import edition, i18n
from autograder.grading.outcomes import Outcome, SubmissionResult, by_exercise, total
from autograder.grading.policy import ENV as ASSIGNMENT_ENV
from autograder.grading.policy import Policy, PolicyError, load, locate
from autograder.i18n import _, listing, ngettext, pgettext
from autograder.reporters.inert import inert, shown
from autograder.reporters.wording import lost, status_message
from autograder.submission import loader

if TYPE_CHECKING:  # the checks import torch: only sessions with --submission pay for that
    from _pytest._code.code import TerminalRepr

    from autograder.checks.base import Check, Exercise

SUBMISSION_DESC = (
    "Grade the submission at PATH (a student's folder, a .py file or an .ipynb notebook): "
    "each declared check becomes a test item, marked ex1, ex2, ... by exercise. "
    "Without it the plugin grades nothing; it only says how to, when no test ran beside exercise files."
)
GRADING_SEED_DESC = (
    "Seed for the checks' random inputs (default: the assignment file's seed, then grading_seed in the "
    "ini file, else a secret seed drawn for the session and shown in the header); the same seed replays "
    "the same grading."
)
LANG_DESC = "The report's language: en (English) or zh (中文); default: LANGUAGE, LC_ALL or LANG, else English."
ASSIGNMENT_DESC = (
    "The instructor's assignment file (TOML): points and visibility per exercise or check, gates, the seed "
    f"(default: the file ${ASSIGNMENT_ENV} names, else the declared points). Only with --submission."
)
EXERCISE_FILES = "ex[0-9]*_*.py"  # how the exercise modules are named: ex1_sigmoid.py, ex2_bce_loss.py, ...


class Settings(NamedTuple):
    """What to grade, with which seed, under which assignment."""

    submission: Path
    seed: int
    policy: Policy


def pytest_addoption(parser: pytest.Parser) -> None:
    """--submission and --grading-seed on the command line, grading_seed in the ini file."""
    group = parser.getgroup("logreg", "logreg autograder")
    group.addoption("--submission", metavar="PATH", help=SUBMISSION_DESC)
    group.addoption("--grading-seed", metavar="N", type=int, help=GRADING_SEED_DESC)
    group.addoption("--assignment", metavar="FILE", help=ASSIGNMENT_DESC)
    group.addoption("--lang", choices=i18n.LANGUAGES, default=None, help=LANG_DESC)
    parser.addini("grading_seed", GRADING_SEED_DESC)


def _validate_submission(value: str) -> Path:
    """The submission path, or a usage error saying why it cannot be graded."""
    try:
        loader.submission_root(Path(value))  # finds the files, runs none of them
    except loader.SubmissionError as error:
        raise pytest.UsageError(f"--submission: {error}") from None
    return Path(value).resolve()


def _validate_seed(value: object, where: str) -> int:
    """The seed as a whole number >= 0, or a usage error naming where it came from."""
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise pytest.UsageError(f"{where}: {value!r} is not a whole number") from None
    if seed < 0:
        raise pytest.UsageError(f"{where}: {seed} is negative; give a whole number >= 0")
    return seed


def _load_policy(explicit: str | None) -> Policy:
    """The assignment in effect (see policy.locate), or a usage error saying what is wrong with its file."""
    try:
        return load(locate(Path(explicit) if explicit else None))
    except PolicyError as error:
        raise pytest.UsageError(str(error)) from None


def get_settings(config: pytest.Config) -> Settings | None:
    """The settings in effect, None without --submission; the seed comes from the command line, then the assignment
    file, then the ini file."""
    submission = config.getoption("submission")
    if submission is None:
        if config.getoption("assignment") is not None:
            raise pytest.UsageError("--assignment applies only with --submission=PATH: give the submission to grade")
        return None
    policy = _load_policy(config.getoption("assignment"))
    if config.getoption("grading_seed") is not None:
        seed = _validate_seed(config.getoption("grading_seed"), "--grading-seed")
    elif policy.seed is not None:
        seed = policy.seed
    elif config.getini("grading_seed"):
        seed = _validate_seed(config.getini("grading_seed"), "grading_seed (ini)")
    else:
        from autograder.grading.grade import secret_seed  # only when grading: it imports torch

        seed = secret_seed()
    return Settings(_validate_submission(submission), seed, policy)


class Grading:
    """One grading of the submission per session, done when the first check runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.result: SubmissionResult | None = None
        self._by_id: dict[str, Outcome] | None = None
        self._failure: str | None = None  # why grading itself failed

    def outcome(self, item: CheckItem) -> Outcome:
        """The item's outcome; the first call grades every check the session selected."""
        if self._by_id is None and self._failure is None:
            from autograder.grading.grade import grade

            selected = {node.check.id for node in item.session.items if isinstance(node, CheckItem)}
            try:
                self.result = grade(
                    self.settings.submission,
                    seed=self.settings.seed,
                    policy=self.settings.policy,
                    select=lambda exercise, check: check.id in selected,
                )
            except Exception as error:
                self._failure = inert(f"{type(error).__name__}: {error}")
                raise  # the first check shows the grader's traceback, the others this line
            self._by_id = {outcome.check_id: outcome for outcome in self.result.outcomes}
        if self._by_id is None:
            raise RuntimeError(_("grading failed on an earlier check: {error}").format(error=self._failure))
        if item.check.id not in self._by_id:
            raise RuntimeError(_("the grader gave no outcome for {check}").format(check=item.check.id))
        return self._by_id[item.check.id]


_GRADING = pytest.StashKey[Grading]()


def pytest_configure(config: pytest.Config) -> None:
    """With --submission: refuse settings read from the submission, add the exercise markers, set up the grading."""
    settings = get_settings(config)
    if settings is None:
        return  # not grading: the plugin stays out of the way, and torch stays unimported
    i18n.use(config.getoption("lang"))
    folder = settings.submission if settings.submission.is_dir() else settings.submission.parent
    if config.inipath is not None and config.inipath.resolve().is_relative_to(folder):
        raise pytest.UsageError(
            f"pytest read its settings from the submission ({config.inipath}): write --submission=PATH "
            "with '=' and run pytest from outside the student's folder"
        )
    from autograder.lesson import EXERCISES

    for exercise in EXERCISES:
        config.addinivalue_line(
            "markers",
            f"ex{exercise.number}: "
            + _("exercise {number}, {title} ({module}.py)").format(
                number=exercise.number, title=pgettext(exercise.module, exercise.title), module=exercise.module
            ),
        )
    config.stash[_GRADING] = Grading(settings)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The submission and the seed, so that a run can be replayed."""
    grading = config.stash.get(_GRADING, None)
    if grading is None:
        return []
    from autograder.sandbox.bubblewrap import isolation  # light: no torch

    settings = grading.settings
    if edition.EDITION == edition.RELEASE:  # the release checks its recorded inputs: no seed decides them
        grading_line = _("logreg: grading {submission}").format(submission=settings.submission)
    elif settings.policy.name:
        grading_line = _("logreg: grading {submission} for {assignment} with --grading-seed={seed}").format(
            submission=settings.submission, assignment=settings.policy.name, seed=settings.seed
        )
    else:
        grading_line = _("logreg: grading {submission} with --grading-seed={seed}").format(
            submission=settings.submission, seed=settings.seed
        )
    return [inert(grading_line), _("logreg: isolation: {isolation}").format(isolation=shown(isolation().description))]


class CheckFailed(Exception):
    """A check that earned no points; its outcome says why."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(status_message(outcome))  # in every reporter's words (wording.py)
        self.outcome = outcome


def failure_lines(outcome: Outcome) -> list[str]:
    """A check that did not earn its points, as pytest shows it: the status (its first line ends up in the short
    summary), what was called, the hint and the points."""
    lines = [status_message(outcome), _("  check:  {does}").format(does=shown(outcome.does))]
    if outcome.hint:
        lines.append(_("  hint:   {hint}").format(hint=shown(outcome.hint)))
    earned, possible = f"{outcome.points:g}", f"{outcome.max_points:g}"
    lines.append(_("  points: {earned} of {possible}").format(earned=earned, possible=possible))
    return lines


class CheckItem(pytest.Item):
    """One declared check of one exercise, passing or failing from its outcome."""

    def __init__(self, *, check: Check, exercise: Exercise, **kwargs) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.exercise = exercise
        self.add_marker(f"ex{exercise.number}")

    def runtest(self) -> None:
        """Pass on a passed check that kept its points; raise CheckFailed otherwise."""
        outcome = self.config.stash[_GRADING].outcome(self)
        if lost(outcome):
            raise CheckFailed(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str | TerminalRepr:
        """A failed check as its message, what was called, the hint and the points; a grader fault as a traceback."""
        if not isinstance(excinfo.value, CheckFailed):
            return super().repr_failure(excinfo, style)  # a fault of the grader: its traceback helps
        return "\n".join(failure_lines(excinfo.value.outcome))

    def reportinfo(self) -> tuple[Path, None, str]:
        """The student's module and the check with its points, as pytest names the item in reports."""
        # Only reported, never used as the node's path: pytest must not look for conftest.py files in a submission.
        submission = self.config.stash[_GRADING].settings.submission
        module = submission if submission.is_file() else submission / f"{self.exercise.module}.py"
        points = self.check.points
        said = ngettext("{check} ({points} point)", "{check} ({points} points)", 1 if points == 1 else 2)
        return module, None, said.format(check=self.check.id, points=f"{points:g}")


class ExerciseCollector(pytest.Collector):
    """The checks of one exercise, named after the module students edit."""

    def __init__(self, *, exercise: Exercise, **kwargs) -> None:
        super().__init__(**kwargs)
        self.exercise = exercise

    def collect(self) -> list[CheckItem]:
        """A test item per declared check of the exercise."""
        return [
            CheckItem.from_parent(self, name=check.id, check=check, exercise=self.exercise)
            for check in self.exercise.checks
        ]


@pytest.hookimpl(tryfirst=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport | None:
    """With --submission the session collects the declared checks, and no test files at all."""
    # The session's own collect report, so the rest of collection stays pytest's: the "collected N items"
    # count, -m and -k deselection, --collect-only and --lf all see these items like any others.
    if not isinstance(collector, pytest.Session) or _GRADING not in collector.config.stash:
        return None
    from autograder.grading.grade import own_exercise
    from autograder.lesson import EXERCISES

    settings = collector.config.stash[_GRADING].settings
    declared = settings.policy.apply(EXERCISES)  # the items show the assignment's points
    alone = own_exercise(settings.submission, declared)  # ex1_sigmoid.py: only exercise 1
    exercises: list[pytest.Item | pytest.Collector] = [
        ExerciseCollector.from_parent(
            collector, name=f"{exercise.module}.py", nodeid=f"{exercise.module}.py", exercise=exercise
        )
        for exercise in ((alone,) if alone else declared)
    ]
    return pytest.CollectReport(collector.nodeid, "passed", None, exercises)


def points_table(outcomes: Sequence[Outcome]) -> list[str]:
    """Lines of points earned and possible, per exercise and in total."""
    rows = [
        (f"ex{group[0].exercise}", shown(group[0].exercise_title), *total(group))
        for group in by_exercise(list(outcomes))
    ]
    rows.append(("", _("total"), *total(list(outcomes))))
    name_width = max(len(row[0]) for row in rows)
    title_width = max(cell_len(row[1]) for row in rows)  # in columns: a Chinese character takes two
    earned_width = max(len(f"{row[2]:g}") for row in rows)
    return [
        f"{name:<{name_width}}  {title}{' ' * (title_width - cell_len(title))}  "
        f"{earned:>{earned_width}g} / {possible:g}"
        for name, title, earned, possible in rows
    ]


def exercise_files(config: pytest.Config) -> list[Path]:
    """Exercise modules (ex1_sigmoid.py, ...) in the folder pytest was started in, the folders it was given,
    or its rootdir."""
    here = config.invocation_params.dir
    given = [here / arg.split("::")[0] for arg in config.args]
    folders = dict.fromkeys([here, *(path for path in given if path.is_dir()), config.rootpath])
    found = [sorted(folder.glob(EXERCISE_FILES)) for folder in folders]
    return next((paths for paths in found if paths), [])


def _point_to_submission(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say how to grade the exercise modules that pytest, run without --submission, left alone."""
    found = exercise_files(config)
    if not found:
        return
    i18n.use(config.getoption("lang"))  # no test ran: nothing else is said in another language
    folder, here = found[0].parent, config.invocation_params.dir
    where = str(folder.relative_to(here)) if folder.is_relative_to(here) else str(folder)  # "." for here
    commands = [f"logreg-grade {where}"]
    if config.inipath is None or not config.inipath.resolve().is_relative_to(folder.resolve()):
        commands.insert(0, f"pytest --submission={where}")  # refused when pytest's settings come from the submission
    terminalreporter.write_sep("=", "logreg")
    terminalreporter.write_line(
        _("{folder} holds exercise files ({files}), but their checks run only with --submission.").format(
            folder=where, files=listing(path.name for path in found)
        )
    )
    terminalreporter.write_line(_("Grade them with: {commands}").format(commands=_("  or  ").join(commands)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    """The points per exercise and the grader's notes; without --submission, a pointer to it when no test ran."""
    grading = config.stash.get(_GRADING, None)
    if grading is None:
        if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
            _point_to_submission(terminalreporter, config)
        return
    if grading.result is None or not grading.result.outcomes:
        return  # nothing was graded: every check deselected, or the grader failed
    terminalreporter.write_sep("=", _("logreg points"))
    for line in points_table(grading.result.outcomes):
        terminalreporter.write_line(line)
    for note in grading.result.notes:
        terminalreporter.write_line(_("note: {note}").format(note=shown(note)))
    for flag in grading.result.flags:
        terminalreporter.write_line(_("flagged for review: {flag}").format(flag=shown(flag)))
    terminalreporter.write_line(_("isolation: {isolation}").format(isolation=shown(grading.result.isolation)))
