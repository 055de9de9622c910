"""Find every student's submission in what `logreg-grade batch` is given, and copy it where the batch grades it.

SUBMISSIONS is a folder with a sub-folder or a file (.py, .ipynb) per student, nbgrader's submitted/ folder (or the
course folder holding it), a Gradescope export (submission_metadata.yml and a folder per submission), or a .zip of
any of these. What is graded, a student's .py files and notebooks, is copied into the batch's own folder (regular
files only, never through a link), so grading reads a snapshot. A student whose submission cannot be read is kept
with the reason, to be graded 0 with it: no student is ever lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO, NamedTuple

import yaml

from autograder.i18n import N_, _, listing
from autograder.submission import limits
from autograder.submission.loader import IGNORED_FOLDERS, STUDENT_SUFFIXES

METADATA = "submission_metadata.yml"  # a Gradescope export's list of submissions and their submitters
SUBMITTED = "submitted"  # nbgrader's folder of students' submissions: submitted/<student>/<assignment>/
SUBMITTER_IDS = (":sid", ":email", ":name")  # a Gradescope submitter's id: the first of these given
SAFE_PUNCTUATION = "-_.+@"  # kept in file names, with letters and digits of any script
MAX_STEM = 64  # characters of an id kept in its file name
NO_LINKS = getattr(os, "O_NOFOLLOW", 0)  # opening a file never follows a link put in its place
CHUNK = 1024 * 1024
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
NOT_METADATA = N_("{file} is not Gradescope's submission metadata ({error}): download the export again")
NOT_A_MAPPING = N_("it does not map submission folders to their submitters")
SEVERAL = N_("{path} holds several assignments ({assignments}): choose one with --assignment")
NOT_HANDED_IN = N_("no student in {path} handed in {assignment}: the assignments there are {assignments}")
NO_ASSIGNMENTS = N_(
    "{path} holds no assignment folders (submitted/<student>/<assignment>/): is it nbgrader's submitted/ folder?"
)
CLAIMED = N_("{count} submissions claim {student}: {entries}; keep one")
LINK = N_("{entry} is a link; hand in the file or folder itself")
NOTHING = N_("{entry} holds no .py files or .ipynb notebooks: nothing to grade")
NOT_EXPORTED = N_("{entry} is named in {metadata} but is missing from the export: download the export again")


@dataclass(frozen=True)
class Submission:
    """A student's submission, copied into the batch's folder."""

    student: str  # the student id, shown everywhere: the folder or file name (or Gradescope metadata's)
    path: Path  # what to grade: a folder, a .py file or a .ipynb notebook (inside the batch's own copy)
    digest: str  # sha256 hex over the sorted relative paths and bytes of every file graded (.py/.ipynb under path)


@dataclass(frozen=True)
class Unreadable:
    """A student whose submission cannot be graded: graded 0, with the reason."""

    student: str
    reason: str  # one line naming the problem and what to do


@dataclass(frozen=True)
class Found:
    """Every student in SUBMISSIONS, sorted by id."""

    layout: str  # "folders", "nbgrader" or "gradescope" (a .zip of any of these is extracted first)
    submissions: list[Submission]
    unreadable: list[Unreadable]


class BatchInputError(Exception):
    """A SUBMISSIONS the batch cannot read at all: str() is one line saying the problem and what to do."""


class _Claim(NamedTuple):
    """An entry of SUBMISSIONS that is a student's submission."""

    student: str
    entry: PurePosixPath  # relative to SUBMISSIONS; not in the tree when Gradescope's metadata names it in vain
    shown: str  # how messages name it: "alice/", "alice.py"


@dataclass
class _Tree:
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


def file_name(student: str) -> str:
    """A file stem for a student id, safe in any folder: letters and digits (any script) and -_.+@ kept, anything
    else "_", no leading dot; unless the id is kept whole, a short hash of it follows, so that no two ids meet."""
    safe = "".join(c if c.isalnum() or c in SAFE_PUNCTUATION else "_" for c in student).lstrip(".")[:MAX_STEM]
    if safe and safe == student:
        return safe
    digest = hashlib.sha256(student.encode(errors="surrogatepass")).hexdigest()
    return f"{safe}-{digest[:8]}"


def find_submissions(source: Path, workdir: Path, *, assignment: str | None = None) -> Found:
    """Every student's submission in source, copied into a new folder in workdir; assignment chooses one of
    nbgrader's assignments (needed when submitted/ holds several; other layouts have one)."""
    source = Path(source)
    if not source.exists():
        raise BatchInputError(_(MISSING).format(path=source))
    with _opened(source) as (tree, base):
        _check(tree, source)
        named = base.name or tree.name
        if tree.kinds.get(base / METADATA) == "file":
            layout, claims = "gradescope", _gradescope(tree, base)
        elif named == SUBMITTED or tree.kinds.get(base / SUBMITTED) == "dir":
            submitted = base if named == SUBMITTED else base / SUBMITTED
            layout, claims = "nbgrader", _nbgrader(tree, submitted, assignment, source)
        else:
            layout, claims = "folders", _entries(tree, base, {})
        return _snapshot(tree, claims, workdir, layout)


