"""Properties of the student's answer alone (finite, unchanged inputs, own code, a falling loss, ...): checks that
need no reference value; two answers match when their observed values are alike."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.checks.compare import Comparison, Verdict
from autograder.checks.values import alike, at, is_of_type, kind, numbers
from autograder.checks.words import form, holding, show, subject
from autograder.i18n.messages import Value, joined, listed, message
from autograder.sandboxed.answers import Result


class Property(Comparison):
    """A property of the student's result alone; two results match when their observed values are alike."""

    def holds(self, result: Result) -> bool:
        raise NotImplementedError

    def failure(self, got: Result, fn: str) -> Value:
        raise NotImplementedError

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        return Verdict(True) if self.holds(got) else Verdict(False, self.failure(got, fn))

    def matches(self, got: Result, other: Result) -> bool:
        return all(alike(at(got, key), at(other, key)) for key in self.observes)


@dataclass(frozen=True)
class SingleNumber(Property):
    """The tuple item at `key` ("out.items.1") is a single number: a float, or a 0-dim array."""

    key: str
    name: str  # the item in the task's terms ("db")

    def holds(self, result: Result) -> bool:
        container, item = at(result, self.key.split(".items.")[0]), at(result, self.key)
        return kind(container) == "tuple" and (kind(item) == "scalar" or getattr(item, "shape", None) == ())

    def failure(self, got: Result, fn: str) -> Value:
        return message(
            "`{fn}` returned a {name} that is not a single number: {name} must be a float", fn=fn, name=self.name
        )


def _losses(result: Result, key: str) -> np.ndarray:
    values = numbers(at(result, key))
    return np.array([]) if values is None else values


@dataclass(frozen=True)
class LossFalls(Property):
    """The last loss of the history at `key` is finite and below the first."""

    key: str = "history"

    def holds(self, result: Result) -> bool:
        losses = _losses(result, self.key)
        return losses.size > 1 and bool(np.isfinite(losses[-1])) and losses[-1] < losses[0]

    def failure(self, got: Result, fn: str) -> Value:
        return message("`{fn}` returned a history whose last loss is not below its first: the loss did not fall", fn=fn)


@dataclass(frozen=True)
class Shuffled(Property):
    """Two seeds give two different loss histories, as shuffled mini-batches do."""

    observes = ("history", "repeat_history")

    def holds(self, result: Result) -> bool:
        first, second = _losses(result, "history"), _losses(result, "repeat_history")
        return first.size > 0 and first.shape == second.shape and not np.allclose(first, second, rtol=1e-6, atol=0)

    def failure(self, got: Result, fn: str) -> Value:
        return message("`{fn}` returned the same losses under two seeds: the mini-batches are not shuffled", fn=fn)


@dataclass(frozen=True)
class ItemsOfType(Property):
    """Every item of the sequence at `key` is of type `type` by isinstance (e.g. Python floats in a loss history:
    np.float64, a float subclass, is one; np.float32 is not)."""

    key: str
    type: str
    says: str  # what the items should be, in words

    def holds(self, result: Result) -> bool:
        value = at(result, self.key)
        return all(is_of_type(item, self.type) for item in getattr(value, "items", None) or ())

    def failure(self, got: Result, fn: str) -> Value:
        value = at(got, self.key)
        found = list(
            dict.fromkeys(form(item) for item in getattr(value, "items", None) or () if not is_of_type(item, self.type))
        )
        said = subject(self.key, fn, got, holding(form(value), found[:3]))
        return message("{message}; expected {items}", message=said, items=message(self.says))


@dataclass(frozen=True)
class Finite(Property):
    """Every number at `key` is finite (no nan, no inf)."""

    key: str = "out"

    def holds(self, result: Result) -> bool:
        values = numbers(at(result, self.key))
        return values is not None and bool(np.isfinite(values).all())

    def failure(self, got: Result, fn: str) -> Value:
        value = at(got, self.key)
        said = subject(self.key, fn, got, show(value))
        if numbers(value) is None:
            return joined(message("expected numbers"), said, separator="\n")
        return message("{message}: nan or inf where every value should be finite", message=said)


@dataclass(frozen=True)
class InputsUnchanged(Property):
    """The call left its inputs as they were: as seen in the child, and, where the probe called again on the
    same inputs, as its second answer shows (an in-place change changes that answer)."""

    key: str = "inputs_unchanged"
    again: bool = True  # the probe called a second time on the same inputs

    @property
    def observes(self) -> tuple[str, ...]:
        return (self.key, "again") if self.again else (self.key,)

    def holds(self, result: Result) -> bool:
        return at(result, self.key) is True and (not self.again or alike(result.again, result.out))

    def failure(self, got: Result, fn: str) -> Value:
        if at(got, self.key) is True:
            return message(
                "`{fn}` gave another answer when called again on the same input ({value}): "
                "it changed its input in place; compute a new tensor or array instead",
                fn=fn,
                value=show(got.again),
            )
        return message("`{fn}` changed its input in place: compute a new tensor or array instead", fn=fn)


@dataclass(frozen=True)
class OwnCode(Property):
    """The call used none of the built-ins its exercise replaces."""

    key: str = "forbidden"

    def holds(self, result: Result) -> bool:
        return not at(result, self.key)

    def failure(self, got: Result, fn: str) -> Value:
        return message(
            "`{fn}` called {names}, which this exercise asks you to write yourself",
            fn=fn,
            names=listed(message(str(name)) for name in at(got, self.key)),  # the review's words said too
        )


@dataclass(frozen=True)
class NoWarnings(Property):
    """NumPy raised no warning (overflow, division by zero, invalid value) during the call."""

    key: str = "warnings"

    def holds(self, result: Result) -> bool:
        return not at(result, self.key)

    def failure(self, got: Result, fn: str) -> Value:
        return message("NumPy warned during `{fn}`: {warnings}", fn=fn, warnings="; ".join(map(str, at(got, self.key))))
