"""The vocabulary in which exercises declare their checks: probes, mistakes, checks."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from autograder.checks.compare import Comparison
from autograder.sandboxed import wire
from autograder.sandboxed.answers import Result

TORCH_OUT = "torch"  # the stand-in (sandboxed/standins.py) for the name torch in the NumPy track: out of reach


@dataclass(frozen=True)
class Probe:
    """One call the grader makes on a submission: a probe of sandboxed/probes.py and its plain arguments."""

    name: str
    needs: str  # the student's function or class it exercises
    args: dict[str, Any]
    deadline_s: float = 10.0

    @property
    def key(self) -> str:
        """Identifies the call, so a result is computed once and shared by several checks."""
        return wire.dumps([self.name, self.args])


def tensor_call(fn: str, *args: np.ndarray, grad_of: int | None = None, again: bool = False) -> Probe:
    """Call a torch exercise function on tensors made from args (backpropagate into one; call twice with again)."""
    return Probe("call", fn, {"fn": fn, "args": list(args), "grad_of": grad_of, "again": again})


def numpy_call(
    fn: str, *args: Any, deadline_s: float = 10.0, stand_ins: tuple[str, ...] = (), again: bool = False, **kwargs: Any
) -> Probe:
    """Call a NumPy exercise function, with correct stand-ins for the functions named
    in stand_ins (twice with again).

    The NumPy track computes gradients by hand: during the call, the name torch in the student's modules
    stands for an object that raises on every use (sandboxed/standins.py), so a function that reaches torch
    earns none of its points, unless the assignment file lifts it (Check.torch_allowed).
    """
    return Probe(
        "call_np",
        fn,
        {"fn": fn, "args": list(args), "kwargs": kwargs, "stand_ins": [*stand_ins, TORCH_OUT], "again": again},
        deadline_s,
    )


def calls_each(fn: str, *arg_sets: tuple[np.ndarray, ...], tensors: bool = True) -> Probe:
    """Call an exercise function once per argument set, to see the form of each result."""
    return Probe("call_each", fn, {"fn": fn, "arg_sets": [list(args) for args in arg_sets], "tensors": tensors})


@dataclass(frozen=True)
class Mistake:
    """A known wrong solution: reference names replaced by buggy versions (trusted code),
    or, where its outputs cannot be listed in advance, a test that recognises them."""

    id: str
    replace: dict[str, Callable] = field(default_factory=dict)
    recognise: Callable[[Result, Probe], bool] | None = None
    result: Result | None = field(
        default=None, compare=False
    )  # its recorded output, in a student release (no solutions there)


@dataclass(frozen=True)
class Check:
    """One graded property of one exercise, declared as data."""

    id: str
    points: float
    does: str  # what is called, in the student's terms, shown when the check fails
    probe: Probe | Callable[[np.random.Generator], Probe]
    compare: Comparison
    mistakes: tuple[Mistake, ...] = ()
    expect: Callable[[Probe], Result] | None = None  # the right answer when not the reference's result
    hidden: bool = False  # shown to students only once the grades are published
    requires: str | None = None  # a check of the same exercise whose right answer this check's points need
    gate: bool = False  # when it does not pass, every other check of its exercise scores 0 (set by an assignment file)
    draws_as: str | None = None  # the check whose inputs this one draws, so that the two share one call
    torch_allowed: bool = False  # a NumPy-track call reaches torch (set by an assignment file; see numpy_call)

    def probe_for(self, seed: int) -> Probe:
        """The probe, with random inputs drawn from the seed and the check id (or draws_as)."""
        probe = (
            self.probe
            if isinstance(self.probe, Probe)
            else self.probe(np.random.default_rng([seed, zlib.crc32((self.draws_as or self.id).encode())]))
        )
        if self.torch_allowed and TORCH_OUT in probe.args.get("stand_ins", ()):
            stand_ins = [name for name in probe.args["stand_ins"] if name != TORCH_OUT]
            return replace(probe, args={**probe.args, "stand_ins": stand_ins})
        return probe


@dataclass(frozen=True)
class Exercise:
    """A numbered exercise: the module students edit, the names it defines, its checks."""

    number: int
    module: str
    title: str
    names: tuple[str, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def points(self) -> float:
        return sum(check.points for check in self.checks)

    def check(self, check_id: str) -> Check:
        """The declared check with this id."""
        return next(check for check in self.checks if check.id == check_id)
