"""How a probe result is judged against the reference's result for the same call.

Each comparison reads the result at the keys it `observes`, gives a verdict with a
message a student can act on (naming the function that was called), and says
whether a result matches another one (used to recognise a known mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.i18n import N_, _, pgettext

SCALARS = frozenset(
    {"float", "int"} | {np.dtype(code).type.__name__ for code in np.typecodes["AllInteger"] + np.typecodes["Float"]}
)
SEQUENCES = frozenset({"list", "tuple"})
SHOWN_NUMBERS = 6

# What the value at a key was, in the student's terms, as whole sentences (the word order differs between
# languages): {fn} is the function that was called, {value} the value shown, {container} the tuple it came in.
SUBJECTS = {
    "out": N_("`{fn}` returned {value}"),
    "outs": N_("`{fn}` returned {value}"),
    "history": N_("`{fn}` returned {value}"),
    "repeat_history": N_("`{fn}` returned, under a second seed, {value}"),
    "grad": N_("the gradient through `{fn}` was {value}"),
    "weight": N_("after `{fn}`, the weight was {value}"),
    "bias": N_("after `{fn}`, the bias was {value}"),
    "weight_grad": N_("the gradient of self.linear.weight through `{fn}` was {value}"),
    "bias_grad": N_("the gradient of self.linear.bias through `{fn}` was {value}"),
    "again": N_("`{fn}` returned, called again on the same input, {value}"),
    "out.items.0": N_("`{fn}` returned {container} whose first value was {value}"),
    "out.items.1": N_("`{fn}` returned {container} whose second value was {value}"),
    "out.items.2": N_("`{fn}` returned {container} whose third value was {value}"),
}
# What a value is, without its numbers, by its kind; on a device other than the CPU, the second form.
ARRAY_FORMS = {
    "tensor": (N_("a tensor of shape {shape}, {dtype}"), N_("a tensor of shape {shape}, {dtype} on {device}")),
    "ndarray": (N_("an ndarray of shape {shape}, {dtype}"), N_("an ndarray of shape {shape}, {dtype} on {device}")),
}
SEQUENCE_FORMS = {"list": N_("a list of {length}"), "tuple": N_("a tuple of {length}")}
# The key holding what the student's function returned, for each key that depends on it (a gradient of the output).
RETURNED_BY = {
    "out": "out",
    "outs": "outs",
    "history": "history",
    "repeat_history": "repeat_history",
    "again": "out",
    "grad": "out",
    "weight_grad": "out",
    "bias_grad": "out",
}


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str = ""


def at(result: Any, path: str) -> Any:
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


def subject(key: str, fn: str, result: dict | None, value: str) -> str:
    """What the value at key in result was, said with value: "`sigmoid` returned the float 0.5"."""
    container = form(at(result, key.split(".items.")[0])) if ".items." in key else ""
    return _(SUBJECTS[key]).format(fn=fn, container=container, value=value)


def expected_then(expected: str, said: str) -> str:
    """What was expected, then, on the next line, what came instead."""
    return _("expected {expected}").format(expected=expected) + "\n" + said


def raised(fn: str, error: str, message: str) -> str:
    """The exception the student's function raised, in words."""
    return _("`{fn}` raised {error}: {message}").format(fn=fn, error=error, message=message)


def listing(items: Any) -> str:
    """Items in a row, as the language lists them ("a, b, c")."""
    return pgettext("enumeration", ", ").join(items)


def kind(described: Any) -> str:
    """tensor, ndarray, scalar, bool, list, tuple, None, or another type name."""
    if not isinstance(described, dict) or "type" not in described:
        return "nothing"
    name = str(described["type"])
    return "scalar" if name in SCALARS else "None" if name == "NoneType" else name


def numbers(described: Any) -> np.ndarray | None:
    """The numbers in a described value, or None when it holds none."""
    what = kind(described)
    if what in ("tensor", "ndarray", "scalar", "bool"):
        value = described.get("value")
        return None if value is None else np.asarray(value, dtype=np.float64)
    if what in SEQUENCES and "items" in described and described.get("length") == len(described["items"]):
        items = [numbers(item) for item in described["items"]]
        if all(item is not None and item.size == 1 for item in items):
            return np.array([float(item.reshape(())) for item in items])
    return None


