"""What the child answers, as declared types: the only shapes of data that cross back over the boundary.

A probe's answer is a Result; what a student's function returned is a Value; an exception is a Raised;
a measurement that raised instead of giving its value is a Failed. The child builds them (probes.py,
describe.py); the wire carries them as plain JSON (wire.py); the trusted side rebuilds them with
decode_result(), which checks every field's type and refuses anything else with a message naming the
field. The reference's answers, computed in the trusted process, go through the same round trip.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.sandboxed import wire

MAX_NESTING = 8  # Values inside Values: describe() nests at most 3 deep
# The built-in types a Value says its object is an instance of (Value.is_a), so that a contract is judged by
# isinstance: np.float64 is a Python float, a namedtuple a tuple, a bool an int.
BUILTIN_TYPES = ("bool", "int", "float", "complex", "str", "list", "tuple", "dict")


class AnswerError(ValueError):
    """Data that is not an answer of the declared shape; the message names the field."""


@dataclass(frozen=True)
class Place:
    """A line of one of the submission's files, as data: said in words (or in a notebook's cells) where it is shown."""

    file: str  # the file's name: "ex1_sigmoid.py"
    line: int


@dataclass(frozen=True)
class Raised:
    """An exception: its type and message, where in the submission it came from, and whether it is the stub's own."""

    type: str
    message: str
    where: Place | None = None  # the deepest line of the submission in the traceback
    stub: bool = False  # the template's own `raise NotImplementedError(...)` line


@dataclass(frozen=True, eq=False)
class Value:
    """What a student's function returned (or a tensor the grader read): its type, its form, its numbers if any."""

    type: str  # "tensor", "ndarray", "float", "list", "NoneType", ... or another type's name
    dtype: str | None = None
    shape: tuple[int, ...] | None = None
    requires_grad: bool | None = None
    device: str | None = None  # only when not the CPU
    value: np.ndarray | float | bool | None = None  # the numbers: an array, a scalar, a bool
    length: int | None = None  # of a list or tuple
    items: tuple[Value, ...] | None = None  # of a list or tuple, described in turn
    unreadable: str | None = None  # why the object could not be looked at, or why its values are not numbers
    is_a: tuple[str, ...] | None = None  # the built-in types it is an instance of (BUILTIN_TYPES): np.float64 a float


@dataclass(frozen=True)
class Failed:
    """A measurement that raised instead of giving its value (a backward pass, a second call, ...)."""

    error: Raised


Measured = Value | Failed


@dataclass(frozen=True, eq=False)
class Result:
    """The answer to one probe request: each field is one measurement; None where the probe does not make it."""

    error: Raised | None = None  # the call itself raised, or the runner failed (Timeout, ProcessDied, BadAnswer, ...)
    forbidden: tuple[str, ...] = ()  # the built-ins the exercise replaces that the call used
    out: Measured | None = None
    outs: tuple[Measured, ...] | None = None  # one per input, for call_each
    again: Measured | None = None  # a second call on the same inputs
    grad: Measured | None = None
    inputs_unchanged: bool | Failed | None = None
    ok: bool | Failed | None = None  # gradcheck passed
    message: str | Failed | None = None  # gradcheck's complaint
    is_module: bool | None = None
    linear_is_linear: bool | None = None
    linear_shape: tuple[int, ...] | None = None
    parameter_names: tuple[str, ...] | None = None
    weight_grad: Measured | None = None
    bias_grad: Measured | None = None
    gradcheck: bool | str | Failed | None = None  # True, or torch's complaint
    history: Measured | None = None
    repeat_history: Measured | None = None
    weight: Measured | None = None
    bias: Measured | None = None
    warnings: tuple[str, ...] | None = None


def to_plain(answer: Any) -> Any:
    """An answer as plain data for the wire: dataclasses as dicts of their set fields, tuples as lists."""
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        return {
            field.name: to_plain(getattr(answer, field.name))
            for field in dataclasses.fields(answer)
            if getattr(answer, field.name) is not field.default
        }
    if isinstance(answer, (tuple, list)):
        return [to_plain(item) for item in answer]
    return answer


# ---- reading answers back, field by field ---------------------------------------------------------------------


def _fail(path: str, wanted: str, data: Any) -> AnswerError:
    return AnswerError(f"{path}: expected {wanted}, got {type(data).__name__}")


def _text(data: Any, path: str) -> str:
    if not isinstance(data, str):
        raise _fail(path, "a string", data)
    return data


def _flag(data: Any, path: str) -> bool:
    if not isinstance(data, bool):
        raise _fail(path, "true or false", data)
    return data


def _integer(data: Any, path: str) -> int:
    if not isinstance(data, int) or isinstance(data, bool):
        raise _fail(path, "an integer", data)
    return data


def _texts(data: Any, path: str) -> tuple[str, ...]:
    if not isinstance(data, list):
        raise _fail(path, "a list of strings", data)
    return tuple(_text(item, f"{path}[{index}]") for index, item in enumerate(data))


