"""How a probe result is judged against the reference's result for the same call.

Each comparison reads the result at the keys it `observes`, gives a verdict with a
message a student can act on (naming the function that was called), and says
whether a result matches another one (used to recognise a known mistake).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SCALARS = frozenset({"float", "int"} | {np.dtype(code).type.__name__ for code in np.typecodes["AllInteger"] + np.typecodes["Float"]})
SEQUENCES = frozenset({"list", "tuple"})
SHOWN_NUMBERS = 6

# What the value at a key is, in the student's terms; {fn} is the function that was called.
SUBJECTS = {
    "out": "`{fn}` returned",
    "outs": "`{fn}` returned",
    "history": "`{fn}` returned",
    "repeat_history": "`{fn}` returned, under a second seed,",
    "grad": "the gradient through `{fn}` was",
    "weight": "after `{fn}`, the weight was",
    "bias": "after `{fn}`, the bias was",
    "weight_grad": "the gradient of self.linear.weight through `{fn}` was",
    "bias_grad": "the gradient of self.linear.bias through `{fn}` was",
    "again": "`{fn}` returned, called again on the same input,",
    "out.items.0": "`{fn}` returned {container} whose first value was",
    "out.items.1": "`{fn}` returned {container} whose second value was",
    "out.items.2": "`{fn}` returned {container} whose third value was",
}
# The key holding what the student's function returned, for each key that depends on it (a gradient of the output).
RETURNED_BY = {"out": "out", "outs": "outs", "history": "history", "repeat_history": "repeat_history", "again": "out",
               "grad": "out", "weight_grad": "out", "bias_grad": "out"}


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


def subject(key: str, fn: str, result: dict | None = None) -> str:
    """The words for the value at key in result, e.g. "`sigmoid` returned"."""
    container = form(at(result, key.split(".items.")[0])) if ".items." in key else ""
    return SUBJECTS[key].format(fn=fn, container=container)


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
    return f"an {what}" if what[:1].lower() in "aeiou" or what == "ndarray" else f"a {what}"


def _shape(described: dict) -> str:
    return "(" + ", ".join(str(n) for n in described.get("shape", [])) + ("," if len(described.get("shape", [])) == 1 else "") + ")"


def form(described: Any) -> str:
    """What a described value is, without its numbers: "a tensor of shape (3, 1), float32"."""
    what = kind(described)
    if what == "nothing":
        return "nothing"
    if what == "None":
        return "None"
    if what in ("tensor", "ndarray"):
        device = f" on {described['device']}" if described.get("device") else ""
        return f"{_a(what)} of shape {_shape(described)}, {described.get('dtype')}{device}"
    if what in SEQUENCES:
        return f"a {what} of {described.get('length')}"
    if what == "scalar":
        return "a float" if described["type"] == "float" else f"a {described['type']}"
    return _a(str(described["type"]))


def _listed(values: np.ndarray) -> str:
    flat = values.ravel()
    return "[" + ", ".join(f"{v:.4g}" for v in flat[:SHOWN_NUMBERS]) + (", ..." if flat.size > SHOWN_NUMBERS else "") + "]"


def show(described: Any) -> str:
    """A short, readable rendering of a described value: its form and a few of its numbers."""
    what = kind(described)
    values = numbers(described)
    if what == "scalar" and values is not None:
        return f"the {described['type']} {float(values):.6g}"
    if what == "bool":
        return f"the bool {described['value']}"
    if what in SEQUENCES and values is None and described.get("items"):
        types = sorted({form(item) for item in described["items"]})
        return f"{form(described)} holding {', '.join(types[:3])}{', ...' if len(types) > 3 else ''}"
    if values is None:
        return form(described) + (f" ({described['unreadable']})" if isinstance(described, dict) and described.get("unreadable") else "")
    return f"{form(described)}: {_listed(values)}"


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
            alike(a, b, rtol, atol) for a, b in zip(got["items"], other["items"], strict=True))
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
        said = f"expected {show(e)}\n{subject(self.key, fn, got)} {show(g)}"
        if g_numbers is None:
            return Verdict(False, said)
        if e_numbers.shape == () and g_numbers.size == 1:  # one number, as a float, a 0-dim or a 1-element tensor
            g_numbers = g_numbers.reshape(())
        if g_numbers.shape != e_numbers.shape:
            return Verdict(False, f"{said} (shape {g_numbers.shape} instead of {e_numbers.shape})")
        if np.allclose(g_numbers, e_numbers, rtol=self.rtol, atol=self.atol, equal_nan=True):
            return Verdict(True)
        bad = ~np.isfinite(g_numbers) & np.isfinite(e_numbers)
        if bad.any():
            return Verdict(False, f"{said} ({int(bad.sum())} value(s) nan or inf)")
        return Verdict(False, f"{said} (largest difference {np.abs(g_numbers - e_numbers).max():.3g})")


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
                return Verdict(False, f"for {given}: `{fn}` raised {error['type']}: {error['message']}")
            if self._differs(g_item, e_item):
                where = f"for {given}: " if given else ""
                return Verdict(False, f"{where}expected {form(e_item)}{self._extra(e_item)}\n{subject(self.key, fn, got)} {show(g_item)}{self._extra(g_item)}")
        return Verdict(True)

    def _extra(self, described: Any) -> str:
        if "requires_grad" in self.fields and isinstance(described, dict) and described.get("requires_grad"):
            return " that requires grad"
        return ""

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
        return Verdict(False, self.says.format(fn=fn, got=_plain(g), expected=_plain(e)))


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(map(str, value)) + ")"
    return "nothing" if value is None else str(value)


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
        return (kind(container) == "tuple" and isinstance(item, dict)
                and (kind(item) == "scalar" or item.get("shape") == []))

    def failure(self, got: dict, fn: str) -> str:
        return f"`{fn}` returned a {self.name} that is not a single number: {self.name} must be a float"


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
        return f"`{fn}` returned a history whose last loss is not below its first: the loss did not fall"


@dataclass(frozen=True)
class Shuffled(Property):
    """Two seeds give two different loss histories, as shuffled mini-batches do."""

    observes = ("history", "repeat_history")

    def holds(self, result: dict) -> bool:
        first, second = _losses(result, "history"), _losses(result, "repeat_history")
        return first.size > 0 and first.shape == second.shape and not np.allclose(first, second, rtol=1e-6, atol=0)

    def failure(self, got: dict, fn: str) -> str:
        return f"`{fn}` returned the same losses under two seeds: the mini-batches are not shuffled"


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
        return f"{subject(self.key, fn, got)} {form(value)} holding {', '.join(found[:3])}; expected {self.says}"


@dataclass(frozen=True)
class Raises(Comparison):
    """The call raises `error` with a message mentioning `mentioning`, as the reference does."""

    error: str
    mentioning: str
    key: str = "out"
    accepts_error = True

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        raised = got.get("error")
        if raised is None:
            return Verdict(False, f"expected {self.error} mentioning '{self.mentioning}'\n{subject(self.key, fn, got)} {show(at(got, self.key))}")
        if raised["type"] != self.error or self.mentioning not in str(raised["message"]).lower():
            return Verdict(False, f"expected {self.error} mentioning '{self.mentioning}'\n`{fn}` raised {raised['type']}: {raised['message']}")
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
        if numbers(value) is None:
            return f"expected numbers\n{subject(self.key, fn, got)} {show(value)}"
        return f"{subject(self.key, fn, got)} {show(value)}: nan or inf where every value should be finite"


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
            return (f"`{fn}` gave another answer when called again on the same input ({show(got.get('again'))}): "
                    "it changed its input in place; compute a new tensor or array instead")
        return f"`{fn}` changed its input in place: compute a new tensor or array instead"


@dataclass(frozen=True)
class CameThrough(Close):
    """The result went through `via`: it equals the reference's computed with a secretly marked stand-in for `via`."""

    via: str = ""

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        verdict = super().verdict(got, expected, fn)
        if verdict.passed:
            return verdict
        return Verdict(False, f"`{fn}` did not compute its result through `{self.via}`: the grader's stand-in for "
                              f"`{self.via}` leaves a mark that its result does not show\n{verdict.detail}")


