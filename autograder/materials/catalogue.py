"""Keep the message catalogue whole: `python -m autograder.materials.catalogue [--check]`.

The template holds every text the kit shows: the `_()`, `N_()`, `pgettext()`, `NC_()` and `ngettext()`
calls of the package (extracted with Babel), and the declarations' texts, read from the declarations
themselves: each check's description (context: its id), each exercise's title (context: its module)
and each hint (context: its check or mistake id). Without --check, every language's .po file is
brought up to date with the template (translations kept, new texts left empty) and compiled to .mo;
with --check, nothing is written and the problems are listed: a text without a translation, a fuzzy
or obsolete one, placeholders ({name}) that differ from the English, a .mo older than its .po.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from autograder import i18n
from autograder.locations import PACKAGE

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
TRANSLATED = tuple(language for language in i18n.LANGUAGES if language != "en")
SKIPPED = ("catalogue.py",)  # this tool names the keywords without using them


def _source_messages() -> Iterator[tuple[str | None, str | tuple[str, str], str]]:
    """(context, message, where) of every marked text in the package's code."""
    for filename, line, message, _comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        if Path(filename).name not in SKIPPED:
            yield context, message, f"autograder/{filename}:{line}"


def _declared_messages() -> Iterator[tuple[str, str, str]]:
    """(context, message, where) of each exercise's title, each check's description, each hint and task text."""
    from autograder.lesson import EXERCISES
    from autograder.lesson.hints import HINTS

    for exercise in EXERCISES:
        where = f"autograder/lesson/declarations/{exercise.module}.py"
        yield exercise.module, exercise.title, where
        for check in exercise.checks:
            yield check.id, check.does, where
    for key, hint in HINTS.items():
        yield key, hint, "autograder/lesson/hints.py"
    yield from _task_messages()


def _task_messages() -> Iterator[tuple[str, str, str]]:
    """(context, message, where) of each exercise's task texts: the heading comment and the docstrings of its
    stub (none from inside a solution block), read from solutions/ (context: "<module>.task")."""
    from autograder.locations import SOLUTIONS
    from autograder.materials.stubs import TASK_CONTEXT, make_stub, sources, task_texts

    for path in sources(SOLUTIONS):
        for text, line in task_texts(make_stub(path.read_text(encoding="utf-8"), path.name)):
            yield TASK_CONTEXT.format(module=path.stem), text, f"solutions/{path.name}:{line}"


def template() -> Catalog:
    """Every text to translate, with its context."""
    catalog = Catalog(project="logreg-autograder", domain=i18n.DOMAIN, fuzzy=False)
    for context, message, where in [*_source_messages(), *_declared_messages()]:
        path, _, line = where.partition(":")
        catalog.add(message, context=context, locations=[(path, int(line) if line else 0)])
    return catalog


def po_path(language: str) -> Path:
    return i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _serialised(catalog: Catalog, writer, **options) -> bytes:
    buffer = io.BytesIO()
    writer(buffer, catalog, **options)
    return buffer.getvalue()


def _read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=i18n.DOMAIN)
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=i18n.DOMAIN)


def _read_mo(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_mo(file)


def _messages(catalog: Catalog) -> set[tuple]:
    """What a catalogue says, whatever the bytes that hold it: (context, id, translation) of each translated text."""

    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {
        (message.context, plain(message.id), plain(message.string))
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def fields(text: str) -> set[str]:
    """The {placeholders} of a text."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def problems(language: str) -> list[str]:
    """What is missing or wrong in a language's catalogue, against the template; [] when it is whole."""
    found, wanted = _read(language), template()
    said = []
    for message in wanted:
        if not message.id:
            continue
        where = f"{message.context + ': ' if message.context else ''}{message.id if isinstance(message.id, str) else message.id[0]!r}"
        translated = found.get(message.id, context=message.context)
        strings = translated.string if translated else None
        if translated is None or not strings or (isinstance(strings, tuple) and not all(strings)):
            said.append(f"{language}: no translation of {where}")
            continue
        if translated.fuzzy:
            said.append(f"{language}: fuzzy translation of {where}")
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = strings if isinstance(strings, tuple) else (strings,)
        if any(fields(target) != fields(sources[0]) | fields(sources[-1]) for target in targets):
            said.append(
                f"{language}: placeholders differ in {where}: {sorted(fields(sources[0]))} vs {[sorted(fields(t)) for t in targets]}"
            )
    said += [
        f"{language}: obsolete {message.context}: {message.id!r}"
        for message in found
        if message.id and wanted.get(message.id, context=message.context) is None
    ]
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or _messages(_read_mo(mo)) != _messages(found):
        said.append(
            f"{language}: {mo.name} is not compiled from {po_path(language).name}: run python -m autograder.materials.catalogue"
        )
    return said


def update(language: str) -> Path:
    """Bring a language's .po file up to date with the template and compile it; the .po's path."""
    catalog = _read(language)
    catalog.update(template(), no_fuzzy_matching=True)
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_serialised(catalog, write_po, width=100, omit_header=False, include_previous=False))
    compiled = _read(language)
    path.with_suffix(".mo").write_bytes(_serialised(compiled, write_mo, use_fuzzy=False))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.materials.catalogue", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; list what is missing and exit 1 if anything is"
    )
    args = parser.parse_args(argv)
    if args.check:
        found = [problem for language in TRANSLATED for problem in problems(language)]
        print("\n".join(found) if found else f"the catalogue is whole ({', '.join(TRANSLATED)})")
        return 1 if found else 0
    for language in TRANSLATED:
        print(f"updated {update(language)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
