"""Grade one submission: probes run in the child, verdicts are reached in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from autograder import hints, loader, probes, wire
from autograder.checks import EXERCISES
from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.checks.compare import RETURNED_BY, SEQUENCES, at, form, kind, returned_value, show, subject
from autograder.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome, SubmissionResult
from autograder.reference import SOLUTIONS, reference
from autograder.runner import Runner, RunnerError
from autograder.standins import STANDINS

FATAL_ERRORS = {"Timeout", "ProcessDied"}  # after one, a function's other checks are not run
RUNNER_FAILURES = FATAL_ERRORS | {"BadAnswer", "BadResult"}  # said by the runner, not raised by the student's code
MISSING_FORWARD = 'missing the required "forward" function'  # torch's message when forward is misspelt
NO_GRADIENT = probes.NoGradient.__name__  # the grader found no gradient path in what came back
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
        if "error" in wrong or check.compare.verdict(wrong, expected, probe.needs).passed:
            continue  # indistinguishable from the right answer on this input
        if check.compare.matches(got, wrong):
            return mistake
    return None


def _outcome(check: Check, exercise: Exercise, status: str, *, points: float = 0, message: str = "", hint: str = "",
             mistake: Mistake | None = None) -> Outcome:
    return Outcome(check_id=check.id, exercise=exercise.number, exercise_title=exercise.title, does=check.does,
                   points=points, max_points=check.points, status=status, message=message, hint=hint,
                   mistake=mistake.id if mistake else None, hidden=check.hidden)


def calling(probe: Probe) -> str:
    """The student's function a probe calls, as the messages name it."""
    return f"{probe.needs}.forward" if probe.needs == "LogisticRegression" else probe.needs


def observed_error(check: Check, got: dict) -> dict | None:
    """The exception behind what the check observes: the whole call's, or one measurement's."""
    if "error" in got:
        return got["error"]
    for key in check.compare.observes:
        value = got.get(key.split(".")[0])
        if isinstance(value, dict) and isinstance(value.get("error"), dict):
            return value["error"]
    return None


def returned_none(check: Check, got: dict) -> bool:
    """Whether what the check observes is, or comes from, a return value that is None."""
    returned = {RETURNED_BY.get(key.split(".")[0]) for key in check.compare.observes} - {None}
    return any(kind(got.get(key)) == "None" for key in returned)


def came_back(got: dict, fn: str) -> str:
    """What the student's function returned, in words ("`sigmoid` returned the bool False"), or ""."""
    returned = returned_value(got)
    return "" if returned is None else f"{subject(returned[0], fn)} {show(returned[1])}"


def malformed_container(check: Check, got: dict, expected: dict, fn: str) -> str | None:
    """Why the tuple or list whose items the check reads is not one of the right length, or None."""
    for key in check.compare.observes:
        if ".items." not in key:
            continue
        container = key.split(".items.")[0]
        g, e = at(got, container), at(expected, container)
        if kind(g) not in SEQUENCES or g.get("length") != e.get("length"):
            return f"expected {form(e)}\n{subject(container, fn)} {show(g)}"
    return None


def _error_outcome(check: Check, exercise: Exercise, error: dict, fn: str, got: dict) -> Outcome:
    where = f" ({error['where']})" if error.get("where") else ""
    if error["type"] == NO_GRADIENT:
        return _outcome(check, exercise, FAILED, message=f"{came_back(got, fn)}, with {error['message']}", hint=hints.hint_for(check.id))
    if error["type"] in RUNNER_FAILURES:
        return _outcome(check, exercise, ERROR, message=f"calling `{fn}`: {error['message']}", hint=hints.hint_for(check.id))
    if error["type"] == "NotImplementedError" and MISSING_FORWARD in str(error["message"]):
        return _outcome(check, exercise, ERROR, message=f"`{fn}` raised NotImplementedError: {error['message']}",
                        hint=hints.MISSING_FORWARD)
    return _outcome(check, exercise, ERROR, message=f"`{fn}` raised {error['type']}: {error['message']}{where}",
                    hint=hints.hint_for(check.id))


