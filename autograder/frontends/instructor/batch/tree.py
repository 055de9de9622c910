"""Read what `logreg-grade batch` is given as a tree of files, safely, before anything of it is graded.

SUBMISSIONS, a folder or a .zip archive, is read as a Tree: every entry by its path relative to SUBMISSIONS, with its
kind (a folder, a regular file or a link) and each file's size, hidden entries and caches left out. Nothing is read
through a link: a folder is listed without following links and its files are opened with O_NOFOLLOW, an archive's
links are kept as links and never extracted, and an archive with a member whose path leads outside it is refused
whole. A SUBMISSIONS with more entries than limits.MAX_BATCH_ENTRIES, or more bytes of .py files and notebooks than
limits.MAX_BATCH_BYTES, is refused before anything is copied, as is one that holds nothing to grade.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO

from autograder.i18n import N_, _
from autograder.submission import limits
from autograder.submission.loader import IGNORED_FOLDERS, STUDENT_SUFFIXES

NO_LINKS = getattr(os, "O_NOFOLLOW", 0)  # opening a file never follows a link put in its place
CHUNK = 1024 * 1024  # bytes read at a time from a tree's file
READ_ERRORS = (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)  # RuntimeError:
# an encrypted member; NotImplementedError: a compression zipfile does not know

MISSING = N_("{path} does not exist: give the folder or .zip archive of the class's submissions")
NOT_A_CLASS = N_("{path} is not a folder or a .zip archive: give the folder or .zip archive of the class's submissions")
NOT_A_ZIP = N_("{path} is not a readable zip archive ({error}): download it again, or give the folder it came from")
OUTSIDE = N_(
    "{path} holds {member}, a path leading outside the archive: nothing was extracted; "
    "make the archive again from the submissions' folder"
)
TOO_MANY = N_("{path} holds over {limit} files and folders: grade the class in parts")
TOO_BIG = N_(
    "{path} holds {size} bytes of .py files and notebooks, over the limit of {limit} for a batch "
    "(the largest: {file}): remove what is not a submission, or grade the class in parts"
)
EMPTY = N_("{path} is empty: give the folder or .zip archive that holds the class's submissions")
NO_PYTHON = N_("{path} holds no .py files or .ipynb notebooks: is it the folder of the class's submissions?")
CANNOT_READ = N_("{path} cannot be read ({error}): make it readable and run the batch again")


class BatchInputError(Exception):
    """A SUBMISSIONS the batch cannot read at all: str() is one line saying the problem and what to do."""


@dataclass
class Tree:
    """What SUBMISSIONS holds, by path relative to it, hidden entries left out."""

    name: str  # the folder's, or the archive's without .zip
    kinds: dict[PurePosixPath, str]  # "dir", "file" (a regular file) or "link"
    sizes: dict[PurePosixPath, int]  # each file's size in bytes
    open: Callable[[PurePosixPath], IO[bytes]]
    unreadable: dict[PurePosixPath, str] = field(default_factory=dict)  # folders that cannot be listed: why

    @cached_property
    def children(self) -> defaultdict[PurePosixPath, list[PurePosixPath]]:
        """Each folder's entries, sorted (read once the tree is whole)."""
        children = defaultdict(list)
        for path in sorted(self.kinds):
            children[path.parent].append(path)
        return children


@contextlib.contextmanager
def opened(source: Path) -> Iterator[tuple[Tree, PurePosixPath]]:
    """What source holds, and the folder in it to read: a zip's single top folder, else its root."""
    if not source.exists():
        raise BatchInputError(_(MISSING).format(path=source))
    if source.is_dir():
        yield _walk(source), PurePosixPath()
    elif source.is_file() and source.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise BatchInputError(_(NOT_A_ZIP).format(path=source, error=why(error))) from None
        with archive:
            tree = _unzipped(archive, source)
            top = tree.children[PurePosixPath()]
            yield tree, top[0] if len(top) == 1 and tree.kinds[top[0]] == "dir" else PurePosixPath()
    else:
        raise BatchInputError(_(NOT_A_CLASS).format(path=source))


