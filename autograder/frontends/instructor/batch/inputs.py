"""Find every student's submission in what `logreg-grade batch` is given, and copy it where the batch grades it.

SUBMISSIONS is a folder with a sub-folder or a file (.py, .ipynb) per student, nbgrader's submitted/ folder (or the
course folder holding it), a Gradescope export (submission_metadata.yml and a folder per submission), or a .zip of
any of these, read as a tree (tree.py: no link followed, the batch's limits checked). What is graded, a student's .py
files and notebooks, is copied into the batch's own folder (regular files only, never through a link), so grading
reads a snapshot. A student whose submission cannot be read is kept with the reason, to be graded 0 with it: no
student is ever lost.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import yaml

from autograder.frontends.instructor.batch.tree import (
    CANNOT_READ,
    CHUNK,
    READ_ERRORS,
    BatchInputError,
    Tree,
    check,
    opened,
    why,
)
from autograder.i18n import N_, _, listing
from autograder.submission import limits
from autograder.submission.loader import STUDENT_SUFFIXES

__all__ = ["BatchInputError", "Found", "Submission", "Unreadable", "file_name", "find_submissions"]

METADATA = "submission_metadata.yml"  # a Gradescope export's list of submissions and their submitters
SUBMITTED = "submitted"  # nbgrader's folder of students' submissions: submitted/<student>/<assignment>/
SUBMITTER_IDS = (":sid", ":email", ":name")  # a Gradescope submitter's id: the first of these given
SAFE_PUNCTUATION = "-_.+@"  # kept in file names, with letters and digits of any script
MAX_STEM = 64  # characters of an id kept in its file name
NOT_METADATA = N_("{file} is not Gradescope's submission metadata ({error}): download the export again")
NOT_A_MAPPING = N_("it does not map submission folders to their submitters")
SEVERAL = N_("{path} holds several assignments ({assignments}): choose one with --nbgrader-assignment")
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


class _Claim(NamedTuple):
    """An entry of SUBMISSIONS that is a student's submission."""

    student: str
    entry: PurePosixPath  # relative to SUBMISSIONS; not in the tree when Gradescope's metadata names it in vain
    shown: str  # how messages name it: "alice/", "alice.py"


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
    with opened(source) as (tree, base):
        check(tree, source)
        named = base.name or tree.name
        if tree.kinds.get(base / METADATA) == "file":
            layout, claims = "gradescope", _gradescope(tree, base)
        elif named == SUBMITTED or tree.kinds.get(base / SUBMITTED) == "dir":
            submitted = base if named == SUBMITTED else base / SUBMITTED
            layout, claims = "nbgrader", _nbgrader(tree, submitted, assignment, source)
        else:
            layout, claims = "folders", _entries(tree, base, {})
        return _snapshot(tree, claims, workdir, layout)


def _entries(tree: Tree, folder: PurePosixPath, ids: dict[str, str]) -> list[_Claim]:
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


def _gradescope(tree: Tree, base: PurePosixPath) -> list[_Claim]:
    """A claim for each submission of a Gradescope export, by its submitters' ids, and for each submission the
    metadata names whose folder is missing."""
    ids = _submitters(tree, base / METADATA)
    claims = _entries(tree, base, ids)
    missing = [folder for folder in ids if base / folder not in tree.kinds]
    return claims + [_Claim(ids[folder], base / folder, folder + "/") for folder in missing]


def _submitters(tree: Tree, metadata: PurePosixPath) -> dict[str, str]:
    """Each submission folder's student id, from submission_metadata.yml (`folder: {:submitters: [{:name:, :sid:,
    :email:}, ...]}`): the submitters' sid, else email, else name, joined with "+"; else the folder's name."""
    try:
        with tree.open(metadata) as file:
            records = yaml.safe_load(file)
    except yaml.YAMLError as error:
        raise BatchInputError(_(NOT_METADATA).format(file=metadata, error=" ".join(str(error).split()))) from None
    except READ_ERRORS as error:
        raise BatchInputError(_(CANNOT_READ).format(path=metadata, error=why(error))) from None
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


def _nbgrader(tree: Tree, submitted: PurePosixPath, assignment: str | None, source: Path) -> list[_Claim]:
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


def _snapshot(tree: Tree, claims: list[_Claim], workdir: Path, layout: str) -> Found:
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


def _take(tree: Tree, claims: list[_Claim], into: Path) -> Submission | Unreadable:
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
            return Unreadable(student, _(CANNOT_READ).format(path=file, error=why(error)))
    return Submission(student, into / entry.name if kind == "file" else into, _digest(hashes))


def _files(tree: Tree, folder: PurePosixPath) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
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


def _copy(tree: Tree, file: PurePosixPath, target: Path) -> str:
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
