"""Find the student's functions in a submission without running any of its code."""

from __future__ import annotations

import ast
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.i18n import N_, _, listing
from autograder.i18n.messages import File, Message, Place, Value, counted, from_plain, listed, message
from autograder.sandboxed import toplevel
from autograder.sandboxed.source import UnreadableSource, parse
from autograder.submission import limits, ownership, unrun

NOTEBOOK_SUFFIX = ".ipynb"  # Jupyter notebooks: graded as the modules they make (submission/notebooks.py)
STUDENT_SUFFIXES = (".py", NOTEBOOK_SUFFIX)  # the files a student hands in
IGNORED_FOLDERS = {"__MACOSX", "__pycache__", "site-packages", "node_modules"}  # never where a student's files are
NEAR_MISS_CUTOFF = 0.75  # how alike a name must be to a wanted one for "did you mean"
SKIPPED_CODE = N_("{file}: top-level code not run when grading: {places}")  # places: unrun.summary


class SubmissionError(ValueError):
    """The submission path cannot be graded at all (it does not exist, or holds no Python files or notebooks)."""


@dataclass(frozen=True)
class Layout:
    """Where a submission defines each wanted name, and which files do not parse."""

    root: Path
    files: tuple[Path, ...]
    where: dict[str, str] = field(default_factory=dict)  # name -> module (file stem) defining it
    broken: dict[str, Value] = field(default_factory=dict)  # file name -> its syntax error
    notes: tuple[Value, ...] = ()  # what the report should say about the files (skipped code, misplaced names)
    wanted: dict[str, str] = field(default_factory=dict)  # name -> the exercise module it belongs in
    definitions: tuple[tuple[str, str, int], ...] = ()  # (name, file name, line) of every top-level name
    own: frozenset[str] = frozenset()  # module names and top-level def/class names: see toplevel.submission_names
    elsewhere: dict[str, Value] = field(default_factory=dict)  # name -> why its definitions elsewhere are not graded

    @property
    def modules(self) -> list[str]:
        """The modules to import: those that define a wanted name."""
        return sorted(set(self.where.values()))

    def problem(self, name: str, preferred_module: str) -> Value | None:
        """Why name cannot be graded, or None when a file defines it."""
        if name in self.where:
            return None
        preferred_file = f"{preferred_module}.py"
        if preferred_file in self.broken:
            return self.broken[preferred_file]
        definition = re.compile(rf"^\s*(def|class)\s+{re.escape(name)}\b", re.MULTILINE)
        for path in self.files:
            if path.name in self.broken and definition.search(path.read_text(errors="replace")):
                return self.broken[path.name]
        if name in self.elsewhere:
            return self.elsewhere[name]
        near = self.near_miss(name)
        if near is not None:
            found, file, line = near
            return message(
                "no function or class named `{name}` found; did you mean `{found}` ({place})? rename it to `{name}`",
                name=name,
                found=found,
                place=Place(file, line),
            )
        looked_in = listed(File(path.name) for path in self.files) if self.files else message("no .py files")
        return message(
            "no function or class named `{name}` found (looked in {files}); expected it in {file}",
            name=name,
            files=looked_in,
            file=File(preferred_file),
        )

    def near_miss(self, name: str) -> tuple[str, str, int] | None:
        """The top-level name most like `name` (a typo such as `sigmiod`), with its file and line, or None."""
        candidates = {
            found: (found, file, line) for found, file, line in reversed(self.definitions) if found not in self.wanted
        }
        close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=NEAR_MISS_CUTOFF)
        return candidates[close[0]] if close else None


def unreadable(error: UnreadableSource) -> Value:
    """Why a file is not Python text."""
    return from_plain({"id": error.message, "values": error.values})


def _broken_message(file: Path, error: SyntaxError | UnreadableSource) -> Value:
    """One line naming the file, the line and what is wrong."""
    if isinstance(error, UnreadableSource):
        return unreadable(error)
    place = Place(file.name, error.lineno) if error.lineno else File(file.name)
    return message("{place}: {error}: {message}", place=place, error=type(error).__name__, message=error.msg or "")