@contextlib.contextmanager
def _opened(source: Path) -> Iterator[tuple[_Tree, PurePosixPath]]:
    """What source holds, and the folder in it to read: a zip's single top folder, else its root."""
    if source.is_dir():
        yield _walk(source), PurePosixPath()
    elif source.is_file() and source.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise BatchInputError(_(NOT_A_ZIP).format(path=source, error=_why(error))) from None
        with archive:
            tree = _unzipped(archive, source)
            top = tree.children[PurePosixPath()]
            yield tree, top[0] if len(top) == 1 and tree.kinds[top[0]] == "dir" else PurePosixPath()
    else:
        raise BatchInputError(_(NOT_A_CLASS).format(path=source))


def _hidden(name: str) -> bool:
    """Names never part of a submission: hidden files and folders (.DS_Store, .ipynb_checkpoints), caches, archives'
    extras (__MACOSX)."""
    return name.startswith(".") or name in IGNORED_FOLDERS


def _walk(folder: Path) -> _Tree:
    """A folder's tree, listed without following links, through at most limits.MAX_BATCH_ENTRIES entries."""
    tree = _Tree(
        folder.name, {}, {}, lambda relative: os.fdopen(os.open(folder / relative, os.O_RDONLY | NO_LINKS), "rb")
    )
    stack, seen = [PurePosixPath()], 0
    while stack:
        relative = stack.pop()
        try:
            entries = list(os.scandir(folder / relative))
        except OSError as error:
            if not relative.parts:
                raise BatchInputError(_(CANNOT_READ).format(path=folder, error=_why(error))) from None
            tree.unreadable[relative] = _why(error)
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


def _unzipped(archive: zipfile.ZipFile, source: Path) -> _Tree:
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
    return _Tree(source.stem, kinds, sizes, lambda relative: archive.open(files[relative]))


def _check(tree: _Tree, source: Path) -> None:
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


def _entries(tree: _Tree, folder: PurePosixPath, ids: dict[str, str]) -> list[_Claim]:
    """A claim for each student's entry in folder: a sub-folder (id: its name), a .py file or a notebook (id: its
    stem), or a link (never followed); ids maps an entry's name to the student id given elsewhere."""
    claims = []
    for path in tree.children[folder]:
        kind = tree.kinds[path]
        if path.suffix in STUDENT_SUFFIXES:
            claims.append(_Claim(ids.get(path.name, path.stem), path, path.name))
        elif kind != "file":
            claims.append(_Claim(ids.get(path.name, path.name), path, path.name + "/" * (kind == "dir")))
    return claims


def _gradescope(tree: _Tree, base: PurePosixPath) -> list[_Claim]:
    """A claim for each submission of a Gradescope export, by its submitters' ids, and for each submission the
    metadata names whose folder is missing."""
    ids = _submitters(tree, base / METADATA)
    claims = _entries(tree, base, ids)
    missing = [folder for folder in ids if base / folder not in tree.kinds]
    return claims + [_Claim(ids[folder], base / folder, folder + "/") for folder in missing]


def _submitters(tree: _Tree, metadata: PurePosixPath) -> dict[str, str]:
    """Each submission folder's student id, from submission_metadata.yml (`folder: {:submitters: [{:name:, :sid:,
    :email:}, ...]}`): the submitters' sid, else email, else name, joined with "+"; else the folder's name."""
    try:
        with tree.open(metadata) as file:
            records = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise BatchInputError(_(NOT_METADATA).format(file=metadata, error=" ".join(str(error).split()))) from None
    except READ_ERRORS as error:
        raise BatchInputError(_(CANNOT_READ).format(path=metadata, error=_why(error))) from None
    if not isinstance(records, dict):
        raise BatchInputError(_(NOT_METADATA).format(file=metadata, error=_(NOT_A_MAPPING)))
    ids = {}
    for folder, record in records.items():
        people = record.get(":submitters") if isinstance(record, dict) else None
        named = [_person(person) for person in people if isinstance(person, dict)] if isinstance(people, list) else []
        ids[str(folder)] = "+".join(name for name in named if name) or str(folder)
    return ids


def _person(submitter: dict) -> str:
    """A submitter's id: their sid, else email, else name; "" when none is given."""
    given = ("" if submitter.get(key) is None else str(submitter[key]).strip() for key in SUBMITTER_IDS)
    return next((value for value in given if value), "")


