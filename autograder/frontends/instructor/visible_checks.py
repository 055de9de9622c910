"""Recording a release's visible checks, where the solutions are: inputs from the release seed, the right answer,
and each known mistake's answer (or its recogniser), as the checks file lesson/manifest.py reads back.

An answer is recorded only as far as its check compares it (observed): a training check that compares the loss
history records no trained weights, so nothing recorded carries what a hidden check measures. The inputs come
from the release's own seed, never the grading seed, so official grading asks for answers nobody recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograder.checks.base import Check, Exercise
from autograder.grading.judge import expected_result, trusted_result
from autograder.i18n import _
from autograder.lesson.manifest import FORMAT, ManifestError, encode
from autograder.sandboxed import wire
from autograder.sandboxed.answers import Result, to_plain


def observed(check: Check, result: Result) -> dict:
    """The result as plain data, with only the fields the check's comparison reads (and the call's error)."""
    read = {"error", *(key.split(".")[0] for key in check.compare.observes)}
    return {name: value for name, value in to_plain(result).items() if name in read}


def record_check(check: Check, seed: int) -> dict:
    """One check as data: its probe for the seed, its right answer, and each known mistake's answer or recogniser."""
    probe = check.probe_for(seed)
    try:
        compared = encode(check.compare)
    except TypeError as error:
        raise ManifestError(
            _("{check} cannot be visible in a release: {error}; make it hidden in the assignment file").format(
                check=check.id, error=error
            )
        ) from None
    mistakes = [
        {"id": mistake.id, "recognise": encode(mistake.recognise)}
        if mistake.recognise is not None
        else {"id": mistake.id, "result": observed(check, trusted_result(probe, mistake))}
        for mistake in check.mistakes
    ]
    return {
        "id": check.id,
        "points": check.points,
        "does": check.does,
        "requires": check.requires,
        "gate": check.gate,
        "probe": {"name": probe.name, "needs": probe.needs, "args": probe.args, "deadline_s": probe.deadline_s},
        "compare": compared,
        "expected": observed(check, expected_result(check, probe)),
        "mistakes": mistakes,
    }


def record(exercises: Iterable[Exercise], seed: int) -> str:
    """The visible checks of the exercises, with inputs drawn from seed, as the text of a release's checks file."""
    listed = []
    for exercise in exercises:
        hidden = [check for check in exercise.checks if check.hidden]
        listed.append(
            {
                "number": exercise.number,
                "module": exercise.module,
                "title": exercise.title,
                "names": list(exercise.names),
                "checks": [record_check(check, seed) for check in exercise.checks if not check.hidden],
                "withheld": {"checks": len(hidden), "points": sum(check.points for check in hidden)},
            }
        )
    return wire.dumps({"format": FORMAT, "seed": seed, "exercises": listed})