def _a(what: str) -> str:
    """An object of the type named what: "a generator", "an object"."""
    article = _("an {type}") if what[:1].lower() in "aeiou" or what == "ndarray" else _("a {type}")
    return article.format(type=what)


def _shape(described: dict) -> str:
    return (
        "("
        + ", ".join(str(n) for n in described.get("shape", []))
        + ("," if len(described.get("shape", [])) == 1 else "")
        + ")"
    )


def form(described: Any) -> str:
    """What a described value is, without its numbers: "a tensor of shape (3, 1), float32"."""
    what = kind(described)
    if what == "nothing":
        return _("nothing")
    if what == "None":
        return "None"
    if what in ARRAY_FORMS:
        on_cpu, on_device = ARRAY_FORMS[what]
        return _(on_device if described.get("device") else on_cpu).format(
            shape=_shape(described), dtype=described.get("dtype"), device=described.get("device")
        )
    if what in SEQUENCES:
        return _(SEQUENCE_FORMS[what]).format(length=described.get("length"))
    if what == "scalar":
        return pgettext("number", "a {type}").format(type=described["type"])
    return _a(str(described["type"]))


def _listed(values: np.ndarray) -> str:
    flat = values.ravel()
    return (
        "[" + ", ".join(f"{v:.4g}" for v in flat[:SHOWN_NUMBERS]) + (", ..." if flat.size > SHOWN_NUMBERS else "") + "]"
    )


def show(described: Any) -> str:
    """A short, readable rendering of a described value: its form and a few of its numbers."""
    what = kind(described)
    values = numbers(described)
    if what == "scalar" and values is not None:
        return _("the {type} {value}").format(type=described["type"], value=f"{float(values):.6g}")
    if what == "bool":
        return _("the {type} {value}").format(type="bool", value=described["value"])
    if what in SEQUENCES and values is None and described.get("items"):
        types = sorted({form(item) for item in described["items"]})
        return holding(form(described), types[:3] + (["..."] if len(types) > 3 else []))
    if values is None:
        if isinstance(described, dict) and described.get("unreadable"):
            return _("{form} ({reason})").format(form=form(described), reason=described["unreadable"])
        return form(described)
    return _("{form}: {numbers}").format(form=form(described), numbers=_listed(values))


def holding(container: str, items: list[str]) -> str:
    """A sequence and the forms of its items: "a list of 2 holding None, a str"."""
    return _("{form} holding {items}").format(form=container, items=listing(items))


def returned_value(result: dict) -> tuple[str, Any] | None:
    """The key and value of what the student's function returned in a probe result, if it holds one."""
    key = next((key for key in ("out", "history", "outs") if key in result), None)
    if key == "outs":  # one result per input: the first one stands for them
        return (key, result[key][0]) if isinstance(result[key], list) and result[key] else None
    return None if key is None else (key, result[key])


