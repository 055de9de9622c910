"""How a probe's answer is judged against the reference's answer for the same call.

Each comparison reads the answer at the keys it `observes` (values.py), gives a verdict with a
message a student can act on (words.py), and says whether an answer matches another one (used to
recognise a known mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.values import alike, at, kind, numbers
from autograder.checks.words import expected_then, form, holding, raised, show, subject
from autograder.i18n import _, listing
from autograder.sandboxed.answers import Failed, Result


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str = ""


class Comparison:
    """Decides whether a result is right; `matches` tells whether it equals another result."""

    accepts_error = False  # whether an exception from the student's code is the expected answer

    @property
    def observes(self) -> tuple[str, ...]:
        """The keys of a result this comparison reads."""
        return (self.key,)

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        raise NotImplementedError

    def matches(self, got: Result, other: Result) -> bool:
        return self.verdict(got, other, "").passed


@dataclass(frozen=True)
class Close(Comparison):
    """The numbers at `key` equal the reference's within rtol/atol, in the same shape.

    Only values are judged here: an ndarray where a tensor is expected, a tensor where a float
    is expected, or a tuple for a list, is the business of the check on the result's form.
    """

    key: str = "out"
    rtol: float = 1e-5
    atol: float = 1e-7

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        g_numbers, e_numbers = numbers(g), numbers(e)
        said = expected_then(show(e), subject(self.key, fn, got, show(g)))
        if g_numbers is None:
            return Verdict(False, said)
        if e_numbers.shape == () and g_numbers.size == 1:  # one number, as a float, a 0-dim or a 1-element tensor
            g_numbers = g_numbers.reshape(())
        if g_numbers.shape != e_numbers.shape:
            return Verdict(
                False,
                _("{message} (shape {got} instead of {expected})").format(
                    message=said, got=g_numbers.shape, expected=e_numbers.shape
                ),
            )
        if np.allclose(g_numbers, e_numbers, rtol=self.rtol, atol=self.atol, equal_nan=True):
            return Verdict(True)
        bad = ~np.isfinite(g_numbers) & np.isfinite(e_numbers)
        if bad.any():
            return Verdict(
                False, _("{message} ({count} value(s) nan or inf)").format(message=said, count=int(bad.sum()))
            )
        return Verdict(
            False,
            _("{message} (largest difference {difference})").format(
                message=said, difference=f"{np.abs(g_numbers - e_numbers).max():.3g}"
            ),
        )


@dataclass(frozen=True)
class SameForm(Comparison):
    """What came back at `key` has the reference's form: type, dtype and shape (or length).

    With key "outs", one result per input of a `call_each` probe, each input named in `inputs`.
    """

    key: str = "out"
    fields: tuple[str, ...] = ("type", "dtype", "shape")
    inputs: tuple[str, ...] = ()

    def _differs(self, got: Any, expected: Any) -> bool:
        return kind(got) == "nothing" or any(getattr(got, name) != getattr(expected, name, None) for name in self.fields)

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        pairs = list(zip(self.inputs, g, e)) if self.inputs and isinstance(g, tuple) else [("", g, e)]
        for given, g_item, e_item in pairs:
            if isinstance(g_item, Failed):
                return Verdict(False, _for(given, raised(fn, g_item.error.type, g_item.error.message)))
            if self._differs(g_item, e_item):
                said = expected_then(
                    self._extra(e_item, form(e_item)), subject(self.key, fn, got, self._extra(g_item, show(g_item)))
                )
                return Verdict(False, _for(given, said) if given else said)
        return Verdict(True)

    def _extra(self, described: Any, said: str) -> str:
        """said, and whether the value requires grad when that is part of its form."""
        if "requires_grad" in self.fields and getattr(described, "requires_grad", None):
            return _("{value} that requires grad").format(value=said)
        return said

    def matches(self, got: Result, other: Result) -> bool:
        g, o = at(got, self.key), at(other, self.key)
        pairs = zip(g, o) if self.inputs and isinstance(g, tuple) and isinstance(o, tuple) else [(g, o)]
        return all(not self._differs(a, b) for a, b in pairs)


@dataclass(frozen=True)
class Equal(Comparison):
    """The plain value at `key` equals the reference's (a count, a layer's shape, a flag).

    `says` is the sentence for a mismatch, with {fn}, {got} and {expected}.
    """

    key: str
    says: str

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        if g == e:
            return Verdict(True)
        return Verdict(False, _(self.says).format(fn=fn, got=_plain(g), expected=_plain(e)))


def _for(given: str, message: str) -> str:
    """A message about the call on one named input."""
    return _("for {input}: {message}").format(input=given, message=message)


def _plain(value: Any) -> str:
    """A plain value as code shows it: a shape as a tuple "(3, 1)", None as "nothing"."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(map(str, value)) + ")"
    return _("nothing") if value is None else str(value)


