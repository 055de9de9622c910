"""Reading a .py file of a submission as Python source, without running it:
in the child and in the trusted process alike."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path
from typing import Any

from autograder.sandboxed.messages import N_, in_english, named_file, place

CANNOT_READ = N_("{file} cannot be read: {reason}")
NULL_BYTE = N_(
    "{place}: the file holds a null byte, so it is not a plain-text Python file: save it again as text (UTF-8)"
)
NOT_TEXT = N_("{place}: byte 0x{byte} is not {encoding} text: save the file as UTF-8")


class UnreadableSource(ValueError):
    """A .py file that is not Python text (not UTF-8, a null byte, unreadable): a message id and its values,
    in plain form (messages.as_message): the file, or the place in it."""

    def __init__(self, message: str, **values: Any):
        self.message, self.values = message, values
        super().__init__(in_english(message, values))


def _line_at(data: bytes, offset: int) -> int:
    """The line number of a byte offset."""
    return data[:offset].count(b"\n") + 1


def parse(file: Path) -> ast.Module:
    """The syntax tree of a .py file: UnreadableSource when it is not Python text,
    SyntaxError when it does not parse."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UnreadableSource(CANNOT_READ, file=named_file(file.name), reason=str(error.strerror or error)) from None
    if b"\0" in data:
        raise UnreadableSource(NULL_BYTE, place=place(file.name, _line_at(data, data.index(b"\0"))))
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:  # a bad coding declaration, or undecodable bytes in the first two lines
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableSource(
            NOT_TEXT,
            place=place(file.name, _line_at(data, error.start)),
            byte=f"{data[error.start]:02x}",
            encoding=encoding,
        ) from None
    tree = ast.parse(text, filename=str(file))
    compile(
        tree, str(file), "exec", dont_inherit=True
    )  # the errors only compiling finds: `return` outside a function, ...
    return tree
