"""Plain data across the process boundary: JSON lines, with NumPy arrays as base64."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

# Only these dtypes may cross; anything else a child sends is refused.
ARRAY_DTYPES = frozenset({"float16", "float32", "float64", "int32", "int64", "bool", "uint8"})
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class WireError(ValueError):
    """A message that is not plain data of the agreed shape."""


def _encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype.name not in ARRAY_DTYPES:
            raise WireError(f"array dtype {value.dtype} cannot cross the process boundary")
        return {  # tobytes() is in C order; np.ascontiguousarray would turn a 0-dim array into shape (1,)
            "__array__": base64.b64encode(value.tobytes()).decode("ascii"),
            "dtype": value.dtype.name,
            "shape": list(value.shape),
        }
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise WireError(f"{type(value).__name__} is not plain data")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__array__" in value:
            return _decode_array(value)
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def _decode_array(value: dict) -> np.ndarray:
    dtype = value.get("dtype")
    if dtype not in ARRAY_DTYPES:
        raise WireError(f"array dtype {dtype!r} is not allowed")
    shape = tuple(int(n) for n in value.get("shape", ()))
    raw = base64.b64decode(value["__array__"], validate=True)
    array = np.frombuffer(raw, dtype=dtype)
    if array.size != int(np.prod(shape)):
        raise WireError(f"array of {array.size} values does not fit shape {shape}")
    return array.reshape(shape).copy()


def dumps(value: Any) -> str:
    """One line of JSON for a message of plain data."""
    return json.dumps(_encode(value), separators=(",", ":"))


def loads(line: str | bytes) -> Any:
    """The plain data of one line sent by dumps; refuses anything else."""
    if len(line) > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {len(line)} bytes is over the limit")
    try:
        return _decode(json.loads(line))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, RecursionError) as error:  # deep nesting too
        raise WireError(f"not a valid message: {error}") from error
