"""The instructor's assignment file: points, visibility, gates and the grading seed, in TOML.

    [assignment]
    name = "logreg"             # shown in the reports and in results.json (extra_data.assignment)
    seed = 123456               # the grading seed unless the command line gives one
                                # (default: a secret seed drawn for each run)

    [exercises.1]               # also [exercises.ex1_sigmoid]
    points = 20                 # the exercise's total: the checks without points of their own share
                                # what is left, in proportion to their declared points (in hundredths)
    visibility = "hidden"       # every check of the exercise: "visible", or "hidden" until grades are published
    allow_torch = true          # the NumPy track only: its functions may reach torch (by default a function that
                                # does earns none of its points: the task is gradients by hand)

    [checks."sigmoid.own_code"] # the id in quotes: it holds a dot
    points = 2                  # kept as given (within the exercise's total, when it has one)
    visibility = "visible"      # wins over the exercise's visibility
    gate = true                 # when this check does not pass, every other check of its exercise scores 0
                                # (a gate must be visible: the other checks say that it did not pass)

Every table and key is optional. Without a file the declared points (100 in all) and visibilities
hold and nothing is gated. A file that cannot be read, is not TOML, or holds a key or value other
than these raises PolicyError, naming the file, the key and what to write instead.
locate() says which file applies; load() reads it.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 (Gradescope's Ubuntu 22.04): the same parser, as its backport
    import tomli as tomllib

from autograder.i18n import _, listing

if TYPE_CHECKING:  # the declarations import torch: load() imports them only when there is a file to check
    from autograder.checks.base import Check, Exercise

ENV = "LOGREG_ASSIGNMENT"  # the assignment file when no front end is given one
FILE_NAME = "assignment.toml"  # its usual name (an nbgrader course keeps one at its root)
VISIBILITIES = ("visible", "hidden")
TABLES = ("assignment", "exercises", "checks")
ASSIGNMENT_KEYS = ("name", "seed")
EXERCISE_KEYS = ("points", "visibility", "allow_torch")
CHECK_KEYS = ("points", "visibility", "gate")
TOLERANCE = 1e-9  # points that differ by less are equal


class PolicyError(ValueError):
    """An assignment file that cannot be used: the message names the file, the key and what to do."""


@dataclass(frozen=True)
class Setting:
    """What an assignment file says about one exercise or one check; None: as declared."""

    points: float | None = None
    visibility: str | None = None  # "visible" or "hidden"
    gate: bool = False
    allow_torch: bool = False  # an exercise's NumPy-track calls may reach torch


@dataclass(frozen=True)
class Policy:
    """An assignment: its name, its seed, and its settings by exercise number and by check id."""

    name: str = ""
    seed: int | None = None
    exercises: Mapping[int, Setting] = field(default_factory=dict)
    checks: Mapping[str, Setting] = field(default_factory=dict)

    def apply(self, exercises: Iterable[Exercise]) -> tuple[Exercise, ...]:
        """The exercises with this assignment's points, visibility and gates in their checks."""
        return tuple(self._exercise(exercise) for exercise in exercises)

    def _exercise(self, exercise: Exercise) -> Exercise:
        whole = self.exercises.get(exercise.number, Setting())
        settings = [self.checks.get(check.id, Setting()) for check in exercise.checks]
        points = check_points(exercise.checks, settings, whole.points)
        checks = tuple(
            replace(
                check,
                points=earned,
                gate=setting.gate,
                hidden=hidden(check, setting.visibility or whole.visibility),
                torch_allowed=whole.allow_torch,
            )
            for check, setting, earned in zip(exercise.checks, settings, points, strict=True)
        )
        return replace(exercise, checks=checks)


DEFAULT = Policy()  # no assignment file: the declarations as they are


def hidden(check: Check, visibility: str | None) -> bool:
    """Whether the check is hidden under this visibility (None: as declared)."""
    return check.hidden if visibility is None else visibility == "hidden"


def check_points(checks: Sequence[Check], settings: Sequence[Setting], total: float | None) -> list[float]:
    """Each check's points: its own setting, else its declared points, scaled so that the exercise adds up to total."""
    own = [setting.points for setting in settings]
    if total is None:
        return [check.points if points is None else points for check, points in zip(checks, own, strict=True)]
    rest = total - sum(points for points in own if points is not None)
    shares = iter(share(rest, [check.points for check, points in zip(checks, own, strict=True) if points is None]))
    return [next(shares) if points is None else points for points in own]


