"""Grade one submission: probes run in the child, verdicts are reached in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from autograder import hints, loader, probes, wire
from autograder.checks import EXERCISES
from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome, SubmissionResult
from autograder.reference import SOLUTIONS, reference
from autograder.runner import Runner, RunnerError
from autograder.standins import STANDINS

FATAL_ERRORS = {"Timeout", "ProcessDied"}  # after one, a function's other checks are not run
_trusted_results: dict[tuple, dict] = {}  # the reference's and mistakes' results, shared by all submissions


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


def trusted_result(probe: Probe, mistake: Mistake | None = None) -> dict:
    """The probe's result on the reference solutions, or on a known mistake."""
    key = (probe.key, mistake.id if mistake else None)
    if key not in _trusted_results:
        ns, replace = reference(), mistake.replace if mistake else {}
        with probes.swapped([vars(module) for module in ns.modules], replace):  # siblings call the mistake too
            ns = probes.Namespace(names={**ns.names, **replace}, modules=ns.modules)
            result = probes.run_probe(ns, probe.name, probe.args, SOLUTIONS)
        _trusted_results[key] = wire.loads(wire.dumps(result))  # the same plain form as a child's
    return _trusted_results[key]


def expected_result(check: Check, probe: Probe) -> dict:
    """The right answer for a check: its own expectation, or the reference's result."""
    return check.expect(probe) if check.expect else trusted_result(probe)


def matching_mistake(check: Check, probe: Probe, got: dict, expected: dict) -> Mistake | None:
    """The first known mistake whose output the student's output matches."""
    for mistake in check.mistakes:
        if mistake.recognise is not None:
            if mistake.recognise(got, probe):
                return mistake
            continue
        wrong = trusted_result(probe, mistake)
        if "error" in wrong or check.compare.verdict(wrong, expected).passed:
            continue  # indistinguishable from the right answer on this input
        if check.compare.matches(got, wrong):
            return mistake
    return None


def _outcome(check: Check, exercise: Exercise, status: str, *, points: float = 0, message: str = "", hint: str = "",
             mistake: Mistake | None = None) -> Outcome:
    return Outcome(check_id=check.id, exercise=exercise.number, exercise_title=exercise.title, does=check.does,
                   points=points, max_points=check.points, status=status, message=message, hint=hint,
                   mistake=mistake.id if mistake else None, hidden=check.hidden)


def judge(check: Check, exercise: Exercise, probe: Probe, got: dict) -> Outcome:
    """Compare one result with the right answer; name the matching mistake on a mismatch."""
    error = got.get("error")
    where = f" ({error['where']})" if error and error.get("where") else ""
    if error and error["type"] == "NotImplementedError":
        return _outcome(check, exercise, NOT_IMPLEMENTED, message=f"not implemented yet{where}", hint=hints.NOT_IMPLEMENTED)
    if error and not check.compare.accepts_error:
        return _outcome(check, exercise, ERROR, message=f"{error['type']}: {error['message']}{where}",
                        hint=hints.hint_for(check.id))
    expected = expected_result(check, probe)
    verdict = check.compare.verdict(got, expected)
    if verdict.passed:
        return _outcome(check, exercise, PASSED, points=check.points)
    mistake = matching_mistake(check, probe, got, expected)
    return _outcome(check, exercise, FAILED, message=verdict.detail,
                    hint=hints.hint_for(check.id, mistake.id if mistake else None), mistake=mistake)


class _Session:
    """One submission's child process, with each probe's result kept for the checks that share it."""

    def __init__(self, layout: loader.Layout, runner: Runner):
        self.layout, self.runner = layout, runner
        self.results: dict[str, dict] = {}
        self.given_up: dict[str, str] = {}  # name -> why its later checks are not run (it hung or killed the child)

    def outcome(self, exercise: Exercise, check: Check, probe: Probe) -> Outcome:
        if probe.needs in self.given_up:
            return _outcome(check, exercise, ERROR, message=self.given_up[probe.needs], hint=hints.NOT_RUN)
        try:
            problem = self.layout.problem(probe.needs, exercise.module) or self.runner.problem(probe.needs)
            if problem is not None:
                return _outcome(check, exercise, ERROR, message=problem, hint=hints.MISSING)
            if probe.key not in self.results:
                self.results[probe.key] = self.runner.run(probe.name, probe.args, probe.deadline_s)
        except RunnerError as error:
            return _outcome(check, exercise, ERROR, message=f"the grader could not run the submission: {error}",
                            hint=hints.GRADER_FAILED)
        result = self.results[probe.key]
        if result.get("error", {}).get("type") in FATAL_ERRORS:
            self.given_up[probe.needs] = f"not run: `{probe.needs}` already failed check {check.id} ({result['error']['type']})"
        return judge(check, exercise, probe, result)


def selected_checks(exercises: Iterable[Exercise], select: Callable[[Exercise, Check], bool]) -> list[tuple[Exercise, Check]]:
    """The checks to grade, in lesson order."""
    return [(exercise, check) for exercise in exercises for check in exercise.checks if select(exercise, check)]


def run_checks(
    layout: loader.Layout,
    runner: Runner,
    checks: list[tuple[Exercise, Check]],
    seed: int,
    progress: Callable[[Exercise, Check], None] = lambda exercise, check: None,
) -> list[Outcome]:
    """Each check's outcome, from probes answered by the runner's child."""
    probes_of = {check.id: check.probe_for(seed) for _, check in checks}
    for _, check in checks:  # the reference's answers, computed while the child starts
        expected_result(check, probes_of[check.id])
    session = _Session(layout, runner)
    outcomes = []
    for exercise, check in checks:
        progress(exercise, check)
        outcomes.append(session.outcome(exercise, check, probes_of[check.id]))
    return outcomes


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
) -> SubmissionResult:
    """Every selected check's outcome for the submission at path (a folder or a .py file).

    A single exercise file (ex1_sigmoid.py) is graded for its own exercise only.
    progress is called just before each check is graded.
    """
    path, exercises = Path(path), tuple(exercises)
    notes: list[str] = []
    alone = own_exercise(path, exercises)
    if alone is not None:
        exercises = (alone,)
        notes.append(f"{path.name} holds exercise {alone.number}: only its checks are graded")
    layout = loader.scan(path, wanted_names(exercises))
    with Runner(layout, stand_in_modules(exercises)) as runner:
        runner.start()
        outcomes = run_checks(layout, runner, selected_checks(exercises, select), seed, progress)
        notes += [*layout.notes, *runner.notes]
    graded = tuple(sorted({outcome.exercise for outcome in outcomes}))
    return SubmissionResult(submission=str(path), seed=seed, outcomes=outcomes, notes=tuple(notes), exercises=graded)
