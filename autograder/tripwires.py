"""Built-ins the exercises replace; in the child, calling one is recorded."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch

# Dotted owner, attribute, the name shown to the student.
FORBIDDEN: tuple[tuple[Any, str, str], ...] = (
    (torch, "sigmoid", "torch.sigmoid"),
    (torch.Tensor, "sigmoid", "Tensor.sigmoid"),
    (torch.Tensor, "sigmoid_", "Tensor.sigmoid_"),
    (torch.special, "expit", "torch.special.expit"),
    (torch.nn.functional, "sigmoid", "torch.nn.functional.sigmoid"),
    (torch.nn.Sigmoid, "forward", "torch.nn.Sigmoid"),
    (torch.nn.functional, "binary_cross_entropy", "torch.nn.functional.binary_cross_entropy"),
    (torch.nn.BCELoss, "forward", "torch.nn.BCELoss"),
)

# The unpatched built-ins, captured at import so harness code can still use them.
ORIGINALS: dict[str, Callable] = {shown: getattr(owner, attr) for owner, attr, shown in FORBIDDEN}

_calls: list[str] = []


def _recording(shown: str, original: Callable) -> Callable:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _calls.append(shown)
        return original(*args, **kwargs)

    return wrapper


def install() -> None:
    """Patch every forbidden built-in so that a call to it is recorded (child only)."""
    for owner, attr, shown in FORBIDDEN:
        setattr(owner, attr, _recording(shown, ORIGINALS[shown]))


def take_calls() -> list[str]:
    """The forbidden built-ins called since the last take, each named once."""
    called = sorted(set(_calls))
    _calls.clear()
    return called