def _student_files_in(folder: Path) -> tuple[Path, ...]:
    """The .py files and notebooks directly in a folder
    (not hidden ones such as macOS's ._ex1_sigmoid.py, not links)."""
    return tuple(
        sorted(
            p.resolve()
            for p in folder.iterdir()
            if p.suffix in STUDENT_SUFFIXES and p.is_file() and not p.is_symlink() and not p.name.startswith(".")
        )
    )


def _within_limits(files: tuple[Path, ...]) -> tuple[tuple[Path, ...], list[Value]]:
    """The files graded (the first limits.MAX_FILES, by name, within limits.MAX_SUBMISSION_BYTES together), and a
    note naming those that are not. A file too big by itself stays: reading it says why it is not graded."""
    kept: list[Path] = []
    left_out: list[Path] = []
    total = 0
    for file in files:
        size = file.stat().st_size if len(kept) < limits.MAX_FILES else 0
        if len(kept) >= limits.MAX_FILES or total + min(size, limits.MAX_NOTEBOOK_BYTES) > limits.MAX_SUBMISSION_BYTES:
            left_out.append(file)
        else:
            kept.append(file)
            total += min(size, limits.MAX_NOTEBOOK_BYTES)  # a file over its own limit is never read whole
    if not left_out:
        return tuple(kept), []
    shown = [File(file.name) for file in left_out[: limits.MAX_SHOWN]] + (
        ["..."] if len(left_out) > limits.MAX_SHOWN else []
    )
    note = counted(
        "{count} file not graded ({files}): over the limits of {most} files and {bytes} bytes in a submission",
        "{count} files not graded ({files}): over the limits of {most} files and {bytes} bytes in a submission",
        count=len(left_out),
        files=listed(shown),
        most=limits.MAX_FILES,
        bytes=limits.MAX_SUBMISSION_BYTES,
    )
    return tuple(kept), [note]


def _link_notes(folder: Path) -> list[Value]:
    """What the report says of links among a folder's files:
    never graded, they could point at the grader's own files."""
    links = [p for p in sorted(folder.iterdir()) if p.suffix in STUDENT_SUFFIXES and p.is_symlink()]
    notes: list[Value] = [
        message("{file} was not graded: it is a link, not a file handed in", file=File(p.name))
        for p in links[: limits.MAX_SHOWN]
    ]
    if len(links) > limits.MAX_SHOWN:
        notes.append(message("{count} more links were not graded", count=len(links) - limits.MAX_SHOWN))
    return notes


def _ignored_folder(folder: Path) -> bool:
    """Folders that never hold the student's files: hidden, caches, archives' extras, virtual environments."""
    return folder.name.startswith(".") or folder.name in IGNORED_FOLDERS or (folder / "pyvenv.cfg").exists()


