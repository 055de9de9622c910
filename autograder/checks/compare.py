"""How a probe result is judged against the reference's result for the same call.

Each comparison gives a verdict with a message a student can act on, and says
whether a result matches another one (used to recognise a known mistake).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.data import digits_7_vs_9

SCALARS = {"float", "int", "float64", "float32", "int64", "int32"}
SHOWN_NUMBERS = 6


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str = ""


def at(result: dict, path: str) -> Any:
    """The value at a dotted path such as "out", "grad" or "out.items.0"."""
    value: Any = result
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def kind(described: Any) -> str:
    """tensor, ndarray, scalar, list, tuple or another type name."""
    if not isinstance(described, dict):
        return "nothing"
    return "scalar" if described.get("type") in SCALARS else str(described.get("type"))


def numbers(described: Any) -> np.ndarray | None:
    """The numbers in a described value, or None when it holds none."""
    if kind(described) in ("tensor", "ndarray", "scalar", "bool"):
        return np.asarray(described["value"], dtype=np.float64)
    if kind(described) in ("list", "tuple"):
        items = [numbers(item) for item in described["items"]]
        if all(item is not None and item.size == 1 for item in items):
            return np.array([float(item.reshape(())) for item in items])
    return None


def show(described: Any) -> str:
    """A short, readable rendering of a described value."""
    values = numbers(described)
    what = kind(described)
    if what == "scalar":
        return f"{float(values):.6g}"
    if values is None:
        return f"a {described.get('type')}" if isinstance(described, dict) else "nothing"
    flat = values.ravel()
    shown = ", ".join(f"{v:.4g}" for v in flat[:SHOWN_NUMBERS]) + (", ..." if flat.size > SHOWN_NUMBERS else "")
    if what in ("list", "tuple"):
        return f"{what} of {described['length']}: [{shown}]"
    return f"{what} of shape {tuple(described['shape'])}, {described['dtype']}: [{shown}]"


class Comparison:
    """Decides whether a result is right; `matches` tells whether it equals another result."""

    accepts_error = False  # whether an exception from the student's code is the expected answer

    def verdict(self, got: dict, expected: dict) -> Verdict:
        raise NotImplementedError

    def matches(self, got: dict, other: dict) -> bool:
        return self.verdict(got, other).passed


@dataclass(frozen=True)
class Close(Comparison):
    """The numbers at `key` equal the reference's within rtol/atol, with the same kind and shape."""

    key: str = "out"
    rtol: float = 1e-5
    atol: float = 1e-7

    def verdict(self, got: dict, expected: dict) -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        g_numbers, e_numbers = numbers(g), numbers(e)
        one_number = kind(e) == "scalar" and g_numbers is not None and g_numbers.size == 1
        if kind(g) != kind(e) and not one_number and not {kind(g), kind(e)} <= {"scalar", "ndarray"}:
            return Verdict(False, f"expected {_a(kind(e))}, got {_a(kind(g))}: {show(g)}")
        if one_number:
            g_numbers = g_numbers.reshape(e_numbers.shape)
        if g_numbers is None:
            return Verdict(False, f"expected {show(e)}, got {show(g)}")
        if g_numbers.shape != e_numbers.shape:
            return Verdict(False, f"expected shape {e_numbers.shape}, got shape {g_numbers.shape}: {show(g)}")
        if np.allclose(g_numbers, e_numbers, rtol=self.rtol, atol=self.atol, equal_nan=True):
            return Verdict(True)
        detail = f"expected {show(e)}, got {show(g)}"
        bad = ~np.isfinite(g_numbers) & np.isfinite(e_numbers)
        if bad.any():
            return Verdict(False, f"{detail} ({int(bad.sum())} value(s) nan or inf)")
        error = np.abs(g_numbers - e_numbers)
        return Verdict(False, f"{detail} (largest difference {error.max():.3g})")


@dataclass(frozen=True)
class Equal(Comparison):
    """The plain value at `key` equals the reference's (a dtype, a shape, a length, a flag)."""

    key: str
    what: str

    def verdict(self, got: dict, expected: dict) -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        if g == e:
            return Verdict(True)
        return Verdict(False, f"{self.what}: expected {_plain(e)}, got {_plain(g)}")


class Property(Comparison):
    """A property of the student's result alone; two results match when they agree on it."""

    def holds(self, result: dict) -> bool:
        raise NotImplementedError

    def failure(self, got: dict) -> str:
        raise NotImplementedError

    def verdict(self, got: dict, expected: dict) -> Verdict:
        return Verdict(True) if self.holds(got) else Verdict(False, self.failure(got))

    def matches(self, got: dict, other: dict) -> bool:
        return self.holds(got) == self.holds(other)


@dataclass(frozen=True)
class Holds(Property):
    """A property given as a function of the result, with a fixed failure message."""

    test: Callable[[dict], bool]
    says: str

    def holds(self, result: dict) -> bool:
        return bool(self.test(result))

    def failure(self, got: dict) -> str:
        return self.says