def share(total: float, weights: Sequence[float]) -> list[float]:
    """total split in proportion to weights, in hundredths of a point that add up to
    total (largest remainders first)."""
    cents = round(total * 100)
    weights = list(weights) if sum(weights) > 0 else [1.0] * len(weights)
    exact = [cents * weight / sum(weights) for weight in weights]
    shares = [math.floor(part) for part in exact]
    for i in sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])[: cents - sum(shares)]:
        shares[i] += 1
    return [hundredths / 100 for hundredths in shares]


def locate(explicit: Path | None) -> Path | None:
    """The assignment file that applies: the one given (--assignment FILE), else the one $LOGREG_ASSIGNMENT names,
    else None (the defaults)."""
    if explicit is not None:
        return explicit
    named = os.environ.get(ENV, "").strip()
    return Path(named) if named else None


def load(path: Path | None, exercises: Sequence[Exercise] | None = None) -> Policy:
    """The assignment in the TOML file at path, checked against the exercises (default: the lesson's);
    None: the defaults. Raises PolicyError for a file that cannot be used."""
    if path is None:
        return DEFAULT
    if exercises is None:
        from autograder.lesson import EXERCISES

        exercises = EXERCISES
    return _Reader(Path(path), tuple(exercises)).read()


def toml_key(*parts: str) -> str:
    """A dotted key as TOML writes it: checks."sigmoid.own_code".points."""
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part) for part in parts)


def shown(value: Any) -> str:
    """A value as the file wrote it, near enough: "secret", -1, true, [1, 2]."""
    return json.dumps(value, default=str)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ "; did you mean "X"?" for the closest choice, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return _('; did you mean "{choice}"?').format(choice=close[0]) if close else ""


