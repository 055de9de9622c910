"""A graded result as plain JSON data and back: the form the gradebook keeps.

Messages keep their ids and values (i18n/messages.py), so a result read back is said in any language, as the one
graded was. Reading is strict: each record has exactly its fields, each of its type; anything else is a ValueError
that names the field (result.outcomes[3].hint: ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from autograder.grading.outcomes import Curve, Outcome, SubmissionResult
from autograder.i18n.messages import MessageError, from_plain, to_plain

Reader = Callable[[Any, str], Any]  # (plain data, where it is) -> the value; ValueError when it is not one


def result_to_plain(result: SubmissionResult) -> dict[str, Any]:
    """result as JSON-serialisable data (lists, dicts, texts, numbers, None)."""
    return {
        "submission": result.submission,
        "seed": result.seed,
        "outcomes": [{item.name: to_plain(getattr(o, item.name)) for item in fields(Outcome)} for o in result.outcomes],
        "notes": [to_plain(note) for note in result.notes],
        "exercises": list(result.exercises),
        "isolation": to_plain(result.isolation),
        "flags": [to_plain(flag) for flag in result.flags],
        "assignment": result.assignment,
        "curves": {
            name: {item.name: _listed(getattr(curve, item.name)) for item in fields(Curve)}
            for name, curve in result.curves.items()
        },
        "fingerprints": [list(pair) for pair in result.fingerprints],
    }


def result_from_plain(data: Mapping[str, Any]) -> SubmissionResult:
    """The result whose plain form is data; a ValueError names the field that is not what result_to_plain writes."""
    return _record(SubmissionResult, _RESULT, data, "result")


def _listed(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _kind(*kinds: type) -> Reader:
    def read(data: Any, where: str) -> Any:
        if not isinstance(data, kinds) or (isinstance(data, bool) and bool not in kinds):
            raise ValueError(
                f"{where}: {str(data)[:80]!r} is not of type {' or '.join(kind.__name__ for kind in kinds)}"
            )
        return data

    return read


def _value(data: Any, where: str) -> Any:
    try:
        return from_plain(
            data
        )  # the kit wrote it: any message id is one of its own (the child's are checked on arrival)
    except MessageError as error:
        raise ValueError(f"{where}: {error}") from None


def _optional(read: Reader) -> Reader:
    return lambda data, where: None if data is None else read(data, where)


def _items(read: Reader, length: int | None = None) -> Reader:
    def items(data: Any, where: str) -> tuple[Any, ...]:
        if not isinstance(data, list) or (length is not None and len(data) != length):
            raise ValueError(f"{where}: not a list{'' if length is None else f' of {length}'}")
        return tuple(read(item, f"{where}[{index}]") for index, item in enumerate(data))

    return items


def _record(kind: type, readers: Mapping[str, Reader], data: Any, where: str) -> Any:
    if not isinstance(data, Mapping) or set(data) != set(readers):
        keys = sorted(data)[:20] if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"{where}: not a {kind.__name__} ({keys}; expected the keys {sorted(readers)})")
    return kind(**{name: read(data[name], f"{where}.{name}") for name, read in readers.items()})


def _records(kind: type, readers: Mapping[str, Reader]) -> Reader:
    return lambda data, where: _record(kind, readers, data, where)


def _named(read: Reader) -> Reader:
    def named(data: Any, where: str) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: not a mapping")
        return {_TEXT(name, where): read(value, f"{where}[{name!r}]") for name, value in data.items()}

    return named


_TEXT, _INTEGER, _NUMBER, _FLAG = _kind(str), _kind(int), _kind(int, float), _kind(bool)
_NUMBERS = _items(_NUMBER)
_OUTCOME: dict[str, Reader] = {
    "check_id": _TEXT,
    "exercise": _INTEGER,
    "exercise_title": _value,
    "does": _value,
    "points": _NUMBER,
    "max_points": _NUMBER,
    "status": _TEXT,
    "message": _value,
    "hint": _value,
    "mistake": _optional(_TEXT),
    "hidden": _FLAG,
}
_CURVE: dict[str, Reader] = {
    "x": _NUMBERS,
    "reference": _NUMBERS,
    "student": _optional(_NUMBERS),
    "reference_boundary": _optional(_NUMBER),
    "student_boundary": _optional(_NUMBER),
}
_RESULT: dict[str, Reader] = {
    "submission": _TEXT,
    "seed": _INTEGER,
    "outcomes": lambda data, where: list(_items(_records(Outcome, _OUTCOME))(data, where)),
    "notes": _items(_value),
    "exercises": _items(_INTEGER),
    "isolation": _value,
    "flags": _items(_value),
    "assignment": _TEXT,
    "curves": _named(_records(Curve, _CURVE)),
    "fingerprints": _items(_items(_TEXT, length=2)),
}