def alike(got: Any, other: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """Whether two described values are the same: same form, and the same numbers within tolerance."""
    if kind(got) != kind(other) or form(got) != form(other):
        return False
    if kind(got) in SEQUENCES and "items" in got and "items" in other:
        return len(got["items"]) == len(other["items"]) and all(
            alike(a, b, rtol, atol) for a, b in zip(got["items"], other["items"], strict=True)
        )
    g, o = numbers(got), numbers(other)
    if g is None or o is None:
        return g is None and o is None and got == other
    return g.shape == o.shape and bool(np.allclose(g, o, rtol=rtol, atol=atol, equal_nan=True))


class Comparison:
    """Decides whether a result is right; `matches` tells whether it equals another result."""

    accepts_error = False  # whether an exception from the student's code is the expected answer

    @property
    def observes(self) -> tuple[str, ...]:
        """The keys of a result this comparison reads."""
        return (self.key,)

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        raise NotImplementedError

    def matches(self, got: dict, other: dict) -> bool:
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

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
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
        return not isinstance(got, dict) or any(got.get(name) != expected.get(name) for name in self.fields)

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        pairs = list(zip(self.inputs, g, e)) if self.inputs and isinstance(g, list) else [("", g, e)]
        for given, g_item, e_item in pairs:
            if isinstance(g_item, dict) and "error" in g_item:
                error = g_item["error"]
                return Verdict(False, _for(given, raised(fn, error["type"], error["message"])))
            if self._differs(g_item, e_item):
                said = expected_then(
                    self._extra(e_item, form(e_item)), subject(self.key, fn, got, self._extra(g_item, show(g_item)))
                )
                return Verdict(False, _for(given, said) if given else said)
        return Verdict(True)

    def _extra(self, described: Any, said: str) -> str:
        """said, and whether the value requires grad when that is part of its form."""
        if "requires_grad" in self.fields and isinstance(described, dict) and described.get("requires_grad"):
            return _("{value} that requires grad").format(value=said)
        return said

    def matches(self, got: dict, other: dict) -> bool:
        g, o = at(got, self.key), at(other, self.key)
        pairs = zip(g, o) if self.inputs and isinstance(g, list) and isinstance(o, list) else [(g, o)]
        return all(not self._differs(a, b) for a, b in pairs)


@dataclass(frozen=True)
class Equal(Comparison):
    """The plain value at `key` equals the reference's (a count, a layer's shape, a flag).

    `says` is the sentence for a mismatch, with {fn}, {got} and {expected}.
    """

    key: str
    says: str

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        g, e = at(got, self.key), at(expected, self.key)
        if g == e:
            return Verdict(True)
        return Verdict(False, _(self.says).format(fn=fn, got=_plain(g), expected=_plain(e)))


def _for(given: str, message: str) -> str:
    """A message about the call on one named input."""
    return _("for {input}: {message}").format(input=given, message=message)


def _plain(value: Any) -> str:
    """A plain value as code shows it: a list as a tuple "(3, 1)", None as "nothing"."""
    if isinstance(value, list):
        return "(" + ", ".join(map(str, value)) + ")"
    return _("nothing") if value is None else str(value)


class Property(Comparison):
    """A property of the student's result alone; two results match when their observed values are alike."""

    def holds(self, result: dict) -> bool:
        raise NotImplementedError

    def failure(self, got: dict, fn: str) -> str:
        raise NotImplementedError

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        return Verdict(True) if self.holds(got) else Verdict(False, self.failure(got, fn))

    def matches(self, got: dict, other: dict) -> bool:
        return all(alike(at(got, key), at(other, key)) for key in self.observes)


@dataclass(frozen=True)
class SingleNumber(Property):
    """The tuple item at `key` ("out.items.1") is a single number: a float, or a 0-dim array."""

    key: str
    name: str  # the item in the task's terms ("db")

    def holds(self, result: dict) -> bool:
        container, item = at(result, self.key.split(".items.")[0]), at(result, self.key)
        return (
            kind(container) == "tuple"
            and isinstance(item, dict)
            and (kind(item) == "scalar" or item.get("shape") == [])
        )

    def failure(self, got: dict, fn: str) -> str:
        return _("`{fn}` returned a {name} that is not a single number: {name} must be a float").format(
            fn=fn, name=self.name
        )


def _losses(result: dict, key: str) -> np.ndarray:
    values = numbers(result.get(key))
    return np.array([]) if values is None else values


@dataclass(frozen=True)
class LossFalls(Property):
    """The last loss of the history at `key` is finite and below the first."""

    key: str = "history"

    def holds(self, result: dict) -> bool:
        losses = _losses(result, self.key)
        return losses.size > 1 and bool(np.isfinite(losses[-1])) and losses[-1] < losses[0]

    def failure(self, got: dict, fn: str) -> str:
        return _("`{fn}` returned a history whose last loss is not below its first: the loss did not fall").format(
            fn=fn
        )


@dataclass(frozen=True)
class Shuffled(Property):
    """Two seeds give two different loss histories, as shuffled mini-batches do."""

    observes = ("history", "repeat_history")

    def holds(self, result: dict) -> bool:
        first, second = _losses(result, "history"), _losses(result, "repeat_history")
        return first.size > 0 and first.shape == second.shape and not np.allclose(first, second, rtol=1e-6, atol=0)

    def failure(self, got: dict, fn: str) -> str:
        return _("`{fn}` returned the same losses under two seeds: the mini-batches are not shuffled").format(fn=fn)


@dataclass(frozen=True)
class ItemsOfType(Property):
    """Every item of the sequence at `key` is of type `type` (e.g. Python floats in a loss history)."""

    key: str
    type: str
    says: str  # what the items should be, in words

    def holds(self, result: dict) -> bool:
        items = at(result, self.key) or {}
        return all(isinstance(item, dict) and item.get("type") == self.type for item in items.get("items", []))

    def failure(self, got: dict, fn: str) -> str:
        value = at(got, self.key)
        found = sorted({form(item) for item in value.get("items", []) if item.get("type") != self.type})
        said = subject(self.key, fn, got, holding(form(value), found[:3]))
        return _("{message}; expected {items}").format(message=said, items=_(self.says))


@dataclass(frozen=True)
class Raises(Comparison):
    """The call raises `error` with a message mentioning `mentioning`, as the reference does."""

    error: str
    mentioning: str
    key: str = "out"
    accepts_error = True

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        error = got.get("error")
        wanted = _("{error} mentioning '{text}'").format(error=self.error, text=self.mentioning)
        if error is None:
            return Verdict(False, expected_then(wanted, subject(self.key, fn, got, show(at(got, self.key)))))
        if error["type"] != self.error or self.mentioning not in str(error["message"]).lower():
            return Verdict(False, expected_then(wanted, raised(fn, error["type"], error["message"])))
        return Verdict(True)

    def matches(self, got: dict, other: dict) -> bool:
        return "error" not in got and "error" not in other and alike(at(got, self.key), at(other, self.key))


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

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        for part in self.parts:
            verdict = part.verdict(got, expected, fn)
            if not verdict.passed:
                return verdict
        return Verdict(True)

    def matches(self, got: dict, other: dict) -> bool:
        return all(part.matches(got, other) for part in self.parts)


def all_of(*parts: Comparison) -> AllOf:
    return AllOf(parts)


@dataclass(frozen=True)
class Finite(Property):
    """Every number at `key` is finite (no nan, no inf)."""

    key: str = "out"

    def holds(self, result: dict) -> bool:
        values = numbers(at(result, self.key))
        return values is not None and bool(np.isfinite(values).all())

    def failure(self, got: dict, fn: str) -> str:
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

    def holds(self, result: dict) -> bool:
        return result.get(self.key) is True and (not self.again or alike(result.get("again"), result.get("out")))

    def failure(self, got: dict, fn: str) -> str:
        if got.get(self.key) is True:
            return _(
                "`{fn}` gave another answer when called again on the same input ({value}): "
                "it changed its input in place; compute a new tensor or array instead"
            ).format(fn=fn, value=show(got.get("again")))
        return _("`{fn}` changed its input in place: compute a new tensor or array instead").format(fn=fn)


@dataclass(frozen=True)
class CameThrough(Close):
    """The result went through `via`: it equals the reference's computed with a secretly marked stand-in for `via`."""

    via: str = ""

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
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

    def holds(self, result: dict) -> bool:
        return not result.get(self.key)

    def failure(self, got: dict, fn: str) -> str:
        return _("`{fn}` called {names}, which this exercise asks you to write yourself").format(
            fn=fn, names=listing(map(str, got[self.key]))
        )


@dataclass(frozen=True)
class RelativeError(Comparison):
    """|got - expected| / (|got| + |expected|) stays within bound for every number at `key`."""

    key: str
    bound: float

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
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

    def holds(self, result: dict) -> bool:
        return not result.get(self.key)

    def failure(self, got: dict, fn: str) -> str:
        return _("NumPy warned during `{fn}`: {warnings}").format(fn=fn, warnings="; ".join(map(str, got[self.key])))
