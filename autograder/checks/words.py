"""Saying a probe's answer in words, as messages said later in the report's language:
"`sigmoid` returned a tensor of shape (3,), float32: [...]".

Every message names the student's function and says what it returned or raised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.values import SEQUENCES, at, kind, numbers
from autograder.i18n import N_
from autograder.i18n.messages import Message, Value, in_context, joined, listed, message

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


def subject(key: str, fn: str, result: Any, value: Value) -> Message:
    """What the value at key in result was, said with value: "`sigmoid` returned the float 0.5"."""
    container = form(at(result, key.split(".items.")[0])) if ".items." in key else ""
    return message(SUBJECTS[key], fn=fn, container=container, value=value)


def expected_then(expected: Value, said: Value) -> Value:
    """What was expected, then, on the next line, what came instead."""
    return joined(message("expected {expected}", expected=expected), said, separator="\n")


def raised(fn: str, error: str, text: str) -> Message:
    """The exception the student's function raised, in words."""
    return message("`{fn}` raised {error}: {message}", fn=fn, error=error, message=text)


def _a(what: str) -> Message:
    """An object of the type named what: "a generator", "an object"."""
    if what[:1].lower() in "aeiou" or what == "ndarray":
        return message("an {type}", type=what)
    return message("a {type}", type=what)


def _shape(described: Any) -> str:
    shape = described.shape or ()
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def form(described: Any) -> Value:
    """What a described value is, without its numbers: "a tensor of shape (3, 1), float32"."""
    what = kind(described)
    if what == "nothing":
        return message("nothing")
    if what == "None":
        return "None"
    if what in ARRAY_FORMS:
        on_cpu, on_device = ARRAY_FORMS[what]
        if described.device:
            return message(on_device, shape=_shape(described), dtype=str(described.dtype), device=described.device)
        return message(on_cpu, shape=_shape(described), dtype=str(described.dtype))
    if what in SEQUENCES:
        return message(SEQUENCE_FORMS[what], length=described.length)
    if what == "scalar":
        return in_context("number", "a {type}", type=described.type)
    return _a(str(described.type))


def _listed(values: np.ndarray) -> str:
    flat = values.ravel()
    return (
        "[" + ", ".join(f"{v:.4g}" for v in flat[:SHOWN_NUMBERS]) + (", ..." if flat.size > SHOWN_NUMBERS else "") + "]"
    )


def show(described: Any) -> Value:
    """A short, readable rendering of a described value: its form and a few of its numbers."""
    what = kind(described)
    values = numbers(described)
    if what == "scalar" and values is not None:
        return message("the {type} {value}", type=described.type, value=format(float(values), ".6g"))
    if what == "bool":
        return message("the {type} {value}", type="bool", value=str(described.value))
    if what in SEQUENCES and values is None and described.items:
        forms = list(dict.fromkeys(form(item) for item in described.items))  # in the order they came
        return holding(form(described), [*forms[:3], *(["..."] if len(forms) > 3 else [])])
    if values is None:
        if getattr(described, "unreadable", None):
            return message("{form} ({reason})", form=form(described), reason=described.unreadable)
        return form(described)
    return message("{form}: {numbers}", form=form(described), numbers=_listed(values))


def holding(container: Value, items: list[Value]) -> Message:
    """A sequence and the forms of its items: "a list of 2 holding None, a str"."""
    return message("{form} holding {items}", form=container, items=listed(items))
