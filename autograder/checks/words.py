"""Saying a probe's answer in words, in the current language:
"`sigmoid` returned a tensor of shape (3,), float32: [...]".

Every message names the student's function and says what it returned or raised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.values import SEQUENCES, at, kind, numbers
from autograder.i18n import N_, _, listing, pgettext

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


def subject(key: str, fn: str, result: Any, value: str) -> str:
    """What the value at key in result was, said with value: "`sigmoid` returned the float 0.5"."""
    container = form(at(result, key.split(".items.")[0])) if ".items." in key else ""
    return _(SUBJECTS[key]).format(fn=fn, container=container, value=value)


def expected_then(expected: str, said: str) -> str:
    """What was expected, then, on the next line, what came instead."""
    return _("expected {expected}").format(expected=expected) + "\n" + said


def raised(fn: str, error: str, message: str) -> str:
    """The exception the student's function raised, in words."""
    return _("`{fn}` raised {error}: {message}").format(fn=fn, error=error, message=message)


def _a(what: str) -> str:
    """An object of the type named what: "a generator", "an object"."""
    article = _("an {type}") if what[:1].lower() in "aeiou" or what == "ndarray" else _("a {type}")
    return article.format(type=what)


def _shape(described: Any) -> str:
    shape = described.shape or ()
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def form(described: Any) -> str:
    """What a described value is, without its numbers: "a tensor of shape (3, 1), float32"."""
    what = kind(described)
    if what == "nothing":
        return _("nothing")
    if what == "None":
        return "None"
    if what in ARRAY_FORMS:
        on_cpu, on_device = ARRAY_FORMS[what]
        return _(on_device if described.device else on_cpu).format(
            shape=_shape(described), dtype=described.dtype, device=described.device
        )
    if what in SEQUENCES:
        return _(SEQUENCE_FORMS[what]).format(length=described.length)
    if what == "scalar":
        return pgettext("number", "a {type}").format(type=described.type)
    return _a(str(described.type))


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
        return _("the {type} {value}").format(type=described.type, value=f"{float(values):.6g}")
    if what == "bool":
        return _("the {type} {value}").format(type="bool", value=described.value)
    if what in SEQUENCES and values is None and described.items:
        types = sorted({form(item) for item in described.items})
        return holding(form(described), types[:3] + (["..."] if len(types) > 3 else []))
    if values is None:
        if getattr(described, "unreadable", None):
            return _("{form} ({reason})").format(form=form(described), reason=described.unreadable)
        return form(described)
    return _("{form}: {numbers}").format(form=form(described), numbers=_listed(values))


def holding(container: str, items: list[str]) -> str:
    """A sequence and the forms of its items: "a list of 2 holding None, a str"."""
    return _("{form} holding {items}").format(form=container, items=listing(items))
