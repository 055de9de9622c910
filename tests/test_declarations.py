"""The declared checks are consistent: ids, points, hints, and mistakes that can be told apart."""

from __future__ import annotations

import pytest

from autograder.checks import EXERCISES
from autograder.grading import expected_result, trusted_result
from autograder.hints import HINTS
from autograder.reference import reference

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


@pytest.mark.parametrize("exercise, check", CHECKS, ids=[check.id for _, check in CHECKS])
def test_the_reference_passes_its_own_check(exercise, check):
    probe = check.probe_for(seed=0)
    assert probe.needs in exercise.names
    verdict = check.compare.verdict(trusted_result(probe), expected_result(check, probe))
    assert verdict.passed, verdict.detail


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
        if "error" not in wrong and not check.compare.verdict(wrong, expected_result(check, probe)).passed:
            caught.append(check.id)
    assert caught, f"{mistake_id} passes every check that lists it: no student could be told about it"
