"""Built-ins the exercises replace; in the child, calling one is recorded."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from autograder.sandboxed.forbidden import BUILT_INS


def _owner(module: str, path: str) -> tuple[Any, str]:
    """The object holding a built-in ("torch.nn", "Sigmoid.forward" -> torch.nn.Sigmoid) and its attribute name."""
    owner: Any = importlib.import_module(module)
    *inner, attribute = path.split(".")
    for name in inner:
        owner = getattr(owner, name)
    return owner, attribute


# The owner, its attribute, the name shown to the student.
FORBIDDEN: tuple[tuple[Any, str, str], ...] = tuple((*_owner(module, path), shown) for module, path, shown in BUILT_INS)

# The unpatched built-ins, captured at import so harness code can still use them.
ORIGINALS: dict[str, Callable] = {shown: getattr(owner, attr) for owner, attr, shown in FORBIDDEN}

_calls: list[str] = []


def _recording(shown: str, original: Callable) -> Callable:
    """A tripwire for the built-in shown: records the call, then calls the built-in.

    It holds no record of the original that a submission could read and call unrecorded: no __wrapped__ (as
    functools.wraps would leave), no closure cell with it (its one cell holds the name shown), no attribute of its
    own; it finds the original by name when called. The other routes to it (the wrapper's __globals__, this
    module through sys.modules or a string naming it, gc) are the static review's to flag.
    """

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _calls.append(shown)
        return ORIGINALS[shown](*args, **kwargs)

    functools.update_wrapper(wrapper, original, updated=())  # its name and documentation, for help() and errors
    del wrapper.__wrapped__  # type: ignore[attr-defined]
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
