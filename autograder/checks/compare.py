"""How a probe's answer is judged against the reference's answer for the same call.

Each comparison reads the answer at the keys it `observes` (values.py), gives a verdict with a
message a student can act on (words.py), and says whether an answer matches another one (used to
recognise a known mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.values import alike, at, is_of_type, kind, numbers
from autograder.checks.words import expected_then, form, raised, show, subject
from autograder.i18n.messages import Value, message
from autograder.sandboxed.answers import Failed, Result


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: Value = ""


class Comparison:
    """Decides whether a result is right; `matches` tells whether it equals another result.

    A comparison that reads one key declares it as its field `key`; one that reads others overrides `observes`.
    """

    key: str  # the key of a result it reads, declared by each subclass that does not override `observes`

    @property
    def accepts_error(self) -> bool:
        """Whether an exception from the student's code is the expected answer."""
        return False

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
    """The numbers at `key` equal the reference's within rtol/atol, read in the reference's order.

    Only values are judged here: as many numbers in another shape ((N,) for (N, 1), a 1-element tensor
    for a float), an ndarray where a tensor is expected, or a tuple for a list, is the business of the
    check on the result's form.
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
        assert e_numbers is not None, "the expected answer (the reference's or a known mistake's) holds numbers"
        if g_numbers.size != e_numbers.size:
            return Verdict(
                False,
                message(
                    "{message} (shape {got} instead of {expected})",
                    message=said,
                    got=str(g_numbers.shape),
                    expected=str(e_numbers.shape),
                ),
            )
        g_numbers = g_numbers.reshape(e_numbers.shape)  # as many numbers in another shape: the form check owns it
        if np.allclose(g_numbers, e_numbers, rtol=self.rtol, atol=self.atol, equal_nan=True):
            return Verdict(True)
        bad = ~np.isfinite(g_numbers) & np.isfinite(e_numbers)
        if bad.any():
            return Verdict(
                False, message("{message} ({count} value(s) nan or inf)", message=said, count=int(bad.sum()))
            )
        return Verdict(
            False,
            message(
                "{message} (largest difference {difference})",
                message=said,
                difference=format(np.abs(g_numbers - e_numbers).max(), ".3g"),
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
        """Whether got's form differs in a field; its type is judged by isinstance (is_of_type): np.float64 is
        the Python float a contract asks for, np.float32 is not."""
        return kind(got) == "nothing" or any(
            not is_of_type(got, getattr(expected, "type", None))
            if name == "type"
            else getattr(got, name) != getattr(expected, name, None)
            for name in self.fields
        )

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        pairs = list(zip(self.inputs, g, e, strict=True)) if self.inputs and isinstance(g, tuple) else [("", g, e)]
        for given, g_item, e_item in pairs:
            if isinstance(g_item, Failed):
                return Verdict(False, _for(given, raised(fn, g_item.error.type, g_item.error.message)))
            if self._differs(g_item, e_item):
                said = expected_then(
                    self._extra(e_item, form(e_item)), subject(self.key, fn, got, self._extra(g_item, show(g_item)))
                )
                return Verdict(False, _for(given, said) if given else said)
        return Verdict(True)

    def _extra(self, described: Any, said: Value) -> Value:
        """said, and whether the value requires grad when that is part of its form."""
        if "requires_grad" in self.fields and getattr(described, "requires_grad", None):
            return message("{value} that requires grad", value=said)
        return said

    def matches(self, got: Result, other: Result) -> bool:
        g, o = at(got, self.key), at(other, self.key)
        pairs = zip(g, o, strict=True) if self.inputs and isinstance(g, tuple) and isinstance(o, tuple) else [(g, o)]
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
        return Verdict(False, message(self.says, fn=fn, got=_plain(g), expected=_plain(e)))


def _for(given: str, said: Value) -> Value:
    """A message about the call on one named input."""
    return message("for {input}: {message}", input=given, message=said)


def _plain(value: Any) -> Value:
    """A plain value as code shows it: a shape as a tuple "(3, 1)", None as "nothing"."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(map(str, value)) + ")"
    return message("nothing") if value is None else str(value)


@dataclass(frozen=True)
class Raises(Comparison):
    """The call raises `error` with a message mentioning `mentioning`, as the reference does."""

    error: str
    mentioning: str
    key: str = "out"
    accepts_error = True

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        error = got.error
        wanted = message("{error} mentioning '{text}'", error=self.error, text=self.mentioning)
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
class CameThrough(Close):
    """The result went through `via`: it equals the reference's computed with a secretly marked stand-in for `via`."""

    via: str = ""

    def verdict(self, got: Result, expected: Result, fn: str = "the function") -> Verdict:
        verdict = super().verdict(got, expected, fn)
        if verdict.passed:
            return verdict
        return Verdict(
            False,
            message(
                "`{fn}` did not compute its result through `{via}`: the grader's stand-in for "
                "`{via}` leaves a mark that its result does not show\n{message}",
                fn=fn,
                via=self.via,
                message=verdict.detail,
            ),
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
        if g is None:
            return Verdict(False, said)
        assert e is not None, "the expected answer (the reference's or a known mistake's) holds numbers"
        if g.size != e.size:
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
            message(
                "{message} (relative error {error}; at most {bound} allowed)",
                message=said,
                error=format(error, ".2g"),
                bound=format(self.bound, "g"),
            ),
        )
