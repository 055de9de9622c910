"""Student text made inert for a screen: control characters shown as escapes, never obeyed.

A student's code decides the text of its exceptions, its file names and what it prints; a report shows some of it.
Written as it is, "\\x1b[2J\\x1b[H Total: 100/100" would clear an instructor's terminal and print a fake total, a
carriage return or backspaces would overwrite a line, and a right-to-left override would turn a line around. Every
reporter passes what it shows through inert(): each such character becomes its escape (\\x1b, \\r, \\u202e), so it is
seen and does nothing. The kit's own line breaks and tabs stay; its texts hold no other control character, so inert()
leaves them as they are and is the same applied twice.
"""

from __future__ import annotations

import re

from autograder.i18n.messages import Value, say

# C0 but line feed and tab, DEL, C1; the bidirectional marks, embeddings, overrides and isolates; the line and
# paragraph separators (a line break a terminal does not know); zero-width and byte-order marks that hide text.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")
NAMED = {"\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x00": "\\0"}


def _escape(match: re.Match[str]) -> str:
    """One unsafe character as the escape Python writes for it."""
    character = match.group()
    if character in NAMED:
        return NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """text with every control, bidirectional and invisible formatting character written as its escape;
    line feeds and tabs kept."""
    return UNSAFE.sub(_escape, text)


def shown(value: Value) -> str:
    """A value said in the current language, its student text inert."""
    return inert(say(value))


def is_inert(text: str) -> bool:
    """Whether text holds nothing a terminal or a browser would obey rather than show."""
    return UNSAFE.search(text) is None
