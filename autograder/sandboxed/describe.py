"""What came back from a student's function, as plain data: its type, and its numbers where it has any.

Runs in the child on the student's results and in the trusted process on the reference's, so both
are described alike; every description is bounded (items, depth, numbers, characters).
"""

from __future__ import annotations

import math
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from autograder.sandboxed import wire
from autograder.sandboxed.answers import Place, Raised, Value

MAX_ITEMS = 10_000  # items of a list or tuple a probe describes
MAX_DEPTH = 3  # nesting of lists and tuples a probe describes
MAX_VALUES = wire.MAX_ELEMENTS // 8  # numbers of one array or tensor sent back: an answer holds a few
MAX_NAME = 60  # characters of a type name
MAX_MESSAGE = 500  # characters of an exception's message


def _plain_array(array: np.ndarray) -> np.ndarray:
    """The array in a dtype that may cross the process boundary (float64 for other numbers)."""
    if array.dtype.name in wire.ARRAY_DTYPES:
        return array
    if array.dtype.kind in "fiub":
        return array.astype(np.float64)
    if array.dtype.kind == "O":  # np.frompyfunc's and np.vectorize's objects: numbers, where each is one
        try:
            return array.astype(np.float64)
        except (TypeError, ValueError, OverflowError):
            pass
    return np.full(array.shape, np.nan)  # complex, text, dates, records: no numbers to compare


def _type_name(value: Any) -> str:
    return type(value).__name__[:MAX_NAME]


def _describe_tensor(value: torch.Tensor) -> Value:
    described = Value(
        "tensor",
        dtype=str(value.dtype).removeprefix("torch."),
        shape=tuple(value.shape),
        requires_grad=bool(value.requires_grad),
        device=None if value.device.type == "cpu" else value.device.type,
    )
    if value.is_meta or value.numel() > MAX_VALUES or value.layout != torch.strided:
        return described  # no numbers to send: none exist, too many, or not a plain tensor
    data = value.detach().cpu()
    if data.is_complex():
        array = np.full(tuple(data.shape), np.nan)
    elif data.dtype in (torch.bfloat16,):  # dtypes NumPy lacks
        array = data.to(torch.float64).numpy()
    else:
        array = data.numpy()
    return replace(described, value=_plain_array(array))


def _describe(value: Any, depth: int) -> Value:
    if value is None:
        return Value("NoneType")
    if isinstance(value, torch.Tensor):
        return _describe_tensor(value)
    if isinstance(value, np.ndarray):
        described = Value("ndarray", dtype=value.dtype.name, shape=tuple(value.shape))
        return described if value.size > MAX_VALUES else replace(described, value=_plain_array(value))
    if isinstance(value, (bool, np.bool_)):
        return Value("bool", value=bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf if value > 0 else -math.inf
        return Value(_type_name(value), value=number)
    if isinstance(value, (list, tuple)):
        items = tuple(_describe(item, depth + 1) for item in value[:MAX_ITEMS]) if depth < MAX_DEPTH else None
        return Value(_type_name(value), length=len(value), items=items)
    return Value(_type_name(value))


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
