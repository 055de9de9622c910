"""Every limit on what a submission and its child may hand the trusted side, in one place, checked before the work.

Each exceeded limit costs only the file or the check it concerns, with a one-line message; results.json is still
written. The limits of what the child itself reads or sends (a .py file, an answer on the wire) are defined in the
sandboxed package, which imports nothing of the trusted side, and named here.
"""

from __future__ import annotations

from autograder.sandboxed.source import MAX_SOURCE_BYTES, MAX_SOURCE_DEPTH
from autograder.sandboxed.wire import MAX_ELEMENTS, MAX_MESSAGE_BYTES, MAX_NESTING

MAX_SUBMISSION_BYTES = 64 * 1024 * 1024  # the student's files graded, together: files past it are not graded
MAX_FILES = 200  # .py files and notebooks in the folder graded: the lesson has 6; the rest is not graded
MAX_DEPTH = 16  # folders below the one given, looked through for the student's files
MAX_ENTRIES = 20_000  # files and folders looked at while searching a submission's folders
MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024  # one notebook, before it is parsed (plots' images included)
MAX_NOTEBOOK_CELLS = 2_000  # cells of one notebook, before nbformat reads them
MAX_SHOWN = 3  # files named in a note about those not graded
MAX_BATCH_BYTES = 2 * 1024**3  # a class's .py files and notebooks together (a zip's declared sizes): a batch past it
# is refused before anything is copied or extracted; a class of 1,000 notebooks of 2 MiB fits
MAX_BATCH_ENTRIES = 200_000  # files and folders in a class's folder or zip archive (1,000 students of MAX_FILES)

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_ENTRIES",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_ENTRIES",
    "MAX_FILES",
    "MAX_MESSAGE_BYTES",
    "MAX_NESTING",
    "MAX_NOTEBOOK_BYTES",
    "MAX_NOTEBOOK_CELLS",
    "MAX_SHOWN",
    "MAX_SOURCE_BYTES",
    "MAX_SOURCE_DEPTH",
    "MAX_SUBMISSION_BYTES",
]