def check(tree: Tree, source: Path) -> None:
    """Refuse a source that holds nothing to grade, or more than a batch may copy."""
    if not tree.kinds:
        raise BatchInputError(_(EMPTY).format(path=source))
    graded = {path: size for path, size in tree.sizes.items() if path.suffix in STUDENT_SUFFIXES}
    if not graded:
        raise BatchInputError(_(NO_PYTHON).format(path=source))
    if sum(graded.values()) > limits.MAX_BATCH_BYTES:
        largest = max(graded, key=graded.__getitem__)
        raise BatchInputError(
            _(TOO_BIG).format(path=source, size=sum(graded.values()), limit=limits.MAX_BATCH_BYTES, file=largest)
        )


def why(error: BaseException) -> str:
    """An error in a few words: the system's reason, else its text, else its type."""
    return str(getattr(error, "strerror", None) or error) or type(error).__name__


def _hidden(name: str) -> bool:
    """Names never part of a submission: hidden files and folders (.DS_Store, .ipynb_checkpoints), caches, archives'
    extras (__MACOSX)."""
    return name.startswith(".") or name in IGNORED_FOLDERS


def _walk(folder: Path) -> Tree:
    """A folder's tree, listed without following links, through at most limits.MAX_BATCH_ENTRIES entries."""
    tree = Tree(
        folder.name, {}, {}, lambda relative: os.fdopen(os.open(folder / relative, os.O_RDONLY | NO_LINKS), "rb")
    )
    stack, seen = [PurePosixPath()], 0
    while stack:
        relative = stack.pop()
        try:
            entries = list(os.scandir(folder / relative))
        except OSError as error:
            if not relative.parts:
                raise BatchInputError(_(CANNOT_READ).format(path=folder, error=why(error))) from None
            tree.unreadable[relative] = why(error)
            continue
        seen += len(entries)
        if seen > limits.MAX_BATCH_ENTRIES:
            raise BatchInputError(_(TOO_MANY).format(path=folder, limit=limits.MAX_BATCH_ENTRIES))
        for entry in (entry for entry in entries if not _hidden(entry.name)):
            path = relative / entry.name
            if entry.is_symlink():
                tree.kinds[path] = "link"
            elif entry.is_dir(follow_symlinks=False):
                tree.kinds[path] = "dir"
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                tree.kinds[path] = "file"
                with contextlib.suppress(OSError):  # gone since it was listed: copying it says so
                    tree.sizes[path] = entry.stat(follow_symlinks=False).st_size
    return tree


def _unzipped(archive: zipfile.ZipFile, source: Path) -> Tree:
    """An archive's tree, refused whole when a member's path leads outside it; links are kept as links, never
    extracted. A member never yields more than its declared size (zipfile stops there), so the sizes bound the work."""
    members = archive.infolist()
    if len(members) > limits.MAX_BATCH_ENTRIES:
        raise BatchInputError(_(TOO_MANY).format(path=source, limit=limits.MAX_BATCH_ENTRIES))
    kinds: dict[PurePosixPath, str] = {}
    sizes: dict[PurePosixPath, int] = {}
    files: dict[PurePosixPath, zipfile.ZipInfo] = {}
    for member in members:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in name.split("/"):
            raise BatchInputError(_(OUTSIDE).format(path=source, member=member.filename))
        path = PurePosixPath(name)
        if not path.parts or any(_hidden(part) for part in path.parts):
            continue
        kinds.update((parent, "dir") for parent in path.parents[:-1])
        if member.is_dir():
            kinds[path] = "dir"
        elif stat.S_ISLNK(member.external_attr >> 16):
            kinds[path] = "link"
        else:
            kinds[path], sizes[path], files[path] = "file", member.file_size, member
    return Tree(source.stem, kinds, sizes, lambda relative: archive.open(files[relative]))
