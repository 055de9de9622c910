"""Find the student's functions in a submission without running any of its code."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

class SubmissionError(ValueError):
    """The submission path cannot be graded at all (it does not exist, or holds no Python)."""


@dataclass(frozen=True)
class Layout:
    """Where a submission defines each wanted name, and which files do not parse."""

    root: Path
    files: tuple[Path, ...]
    where: dict[str, str] = field(default_factory=dict)  # name -> module (file stem) defining it
    broken: dict[str, str] = field(default_factory=dict)  # file name -> its syntax error
    notes: tuple[str, ...] = ()  # what the report should say about the files (skipped code, misplaced names)

    @property
    def modules(self) -> list[str]:
        """The modules to import: those that define a wanted name."""
        return sorted(set(self.where.values()))

    def problem(self, name: str, preferred_module: str) -> str | None:
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
        looked_in = ", ".join(path.name for path in self.files) or "no .py files"
        return f"no function or class named `{name}` found (looked in {looked_in}); expected it in {preferred_file}"


def _python_files(path: Path) -> tuple[Path, tuple[Path, ...]]:
    if not path.exists():
        raise SubmissionError(f"{path} does not exist: give a student's folder or a single .py file")
    if path.is_file():
        if path.suffix != ".py":
            raise SubmissionError(f"{path} is not a .py file: give a student's folder or a single .py file")
        return path.parent.resolve(), (path.resolve(),)
    files = sorted(p.resolve() for p in path.glob("*.py"))
    if not files:
        raise SubmissionError(f"{path} holds no .py files: is this the right folder?")
    return path.resolve(), tuple(files)


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def scan(path: Path, wanted: dict[str, str]) -> Layout:
    """Map each wanted name (name -> module where it belongs) to the file defining it."""
    root, files = _python_files(Path(path))
    where: dict[str, str] = {}
    broken: dict[str, str] = {}
    for file in files:
        try:
            tree = ast.parse(file.read_bytes(), filename=file.name)
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None)
            broken[file.name] = f"{file.name}, line {line}: {type(error).__name__}: {getattr(error, 'msg', error)}"
            continue
        for name in _top_level_names(tree) & wanted.keys():
            if name not in where or file.stem == wanted[name]:
                where[name] = file.stem
    return Layout(root=root, files=files, where=where, broken=broken)
