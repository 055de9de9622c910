"""Judge one probe result in the trusted process: the right answer, the verdict, the message, the known mistake.

Every message names the student's function and says what it returned or raised, in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.checks.values import RETURNED_BY, SEQUENCES, at, error_at, kind, returned_value
from autograder.checks.words import expected_then, form, raised, show, subject
from autograder.grading.evidence import Seen, check_hint, chosen_mistake
from autograder.grading.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome
from autograder.i18n.messages import Message, Place, Value, in_context, message
from autograder.lesson import hints
from autograder.lesson.reference import SOLUTIONS, reference
from autograder.sandbox.runner import Failure
from autograder.sandboxed import answers, probes
from autograder.sandboxed.answers import Raised, Result

FATAL_ERRORS = {"Timeout", "ProcessDied"}  # after one, a function's other checks are not run
RUNNER_FAILURES = FATAL_ERRORS | {"BadAnswer", "BadResult"}  # said by the runner, not raised by the student's code
MISSING_FORWARD = 'missing the required "forward" function'  # torch's message when forward is misspelt
NO_GRADIENT = probes.NoGradient.__name__  # the grader found no gradient path in what came back
_trusted_results: dict[tuple, Result] = {}  # the reference's and mistakes' results, shared by all submissions


def trusted_result(probe: Probe, mistake: Mistake | None = None) -> Result:
    """The probe's result on the reference solutions, or on a known mistake."""
    key = (probe.key, mistake.id if mistake else None)
    if key not in _trusted_results:
        ns, buggy = reference(), mistake.replace if mistake else {}
        with probes.swapped([vars(module) for module in ns.modules], buggy):  # siblings call the mistake too
            ns = probes.Namespace(names={**ns.names, **buggy}, modules=ns.modules)
            result = probes.run_probe(ns, probe.name, probe.args, SOLUTIONS)
        # the same round trip as a child's answer: the same types, the same numbers
        _trusted_results[key] = answers.crossed(result)
    return _trusted_results[key]


def computed_once(checks: Iterable[Check], seed: int, extra: Iterable[Probe] = ()) -> dict[tuple, Result]:
    """The reference's and every known mistake's results for the checks' probes at seed (and extra probes), computed
    here once: a batch hands them to each of its workers (adopt), so that no submission computes them again."""
    for check in checks:
        probe = check.probe_for(seed)
        expected_result(check, probe)
        for mistake in check.mistakes:
            if mistake.recognise is None and mistake.result is None:
                trusted_result(probe, mistake)
    for probe in extra:
        trusted_result(probe)
    return dict(_trusted_results)


def adopt(results: dict[tuple, Result]) -> None:
    """Take results computed once for the batch (computed_once) as this process's own."""
    _trusted_results.update(results)


def expected_result(check: Check, probe: Probe) -> Result:
    """The right answer for a check: its own expectation, or the reference's result."""
    return check.expect(probe) if check.expect else trusted_result(probe)


def matched_mistakes(check: Check, probe: Probe, got: Result, expected: Result) -> list[Mistake]:
    """The known mistakes whose output the student's output matches, in the check's order."""
    matched = []
    for mistake in check.mistakes:
        if mistake.recognise is not None:
            if mistake.recognise(got, probe):
                matched.append(mistake)
            continue
        wrong = mistake.result if mistake.result is not None else trusted_result(probe, mistake)
        if wrong.error is not None or check.compare.verdict(wrong, expected, probe.needs).passed:
            continue  # indistinguishable from the right answer on this input
        if check.compare.matches(got, wrong):
            matched.append(mistake)
    return matched


def matching_mistake(check: Check, probe: Probe, got: Result, expected: Result, seen: Seen = None) -> Mistake | None:
    """The known mistake to name: the one whose output the student's output matches, backed by the source
    where several match (see grading/evidence.py), or the one the source alone shows."""
    return chosen_mistake(check, matched_mistakes(check, probe, got, expected), seen)


def outcome_of(
    check: Check,
    exercise: Exercise,
    status: str,
    *,
    points: float = 0,
    message: Value = "",
    hint: Message | None = None,
    mistake: Mistake | None = None,
) -> Outcome:
    """The check's outcome on this exercise, as plain data."""
    return Outcome(
        check_id=check.id,
        exercise=exercise.number,
        exercise_title=in_context(exercise.module, exercise.title),
        does=in_context(check.id, check.does),
        points=points,
        max_points=check.points,
        status=status,
        message=message,
        hint=hint or "",
        mistake=mistake.id if mistake else None,
        hidden=check.hidden,
    )


def calling(probe: Probe) -> str:
    """The student's function a probe calls, as the messages name it."""
    return f"{probe.needs}.forward" if probe.needs == "LogisticRegression" else probe.needs


def observed_error(check: Check, got: Result) -> Raised | None:
    """The exception behind what the check observes: the whole call's, or one measurement's."""
    if got.error is not None:
        return got.error
    return next((error for key in check.compare.observes if (error := error_at(got, key)) is not None), None)