@dataclass(frozen=True)
class OwnCode(Property):
    """The call used none of the built-ins its exercise replaces."""

    key: str = "forbidden"

    def holds(self, result: dict) -> bool:
        return not result.get(self.key)

    def failure(self, got: dict, fn: str) -> str:
        return f"`{fn}` called {', '.join(map(str, got[self.key]))}, which this exercise asks you to write yourself"


@dataclass(frozen=True)
class RelativeError(Comparison):
    """|got - expected| / (|got| + |expected|) stays within bound for every number at `key`."""

    key: str
    bound: float

    def verdict(self, got: dict, expected: dict, fn: str = "the function") -> Verdict:
        g_value, e_value = at(got, self.key), at(expected, self.key)
        g, e = numbers(g_value), numbers(e_value)
        said = f"expected {show(e_value)}\n{subject(self.key, fn, got)} {show(g_value)}"
        if g is None or g.size != e.size:
            return Verdict(False, said)
        g = g.reshape(e.shape)
        with np.errstate(all="ignore"):
            error = float(np.nan_to_num(np.max(np.abs(g - e) / np.maximum(np.abs(g) + np.abs(e), 1e-12), initial=0), nan=np.inf))
        if error <= self.bound:
            return Verdict(True)
        return Verdict(False, f"{said} (relative error {error:.2g}; at most {self.bound:g} allowed)")


@dataclass(frozen=True)
class NoWarnings(Property):
    """NumPy raised no warning (overflow, division by zero, invalid value) during the call."""

    key: str = "warnings"

    def holds(self, result: dict) -> bool:
        return not result.get(self.key)

    def failure(self, got: dict, fn: str) -> str:
        return f"NumPy warned during `{fn}`: {'; '.join(map(str, got[self.key]))}"