class _Reader:
    """Reads one assignment file against the lesson's exercises; each problem is a PolicyError."""

    def __init__(self, path: Path, exercises: tuple[Exercise, ...]) -> None:
        self.path, self.exercises = path, exercises
        self.exercise_keys = {**{str(e.number): e for e in exercises}, **{e.module: e for e in exercises}}
        self.check_ids = {check.id for exercise in exercises for check in exercise.checks}

    def error(self, key: str, problem: str) -> PolicyError:
        said = _("assignment file {path}, {key}: {problem}") if key else _("assignment file {path}: {problem}")
        return PolicyError(said.format(path=self.path, key=key, problem=problem))

    def read(self) -> Policy:
        data = self.parse()
        self.table(data, "", TABLES)
        about = self.table(data.get("assignment", {}), "assignment", ASSIGNMENT_KEYS)
        exercises, keys = self.exercise_settings(self.table(data.get("exercises", {}), "exercises"))
        checks = self.check_settings(self.table(data.get("checks", {}), "checks"))
        for exercise in self.exercises:
            if exercise.number in exercises:
                self.check_total(exercise, exercises[exercise.number], checks, keys[exercise.number])
        policy = Policy(name=self.name(about), seed=self.seed(about), exercises=exercises, checks=checks)
        self.check_gates(policy)
        return policy

    def parse(self) -> dict:
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except OSError as error:
            raise self.error(
                "", _("cannot be read ({reason}); give the path of a TOML file").format(reason=error.strerror or error)
            ) from None
        except UnicodeDecodeError:
            raise self.error("", _("is not UTF-8 text; write it as TOML in UTF-8")) from None
        except tomllib.TOMLDecodeError as error:
            raise self.error("", _("is not valid TOML: {error}; fix the syntax there").format(error=error)) from None

    def table(self, value: Any, key: str, allowed: Sequence[str] = ()) -> dict:
        """value (found at key; "" for the whole file) as a table, with only the allowed keys when some are given."""
        if not isinstance(value, dict):
            raise self.error(key, _("must be a table ([{key}]), not {value}").format(key=key, value=shown(value)))
        for name in value:
            if allowed and name not in allowed:
                keys = listing(list(allowed) if key else [f"[{table}]" for table in allowed])
                raise self.error(
                    f"{key}.{toml_key(name)}" if key else toml_key(name),
                    _("unknown key{did_you_mean} (allowed here: {keys})").format(
                        did_you_mean=did_you_mean(name, allowed), keys=keys
                    ),
                )
        return value

    def exercise_settings(self, table: dict) -> tuple[dict[int, Setting], dict[int, str]]:
        """The settings by exercise number, and the key each was given under."""
        settings: dict[int, Setting] = {}
        keys: dict[int, str] = {}
        for name, value in table.items():
            key = toml_key("exercises", name)
            exercise = self.exercise_keys.get(name)
            if exercise is None:
                known = listing(
                    [_("{number} or {module}").format(number=e.number, module=e.module) for e in self.exercises]
                )
                raise self.error(
                    key,
                    _("no such exercise{did_you_mean} (write one of: {known})").format(
                        did_you_mean=did_you_mean(name, self.exercise_keys), known=known
                    ),
                )
            if exercise.number in keys:
                raise self.error(
                    key,
                    _("exercise {number} is also given as {key}; keep one of them").format(
                        number=exercise.number, key=keys[exercise.number]
                    ),
                )
            settings[exercise.number], keys[exercise.number] = self.setting(value, key, EXERCISE_KEYS), key
        return settings, keys

    def check_settings(self, table: dict) -> dict[str, Setting]:
        """The settings by check id, each id that of a declared check."""
        for check_id, value in table.items():
            if check_id in self.check_ids:
                continue
            key = toml_key("checks", check_id)
            dotted = (
                [f"{check_id}.{name}" for name in value if f"{check_id}.{name}" in self.check_ids]
                if isinstance(value, dict)
                else []
            )
            if dotted:
                raise self.error(
                    key, _('a check id holds a dot: write it in quotes, [checks."{id}"]').format(id=dotted[0])
                )
            raise self.error(
                key,
                _("no such check{did_you_mean} (the ids are those of the report, such as sigmoid.own_code)").format(
                    did_you_mean=did_you_mean(check_id, self.check_ids)
                ),
            )
        return {
            check_id: self.setting(value, toml_key("checks", check_id), CHECK_KEYS) for check_id, value in table.items()
        }

    def setting(self, value: Any, key: str, allowed: Sequence[str]) -> Setting:
        table = self.table(value, key, allowed)
        return Setting(
            points=self.points(table, key),
            visibility=self.visibility(table, key),
            gate=self.flag(table, key, "gate"),
            allow_torch=self.flag(table, key, "allow_torch"),
        )

    def points(self, table: dict, key: str) -> float | None:
        value = table.get("points")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise self.error(
                f"{key}.points", _("must be a non-negative number of points, not {value}").format(value=shown(value))
            )
        return float(value)

    def visibility(self, table: dict, key: str) -> str | None:
        value = table.get("visibility")
        if value is not None and value not in VISIBILITIES:
            raise self.error(
                f"{key}.visibility",
                _('must be "visible" or "hidden" (until grades are published), not {value}').format(value=shown(value)),
            )
        return value

    def flag(self, table: dict, key: str, name: str) -> bool:
        value = table.get(name, False)
        if not isinstance(value, bool):
            raise self.error(f"{key}.{name}", _("must be true or false, not {value}").format(value=shown(value)))
        return value

    def name(self, about: dict) -> str:
        value = about.get("name", "")
        if not isinstance(value, str):
            raise self.error(
                "assignment.name",
                _('must be a string in quotes, such as "logreg", not {value}').format(value=shown(value)),
            )
        return value

    def seed(self, about: dict) -> int | None:
        value = about.get("seed")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise self.error(
                "assignment.seed", _("must be a whole number >= 0, not {value}").format(value=shown(value))
            )
        return value

    def check_total(self, exercise: Exercise, setting: Setting, checks: Mapping[str, Setting], key: str) -> None:
        """Points given to an exercise that its checks' own points leave room for, and add up to."""
        if setting.points is None:
            return
        own = [
            points
            for check in exercise.checks
            if check.id in checks and (points := checks[check.id].points) is not None
        ]
        given = sum(own)
        if given > setting.points + TOLERANCE:
            raise self.error(
                f"{key}.points",
                _(
                    "{points} is less than the {given} points that [checks] gives checks of exercise "
                    "{number}; raise it, or give those checks fewer"
                ).format(points=f"{setting.points:g}", given=f"{given:g}", number=exercise.number),
            )
        if len(own) == len(exercise.checks) and abs(given - setting.points) > TOLERANCE:
            raise self.error(
                f"{key}.points",
                _(
                    "every check of exercise {number} has points of its own, {given} in all, not "
                    "{points}; make them add up, or drop this key"
                ).format(number=exercise.number, given=f"{given:g}", points=f"{setting.points:g}"),
            )

    def check_gates(self, policy: Policy) -> None:
        """Gates that are visible: a gate that does not pass shows in every other check of its exercise."""
        for exercise in policy.apply(self.exercises):
            for check in exercise.checks:
                if check.gate and check.hidden:
                    raise self.error(
                        toml_key("checks", check.id, "gate"),
                        _(
                            "a gate cannot be hidden: the other checks of its exercise would show its verdict; "
                            'give it visibility = "visible", or drop the gate'
                        ),
                    )