def _integers(data: Any, path: str) -> tuple[int, ...]:
    if not isinstance(data, list):
        raise _fail(path, "a list of integers", data)
    return tuple(_integer(item, f"{path}[{index}]") for index, item in enumerate(data))


def _numbers(data: Any, path: str) -> np.ndarray | float | bool:
    if isinstance(data, (np.ndarray, bool, float, int)):
        return float(data) if isinstance(data, int) and not isinstance(data, bool) else data
    raise _fail(path, "numbers", data)


def _record(cls: type, readers: Mapping[str, Callable[[Any, str], Any]], data: Any, path: str) -> Any:
    """An instance of cls from a dict whose every key is one of its fields, each read by its reader."""
    if not isinstance(data, dict):
        raise _fail(path, f"a {cls.__name__}", data)
    unknown = sorted(set(data) - set(readers))
    if unknown:
        raise AnswerError(f"{path}: {cls.__name__} has no field {unknown[0]!r}")
    values = {name: None if data[name] is None else readers[name](data[name], f"{path}.{name}") for name in data}
    try:
        return cls(**values)
    except TypeError as error:  # a required field missing
        raise AnswerError(f"{path}: {error}") from None


def _place(data: Any, path: str) -> Place:
    return _record(Place, {"file": _text, "line": _integer}, data, path)


def _raised(data: Any, path: str) -> Raised:
    return _record(Raised, {"type": _text, "message": _text, "where": _place, "stub": _flag}, data, path)


def _value(data: Any, path: str, depth: int = 0) -> Value:
    if depth > MAX_NESTING:
        raise AnswerError(f"{path}: nested more than {MAX_NESTING} deep")

    def items(found: Any, where: str) -> tuple[Value, ...]:
        if not isinstance(found, list):
            raise _fail(where, "a list of values", found)
        return tuple(_value(item, f"{where}[{index}]", depth + 1) for index, item in enumerate(found))

    readers = {
        "type": _text,
        "dtype": _text,
        "shape": _integers,
        "requires_grad": _flag,
        "device": _text,
        "value": _numbers,
        "length": _integer,
        "items": items,
        "unreadable": _text,
        "is_a": _texts,
    }
    return _consistent(_record(Value, readers, data, path), path)


def _consistent(value: Value, path: str) -> Value:
    """The Value, when its fields agree with each other (an array's shape, a list's length); AnswerError
    otherwise: a forged answer of the wrong shape is refused here, not met later by a check."""
    numbers = value.value
    if isinstance(numbers, np.ndarray):
        if value.shape is not None and tuple(numbers.shape) != value.shape:
            raise AnswerError(f"{path}: shape {value.shape} but numbers of shape {tuple(numbers.shape)}")
    elif numbers is not None and value.shape not in (None, ()):
        raise AnswerError(f"{path}: shape {value.shape} but a single number")
    if value.items is not None and value.length is not None and len(value.items) > value.length:
        raise AnswerError(f"{path}: {len(value.items)} items described of a length of {value.length}")
    return value


def _failed(data: Any, path: str) -> Failed:
    return _record(Failed, {"error": _raised}, data, path)


def _measured(data: Any, path: str) -> Measured:
    """A Value, or a Failed (a dict holding only its error)."""
    return _failed(data, path) if isinstance(data, dict) and "error" in data else _value(data, path)


def _one_of(*readers: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    def read(data: Any, path: str) -> Any:
        for reader in readers:
            try:
                return reader(data, path)
            except AnswerError:
                continue
        raise AnswerError(f"{path}: not a value of this field's types ({type(data).__name__})")

    return read


def _many_measured(data: Any, path: str) -> tuple[Measured, ...]:
    if not isinstance(data, list):
        raise _fail(path, "a list of values", data)
    return tuple(_measured(item, f"{path}[{index}]") for index, item in enumerate(data))


_RESULT_READERS: dict[str, Callable[[Any, str], Any]] = {
    "error": _raised,
    "forbidden": _texts,
    "outs": _many_measured,
    "inputs_unchanged": _one_of(_flag, _failed),
    "ok": _one_of(_flag, _failed),
    "message": _one_of(_text, _failed),
    "is_module": _flag,
    "linear_is_linear": _flag,
    "linear_shape": _integers,
    "parameter_names": _texts,
    "gradcheck": _one_of(_flag, _text, _failed),
    "warnings": _texts,
    **dict.fromkeys(
        ("out", "again", "grad", "weight_grad", "bias_grad", "history", "repeat_history", "weight", "bias"), _measured
    ),
}


def decode_result(data: Any) -> Result:
    """The Result that plain data (from the wire, or a release's checks file) holds; AnswerError when it holds none."""
    return _record(Result, _RESULT_READERS, data, "result")


def crossed(answer: Result) -> Result:
    """The answer as the trusted side gets it from a child: made plain, sent as a JSON line, read back."""
    return decode_result(wire.loads(wire.dumps(to_plain(answer))))
