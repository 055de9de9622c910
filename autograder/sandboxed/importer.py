"""Loading a submission in the child: its own modules, running only the top-level statements the plan keeps.

A statement that raises is recorded and the next one still runs; an import of a package that is not
installed gets a do-nothing stand-in; an exercise module that is missing or broken, and that another
imports, is replaced by the grader's correct stand-ins. What happened comes back as messages (messages.py).
"""

from __future__ import annotations
import __future__

import ast
import importlib
import importlib.abc
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any, Literal

from autograder.sandboxed import describe, probes, source, standins, toplevel
from autograder.sandboxed.answers import Place
from autograder.sandboxed.messages import (
    GRADER_NAME,
    NOT_DEFINED,
    NOT_IMPORTED,
    NOT_IMPORTED_AT,
    RAISED,
    RAISED_AT,
    STAND_IN,
    as_message,
    named_file,
    place,
)

MAX_STAND_INS = 5  # missing packages given a stand-in for one statement


class _DoNothing(types.ModuleType):
    """Stands in for a package that is not installed: every attribute, call or item gives the stand-in back."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # so that the import system treats it as a plain module
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def __getitem__(self, key: Any) -> Any:
        return self

    def __iter__(self) -> Any:
        return iter(())

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        return False


class _SubmissionImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the submission's own modules, running only the top-level statements toplevel.plan lets run.

    A statement that raises is recorded and the next one still runs; an import of a package
    that is not installed gets a do-nothing stand-in. What happened is kept in `notes`.
    """

    def __init__(self, root: Path, own: frozenset[str], exercise_modules: set[str]):
        self.root, self.own, self.exercise_modules = root, own, exercise_modules
        self.notes: list[dict] = []  # as_message() data

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        """A spec for a top-level module that is a .py file of the submission's folder, else None."""
        file = self.root / f"{fullname}.py"
        if path is not None or "." in fullname or not file.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, file, loader=self)

    def create_module(self, spec: Any) -> None:
        return None  # the default module object

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the statements of the module's file that the plan keeps, each compiled on its own."""
        assert module.__file__ is not None, "find_spec made the module's spec from its file"
        file = Path(module.__file__)
        flags = 0
        for step in toplevel.plan(source.parse(file), self.own):
            if step.runs:
                flags |= _future_flags(step.statement)
                self._run(step.statement, flags, module, file)

    def _run(self, statement: ast.stmt, flags: int, module: types.ModuleType, file: Path) -> None:
        """Run one statement; stand in for missing packages it imports; record what it raises."""
        for _attempt in range(MAX_STAND_INS + 1):
            try:
                code = compile(
                    ast.Module(body=[statement], type_ignores=[]), str(file), "exec", flags=flags, dont_inherit=True
                )
                exec(code, vars(module))
                return
            except ModuleNotFoundError as error:
                missing = self._missing_package(error, statement)
                if missing is None:
                    self._record_failure(error, statement, module, file)
                    return
                _install_stand_ins(missing, toplevel.imported_modules(statement))
                self.notes.append(
                    as_message(
                        STAND_IN,
                        place=place(file.name, statement.lineno),
                        statement=_snippet(statement),
                        missing=missing,
                    )
                )
            except BaseException as error:  # SystemExit and KeyboardInterrupt too: the file's other lines still run
                self._record_failure(error, statement, module, file)
                return

    def _missing_package(self, error: ModuleNotFoundError, statement: ast.stmt) -> str | None:
        """The missing module when the statement itself imports it and it is not the submission's own, else None."""
        name = error.name or ""
        top = name.partition(".")[0]
        if not top or top in self.exercise_modules or (self.root / f"{top}.py").exists():
            return None
        imported = toplevel.imported_modules(statement)
        return name if any(module == name or module.startswith(f"{name}.") for module in imported) else None

    def _record_failure(self, error: BaseException, statement: ast.stmt, module: types.ModuleType, file: Path) -> None:
        """A note for a statement that raised, unless it only failed by using a do-nothing stand-in."""
        scope = vars(module)
        if any(
            isinstance(scope.get(node.id), _DoNothing) for node in ast.walk(statement) if isinstance(node, ast.Name)
        ):
            return  # the stand-in's note already says that this package's code does nothing
        described = describe.describe_error(error, self.root)
        values: dict[str, Any] = {
            "place": place(file.name, statement.lineno),
            "statement": _snippet(statement),
            "error": described.type,
            "message": described.message[:200],
        }
        where = described.where
        if where is not None and where != Place(file.name, statement.lineno):  # deeper than the statement itself
            self.notes.append(as_message(RAISED_AT, **values, where=place(where.file, where.line)))
        else:
            self.notes.append(as_message(RAISED, **values))