def _folders_with_python(path: Path) -> tuple[list[Path], bool]:
    """The outermost folders below path (at most limits.MAX_DEPTH deep) that hold .py files or notebooks, in the
    order of a sorted walk, and whether the search stopped at a limit (depth, or limits.MAX_ENTRIES looked at)."""
    found: list[Path] = []
    stack, seen, stopped = [(path, 0)], 0, False
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        seen += len(entries)
        if seen > limits.MAX_ENTRIES:
            return found, True
        if (
            folder != path
            and any(entry.name.endswith(STUDENT_SUFFIXES) and entry.is_file(follow_symlinks=False) for entry in entries)
            and _student_files_in(folder)
        ):
            found.append(folder)
            continue
        below = [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
        below = [sub for sub in below if not _ignored_folder(sub)]
        if below and depth >= limits.MAX_DEPTH:
            stopped = True
            continue
        stack.extend((sub, depth + 1) for sub in reversed(below))
    return found, stopped


def student_files(path: Path) -> tuple[Path, tuple[Path, ...], list[Value]]:
    """The folder to grade, its .py files and notebooks (within the limits), and notes: when they sit in a folder
    inside the one given, when some are not graded."""
    if not path.exists():
        raise SubmissionError(
            _("{path} does not exist: give a student's folder, a .py file or an .ipynb notebook").format(path=path)
        )
    if path.is_file():
        if path.suffix not in STUDENT_SUFFIXES:
            raise SubmissionError(
                _(
                    "{path} is not a .py file or an .ipynb notebook: give a student's folder, "
                    "a .py file or an .ipynb notebook"
                ).format(path=path)
            )
        return path.parent.resolve(), (path.resolve(),), []
    files = _student_files_in(path)
    root, files, notes = (path.resolve(), files, list[Value]()) if files else _nested_submission(path)
    files, left_out = _within_limits(files)
    return root, files, [*notes, *left_out, *_link_notes(root)]


def submission_root(path: Path) -> Path:
    """The folder that will be graded for path (a file's folder, or the one folder of student files inside it)."""
    return student_files(Path(path))[0]


def _nested_submission(path: Path) -> tuple[Path, tuple[Path, ...], list[Value]]:
    """The one folder inside path that holds student files (a zip's extra folder level), with a note saying so."""
    inner, stopped = _folders_with_python(path)
    if not inner:
        limit = (
            _(" (looked {depth} folders deep, through at most {entries} files and folders)").format(
                depth=limits.MAX_DEPTH, entries=limits.MAX_ENTRIES
            )
            if stopped
            else ""
        )
        raise SubmissionError(
            _("{path} holds no .py files or .ipynb notebooks{limit}: is this the right folder?").format(
                path=path, limit=limit
            )
        )
    outer = path.resolve()
    shown = [folder.resolve().relative_to(outer.parent).as_posix() + "/" for folder in inner]
    if len(inner) > 1:
        raise SubmissionError(
            _(
                "{path} holds no .py files or notebooks itself, and several folders inside it do: "
                "{folders}; give the one to grade"
            ).format(path=path, folders=listing(shown))
        )
    note = message("{folder}/ holds no .py files: graded the ones in {inner}", folder=outer.name, inner=shown[0])
    return inner[0].resolve(), _student_files_in(inner[0]), [note]


def _definitions(file: Path, tree: ast.Module) -> list[tuple[str, str, int]]:
    """(name, file name, line) of each top-level def, class and plain assignment."""
    found = []
    for node in tree.body:
        if isinstance(node, toplevel.DEFINITIONS):
            found.append((node.name, file.name, node.lineno))
        elif isinstance(node, ast.Assign):
            found.extend((target.id, file.name, node.lineno) for target in node.targets if isinstance(target, ast.Name))
    return found


def _skipped_code_notes(trees: dict[Path, ast.Module], modules: list[str], own: frozenset[str]) -> list[Message]:
    """A note per imported file naming its top-level code that does not run when grading."""
    notes = []
    for file, tree in trees.items():
        skipped = unrun.summary(file.name, toplevel.plan(tree, own)) if file.stem in modules else None
        if skipped:
            notes.append(message(SKIPPED_CODE, file=File(file.name), places=skipped))
    return notes


def scan(path: Path, wanted: dict[str, str]) -> Layout:
    """Map each wanted name (name -> module where it belongs) to the file defining it."""
    path = Path(path)
    root, files, notes = student_files(path)
    files = tuple(
        file for file in files if file.suffix == ".py"
    )  # notebooks are graded as modules: notebooks.materialise
    trees: dict[Path, ast.Module] = {}
    broken: dict[str, Value] = {}
    for file in files:
        try:
            trees[file] = parse(file)
        except (SyntaxError, UnreadableSource) as error:
            broken[file.name] = _broken_message(file, error)
    definitions = [entry for file, tree in trees.items() for entry in _definitions(file, tree)]
    by_stem = {file.stem: tree for file, tree in trees.items()}
    owned = ownership.owners(by_stem, set(wanted.values()))
    where, elsewhere = ownership.lookup(definitions, wanted, owned)
    own = toplevel.submission_names([file.stem for file in files], trees.values())
    present = {file.stem for file in files}
    notes += ownership.notes(by_stem, where, wanted, owned, present=present, one_file=path.is_file())
    notes += _skipped_code_notes(trees, sorted(set(where.values())), own)
    return Layout(
        root=root,
        files=files,
        where=where,
        broken=broken,
        notes=tuple(notes),
        wanted=dict(wanted),
        definitions=tuple(definitions),
        own=own,
        elsewhere={name: ownership.not_graded(name, wanted[name], stems, owned) for name, stems in elsewhere.items()},
    )
