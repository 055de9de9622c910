"""What the child says about loading a submission, as data: a message id with plain values.

The ids are English texts, the keys of the kit's catalogue; the child has no catalogue, so the trusted
side says each message in the language asked for. A module's reason to be skipped is made by the
trusted side, goes to the child and comes back as a name's problem, in the same form.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark message for the catalogue; the trusted side translates it where it is shown."""
    return message


STAND_IN = N_(
    "{file}, line {line}: `{statement}` — {missing} is not installed where your code is graded; "
    "a do-nothing stand-in was used"
)
RAISED = N_("{file}, line {line}: `{statement}` raised {error}: {message}; the rest of the file was still run")
RAISED_AT = N_(
    "{file}, line {line}: `{statement}` raised {error}: {message} (at {where}); the rest of the file was still run"
)
GRADER_NAME = N_("{module}.py has the name of a module the grader uses: rename the file")
NOT_IMPORTED = N_("{module}.py could not be imported: {error}: {message}")
NOT_IMPORTED_AT = N_("{module}.py could not be imported: {error}: {message} ({where})")
NOT_DEFINED = N_("`{name}` is not defined after importing {module}.py")
SKIP_FOREIGN = N_(
    "importing {module}.py: the grading process sent something that is not the grader's while loading ({error})"
)
SKIP_ENDED = N_("importing {module}.py ended the process ({reason})")
SKIP_SLOW = N_(
    "importing {module}.py took longer than {seconds} s: move top-level work under `if __name__ == '__main__':`"
)
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


def as_message(message_id: str, **values: str | int) -> dict[str, Any]:
    """A message as plain data: its id (one of SAID) and its values."""
    return {"id": message_id, "values": values}