class Property(Comparison):
    """A property of the student's result alone; two results match when their observed values are alike."""

    def holds(self, result: Result) -> bool:
        raise NotImplementedError

    def failure(self, got: Result, fn: str) -> str:
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

    def failure(self, got: Result, fn: str) -> str:
        return _("`{fn}` returned a {name} that is not a single number: {name} must be a float").format(
            fn=fn, name=self.name
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

    def failure(self, got: Result, fn: str) -> str:
        return _("`{fn}` returned a history whose last loss is not below its first: the loss did not fall").format(
            fn=fn
        )


@dataclass(frozen=True)
class Shuffled(Property):
    """Two seeds give two different loss histories, as shuffled mini-batches do."""

    observes = ("history", "repeat_history")

    def holds(self, result: Result) -> bool:
        first, second = _losses(result, "history"), _losses(result, "repeat_history")
        return first.size > 0 and first.shape == second.shape and not np.allclose(first, second, rtol=1e-6, atol=0)

    def failure(self, got: Result, fn: str) -> str:
        return _("`{fn}` returned the same losses under two seeds: the mini-batches are not shuffled").format(fn=fn)


@dataclass(frozen=True)
class ItemsOfType(Property):
    """Every item of the sequence at `key` is of type `type` (e.g. Python floats in a loss history)."""

    key: str
    type: str
    says: str  # what the items should be, in words

    def holds(self, result: Result) -> bool:
        value = at(result, self.key)
        return all(item.type == self.type for item in getattr(value, "items", None) or ())

    def failure(self, got: Result, fn: str) -> str:
        value = at(got, self.key)
        found = sorted({form(item) for item in getattr(value, "items", None) or () if item.type != self.type})
        said = subject(self.key, fn, got, holding(form(value), found[:3]))
        return _("{message}; expected {items}").format(message=said, items=_(self.says))


@dataclass(frozen=True)
class Raises(Comparison):
    """The call raises `error` with a message mentioning `mentioning`, as the reference does."""

    error: str
    mentioning: str
    key: str = "out"
    accepts_error = True

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        error = got.error
        wanted = _("{error} mentioning '{text}'").format(error=self.error, text=self.mentioning)
        if error is None:
            return Verdict(False, expected_then(wanted, subject(self.key, fn, got, show(at(got, self.key)))))
        if error.type != self.error or self.mentioning not in error.message.lower():
            return Verdict(False, expected_then(wanted, raised(fn, error.type, error.message)))
        return Verdict(True)

    def matches(self, got: Result, other: Result) -> bool:
        return got.error is None and other.error is None and alike(at(got, self.key), at(other, self.key))


@dataclass(frozen=True)
class AllOf(Comparison):
    """Every part holds; the first failing part gives the message."""

    parts: tuple[Comparison, ...]

    @property
    def observes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for part in self.parts for key in part.observes))

    @property
    def accepts_error(self) -> bool:
        return any(part.accepts_error for part in self.parts)

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        for part in self.parts:
            verdict = part.verdict(got, expected, fn)
            if not verdict.passed:
                return verdict
        return Verdict(True)

    def matches(self, got: Result, other: Result) -> bool:
        return all(part.matches(got, other) for part in self.parts)


def all_of(*parts: Comparison) -> AllOf:
    return AllOf(parts)


@dataclass(frozen=True)
class Finite(Property):
    """Every number at `key` is finite (no nan, no inf)."""

    key: str = "out"

    def holds(self, result: Result) -> bool:
        values = numbers(at(result, self.key))
        return values is not None and bool(np.isfinite(values).all())

    def failure(self, got: Result, fn: str) -> str:
        value = at(got, self.key)
        said = subject(self.key, fn, got, show(value))
        if numbers(value) is None:
            return _("expected numbers") + "\n" + said
        return _("{message}: nan or inf where every value should be finite").format(message=said)


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

    def failure(self, got: Result, fn: str) -> str:
        if at(got, self.key) is True:
            return _(
                "`{fn}` gave another answer when called again on the same input ({value}): "
                "it changed its input in place; compute a new tensor or array instead"
            ).format(fn=fn, value=show(got.again))
        return _("`{fn}` changed its input in place: compute a new tensor or array instead").format(fn=fn)


@dataclass(frozen=True)
class CameThrough(Close):
    """The result went through `via`: it equals the reference's computed with a secretly marked stand-in for `via`."""

    via: str = ""

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        verdict = super().verdict(got, expected, fn)
        if verdict.passed:
            return verdict
        return Verdict(
            False,
            _(
                "`{fn}` did not compute its result through `{via}`: the grader's stand-in for "
                "`{via}` leaves a mark that its result does not show\n{message}"
            ).format(fn=fn, via=self.via, message=verdict.detail),
        )


@dataclass(frozen=True)
class OwnCode(Property):
    """The call used none of the built-ins its exercise replaces."""

    key: str = "forbidden"

    def holds(self, result: Result) -> bool:
        return not at(result, self.key)

    def failure(self, got: Result, fn: str) -> str:
        return _("`{fn}` called {names}, which this exercise asks you to write yourself").format(
            fn=fn, names=listing([str(name) for name in at(got, self.key)])
        )


@dataclass(frozen=True)
class RelativeError(Comparison):
    """|got - expected| / (|got| + |expected|) stays within bound for every number at `key`."""

    key: str
    bound: float

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        g_value, e_value = at(got, self.key), at(expected, self.key)
        g, e = numbers(g_value), numbers(e_value)
        said = expected_then(show(e_value), subject(self.key, fn, got, show(g_value)))
        if g is None or g.size != e.size:
            return Verdict(False, said)
        g = g.reshape(e.shape)
        with np.errstate(all="ignore"):
            error = float(
                np.nan_to_num(np.max(np.abs(g - e) / np.maximum(np.abs(g) + np.abs(e), 1e-12), initial=0), nan=np.inf)
            )
        if error <= self.bound:
            return Verdict(True)
        return Verdict(
            False,
            _("{message} (relative error {error}; at most {bound} allowed)").format(
                message=said, error=f"{error:.2g}", bound=f"{self.bound:g}"
            ),
        )


@dataclass(frozen=True)
class NoWarnings(Property):
    """NumPy raised no warning (overflow, division by zero, invalid value) during the call."""

    key: str = "warnings"

    def holds(self, result: Result) -> bool:
        return not at(result, self.key)

    def failure(self, got: Result, fn: str) -> str:
        return _("NumPy warned during `{fn}`: {warnings}").format(fn=fn, warnings="; ".join(map(str, at(got, self.key))))