def _future_flags(statement: ast.stmt) -> int:
    """The compiler flags a `from __future__ import ...` statement turns on for the statements after it."""
    if not isinstance(statement, ast.ImportFrom) or statement.module != "__future__":
        return 0
    flags = 0
    for alias in statement.names:
        flags |= getattr(getattr(__future__, alias.name, None), "compiler_flag", 0)
    return flags


def _install_stand_ins(missing: str, imported: set[str]) -> None:
    """A do-nothing module for the missing one and each of its submodules the statement imports."""
    for module in sorted(imported):
        if module == missing or module.startswith(f"{missing}."):
            parts = module.split(".")
            for depth in range(missing.count(".") + 1, len(parts) + 1):
                name = ".".join(parts[:depth])
                sys.modules.setdefault(
                    name, _DoNothing(name, "a do-nothing stand-in for a package that is not installed")
                )


def _snippet(statement: ast.stmt, limit: int = 60) -> str:
    """The statement's first line, shortened for a note."""
    text = ast.unparse(statement).splitlines()[0]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_submission(config: dict, announce: Any) -> tuple[Any, dict[str, dict], list[dict]]:
    """Import the submission's modules; stand in for broken ones that others import."""
    root = Path(config["root"])
    sys.path.insert(0, str(root))
    importer = _SubmissionImporter(root, frozenset(config["own"]), set(config["exercise_modules"]))
    sys.meta_path.insert(0, importer)
    module_problems: dict[str, dict] = dict(config["skip"])  # as_message() data, as all problems
    defining = set(config["names"].values())
    for stem, names in config["stand_in_modules"].items():
        if stem not in defining:  # missing, unparsable, or without the function: others may import it
            sys.modules[stem] = _stand_in_module(stem, names, standins.STANDINS)
    modules = []
    for stem in sorted(defining):
        if stem in module_problems:
            pass
        elif stem in sys.modules and getattr(sys.modules[stem], "__file__", None) != str(root / f"{stem}.py"):
            module_problems[stem] = as_message(GRADER_NAME, file=named_file(f"{stem}.py"))
        else:
            announce({"importing": stem})
            try:
                modules.append(importlib.import_module(stem))
            except BaseException as error:  # SystemExit too
                described = describe.describe_error(error, root)
                values = {"file": named_file(f"{stem}.py"), "error": described.type, "message": described.message}
                where = described.where
                module_problems[stem] = (
                    as_message(NOT_IMPORTED_AT, **values, where=place(where.file, where.line))
                    if where is not None
                    else as_message(NOT_IMPORTED, **values)
                )
        if stem in module_problems and stem in config["stand_in_modules"]:
            sys.modules[stem] = _stand_in_module(stem, config["stand_in_modules"][stem], standins.STANDINS)
    found: dict[str, Any] = {}
    name_problems: dict[str, dict] = {}
    for name, stem in config["names"].items():
        if stem in module_problems:
            name_problems[name] = module_problems[stem]
        elif not hasattr(sys.modules[stem], name):
            name_problems[name] = as_message(NOT_DEFINED, name=name, file=named_file(f"{stem}.py"))
        else:
            found[name] = getattr(sys.modules[stem], name)
    return probes.Namespace(names=found, modules=modules), name_problems, importer.notes


def _stand_in_module(stem: str, names: list[str], stand_ins: dict) -> types.ModuleType:
    module = types.ModuleType(stem, "the grader's stand-in for a missing or broken exercise module")
    for name in names:
        setattr(module, name, stand_ins[name])
    return module
