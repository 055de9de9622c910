"""What the child says about loading a submission, as data: a message id with plain values.

The ids are English texts, the keys of the kit's catalogue; the child has no catalogue, so the trusted
side says each message in the language asked for (autograder/i18n/messages.py reads this plain form:
a place is {"file", "line"}, a file {"file"}). A module's reason to be skipped is made by the trusted
side, goes to the child and comes back as a name's problem, in the same form.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark message for the catalogue; the trusted side translates it where it is shown."""
    return message


STAND_IN = N_(
    "{place}: `{statement}` — {missing} is not installed where your code is graded; a do-nothing stand-in was used"
)
RAISED = N_("{place}: `{statement}` raised {error}: {message}; the rest of the file was still run")
RAISED_AT = N_("{place}: `{statement}` raised {error}: {message} (at {where}); the rest of the file was still run")
GRADER_NAME = N_("{file} has the name of a module the grader uses: rename the file")
NOT_IMPORTED = N_("{file} could not be imported: {error}: {message}")
NOT_IMPORTED_AT = N_("{file} could not be imported: {error}: {message} ({where})")
NOT_DEFINED = N_("`{name}` is not defined after importing {file}")
SKIP_FOREIGN = N_(
    "importing {file}: the grading process sent something that is not the grader's while loading ({error})"
)
SKIP_ENDED = N_("importing {file} ended the process ({reason})")
SKIP_SLOW = N_("importing {file} took longer than {seconds} s: move top-level work under `if __name__ == '__main__':`")
SAID = frozenset(
    {
        STAND_IN,
        RAISED,
        RAISED_AT,
        GRADER_NAME,
        NOT_IMPORTED,
        NOT_IMPORTED_AT,
        NOT_DEFINED,
        SKIP_FOREIGN,
        SKIP_ENDED,
        SKIP_SLOW,
    }
)


def as_message(message_id: str, **values: Any) -> dict[str, Any]:
    """A message as plain data: its id (one of SAID) and its values (text, numbers, places and files)."""
    return {"id": message_id, "values": values}


def place(file: str, line: int) -> dict[str, Any]:
    """A line of a submission's file, as plain data."""
    return {"file": file, "line": line}


def named_file(name: str) -> dict[str, str]:
    """A submission's file by its name, as plain data: a notebook's module is said as the notebook."""
    return {"file": name}


def in_english(message_id: str, values: dict[str, Any]) -> str:
    """The message in English, for the child's own exceptions (the trusted side says it from its data)."""

    def said(value: Any) -> str:
        if isinstance(value, dict) and "line" in value:
            return f"{value.get('file')}, line {value['line']}"
        return str(value.get("file")) if isinstance(value, dict) else str(value)

    return message_id.format(**{key: said(value) for key, value in values.items()})
