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
TOO_BIG = N_("{file} was not graded: it holds {size} bytes, over the limit of {limit} for a .py file")
TOO_DEEP = N_("{file} was not graded: its code is nested over the limit of {limit} levels (expressions, blocks)")
MAX_SOURCE_BYTES = 1024 * 1024  # one .py file (a notebook's module too): the lesson's solutions are under 10 KB
MAX_SOURCE_DEPTH = 200  # nodes inside each other in a file's syntax tree: the solutions reach 15; the trusted side's
# walks of the tree recurse, and the interpreter's limit is 1000 frames


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
    if len(data) > MAX_SOURCE_BYTES:
        raise UnreadableSource(TOO_BIG, file=named_file(file.name), size=len(data), limit=MAX_SOURCE_BYTES)
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
    try:
        tree = ast.parse(text, filename=str(file))
        if _depth(tree) > MAX_SOURCE_DEPTH:
            raise RecursionError
        compile(tree, str(file), "exec", dont_inherit=True)  # the errors only compiling finds: `return` outside a def
    except (RecursionError, MemoryError):  # a 5,000-term expression: the parser's or the compiler's stack runs out
        raise UnreadableSource(TOO_DEEP, file=named_file(file.name), limit=MAX_SOURCE_DEPTH) from None
    return tree


def _depth(tree: ast.AST) -> int:
    """How deep the syntax tree's nodes go inside each other, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest
