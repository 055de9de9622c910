"""Messages as data: a catalogue id (its English text) with values, said in a language only when shown.

What the grader finds about a submission is kept as Message values from the child to the reporters, so
one result can be shown in English and in Chinese without grading again, and a place in a file
(Place, Lines, File) stays data that a notebook's source map can say in cells. A value is plain
text or a number (shown as it is: a name, student text, a formatted number), or one of the types here.
Each has a plain form (to_plain / from_plain) for the wire and the gradebook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Union

from autograder.i18n import N_, _, listing, ngettext, pgettext

AT_LINE = N_("{file}, line {line}")  # a place in a file
LINE, LINES = N_("line {line}"), N_("lines {first}-{last}")  # lines of a file, said after its name
MAX_DEPTH = 12  # nesting of a message's plain form: deeper is refused, never recursed into

Value = Union[str, int, float, "Message", "Listing", "Joined", "File", "Place", "Lines"]


class MessageError(ValueError):
    """A message's plain form is not one: the field named is wrong."""


class _Said:
    """A value that says itself: str() gives it in the current language, as say() does."""

    def say(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.say()


@dataclass(frozen=True)
class Message(_Said):
    """A catalogue text (English, the id) with its values; said with say() in the current language.

    With context, the text is looked up in that context (a check or mistake id); with plural, the form
    for the value "count" is chosen.
    """

    text: str
    values: tuple[tuple[str, Value], ...] = ()
    context: str | None = None
    plural: str | None = None

    def say(self) -> str:
        if self.context is not None:
            template = pgettext(self.context, self.text)
        elif self.plural is not None:
            template = ngettext(self.text, self.plural, int(dict(self.values).get("count", 0)))  # type: ignore[arg-type]
        else:
            template = _(self.text)
        return template.format(**{key: say(value) for key, value in self.values}) if self.values else template


def message(text: str, /, **values: Value) -> Message:
    """The catalogue text with these values, said later: message("`{fn}` returned None", fn="sigmoid")."""
    return Message(text, tuple(values.items()))


def counted(singular: str, plural: str, /, count: int, **values: Value) -> Message:
    """The singular or plural text, as count asks in the language it is said in; {count} is its value."""
    return Message(singular, (("count", count), *values.items()), plural=plural)


def in_context(context: str, text: str, /, **values: Value) -> Message:
    """A text said in context (a check, a mistake or an exercise module): its description, hint or title."""
    return Message(text, tuple(values.items()), context=context)


@dataclass(frozen=True)
class Listing(_Said):
    """Items one after another in the language said: "a, b, c"; with and_last, "a, b and c"."""

    items: tuple[Value, ...]
    and_last: bool = False

    def say(self) -> str:
        return listing((say(item) for item in self.items), and_last=self.and_last)


@dataclass(frozen=True)
class Joined(_Said):
    """Parts said one after another with separator between them: a message and its continuation."""

    parts: tuple[Value, ...]
    separator: str = ""

    def say(self) -> str:
        return self.separator.join(say(part) for part in self.parts)


@dataclass(frozen=True)
class File(_Said):
    """A file of the submission, by its name: a notebook's module is said as the notebook."""

    name: str

    def say(self) -> str:
        return self.name


@dataclass(frozen=True)
class Place(_Said):
    """A line of a file of the submission: "ex1_sigmoid.py, line 12"."""

    file: str
    line: int

    def say(self) -> str:
        return _(AT_LINE).format(file=self.file, line=self.line)


@dataclass(frozen=True)
class Lines(_Said):
    """Lines first to last of a file, said after the file's name: "line 3", "lines 20-24"."""

    file: str
    first: int
    last: int

    def say(self) -> str:
        if self.first == self.last:
            return _(LINE).format(line=self.first)
        return _(LINES).format(first=self.first, last=self.last)


def say(value: Value) -> str:
    """A value in the current language: a message said, plain text and numbers as they are."""
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else value.say()


def say_all(values: Iterable[Value]) -> tuple[str, ...]:
    """Each value said in the current language."""
    return tuple(map(say, values))


def joined(*parts: Value, separator: str = "") -> Joined:
    return Joined(parts, separator)


def listed(items: Iterable[Value], *, and_last: bool = False) -> Listing:
    return Listing(tuple(items), and_last)


def changed(value: Value, change: Callable[[Value], Value | None]) -> Value:
    """value with every part that change gives a replacement for (not None) replaced, however deep."""
    replacement = change(value)
    if replacement is not None:
        return replacement
    if isinstance(value, Message):
        return Message(value.text, tuple((k, changed(v, change)) for k, v in value.values), value.context, value.plural)
    if isinstance(value, Listing):
        return Listing(tuple(changed(item, change) for item in value.items), value.and_last)
    if isinstance(value, Joined):
        return Joined(tuple(changed(part, change) for part in value.parts), value.separator)
    return value


def to_plain(value: Value) -> Any:
    """value as plain JSON data, each kind told by its keys."""
    if isinstance(value, Message):
        plain: dict[str, Any] = {"id": value.text, "values": {k: to_plain(v) for k, v in value.values}}
        return (
            plain
            | ({"context": value.context} if value.context is not None else {})
            | ({"plural": value.plural} if value.plural is not None else {})
        )
    if isinstance(value, Listing):
        return {"items": [to_plain(item) for item in value.items], "and_last": value.and_last}
    if isinstance(value, Joined):
        return {"parts": [to_plain(part) for part in value.parts], "separator": value.separator}
    if isinstance(value, File):
        return {"file": value.name}
    if isinstance(value, Place):
        return {"file": value.file, "line": value.line}
    if isinstance(value, Lines):
        return {"file": value.file, "lines": [value.first, value.last]}
    return value


def from_plain(data: Any, known: Callable[[str], bool] = lambda text: True, depth: int = 0) -> Value:
    """The value whose plain form is data; a message id must be known. MessageError names what is wrong."""
    if isinstance(data, bool) or depth > MAX_DEPTH:
        raise MessageError(f"not a message's value: {str(data)[:80]!r}")
    if isinstance(data, (str, int, float)):
        return data
    if not isinstance(data, Mapping):
        raise MessageError(f"not a message's value: {type(data).__name__}")
    keys = frozenset(data)
    try:
        if "id" in keys and keys <= {"id", "values", "context", "plural"}:
            return _message(data, known, depth)
        if keys == {"items", "and_last"}:
            items = tuple(from_plain(item, known, depth + 1) for item in _sequence(data["items"]))
            return Listing(items, _strict(data["and_last"], bool))
        if keys == {"parts", "separator"}:
            parts = tuple(from_plain(part, known, depth + 1) for part in _sequence(data["parts"]))
            return Joined(parts, _strict(data["separator"], str))
        if keys == {"file"}:
            return File(_strict(data["file"], str))
        if keys == {"file", "line"}:
            return Place(_strict(data["file"], str), _strict(data["line"], int))
        if keys == {"file", "lines"}:
            first, last = (_strict(number, int) for number in _sequence(data["lines"], length=2))
            return Lines(_strict(data["file"], str), first, last)
    except MessageError as error:
        raise MessageError(f"{sorted(keys)}: {error}") from None
    raise MessageError(f"not a message's value: keys {sorted(keys)[:6]}")


def _message(data: Mapping[str, Any], known: Callable[[str], bool], depth: int) -> Message:
    text = _strict(data["id"], str)
    if not known(text):
        raise MessageError(f"not one of the grader's messages: {text[:80]!r}")
    values = data.get("values", {})
    if not isinstance(values, Mapping) or not all(isinstance(key, str) for key in values):
        raise MessageError("values: not a mapping of names")
    context, plural = data.get("context"), data.get("plural")
    return Message(
        text,
        tuple((key, from_plain(value, known, depth + 1)) for key, value in values.items()),
        None if context is None else _strict(context, str),
        None if plural is None else _strict(plural, str),
    )


def _strict(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MessageError(f"{str(value)[:80]!r} is not a {kind.__name__}")
    return value


def _sequence(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise MessageError(f"not a list{'' if length is None else f' of {length}'}")
    return value
