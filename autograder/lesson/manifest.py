"""The student release's checks as data: each visible check with its inputs, its right answer and the
answers of its known mistakes, recorded where the solutions are (frontends/instructor/visible_checks.py)
and read back here, where they are not.

Comparisons and recognisers are stored as their class name and fields; arrays as in wire.py. Nothing
here is code from the solutions or from the checks' declarations (their mistakes are wrong solutions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks import compare, properties, recognisers
from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.i18n import _
from autograder.i18n.messages import Message, counted
from autograder.locations import RELEASE_CHECKS
from autograder.sandboxed import wire
from autograder.sandboxed.answers import AnswerError, Result, decode_result

MANIFEST = RELEASE_CHECKS  # present only in a student release
FORMAT = 1
STORABLE = {
    cls.__name__: cls
    for module in (compare, properties, recognisers)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}


class ManifestError(ValueError):
    """A release's checks file that cannot be read: the release is damaged and must be installed again."""


@dataclass(frozen=True, eq=False)
class Recorded:
    """A check's right answer, recorded when the release was built: called like Check.expect."""

    result: Result

    def __call__(self, probe: Probe) -> Result:
        return self.result


def encode(value: Any) -> Any:
    """A comparison or recogniser (nested in tuples, with plain fields) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if STORABLE.get(name) is not type(value):
            raise TypeError(
                _("{name} cannot be stored in a release: only the classes of compare.py and recognisers.py can").format(
                    name=name
                )
            )
        return {"class": name, "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, (tuple, list)):
        return {"tuple": [encode(item) for item in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(_("{name} cannot be stored in a release").format(name=type(value).__name__))


def decode(value: Any) -> Any:
    """The object encode() stored."""
    if isinstance(value, dict) and "tuple" in value:
        return tuple(decode(item) for item in value["tuple"])
    if isinstance(value, dict):
        cls = STORABLE.get(value["class"]) if "class" in value else None
        if cls is None:
            raise ManifestError(_("unknown comparison {name}").format(name=repr(value.get("class"))))
        return cls(**{name: decode(item) for name, item in value["fields"].items()})
    return value


def _recorded(result: Any) -> Result | None:
    """A recorded answer, read back as the child's answers are (None: a mistake told by its recogniser)."""
    return None if result is None else decode_result(result)


def _check(data: dict) -> Check:
    mistakes = tuple(
        Mistake(m["id"], recognise=decode(m.get("recognise")), result=_recorded(m.get("result")))
        for m in data["mistakes"]
    )
    return Check(
        data["id"],
        data["points"],
        data["does"],
        Probe(**data["probe"]),
        decode(data["compare"]),
        mistakes,
        expect=Recorded(decode_result(data["expected"])),
        requires=data["requires"],
        gate=data["gate"],
    )


@dataclass(frozen=True)
class Release:
    """What a student release's checks file holds: the exercises with their visible checks, and what is withheld."""

    seed: int
    exercises: tuple[Exercise, ...]
    withheld: dict[int, tuple[int, float]]  # exercise number -> (hidden checks, their points)

    def withheld_notes(self, numbers: Iterable[int]) -> list[Message]:
        """What the report says of the checks that only the instructor's grading runs, for these exercises."""
        return [
            _withheld_note(number, count, points)
            for number in numbers
            for count, points in [self.withheld.get(number, (0, 0))]
            if count
        ]


def _withheld_note(number: int, count: int, points: float) -> Message:
    """'exercise 2: 3 more checks (4 points) run when your instructor grades ...'."""
    return counted(
        "exercise {number}: {count} more check ({points} points) run when your instructor grades "
        "(on hidden inputs or held-out data)",
        "exercise {number}: {count} more checks ({points} points) run when your instructor grades "
        "(on hidden inputs or held-out data)",
        count=count,
        number=number,
        points=format(points, "g"),
    )


def load(path: Path = MANIFEST) -> Release:
    """The release's checks, as declarations the grader runs like the instructor's."""
    try:
        data = wire.loads(path.read_bytes())
        if data.get("format") != FORMAT:
            raise ManifestError(
                _("format {found}, expected {expected}").format(found=repr(data.get("format")), expected=FORMAT)
            )
        exercises = tuple(
            Exercise(e["number"], e["module"], e["title"], tuple(e["names"]), tuple(map(_check, e["checks"])))
            for e in data["exercises"]
        )
        withheld = {e["number"]: (e["withheld"]["checks"], e["withheld"]["points"]) for e in data["exercises"]}
    except (OSError, wire.WireError, AnswerError, KeyError, TypeError, ManifestError) as error:
        raise ManifestError(
            _("the release's checks ({path}) cannot be read: {error}; install the release again").format(
                path=path, error=error
            )
        ) from error
    return Release(data["seed"], exercises, withheld)