def _nbgrader(tree: _Tree, submitted: PurePosixPath, assignment: str | None, source: Path) -> list[_Claim]:
    """A claim for each student's folder of the assignment in nbgrader's submitted/<student>/<assignment>/ (the one
    there when assignment is None); students without it have not handed it in."""
    students = [claim for claim in _entries(tree, submitted, {}) if tree.kinds[claim.entry] != "file"]
    handed_in = sorted(
        {path.name for claim in students for path in tree.children[claim.entry] if tree.kinds[path] == "dir"}
    )
    if not handed_in:
        raise BatchInputError(_(NO_ASSIGNMENTS).format(path=source))
    if assignment is None and len(handed_in) > 1:
        raise BatchInputError(_(SEVERAL).format(path=source, assignments=listing(handed_in)))
    if assignment is not None and assignment not in handed_in:
        raise BatchInputError(
            _(NOT_HANDED_IN).format(path=source, assignment=assignment, assignments=listing(handed_in))
        )
    chosen = assignment or handed_in[0]
    claims = []
    for claim in students:
        if tree.kinds[claim.entry] == "link" or claim.entry in tree.unreadable:
            claims.append(claim)
        elif claim.entry / chosen in tree.kinds:
            claims.append(claim._replace(entry=claim.entry / chosen, shown=f"{claim.student}/{chosen}/"))
    return claims


def _snapshot(tree: _Tree, claims: list[_Claim], workdir: Path, layout: str) -> Found:
    """Each claimed student's files copied into a new folder of workdir (one folder per student)."""
    by_student: dict[str, list[_Claim]] = defaultdict(list)
    for claim in claims:
        by_student[claim.student].append(claim)
    workdir.mkdir(parents=True, exist_ok=True)
    into = Path(tempfile.mkdtemp(prefix="submissions-", dir=workdir))
    taken = [_take(tree, group, into / file_name(student)) for student, group in sorted(by_student.items())]
    return Found(
        layout,
        [found for found in taken if isinstance(found, Submission)],
        [found for found in taken if isinstance(found, Unreadable)],
    )


def _take(tree: _Tree, claims: list[_Claim], into: Path) -> Submission | Unreadable:
    """One student's submission copied into `into`, or why it cannot be graded."""
    student, entry, shown = claims[0]
    if len(claims) > 1:
        entries = listing(sorted(claim.shown for claim in claims), and_last=True)
        return Unreadable(student, _(CLAIMED).format(count=len(claims), student=student, entries=entries))
    kind = tree.kinds.get(entry)
    if kind is None:
        return Unreadable(student, _(NOT_EXPORTED).format(entry=shown, metadata=METADATA))
    if kind == "link":
        return Unreadable(student, _(LINK).format(entry=shown))
    files, blocked = ([entry], []) if kind == "file" else _files(tree, entry)
    if blocked:
        return Unreadable(student, _(CANNOT_READ).format(path=blocked[0], error=tree.unreadable[blocked[0]]))
    if not files:
        return Unreadable(student, _(NOTHING).format(entry=shown))
    hashes = {}
    for file in files:
        relative = file.name if file == entry else file.relative_to(entry).as_posix()
        try:
            hashes[relative] = _copy(tree, file, into / relative)
        except READ_ERRORS as error:
            return Unreadable(student, _(CANNOT_READ).format(path=file, error=_why(error)))
    return Submission(student, into / entry.name if kind == "file" else into, _digest(hashes))


def _files(tree: _Tree, folder: PurePosixPath) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
    """The .py files and notebooks in folder, at most limits.MAX_DEPTH folders below it (as deep as grading looks),
    and the folders in it that cannot be listed."""
    files, blocked, stack = [], [], [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        if current in tree.unreadable:
            blocked.append(current)
        for path in tree.children[current]:
            if tree.kinds[path] == "file" and path.suffix in STUDENT_SUFFIXES:
                files.append(path)
            elif tree.kinds[path] == "dir" and depth < limits.MAX_DEPTH:
                stack.append((path, depth + 1))
    return sorted(files), sorted(blocked)


def _copy(tree: _Tree, file: PurePosixPath, target: Path) -> str:
    """Copy a file of the tree to target (a new file), returning the sha256 hex of its bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tree.open(file) as reader, target.open("xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
    return digest.hexdigest()


def _digest(hashes: dict[str, str]) -> str:
    """The sha256 hex of a submission's files: their relative paths, sorted, each with its bytes' sha256."""
    return hashlib.sha256(
        "".join(f"{path}\0{digest}\0" for path, digest in sorted(hashes.items())).encode()
    ).hexdigest()


def _why(error: BaseException) -> str:
    """An error in a few words: the system's reason, else its text, else its type."""
    return str(getattr(error, "strerror", None) or error) or type(error).__name__