def judge(check: Check, exercise: Exercise, probe: Probe, got: dict, required: Outcome | None = None) -> Outcome:
    """Compare one result with the right answer; name the matching mistake on a mismatch.

    required is the outcome of the check this one builds on: without a right answer there, no points here.
    """
    fn = probe.needs if "error" in got else calling(probe)  # a failure of the whole call is not forward's
    error = observed_error(check, got)
    if error and error.get("stub"):
        where = f" ({error['where']})" if error.get("where") else ""
        return _outcome(check, exercise, NOT_IMPLEMENTED, message=f"`{fn}` is not implemented yet{where}", hint=hints.NOT_IMPLEMENTED)
    if required is not None and not required.passed:
        if required.status != FAILED or required.hint == hints.RETURNED_NONE:  # the same cause, said the same way
            return replace(required, check_id=check.id, does=check.does, max_points=check.points, hidden=check.hidden)
        shown = came_back(got, fn)
        return _outcome(check, exercise, FAILED, hint=hints.NEEDS_RIGHT_ANSWER,
                        message=f"not counted until {required.check_id} passes" + (f": {shown}" if shown else f", which checks what `{fn}` returns"))
    if returned_none(check, got):
        return _outcome(check, exercise, FAILED, message=f"`{fn}` returned None", hint=hints.RETURNED_NONE)
    if error and not (check.compare.accepts_error and error["type"] not in RUNNER_FAILURES):
        return _error_outcome(check, exercise, error, fn, got)
    expected = expected_result(check, probe)
    malformed = malformed_container(check, got, expected, fn)
    if malformed:
        return _outcome(check, exercise, FAILED, message=malformed, hint=hints.hint_for(check.id))
    verdict = check.compare.verdict(got, expected, fn)
    if verdict.passed:
        return _outcome(check, exercise, PASSED, points=check.points)
    mistake = matching_mistake(check, probe, got, expected)
    return _outcome(check, exercise, FAILED, message=verdict.detail,
                    hint=hints.hint_for(check.id, mistake.id if mistake else None), mistake=mistake)


class _Session:
    """One submission's child process, with each probe's result and each check's outcome kept for reuse."""

    def __init__(self, layout: loader.Layout, runner: Runner, seed: int):
        self.layout, self.runner, self.seed = layout, runner, seed
        self.results: dict[str, dict] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.given_up: dict[str, str] = {}  # name -> why its later checks are not run (it hung or killed the child)

    def outcome(self, exercise: Exercise, check: Check) -> Outcome:
        if check.id not in self.outcomes:
            self.outcomes[check.id] = self._grade(exercise, check)
        return self.outcomes[check.id]

    def _grade(self, exercise: Exercise, check: Check) -> Outcome:
        probe = check.probe_for(self.seed)
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
        required = self.outcome(exercise, exercise.check(check.requires)) if check.requires else None
        return judge(check, exercise, probe, result, required)


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
    for _, check in checks:  # the reference's answers, computed while the child starts
        expected_result(check, check.probe_for(seed))
    session = _Session(layout, runner, seed)
    outcomes = []
    for exercise, check in checks:
        progress(exercise, check)
        outcomes.append(session.outcome(exercise, check))
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
    # Stand-ins for every exercise: a single file (ex3_model.py) still imports its siblings (ex1_sigmoid).
    with Runner(layout, stand_in_modules(), exercise_modules=[exercise.module for exercise in EXERCISES]) as runner:
        runner.start()
        outcomes = run_checks(layout, runner, selected_checks(exercises, select), seed, progress)
        notes += [*layout.notes, *runner.notes]
    graded = tuple(sorted({outcome.exercise for outcome in outcomes}))
    return SubmissionResult(submission=str(path), seed=seed, outcomes=outcomes, notes=tuple(notes), exercises=graded)