@dataclass(frozen=True)
class Raises(Comparison):
    """The call raises `error` with a message mentioning `mentioning`, as the reference does."""

    error: str
    mentioning: str
    accepts_error = True

    def verdict(self, got: dict, expected: dict) -> Verdict:
        raised = got.get("error")
        if raised is None:
            return Verdict(False, f"expected {self.error}, but it returned {show(got.get('out'))}")
        if raised["type"] != self.error or self.mentioning not in raised["message"].lower():
            return Verdict(False, f"expected {self.error} mentioning '{self.mentioning}', got {raised['type']}: {raised['message']}")
        return Verdict(True)

    def matches(self, got: dict, other: dict) -> bool:
        return "error" not in got and "error" not in other and Close().verdict(got, other).passed


@dataclass(frozen=True)
class AllOf(Comparison):
    """Every part holds; the first failing part gives the message."""

    parts: tuple[Comparison, ...]

    def verdict(self, got: dict, expected: dict) -> Verdict:
        for part in self.parts:
            verdict = part.verdict(got, expected)
            if not verdict.passed:
                return verdict
        return Verdict(True)

    def matches(self, got: dict, other: dict) -> bool:
        return all(part.matches(got, other) for part in self.parts)


def all_of(*parts: Comparison) -> AllOf:
    return AllOf(parts)


def _a(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" or what == "ndarray" else f"a {what}"


def _plain(value: Any) -> str:
    return "(" + ", ".join(map(str, value)) + ")" if isinstance(value, list) else str(value)


@dataclass(frozen=True)
class Finite(Property):
    """Every number at `key` is finite (no nan, no inf)."""

    key: str = "out"

    def holds(self, result: dict) -> bool:
        values = numbers(at(result, self.key))
        return values is not None and bool(np.isfinite(values).all())

    def failure(self, got: dict) -> str:
        return f"the {self.key.split('.')[0]} holds nan or inf: {show(at(got, self.key))}"


class InputsUnchanged(Property):
    """The call left its input arrays or tensors as they were."""

    def holds(self, result: dict) -> bool:
        return bool(result.get("inputs_unchanged"))

    def failure(self, got: dict) -> str:
        return "the call changed its input in place: compute a new tensor or array instead"


class OwnCode(Property):
    """The call used none of the built-ins its exercise replaces."""

    def holds(self, result: dict) -> bool:
        return not result.get("forbidden")

    def failure(self, got: dict) -> str:
        return f"it called {', '.join(got['forbidden'])}, which this exercise asks you to write yourself"


@dataclass(frozen=True)
class HeldOutAccuracy(Comparison):
    """Trained weights reach the reference's accuracy, less a margin, on the held-out digits."""

    weight: str = "weight"
    bias: str = "bias"
    margin: float = 0.03

    def accuracy(self, result: dict) -> float | None:
        """Accuracy on the test split, computed here: the child never sees that split."""
        split = digits_7_vs_9()
        w, b = numbers(at(result, self.weight)), numbers(at(result, self.bias))
        if w is None or b is None or w.size != split.x_test.shape[1] or b.size != 1:
            return None
        predicted_nine = split.x_test @ w.reshape(-1) + float(b.reshape(())) >= 0  # sigma(z) >= 0.5
        return float((predicted_nine == (split.y_test.ravel() == 1)).mean())

    def verdict(self, got: dict, expected: dict) -> Verdict:
        reached, reference = self.accuracy(got), self.accuracy(expected)
        if reached is None:
            return Verdict(False, "the trained weights are missing or have the wrong shape")
        needed = reference - self.margin
        if reached >= needed:
            return Verdict(True)
        return Verdict(False, f"held-out accuracy {reached:.3f}; at least {needed:.3f} needed (the reference reaches {reference:.3f})")


@dataclass(frozen=True)
class RelativeError(Comparison):
    """|got - expected| / (|got| + |expected|) stays within bound for every number at `key`."""

    key: str
    bound: float

    def verdict(self, got: dict, expected: dict) -> Verdict:
        g, e = numbers(at(got, self.key)), numbers(at(expected, self.key))
        if g is None or g.size != e.size:
            return Verdict(False, f"expected {show(at(expected, self.key))}, got {show(at(got, self.key))}")
        g = g.reshape(e.shape)
        error = float(np.max(np.abs(g - e) / np.maximum(np.abs(g) + np.abs(e), 1e-12), initial=0))
        if error <= self.bound:
            return Verdict(True)
        return Verdict(False, f"relative error {error:.2g} (at most {self.bound:g} allowed): expected {show(at(expected, self.key))}, got {show(at(got, self.key))}")


class NoWarnings(Property):
    """NumPy raised no warning (overflow, division by zero, invalid value) during the call."""

    def holds(self, result: dict) -> bool:
        return not result.get("warnings")

    def failure(self, got: dict) -> str:
        return f"NumPy warned: {'; '.join(got['warnings'])}"
