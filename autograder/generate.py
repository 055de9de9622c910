"""Generate the student stubs in exercises/ from the reference code in solutions/.

A strict, nbgrader-style line scan: every ### BEGIN SOLUTION ... ### END SOLUTION
block becomes one `raise NotImplementedError(...)` line at the marker's indentation,
and every other byte is kept.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Sequence
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = (
    'raise NotImplementedError("Exercise {number}: replace this line with your code'
    ' (see the task at the top of {filename})")'
)
PATTERN = "ex*.py"

SOLUTIONS = Path("solutions")  # relative to the current folder: a checkout of the kit, not the installed package
EXERCISES = Path("exercises")

SOLUTIONS_HELP = "folder of reference modules with solution markers (default: ./%(default)s)"
EXERCISES_HELP = "folder the student stubs are written to (default: ./%(default)s)"
CHECK_HELP = "write nothing; list the stubs that differ from solutions/ and exit 1 if any do"

_EXERCISE_NAME = re.compile(r"ex(\d+)\w*\.py")


class MarkerError(ValueError):
    """A solution file whose markers cannot be turned into a stub."""

    def __init__(self, filename: str, line: int, problem: str):
        super().__init__(f"{filename}:{line}: {problem}")
        self.filename = filename
        self.line = line
        self.problem = problem


def exercise_number(filename: str) -> int:
    """The exercise number in a name like ex3_model.py."""
    match = _EXERCISE_NAME.fullmatch(Path(filename).name)
    if match is None:
        raise MarkerError(filename, 1, "file name must look like ex<N>_<topic>.py")
    return int(match.group(1))


def stub_line(filename: str) -> str:
    """The line that replaces a solution block, without indentation or newline."""
    name = Path(filename).name
    return STUB.format(number=exercise_number(name), filename=name)


def _newline(line: str) -> str:
    """The line ending of line ('' on a last line without one)."""
    return line[len(line.rstrip("\r\n")):]


def make_stub(source: str, filename: str, stub: str | None = None) -> str:
    """The source with each solution block replaced by one line: stub, or else the file's NotImplementedError line."""
    stub = stub_line(filename) if stub is None else stub
    lines = io.StringIO(source, newline="").readlines()  # keeps each line ending as is
    kept: list[str] = []
    begin = 0  # line number of the open block's BEGIN, 0 outside a block
    indent = ""
    blocks = 0
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == BEGIN:
            if begin:
                problem = f"nested {BEGIN!r} (the block opened on line {begin} is still open)"
                raise MarkerError(filename, number, problem)
            begin = number
            indent = line[: len(line) - len(line.lstrip(" \t"))]
        elif marker == END:
            if not begin:
                raise MarkerError(filename, number, f"{END!r} without a {BEGIN!r} before it")
            kept.append(indent + stub + _newline(line))
            begin = 0
            blocks += 1
        elif not begin:
            kept.append(line)
    if begin:
        raise MarkerError(filename, begin, f"{BEGIN!r} has no {END!r} before the end of the file")
    if not blocks:
        raise MarkerError(filename, max(len(lines), 1), f"no {BEGIN!r} ... {END!r} block in the file")
    return "".join(kept)


def _read(path: Path) -> str:
    """The text of path with its line endings untouched."""
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def sources(solutions: Path) -> list[Path]:
    """The ex*.py files in solutions, in order; an error when there are none."""
    if not solutions.is_dir():
        raise FileNotFoundError(f"solutions folder not found: {solutions}")
    found = sorted(solutions.glob(PATTERN))
    if not found:
        raise FileNotFoundError(f"no {PATTERN} files in the solutions folder {solutions}")
    return found


def stubs(solutions: Path) -> dict[str, str]:
    """File name -> stub text, for every ex*.py in solutions."""
    return {path.name: make_stub(_read(path), path.name) for path in sources(solutions)}


def stale(solutions: Path, exercises: Path) -> list[Path]:
    """The ex*.py files in exercises that have no solution."""
    if not exercises.is_dir():
        return []
    return sorted(path for path in exercises.glob(PATTERN) if not (solutions / path.name).exists())


def generate(solutions: Path, exercises: Path) -> list[Path]:
    """Write a stub for every solution, remove stale stubs; return the paths written."""
    wanted = stubs(solutions)  # every file is checked before anything is written
    for path in stale(solutions, exercises):
        path.unlink()
    exercises.mkdir(exist_ok=True)
    written = []
    for name, text in wanted.items():
        path = exercises / name
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        written.append(path)
    return written


def drift(solutions: Path, exercises: Path) -> list[str]:
    """Names of the stubs that are missing, stale or differ from what generate writes."""
    changed = [
        name
        for name, text in stubs(solutions).items()
        if not (exercises / name).is_file() or (exercises / name).read_bytes() != text.encode("utf-8")
    ]
    return sorted(changed + [path.name for path in stale(solutions, exercises)])


def _parser() -> argparse.ArgumentParser:
    """The command line of logreg-exercises."""
    parser = argparse.ArgumentParser(
        prog="logreg-exercises",
        description="Generate the student stubs in exercises/ from the reference code in solutions/.",
    )
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS, metavar="DIR", help=SOLUTIONS_HELP)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, metavar="DIR", help=EXERCISES_HELP)
    parser.add_argument("--check", action="store_true", help=CHECK_HELP)
    return parser


def _check(solutions: Path, exercises: Path) -> int:
    """Print the drifted stubs; 1 if there are any, else 0."""
    changed = drift(solutions, exercises)
    for name in changed:
        print(f"out of date: {exercises / name}")
    if changed:
        print(f"{exercises}/ differs from {solutions}/: run `logreg-exercises` without --check to regenerate it")
        return 1
    print(f"{exercises}/ matches {solutions}/ ({len(sources(solutions))} files)")
    return 0


def _write(solutions: Path, exercises: Path) -> int:
    """Regenerate the stubs and print what changed on disk; 0."""
    removed = stale(solutions, exercises)
    written = generate(solutions, exercises)
    for path in removed:
        print(f"removed {path}")
    for path in written:
        print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run logreg-exercises; return the exit status (0 ok, 1 drift found, 2 error)."""
    args = _parser().parse_args(argv)
    if not args.solutions.is_dir():
        print(f"logreg-exercises: error: solutions folder not found: {args.solutions} (run logreg-exercises in "
              "a checkout of the kit, where solutions/ is, or give the folder with --solutions DIR)", file=sys.stderr)
        return 2
    try:
        return (_check if args.check else _write)(args.solutions, args.exercises)
    except (MarkerError, UnicodeDecodeError, OSError) as error:
        print(f"logreg-exercises: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
