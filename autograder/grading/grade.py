"""Grade one submission: probes run in the child, verdicts are reached in this process."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from autograder.checks.base import Check, Exercise, Probe
from autograder.grading import curves, evidence
from autograder.grading.judge import FATAL_ERRORS, expected_result, judge, outcome_of
from autograder.grading.outcomes import ERROR, NOT_IMPLEMENTED, Outcome, SubmissionResult
from autograder.grading.policy import DEFAULT, Policy
from autograder.i18n.messages import File, Value, listed, message
from autograder.lesson import EXERCISES, RELEASE, hints
from autograder.sandbox.runner import Runner, RunnerError
from autograder.sandbox.zygote import Zygote
from autograder.sandboxed.answers import Result
from autograder.sandboxed.standins import STANDINS
from autograder.submission import fingerprint, loader, notebooks, review
from autograder.submission.source_map import SourceMap


def wanted_names(exercises: Iterable[Exercise] = EXERCISES) -> dict[str, str]:
    """Every name the students define, with the module it belongs in."""
    return {name: exercise.module for exercise in exercises for name in exercise.names}


def stand_in_modules(exercises: Iterable[Exercise] = EXERCISES) -> dict[str, list[str]]:
    """Exercise modules that others import, with the names the grader can stand in for."""
    return {
        exercise.module: [name for name in exercise.names if name in STANDINS]
        for exercise in exercises
        if any(name in STANDINS for name in exercise.names)
    }


class _Session:
    """One submission's child process, with each probe's result and each check's outcome kept for reuse."""

    def __init__(self, layout: loader.Layout, runner: Runner, seed: int):
        self.layout, self.runner, self.seed = layout, runner, seed
        self.results: dict[str, Result] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.given_up: dict[str, Value] = {}  # name -> why its later checks are not run (it hung or killed the child)
        self.named_built_ins = review.forbidden_by_name(layout)  # read in the source, whatever the child reports
        self._probes: dict[str, Probe] = {}
        self._seen: dict[str | None, evidence.Seen] = {}

    def seen(self, name: str) -> evidence.Seen:
        """The constructs written in the file that defines name, read once (what a hint naming one needs)."""
        module = self.layout.where.get(name)
        if module not in self._seen:
            path = next((path for path in self.layout.files if path.stem == module), None)
            self._seen[module] = evidence.constructs(path) if path is not None else None
        return self._seen[module]

    def probe(self, check: Check) -> Probe:
        """The check's probe for this session's seed, drawn once."""
        if check.id not in self._probes:
            self._probes[check.id] = check.probe_for(self.seed)
        return self._probes[check.id]

    def answer(self, probe: Probe) -> Result | None:
        """The child's result for a probe outside the checks (a plot's numbers), or None where its function cannot
        run: missing, broken, given up after it hung or killed the child, or the runner failed."""
        if probe.needs in self.given_up or self.layout.problem(probe.needs, wanted_names()[probe.needs]):
            return None
        try:
            if self.runner.problem(probe.needs) is not None:
                return None
            return self.runner.run(probe.name, probe.args, probe.deadline_s)
        except RunnerError:
            return None

    def outcome(self, exercise: Exercise, check: Check) -> Outcome:
        if check.id not in self.outcomes:
            self.outcomes[check.id] = self._grade(exercise, check)
        return self.outcomes[check.id]

    def _grade(self, exercise: Exercise, check: Check) -> Outcome:
        probe = self.probe(check)
        if probe.needs in self.given_up:
            return outcome_of(
                check, exercise, ERROR, message=self.given_up[probe.needs], hint=hints.general(hints.NOT_RUN)
            )
        try:
            problem = self.layout.problem(probe.needs, exercise.module) or self.runner.problem(probe.needs)
            if problem is not None:
                return outcome_of(check, exercise, ERROR, message=problem, hint=hints.general(hints.MISSING))
            if probe.key not in self.results:
                self.results[probe.key] = self.runner.run(probe.name, probe.args, probe.deadline_s)
        except RunnerError as error:
            return outcome_of(
                check,
                exercise,
                ERROR,
                message=message("the grader could not run the submission: {error}", error=error.said),
                hint=hints.general(hints.GRADER_FAILED),
            )
        result = self.results[probe.key]
        if result.error is not None and result.error.type in FATAL_ERRORS:
            self.given_up[probe.needs] = message(
                "not run: `{name}` already failed check {check} ({error})",
                name=probe.needs,
                check=check.id,
                error=result.error.type,
            )
        if "forbidden" in check.compare.observes and result.error is None:
            seen = {*result.forbidden, *self.named_built_ins.get(probe.needs, [])}
            result = replace(result, forbidden=tuple(sorted(seen)))
        required = self.outcome(exercise, exercise.check(check.requires)) if check.requires else None
        return judge(check, exercise, probe, result, required, self.seen(probe.needs))


def selected_checks(
    exercises: Iterable[Exercise], select: Callable[[Exercise, Check], bool]
) -> list[tuple[Exercise, Check]]:
    """The checks to grade, in lesson order."""
    return [(exercise, check) for exercise in exercises for check in exercise.checks if select(exercise, check)]


def run_checks(
    layout: loader.Layout,
    runner: Runner,
    checks: list[tuple[Exercise, Check]],
    seed: int,
    progress: Callable[[Exercise, Check], None] = lambda exercise, check: None,
    session: _Session | None = None,
) -> list[Outcome]:
    """Each check's outcome, from probes answered by the runner's child (through session, when given)."""
    session = session or _Session(layout, runner, seed)
    for _exercise, check in checks:  # the reference's answers, computed while the child starts
        expected_result(check, session.probe(check))
    outcomes = []
    for exercise, check in checks:
        progress(exercise, check)
        outcomes.append(session.outcome(exercise, check))
    closed = closed_gates(session, {exercise.number: exercise for exercise, _check in checks}.values())
    return [through_gates(outcome, closed.get(outcome.exercise, [])) for outcome in outcomes]