def returned_none(check: Check, got: Result) -> bool:
    """Whether what the check observes is, or comes from, a return value that is None."""
    returned = {name for key in check.compare.observes if (name := RETURNED_BY.get(key.split(".")[0])) is not None}
    return any(kind(at(got, key)) == "None" for key in returned)


def came_back(got: Result, fn: str) -> Value:
    """What the student's function returned, in words ("`sigmoid` returned the bool False"), or ""."""
    returned = returned_value(got)
    return "" if returned is None else subject(returned[0], fn, None, show(returned[1]))


def malformed_container(check: Check, got: Result, expected: Result, fn: str) -> Value | None:
    """Why the tuple or list whose items the check reads is not one of the right length, or None."""
    for key in check.compare.observes:
        if ".items." not in key:
            continue
        container = key.split(".items.")[0]
        g, e = at(got, container), at(expected, container)
        if kind(g) not in SEQUENCES or g.length != getattr(e, "length", None):
            return expected_then(form(e), subject(container, fn, None, show(g)))
    return None


def error_outcome(check: Check, exercise: Exercise, error: Raised, fn: str, got: Result, seen: Seen = None) -> Outcome:
    """The outcome of a check whose observed call raised: said as the student's error, or as the grader's finding."""
    if error.type == NO_GRADIENT:
        finding = error.message  # the grader's own words in the child (sandboxed/probes.py), said here
        return outcome_of(
            check,
            exercise,
            FAILED,
            hint=check_hint(check, seen),
            message=message("{returned}, with {problem}", returned=came_back(got, fn), problem=message(finding)),
        )
    if error.type in RUNNER_FAILURES:
        problem = error.said if isinstance(error, Failure) else error.message
        return outcome_of(
            check,
            exercise,
            ERROR,
            message=message("calling `{fn}`: {problem}", fn=fn, problem=problem),
            hint=check_hint(check, seen),
        )
    if error.type == "NotImplementedError" and MISSING_FORWARD in error.message:
        return outcome_of(
            check,
            exercise,
            ERROR,
            message=raised(fn, "NotImplementedError", error.message),
            hint=hints.general(hints.MISSING_FORWARD),
        )
    return outcome_of(
        check,
        exercise,
        ERROR,
        message=located(raised(fn, error.type, error.message), error),
        hint=check_hint(check, seen),
    )


def located(said: Value, error: Raised) -> Value:
    """said, followed by where in the student's file the error was raised, when known."""
    if error.where is None:
        return said
    return message("{message} ({where})", message=said, where=Place(error.where.file, error.where.line))


def not_counted(required: str, shown: Value, fn: str) -> Message:
    """Why a check gives no points while the check it builds on fails, with what the student's function returned."""
    if shown:
        return message("not counted until {check} passes: {returned}", check=required, returned=shown)
    return message("not counted until {check} passes, which checks what `{fn}` returns", check=required, fn=fn)


def judge(
    check: Check, exercise: Exercise, probe: Probe, got: Result, required: Outcome | None = None, seen: Seen = None
) -> Outcome:
    """Compare one result with the right answer; name the matching mistake on a mismatch.

    required is the outcome of the check this one builds on: without a right answer there, no points here.
    seen: the constructs in the source of the file that defines the function (grading/evidence.py), which a hint
    naming a construct needs; None where the source is not known.
    """
    fn = probe.needs if got.error is not None else calling(probe)  # a failure of the whole call is not forward's
    error = observed_error(check, got)
    if error is not None and error.stub:
        return outcome_of(
            check,
            exercise,
            NOT_IMPLEMENTED,
            message=located(message("`{fn}` is not implemented yet", fn=fn), error),
            hint=hints.general(hints.NOT_IMPLEMENTED),
        )
    if required is not None and not required.passed:
        if required.status != FAILED or required.hint == hints.general(hints.RETURNED_NONE):  # the same cause
            return replace(
                required,
                check_id=check.id,
                does=in_context(check.id, check.does),
                max_points=check.points,
                hidden=check.hidden,
            )
        return outcome_of(
            check,
            exercise,
            FAILED,
            hint=hints.general(hints.NEEDS_RIGHT_ANSWER),
            message=not_counted(required.check_id, came_back(got, fn), fn),
        )
    if returned_none(check, got):
        return outcome_of(
            check,
            exercise,
            FAILED,
            message=message("`{fn}` returned None", fn=fn),
            hint=hints.general(hints.RETURNED_NONE),
        )
    if error is not None and not (check.compare.accepts_error and error.type not in RUNNER_FAILURES):
        return error_outcome(check, exercise, error, fn, got, seen)
    expected = expected_result(check, probe)
    malformed = malformed_container(check, got, expected, fn)
    if malformed:
        return outcome_of(check, exercise, FAILED, message=malformed, hint=check_hint(check, seen))
    verdict = check.compare.verdict(got, expected, fn)
    if verdict.passed:
        return outcome_of(check, exercise, PASSED, points=check.points)
    mistake = matching_mistake(check, probe, got, expected, seen)
    return outcome_of(
        check,
        exercise,
        FAILED,
        message=verdict.detail,
        hint=hints.hint_for(check.id, mistake.id) if mistake else check_hint(check, seen),
        mistake=mistake,
    )
