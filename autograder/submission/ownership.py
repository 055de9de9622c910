"""Which exercise owns each file of a submission, and so which file each exercise's names are graded from.

The rule, read from the files' names and their top-level imports (nothing is run):
- a file named after an exercise's module (ex1_sigmoid.py, or its topic: sigmoid.py) belongs to that exercise;
- a file named after none that exercise files import at their top level (directly or through such helpers)
  belongs to those exercises, as their helper;
- a file nobody owns is free: a renamed exercise file (logreg_sigmoid.py) or one file holding everything.
A name of exercise E is graded from E's own file, else from a file E owns (renamed, or its helper), else from a
free file; a definition only in files that other exercises own is that file's helper and is never graded for E.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping

from autograder.i18n.messages import File, Message, Value, counted, listed, message
from autograder.sandboxed import toplevel

EXERCISE_MODULE = re.compile(r"ex\d+_(\w+)")  # ex1_sigmoid: its topic, sigmoid, also names the exercise's file


def named_after(stem: str, modules: Iterable[str]) -> frozenset[str]:
    """The exercise modules a file stem names: ex1_sigmoid itself, or its topic (sigmoid)."""
    found = set()
    for module in modules:
        topic = EXERCISE_MODULE.fullmatch(module)
        if stem == module or (topic is not None and stem.lower() == topic.group(1).lower()):
            found.add(module)
    return frozenset(found)


def _imports(tree: ast.Module, stems: Iterable[str]) -> set[str]:
    """The submission's files (stems) a file imports at its top level."""
    imported = {module for node in tree.body for module in toplevel.imported_modules(node)}
    return {stem for stem in stems if stem in imported}


def owners(trees: Mapping[str, ast.Module], modules: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each file stem -> the exercise modules owning it: the one it is named after, or those importing it (helper);
    an empty set for a free file."""
    modules = set(modules)
    owned = {stem: named_after(stem, modules) for stem in trees}
    named = {stem for stem, by in owned.items() if by}
    imports = {stem: _imports(tree, trees) for stem, tree in trees.items()}
    changed = True
    while changed:  # helpers of helpers, until nothing more is learnt
        changed = False
        for stem, by in list(owned.items()):
            for helper in imports[stem] - named - {stem}:
                if by - owned[helper]:
                    owned[helper] = owned[helper] | by
                    changed = True
    return owned


def lookup(
    definitions: Iterable[tuple[str, str, int]], wanted: Mapping[str, str], owned: Mapping[str, frozenset[str]]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The file stem each wanted name is graded from (its own file, then one its exercise owns, then a free one),
    and, for a name defined only in files other exercises own, those stems."""
    defining: dict[str, list[str]] = {}
    for name, file, _line in definitions:
        stem = file.rsplit(".", 1)[0]
        if name in wanted and stem not in defining.setdefault(name, []):
            defining[name].append(stem)
    where: dict[str, str] = {}
    elsewhere: dict[str, list[str]] = {}
    for name, stems in defining.items():
        module = wanted[name]
        own = [stem for stem in stems if stem == module]
        owned_by_it = [stem for stem in stems if module in owned.get(stem, frozenset())]
        free = [stem for stem in stems if not owned.get(stem)]
        ranked = [*own, *owned_by_it, *free]
        if ranked:
            where[name] = ranked[0]
        else:
            elsewhere[name] = stems
    return where, elsewhere


def described(stem: str, owned: Mapping[str, frozenset[str]]) -> Value:
    """A file as the report names it: ex6_numpy.py, or activations.py (a helper of ex6_numpy.py)."""
    by = owned.get(stem, frozenset())
    if not by or stem in by or named_after(stem, by):
        return File(f"{stem}.py")
    return message(
        "{file} (a helper of {owners})",
        file=File(f"{stem}.py"),
        owners=listed((File(f"{m}.py") for m in sorted(by)), and_last=True),
    )


def not_graded(name: str, module: str, stems: list[str], owned: Mapping[str, frozenset[str]]) -> Message:
    """Why a name defined only in other exercises' files is not graded, and where it should be."""
    return counted(
        "`{name}` is defined only in {files}, which belongs to another exercise and is not graded for this one: "
        "define `{name}` in {file}",
        "`{name}` is defined only in {files}, which belong to other exercises and are not graded for this one: "
        "define `{name}` in {file}",
        count=len(stems),
        name=name,
        files=listed((described(stem, owned) for stem in stems), and_last=True),
        file=File(f"{module}.py"),
    )


def importers(trees: Mapping[str, ast.Module], module: str) -> list[str]:
    """The files that import module at their top level."""
    return [f"{stem}.py" for stem, tree in trees.items() if module in _imports(tree, [module])]


def _misplaced_note(names: list[str], stem: str, module: str, importing: list[str]) -> Message:
    """`sigmoid` is defined in sigmoid.py; the exercise expects it in ex1_sigmoid.py (...): rename the file."""
    return counted(
        "{names} is defined in {file}; the exercise expects it in {expected}{why}: rename the file to {expected}",
        "{names} are defined in {file}; the exercise expects them in {expected}{why}: rename the file to {expected}",
        count=len(names),
        names=listed(("`" + name + "`" for name in names), and_last=True),
        file=File(stem + ".py"),
        expected=File(module + ".py"),
        why=_importers_said(len(names), importing),
    )


def _importers_said(count: int, importing: list[str]) -> Value:
    """' (ex3_model.py imports it from there)' for count names, or '' when no file imports them."""
    if not importing:
        return ""
    files = listed(File(name) for name in importing)
    if count == 1:
        return counted(
            " ({files} imports it from there)", " ({files} import it from there)", count=len(importing), files=files
        )
    return counted(
        " ({files} imports them from there)", " ({files} import them from there)", count=len(importing), files=files
    )


def notes(
    trees: Mapping[str, ast.Module],
    where: Mapping[str, str],
    wanted: Mapping[str, str],
    owned: Mapping[str, frozenset[str]],
    *,
    present: set[str],
    one_file: bool,
) -> list[Message]:
    """A note per file that gives names of an exercise it is not the file of: "rename the file" when it looks like
    that exercise's file renamed (its names are one exercise's, whose file is absent from present), else which names
    it gives. A file given alone is noted only when it holds several exercises."""
    by_file: dict[str, list[str]] = {}
    for name, stem in where.items():
        if stem != wanted[name]:
            by_file.setdefault(stem, []).append(name)
    said = []
    for stem, names in sorted(by_file.items()):
        expected = {wanted[name] for name in names}
        if one_file and len(expected) == 1:
            continue
        if not one_file and len(expected) == 1 and not expected & present:
            module = expected.pop()
            said.append(_misplaced_note(names, stem, module, importers(trees, module)))
        else:
            said.append(
                counted(
                    "{names} is graded from {file}",
                    "{names} are graded from {file}",
                    count=len(names),
                    names=listed(("`" + name + "`" for name in names), and_last=True),
                    file=described(stem, owned),
                )
            )
    return said