def closed_gates(session: _Session, exercises: Iterable[Exercise]) -> dict[int, list[str]]:
    """The gate checks that did not pass, by exercise;
    a gate is graded even when not selected, as a required check is."""
    closed = {
        exercise.number: [
            check.id for check in exercise.checks if check.gate and not session.outcome(exercise, check).passed
        ]
        for exercise in exercises
    }
    return {number: ids for number, ids in closed.items() if ids}


def through_gates(outcome: Outcome, closed: list[str]) -> Outcome:
    """The outcome, its points withheld when a gate of its exercise did not pass; its own verdict is kept."""
    if not closed or not outcome.points:
        return outcome
    return replace(
        outcome,
        points=0,
        message=message(
            "passed, but scored 0: this assignment requires {checks} to pass", checks=listed(closed, and_last=True)
        ),
    )


def in_students_terms(source_map: SourceMap, result: SubmissionResult) -> SubmissionResult:
    """The result with its messages, notes and flags said in the student's terms: their notebooks and cells."""
    if not source_map.names:
        return result
    outcomes = [replace(outcome, message=source_map.translate(outcome.message)) for outcome in result.outcomes]
    return replace(
        result,
        outcomes=outcomes,
        notes=tuple(map(source_map.translate, result.notes)),
        flags=tuple(map(source_map.translate, result.flags)),
    )


def secret_seed() -> int:
    """A seed nobody can guess before the run: official grading draws one, and records it so the run can be replayed."""
    return secrets.randbelow(2**31)


def own_exercise(path: Path, exercises: Iterable[Exercise] = EXERCISES) -> Exercise | None:
    """The exercise a single file belongs to by its name (ex1_sigmoid.py), or None."""
    if not path.is_file():
        return None
    return next((exercise for exercise in exercises if path.stem == exercise.module), None)


def grade(
    path: Path | str,
    *,
    seed: int = 0,
    select: Callable[[Exercise, Check], bool] = lambda exercise, check: True,
    progress: Callable[[Exercise, Check], None] = lambda exercise, check: None,
    exercises: Iterable[Exercise] = EXERCISES,
    policy: Policy = DEFAULT,
    zygote: Zygote | None = None,
    batch: bool = False,
) -> SubmissionResult:
    """Every selected check's outcome for the submission at path (a folder, a .py file or an .ipynb notebook).

    A single exercise file (ex1_sigmoid.py or ex1_sigmoid.ipynb) is graded for its own exercise only. Notebooks
    are graded as the modules they make (submission/notebooks.py); the report names them, and their cells.
    progress is called just before each check is graded. policy: the assignment file's points, visibility and
    gates (see grading/policy.py). zygote: one started early for this submission (see frontends/cli.py), so
    that it imports torch while this process does. batch: also measure what a batch records, the curves its
    feedback pages plot (grading/curves.py) and the graded functions' fingerprints its class report compares.
    """
    path, exercises = Path(path), policy.apply(exercises)
    notes: list[Value] = []
    alone = own_exercise(path, exercises)
    if alone is not None:
        exercises = (alone,)
        notes.append(
            message(
                "{file} holds exercise {number}: only its checks are graded", file=File(path.name), number=alone.number
            )
        )
    with tempfile.TemporaryDirectory(prefix="logreg-notebooks-") as converted:
        source = (
            notebooks.materialise(path, Path(converted), wanted_names())
            if notebooks.involved(path)
            else notebooks.Materialised(path)
        )  # each notebook written as a module; .py files graded where they are
        layout = source.layout(wanted_names(exercises))
        # Stand-ins for every exercise: a single file (ex3_model.py) still imports its siblings (ex1_sigmoid).
        with Runner(
            layout, stand_in_modules(), exercise_modules=[exercise.module for exercise in EXERCISES], zygote=zygote
        ) as runner:
            runner.start()
            session = _Session(layout, runner, seed)
            outcomes = run_checks(layout, runner, selected_checks(exercises, select), seed, progress, session)
            measured = curves.measured(session.answer) if batch else {}
            notes += [*source.notes, *layout.notes, *runner.notes]
        flags = tuple(review.flags(layout.files))
        digests = fingerprint.fingerprints(_sources(layout), _started(layout, outcomes)) if batch else ()
    graded = tuple(sorted({outcome.exercise for outcome in outcomes}))
    if RELEASE is not None:  # a student release: say what the instructor's grading adds
        notes += RELEASE.withheld_notes(graded)
    return in_students_terms(
        source.source_map,
        SubmissionResult(
            submission=str(path),
            seed=seed,
            outcomes=outcomes,
            notes=tuple(notes),
            exercises=graded,
            isolation=runner.isolation,
            flags=flags,
            assignment=policy.name,
            curves=measured,
            fingerprints=digests,
        ),
    )


def _sources(layout: loader.Layout) -> dict[str, str]:
    """Each graded file's text by module name (the loader has checked their sizes)."""
    return {path.stem: path.read_text(errors="replace") for path in layout.files}


def _started(layout: loader.Layout, outcomes: list[Outcome]) -> dict[str, str]:
    """The graded names (with their modules) of the exercises the student began: a stub handed in as released is
    no one's work, and alike in every submission."""
    begun = {outcome.exercise for outcome in outcomes if outcome.status != NOT_IMPLEMENTED}
    return {
        name: module
        for exercise in EXERCISES
        if exercise.number in begun
        for name in exercise.names
        if (module := layout.where.get(name)) is not None
    }
