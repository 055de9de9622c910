"""Plain data across the process boundary: JSON lines, with NumPy arrays as base64."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

# Only these dtypes may cross; anything else a child sends is refused.
ARRAY_DTYPES = frozenset({"float16", "float32", "float64", "int32", "int64", "bool", "uint8"})
# The limits of one message (a JSON line), checked before the work: an answer is about 10 KB and 750 values, the
# release's checks file about 260 KB, 36,000 values and 13 levels deep.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # the line's length, refused before it is parsed
MAX_ELEMENTS = 250_000  # values in one message: each list item, mapping entry, number or string, and array element
MAX_NESTING = 32  # lists and mappings inside each other


class WireError(ValueError):
    """A message that is not plain data of the agreed shape."""


class _Budget:
    """What one message may still hold while it is rebuilt: values left, and how deep it may go."""

    def __init__(self) -> None:
        self.left = MAX_ELEMENTS

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise WireError(f"message over the limit of {MAX_ELEMENTS} values")


def _encode(value: Any, budget: _Budget, depth: int = 0) -> Any:
    if depth > MAX_NESTING:
        raise WireError(f"message nested over the limit of {MAX_NESTING} levels")
    budget.spend(1)
    if isinstance(value, np.ndarray):
        if value.dtype.name not in ARRAY_DTYPES:
            raise WireError(f"array dtype {value.dtype} cannot cross the process boundary")
        budget.spend(value.size - 1)
        return {  # tobytes() is in C order; np.ascontiguousarray would turn a 0-dim array into shape (1,)
            "__array__": base64.b64encode(value.tobytes()).decode("ascii"),
            "dtype": value.dtype.name,
            "shape": list(value.shape),
        }
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): _encode(item, budget, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item, budget, depth + 1) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise WireError(f"{type(value).__name__} is not plain data")


def _decode(value: Any, budget: _Budget, depth: int = 0) -> Any:
    if depth > MAX_NESTING:
        raise WireError(f"message nested over the limit of {MAX_NESTING} levels")
    budget.spend(1)
    if isinstance(value, dict):
        if "__array__" in value:
            return _decode_array(value, budget)
        return {key: _decode(item, budget, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, budget, depth + 1) for item in value]
    return value


def _decode_array(value: dict, budget: _Budget) -> np.ndarray:
    dtype = value.get("dtype")
    if dtype not in ARRAY_DTYPES:
        raise WireError(f"array dtype {dtype!r} is not allowed")
    shape = value.get("shape", ())
    if not isinstance(shape, list) or len(shape) > MAX_NESTING or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError(f"array shape {str(shape)[:80]} is not a list of at most {MAX_NESTING} sizes")
    size = math.prod(shape)
    budget.spend(size - 1)  # before the bytes are decoded: a shape of (10**9,) costs nothing
    raw = base64.b64decode(value["__array__"], validate=True)
    array = np.frombuffer(raw, dtype=dtype)
    if array.size != size:
        raise WireError(f"array of {array.size} values does not fit shape {tuple(shape)}")
    return array.reshape(shape).copy()


def dumps(value: Any) -> str:
    """One line of JSON for a message of plain data."""
    line = json.dumps(_encode(value, _Budget()), separators=(",", ":"))
    if len(line) > MAX_MESSAGE_BYTES:  # the child says so rather than send what the trusted side refuses
        raise WireError(f"message of {len(line)} bytes over the limit of {MAX_MESSAGE_BYTES} bytes")
    return line


def loads(line: str | bytes) -> Any:
    """The plain data of one line sent by dumps; refuses anything else."""
    if len(line) > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {len(line)} bytes over the limit of {MAX_MESSAGE_BYTES} bytes")
    commas = line.count(b",") if isinstance(line, bytes) else line.count(",")
    if commas > MAX_ELEMENTS:  # refused before json builds them
        raise WireError(f"message over the limit of {MAX_ELEMENTS} values")
    try:
        return _decode(json.loads(line), _Budget())
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, RecursionError) as error:  # deep nesting too
        raise WireError(f"not a valid message: {error}") from error
