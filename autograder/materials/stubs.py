"""Generate the student stubs in exercises/ from the reference code in solutions/.

A strict, nbgrader-style line scan: every ### BEGIN SOLUTION ... ### END SOLUTION
block becomes one `raise NotImplementedError(...)` line at the marker's indentation,
and every other byte is kept. In another language than English (`--lang zh`), the
heading comment, the docstrings and the stub's message are the catalogue's (context
"<module>.task"); the code stays byte for byte the same.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from autograder import commands, i18n
from autograder.i18n import N_, _

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_MESSAGE = N_("Exercise {number}: replace this line with your code (see the task at the top of {filename})")
TASK_CONTEXT = "{module}.task"  # the catalogue's context of a module's heading comment and docstrings
PATTERN = "ex*.py"

SOLUTIONS = Path("solutions")  # relative to the current folder: a checkout of the kit, not the installed package
EXERCISES = Path("exercises")


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


def raise_line(message: str) -> str:
    """`raise NotImplementedError("message")`: a line that replaces a solution block."""
    return f"raise NotImplementedError({json.dumps(message, ensure_ascii=False)})"


def stub_line(filename: str) -> str:
    """The line that replaces a solution block, in the current language, without indentation or newline."""
    name = Path(filename).name
    return raise_line(_(STUB_MESSAGE).format(number=exercise_number(name), filename=name))


# ---- the task texts in the current language ---------------------------------------


def _docstrings(tree: ast.Module) -> list[ast.Constant]:
    """The docstring literals of the module, its classes and functions, in source order."""
    owners = [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    found = [
        owner.body[0].value
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
        and isinstance(owner.body[0].value.value, str)
    ]
    return sorted(found, key=lambda node: (node.lineno, node.col_offset))


def _text(node: ast.Constant) -> str:
    """The text of a docstring literal (_docstrings gives only string ones)."""
    assert isinstance(node.value, str), "a docstring is a string literal"
    return node.value


def _heading(source: str) -> str | None:
    """The text of the module's heading comment ("Exercise 1: the sigmoid..."), or None."""
    first = source.split("\n", 1)[0].rstrip("\r")
    return first[2:] if first.startswith("# ") else None


def task_texts(source: str) -> list[tuple[str, int]]:
    """(text, line) of each task text of a module: its heading comment, and each docstring as cleaned by ast."""
    texts = [(heading, 1)] if (heading := _heading(source)) else []
    return texts + [(inspect.cleandoc(_text(node)), node.lineno) for node in _docstrings(ast.parse(source))]


def _literal(node: ast.Constant, text: str) -> str:
    """A plain triple-quoted docstring literal saying text, laid out as node's: its indentation, its closing line."""
    if '"""' in text or text.endswith('"'):
        raise ValueError(f"a translated docstring cannot hold or end in a double quote: {text[:40]!r}")
    indent = " " * node.col_offset
    lines = text.replace("\\", "\\\\").split("\n")
    body = "\n".join([lines[0], *(indent + line if line else "" for line in lines[1:])])
    closing = "\n" + indent if _text(node).rstrip(" \t").endswith("\n") else ""
    return f'"""{body}{closing}"""'


def translated(source: str, module: str) -> str:
    """source with its heading comment and docstrings in the current language; every byte of code kept."""
    context = TASK_CONTEXT.format(module=module)
    data = source.encode("utf-8")
    starts = [0]
    for line in io.BytesIO(data):
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []  # (start, end, new text) in bytes of source
    heading = _heading(source)
    if heading and (said := i18n.pgettext(context, heading)) != heading:
        edits.append((2, 2 + len(heading.encode("utf-8")), said))
    for node in _docstrings(ast.parse(source)):
        text = inspect.cleandoc(_text(node))
        said = i18n.pgettext(context, text)
        if said != text:
            assert node.end_lineno is not None and node.end_col_offset is not None, "ast.parse gives every node its end"
            start, end = starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset
            edits.append((start, end, _literal(node, said)))
    for start, end, new in sorted(edits, reverse=True):
        data = data[:start] + new.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def _newline(line: str) -> str:
    """The line ending of line ('' on a last line without one)."""
    return line[len(line.rstrip("\r\n")) :]


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
    """File name -> stub text in the current language, for every ex*.py in solutions."""
    return {path.name: make_stub(translated(_read(path), path.stem), path.name) for path in sources(solutions)}


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


DESCRIPTION = N_("Generate the student stubs in exercises/ from the reference code in solutions/.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of logreg-exercises."""
    parser.add_argument(
        "--solutions",
        type=Path,
        default=SOLUTIONS,
        metavar="DIR",
        help=_("folder of reference modules with solution markers (default: ./%(default)s)"),
    )
    parser.add_argument(
        "--exercises",
        type=Path,
        default=EXERCISES,
        metavar="DIR",
        help=_("folder the student stubs are written to (default: ./%(default)s)"),
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help=_("write nothing; list the stubs that differ from solutions/ and exit 1 if any do"),
    )


def _check(solutions: Path, exercises: Path) -> int:
    """Print the drifted stubs; 1 if there are any, else 0."""
    changed = drift(solutions, exercises)
    for name in changed:
        print(_("out of date: {path}").format(path=exercises / name))
    if changed:
        print(
            _("{exercises}/ differs from {solutions}/: run `logreg-exercises` without --check to regenerate it").format(
                exercises=exercises, solutions=solutions
            )
        )
        return 1
    print(
        _("{exercises}/ matches {solutions}/ ({count} files)").format(
            exercises=exercises, solutions=solutions, count=len(sources(solutions))
        )
    )
    return 0


def _write(solutions: Path, exercises: Path) -> int:
    """Regenerate the stubs and print what changed on disk; 0."""
    removed = stale(solutions, exercises)
    written = generate(solutions, exercises)
    for path in removed:
        print(_("removed {path}").format(path=path))
    for path in written:
        print(_("wrote {path}").format(path=path))
    return 0


def run(args: argparse.Namespace) -> int:
    """Write or check the stubs: 0 done, 1 drift found (--check), or a CommandError that says why not."""
    if not args.solutions.is_dir():
        raise commands.CommandError(
            _(
                "solutions folder not found: {folder} (run logreg-exercises in a checkout of the kit, where solutions/ "
                "is, or give the folder with --solutions DIR)"
            ).format(folder=args.solutions)
        )
    try:
        return (_check if args.check else _write)(args.solutions, args.exercises)
    except (MarkerError, UnicodeDecodeError, OSError) as error:
        raise commands.CommandError(str(error)) from None


COMMAND = commands.Command(
    prog="logreg-exercises",
    description=DESCRIPTION,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the language of the stubs' task texts"),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run logreg-exercises; return the exit status (0 ok, 1 drift found, 2 error)."""
    return commands.main(COMMAND, argv)


if __name__ == "__main__":
    sys.exit(main())
