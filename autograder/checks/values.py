"""Reading a probe's answer: the value at a key, what kind of value it is, its numbers, and whether two are alike.

The answer's types are declared in autograder/sandboxed/answers.py; a key is a field of a Result, or a
dotted path into a returned tuple ("out.items.0").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.sandboxed.answers import Failed, Result, Value

SCALARS = frozenset(
    {"float", "int"} | {np.dtype(code).type.__name__ for code in np.typecodes["AllInteger"] + np.typecodes["Float"]}
)
SEQUENCES = frozenset({"list", "tuple"})
# The key holding what the student's function returned, for each key that depends on it (a gradient of the output).
RETURNED_BY = {
    "out": "out",
    "outs": "outs",
    "history": "history",
    "repeat_history": "repeat_history",
    "again": "out",
    "grad": "out",
    "weight_grad": "out",
    "bias_grad": "out",
}


def at(answer: Any, path: str) -> Any:
    """The value at a dotted path such as "out", "grad" or "out.items.0": a field, or an item of a tuple."""
    value: Any = answer
    for part in path.split("."):
        if isinstance(value, (Result, Value)) and not part.isdigit():
            value = getattr(value, part, None)
        elif isinstance(value, tuple) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def error_at(answer: Result, key: str) -> Any:
    """The exception behind the measurement at key, or None: a Failed measurement's error."""
    value = at(answer, key.split(".")[0])
    return value.error if isinstance(value, Failed) else None


def kind(described: Any) -> str:
    """tensor, ndarray, scalar (a number of any real type: float, np.float32, a float subclass), bool, list, tuple,
    None, or another type name; "nothing" for no Value."""
    if not isinstance(described, Value):
        return "nothing"
    name = described.type
    if name in SCALARS or (name not in ("tensor", "ndarray", "bool") and isinstance(described.value, float)):
        return "scalar"
    return "None" if name == "NoneType" else name


def is_of_type(described: Any, name: str | None) -> bool:
    """Whether a described value is of the type named: that type, or, for a built-in type, an instance of it
    (np.float64 is a float, a namedtuple a tuple): a contract is judged by isinstance, not by the type's name."""
    return isinstance(described, Value) and (described.type == name or name in (described.is_a or ()))


def numbers(described: Any) -> np.ndarray | None:
    """The numbers in a described value, or None when it holds none."""
    what = kind(described)
    if what in ("tensor", "ndarray", "scalar", "bool"):
        value = described.value
        return None if value is None else np.asarray(value, dtype=np.float64)
    sequence = what in SEQUENCES or bool(SEQUENCES.intersection(getattr(described, "is_a", None) or ()))
    if sequence and described.items is not None and described.length == len(described.items):
        items = [numbers(item) for item in described.items]
        single = [item for item in items if item is not None and item.size == 1]
        if len(single) == len(items):
            return np.array([float(item.reshape(())) for item in single])
    return None


def same_form(got: Any, other: Any) -> bool:
    """Whether two described values have the same type, dtype, shape, length and device."""
    fields = ("type", "dtype", "shape", "length", "device")
    return kind(got) == kind(other) and all(getattr(got, name, None) == getattr(other, name, None) for name in fields)


def alike(got: Any, other: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """Whether two described values are the same: same form,
    and the same numbers within tolerance (plain data: equal)."""
    if not isinstance(got, Value) or not isinstance(other, Value):
        return not isinstance(got, Value) and not isinstance(other, Value) and got == other
    if not same_form(got, other):
        return False
    if kind(got) in SEQUENCES and got.items is not None and other.items is not None:
        return len(got.items) == len(other.items) and all(
            alike(a, b, rtol, atol) for a, b in zip(got.items, other.items, strict=True)
        )
    g, o = numbers(got), numbers(other)
    if g is None or o is None:
        return g is None and o is None and getattr(got, "unreadable", None) == getattr(other, "unreadable", None)
    return g.shape == o.shape and bool(np.allclose(g, o, rtol=rtol, atol=atol, equal_nan=True))


def returned_value(answer: Result) -> tuple[str, Any] | None:
    """The key and value of what the student's function returned in a probe's answer, if it holds one."""
    key = next((key for key in ("out", "history", "outs") if getattr(answer, key) is not None), None)
    if key == "outs":  # one result per input: the first one stands for them
        return (key, answer.outs[0]) if answer.outs else None
    return None if key is None else (key, getattr(answer, key))
