"""What came back from a student's function, as plain data: its type, and its numbers where it has any.

Runs in the child on the student's results and in the trusted process on the reference's, so both
are described alike; every description is bounded (items, depth, numbers, characters).
"""

from __future__ import annotations

import builtins
import math
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from autograder.sandboxed import wire
from autograder.sandboxed.answers import BUILTIN_TYPES, Place, Raised, Value

MAX_ITEMS = 10_000  # items of a list or tuple a probe describes
MAX_DEPTH = 3  # nesting of lists and tuples a probe describes
MAX_VALUES = wire.MAX_ELEMENTS // 8  # numbers of one array or tensor sent back: an answer holds a few
MAX_NAME = 60  # characters of a type name
MAX_MESSAGE = 500  # characters of an exception's message
REAL = (int, float, np.integer, np.floating)  # real numbers, read as floats (bool is told apart before)


def _plain_array(array: np.ndarray) -> np.ndarray | None:
    """The array's numbers in a dtype that may cross the process boundary (float64 for other real numbers), or
    None where its values are not numbers: complex with an imaginary part, text, dates, records, other objects."""
    if array.dtype.name in wire.ARRAY_DTYPES and array.dtype.isnative:  # the wire sends native bytes
        return array
    kind = array.dtype.kind
    if kind in "fiub" and array.dtype.fields is None:
        return array.astype(np.float64)
    if kind == "c" and not np.any(array.imag):  # complex numbers that are real
        return array.real.astype(np.float64)
    if kind == "O" and all(isinstance(item, REAL) for item in array.flat):  # np.frompyfunc's, np.vectorize's
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError, OverflowError):  # a number type that does not convert
            return None
    return None


def _type_name(value: Any) -> str:
    return type(value).__name__[:MAX_NAME]


def _is_a(value: Any) -> tuple[str, ...] | None:
    """The built-in types value is an instance of (np.float64 is a float), or None for none."""
    found = tuple(name for name in BUILTIN_TYPES if isinstance(value, getattr(builtins, name)))
    return found or None


def _tensor_array(data: torch.Tensor) -> np.ndarray:
    """A detached CPU tensor as a NumPy array, through float64 (or complex128) for dtypes NumPy lacks."""
    try:
        return data.numpy()
    except TypeError:  # bfloat16, float8, complex32, ...
        return data.to(torch.complex128 if data.is_complex() else torch.float64).numpy()


def _describe_tensor(value: torch.Tensor) -> Value:
    described = Value(
        "tensor",
        dtype=str(value.dtype).removeprefix("torch."),
        shape=tuple(value.shape),
        requires_grad=bool(value.requires_grad),
        device=None if value.device.type == "cpu" else value.device.type,
    )
    if value.is_meta or value.numel() > MAX_VALUES or value.layout != torch.strided or value.is_quantized:
        return described  # no numbers to send: none exist, too many, or not a plain tensor
    return replace(described, value=_plain_array(_tensor_array(value.detach().cpu())))


def _describe(value: Any, depth: int) -> Value:
    if value is None:
        return Value("NoneType")
    if isinstance(value, torch.Tensor):
        return _describe_tensor(value)
    if isinstance(value, np.ndarray):
        described = Value("ndarray", dtype=value.dtype.name, shape=tuple(value.shape))
        if value.size > MAX_VALUES:
            return described
        if isinstance(value, np.ma.MaskedArray) and value.dtype.kind in "fiub":  # masked values are no numbers
            return replace(described, value=np.ma.filled(value.astype(np.float64), np.nan))
        return replace(described, value=_plain_array(np.asarray(value)))
    if isinstance(value, (bool, np.bool_)):
        return Value("bool", value=bool(value), is_a=_is_a(value))
    if isinstance(value, REAL):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf if value > 0 else -math.inf
        return Value(_type_name(value), value=number, is_a=_is_a(value))
    if isinstance(value, (list, tuple)):
        items = tuple(_describe(item, depth + 1) for item in value[:MAX_ITEMS]) if depth < MAX_DEPTH else None
        return Value(_type_name(value), length=len(value), items=items, is_a=_is_a(value))
    return Value(_type_name(value), is_a=_is_a(value))


def describe(value: Any) -> Value:
    """A plain description of a returned value: its type, and its numbers where it has any."""
    try:
        return _describe(value, 0)
    except Exception as error:  # an object that breaks when looked at (a __len__ that raises, ...)
        return Value(_type_name(value), unreadable=f"{_type_name(error)}: {message_of(error)}")


def message_of(error: BaseException | str) -> str:
    """The message of an exception or warning (a recorded warning's message may be a plain str), cut to length."""
    try:
        return str(error)[:MAX_MESSAGE]
    except Exception:  # an exception whose __str__ raises
        return "(its message could not be read)"


def describe_error(error: BaseException, root: Path | None) -> Raised:
    """Type, message and the deepest line of the submission where an exception came from.

    `stub` says whether the exception is the template's own `raise NotImplementedError(...)` line.
    """
    frames = traceback.extract_tb(error.__traceback__)
    if isinstance(error, SyntaxError) and error.filename:
        frames.append(traceback.FrameSummary(error.filename, error.lineno or 0, "<module>"))

    def own(frame: traceback.FrameSummary) -> bool:
        return root is not None and Path(frame.filename).resolve().is_relative_to(root)

    mine = [frame for frame in frames if own(frame)]
    where = Place(Path(mine[-1].filename).name, mine[-1].lineno or 0) if mine else None
    raised_here = bool(frames) and own(frames[-1]) and (frames[-1].line or "").startswith("raise NotImplementedError")
    message = str(error.msg) if isinstance(error, SyntaxError) else message_of(error)
    return Raised(
        _type_name(error), message[:MAX_MESSAGE], where, isinstance(error, NotImplementedError) and raised_here
    )
