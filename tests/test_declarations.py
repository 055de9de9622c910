"""The declared checks are consistent: ids, points, hints, and mistakes that can be told apart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from autograder.checks.base import Check, Probe
from autograder.checks.compare import AllOf, Comparison, SameForm
from autograder.checks.values import at
from autograder.grading import judge as judging
from autograder.grading.judge import expected_result, trusted_result
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.lesson.hints import HINTS
from autograder.lesson.reference import reference
from autograder.sandboxed.answers import Failed, Result, Value

CHECKS = [(exercise, check) for exercise in EXERCISES for check in exercise.checks]
MISTAKE_IDS = {mistake.id for _, check in CHECKS for mistake in check.mistakes}


def test_exercises_are_numbered_in_lesson_order():
    assert [exercise.number for exercise in EXERCISES] == list(range(1, len(EXERCISES) + 1))
    assert [exercise.module for exercise in EXERCISES] == sorted(exercise.module for exercise in EXERCISES)


def test_points_add_up_to_100():
    assert sum(check.points for _, check in CHECKS) == 100
    assert all(check.points > 0 for _, check in CHECKS)


def test_check_and_mistake_ids_are_unique_and_distinct():
    ids = [check.id for _, check in CHECKS]
    assert len(ids) == len(set(ids))
    assert not MISTAKE_IDS & set(ids)


def test_every_check_and_mistake_has_a_hint_and_every_hint_is_used():
    assert set(HINTS) == {check.id for _, check in CHECKS} | MISTAKE_IDS


def test_every_exercise_name_is_defined_by_the_reference():
    assert {name for exercise in EXERCISES for name in exercise.names} <= set(reference().names)


def compared_values(comparison: Comparison, result: Result) -> Iterator[tuple[str, Any]]:
    """(path, value) of every value a comparison reads: the value at each key it observes (each item
    of a list of described values, as under "outs") and each field a SameForm compares."""
    if isinstance(comparison, AllOf):
        for part in comparison.parts:
            yield from compared_values(part, result)
        return
    for key in comparison.observes:
        value = at(result, key)
        described = isinstance(value, tuple) and value and all(isinstance(item, (Value, Failed)) for item in value)
        for path, item in [(f"{key}.{i}", item) for i, item in enumerate(value)] if described else [(key, value)]:
            yield path, item
            if isinstance(comparison, SameForm) and isinstance(item, Value):
                yield from ((f"{path}.{field}", getattr(item, field)) for field in comparison.fields)


def hollow_reference(check: Check, probe: Probe) -> list[str]:
    """Why the reference passing its own check would prove nothing: it raised where no error is
    the answer, or a value the check compares is missing (None == None) or holds an error."""
    got, expected = trusted_result(probe), expected_result(check, probe)
    if got.error is not None:
        return [] if check.compare.accepts_error else [f"the reference raised {got.error.type}: {got.error.message}"]
    problems = []
    for side, result in [("the reference's result", got)] + (
        [("the expected result", expected)] if expected is not got else []
    ):
        for path, value in compared_values(check.compare, result):
            if value is None:
                problems.append(f"{side} has no {path!r}")
            elif isinstance(value, Failed):
                problems.append(f"{side} holds at {path!r} the error {value.error.type}: {value.error.message}")
    return problems


@pytest.mark.parametrize("exercise, check", CHECKS, ids=[check.id for _, check in CHECKS])
def test_the_reference_passes_its_own_check(exercise, check):
    probe = check.probe_for(seed=0)
    assert probe.needs in exercise.names
    problems = hollow_reference(check, probe)
    assert not problems, "; ".join(problems)
    verdict = check.compare.verdict(trusted_result(probe), expected_result(check, probe))
    assert verdict.passed, say(verdict.detail)


def _raises(z):
    raise RuntimeError("a broken reference")


def _returns_a_float(z):
    return 0.5


SIGMOID_CHECKS = [(exercise, check) for exercise, check in CHECKS if check.probe_for(0).needs == "sigmoid"]
BROKEN_SIGMOIDS = [
    (exercise, check, _raises, "RuntimeError: a broken reference") for exercise, check in SIGMOID_CHECKS
] + [
    (exercise, check, _returns_a_float, "has no 'outs.0.dtype'")
    for exercise, check in SIGMOID_CHECKS
    if check.id == "sigmoid.shape_dtype"
]


@pytest.mark.parametrize(
    "exercise, check, broken, says",
    BROKEN_SIGMOIDS,
    ids=[f"{check.id}-{broken.__name__.lstrip('_')}" for _, check, broken, _ in BROKEN_SIGMOIDS],
)
def test_a_broken_reference_fails_its_own_check(exercise, check, broken, says, monkeypatch):
    """A reference sigmoid that raises fails every sigmoid check's self-test; one that returns a
    float (no dtype, no shape: None == None on both sides) fails the check of forms."""
    monkeypatch.setattr(
        judging, "_trusted_results", {}
    )  # the broken reference's results are computed afresh and dropped
    monkeypatch.setitem(reference().names, "sigmoid", broken)
    with pytest.raises(AssertionError, match=says):
        test_the_reference_passes_its_own_check(exercise, check)


@pytest.mark.parametrize("exercise, check", CHECKS, ids=[check.id for _, check in CHECKS])
def test_random_inputs_depend_on_the_seed_only(exercise, check):
    assert check.probe_for(3).key == check.probe_for(3).key
    if callable(check.probe):
        assert check.probe_for(3).key != check.probe_for(4).key


@pytest.mark.parametrize("mistake_id", sorted(MISTAKE_IDS))
def test_every_known_mistake_fails_a_check_that_lists_it(mistake_id):
    listing = [check for _, check in CHECKS for mistake in check.mistakes if mistake.id == mistake_id]
    mistake = next(m for m in listing[0].mistakes if m.id == mistake_id)
    if mistake.recognise is not None:  # recognised by a test, not by listed outputs: never on the right answer
        assert not any(mistake.recognise(trusted_result(check.probe_for(0)), check.probe_for(0)) for check in listing)
        return
    caught = []
    for check in listing:
        probe = check.probe_for(seed=0)
        wrong = trusted_result(probe, mistake)
        if wrong.error is None and not check.compare.verdict(wrong, expected_result(check, probe)).passed:
            caught.append(check.id)
    assert caught, f"{mistake_id} passes every check that lists it: no student could be told about it"
