"""Keep the message catalogue whole: `python -m autograder.materials.catalogue [--check]`.

The template holds every text the kit shows: the `_()`, `N_()`, `pgettext()`, `NC_()` and `ngettext()`
calls of the package and its messages said later (`message()`, `counted()`, `in_context()`), extracted
with Babel, and the declarations' texts, read from the declarations themselves: each check's description
(context: its id), each exercise's title (context: its module) and each hint (context: its check or
mistake id). Without --check, every language's .po file is brought up to date with the template
(translations kept, new texts left empty) and compiled to .mo; with --check, nothing is written and the
problems are listed: a text without a translation, a fuzzy or obsolete one, placeholders ({name}) that
differ from the English, a .mo older than its .po.
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

from autograder import commands, i18n
from autograder.i18n import N_, _
from autograder.locations import PACKAGE

KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NC_": ((1, "c"), 2),
    "message": None,  # i18n.messages: texts said later
    "counted": (1, 2),
    "in_context": ((1, "c"), 2),
}
TRANSLATED = tuple(language for language in i18n.LANGUAGES if language != "en")


def _source_messages() -> Iterator[tuple[str | None, str | tuple[str, ...], str]]:
    """(context, message, where) of every marked text in the package's code."""
    for filename, line, message, _comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
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
        path, _colon, line = where.partition(":")
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
        return {name for _text, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _named(message) -> str:
    """A message of the catalogue as problems name it: its context, then its (first) English text."""
    text = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}: {text!r}" if message.context else repr(text)


def _problem(language: str, message, translated) -> str | None:
    """What is wrong with the translation of one message of the template, or None."""
    strings = translated.string if translated else None
    if translated is None or not strings or (isinstance(strings, tuple) and not all(strings)):
        return _("{language}: no translation of {text}").format(language=language, text=_named(message))
    if translated.fuzzy:
        return _("{language}: fuzzy translation of {text}").format(language=language, text=_named(message))
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    targets = strings if isinstance(strings, tuple) else (strings,)
    if any(fields(target) != fields(sources[0]) | fields(sources[-1]) for target in targets):
        return _("{language}: placeholders differ in {text}: {english} vs {translated}").format(
            language=language,
            text=_named(message),
            english=sorted(fields(sources[0])),
            translated=[sorted(fields(target)) for target in targets],
        )
    return None


def problems(language: str) -> list[str]:
    """What is missing or wrong in a language's catalogue, against the template; [] when it is whole."""
    found, wanted = _read(language), template()
    said = [
        problem
        for message in wanted
        if message.id and (problem := _problem(language, message, found.get(message.id, context=message.context)))
    ]
    said += [
        _("{language}: obsolete {text}").format(language=language, text=_named(message))
        for message in found
        if message.id and wanted.get(message.id, context=message.context) is None
    ]
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or _messages(_read_mo(mo)) != _messages(found):
        said.append(
            _("{language}: {mo} is not compiled from {po}: run {command}").format(
                language=language, mo=mo.name, po=po_path(language).name, command=COMMAND.prog
            )
        )
    return said


def update(language: str) -> Path:
    """Bring a language's .po file up to date with the template and compile it; the .po's path."""
    catalog = _read(language)
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()  # a text no longer in the code is no longer translated
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_serialised(catalog, write_po, width=100, omit_header=False, include_previous=False))
    compiled = _read(language)
    path.with_suffix(".mo").write_bytes(_serialised(compiled, write_mo, use_fuzzy=False))
    return path


DESCRIPTION = N_(
    "Keep the message catalogue whole: bring each language's .po file up to date with the kit's texts "
    "(translations kept, new texts left empty) and compile it to .mo."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the catalogue tool."""
    parser.add_argument(
        "--check", action="store_true", help=_("write nothing; list what is missing and exit 1 if anything is")
    )


def run(args: argparse.Namespace) -> int:
    """Update and compile every language's catalogue, or (--check) list its problems: 1 if there are any."""
    if args.check:
        found = [problem for language in TRANSLATED for problem in problems(language)]
        print(
            "\n".join(found)
            if found
            else _("the catalogue is whole ({languages})").format(languages=", ".join(TRANSLATED))
        )
        return 1 if found else 0
    for language in TRANSLATED:
        print(_("updated {path}").format(path=update(language)))
    return 0


COMMAND = commands.Command(
    prog="python -m autograder.materials.catalogue",
    description=DESCRIPTION,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the language of what this tool says"),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the catalogue tool; the exit status (0 done or whole, 1 problems found, 2 a usage error)."""
    return commands.main(COMMAND, argv)


if __name__ == "__main__":
    sys.exit(main())
