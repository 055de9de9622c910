"""The frame every command of the kit runs in: how a command declares itself, and what all commands share.

A command is a Command: its name as typed (prog), a description and an epilog (marked with N_ where they are
written, said here in the user's language), add_arguments(parser) and run(args) -> exit status. main(command,
argv) does the rest, once for every command (logreg-grade and its instructors' commands, logreg-exercises, the
catalogue tool):
- the language: --lang, read from the command line before the parser is built, so that --help is said in it;
- the parser, its own words (usage, options, -h) and the --lang option included;
- argparse's exits: --help is 0, a command line it refuses is 2;
- errors, said once in one form on stderr: "logreg-grade release: error: <reason>" (a command raises CommandError).

Light on purpose (argparse, gettext, rich): `logreg-grade --help` imports no torch.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NoReturn

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from autograder import i18n
from autograder.i18n import N_, _

USAGE_ERROR = 2  # a command line the parser refuses, or a CommandError without a status of its own
ERROR = N_("{command}: error: {reason}")  # an error message on stderr; what comes before {reason} is in bold red
LANG_HELP = N_("{what}: en (English) or zh (中文); default: the one LANGUAGE, LC_ALL or LANG names, else English")
LANG_WHAT = N_("the language of what the command says")  # a command names what --lang chooses for it

# argparse's own words, which it says in English whatever the language
USAGE = N_("usage: ")
POSITIONALS = N_("positional arguments")
OPTIONALS = N_("options")
HELP = N_("show this help message and exit")
# argparse's messages for a command line it refuses: (the message, as a pattern of its parts; the text to say)
ARGPARSE_ERRORS = (
    (r"argument (?P<argument>\S+): (?P<message>.+)", N_("argument {argument}: {message}")),
    (
        r"the following arguments are required: (?P<arguments>.+)",
        N_("the following arguments are required: {arguments}"),
    ),
    (r"unrecognized arguments: (?P<arguments>.+)", N_("unrecognized arguments: {arguments}")),
    (
        r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)",
        N_("invalid choice: {value} (choose from {choices})"),
    ),
    (r"invalid (?P<type>\S+) value: (?P<value>.+)", N_("invalid {type} value: {value}")),
    (r"expected one argument", N_("expected one argument")),
    (r"expected at least one argument", N_("expected at least one argument")),
    (r"expected at most one argument", N_("expected at most one argument")),
    (
        r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
        N_("ambiguous option: {option} could match {matches}"),
    ),
    (r"ignored explicit argument (?P<value>.+)", N_("ignored explicit argument {value}")),
    (r"not allowed with argument (?P<argument>.+)", N_("not allowed with argument {argument}")),
    (r"one of the arguments (?P<arguments>.+) is required", N_("one of the arguments {arguments} is required")),
)

# Where a line of help may break in a text with wide characters (Chinese): between two of them, at a space, never
# inside a run of narrow ones (a word, an option, a path), nor before a closing mark or after an opening one.
PIECE = re.compile(r"[（《「『【(\[]*(?:[^\s\u2e80-\uffff]+|[\u2e80-\uffff][，。、；：！？）》」』】)\],.;:!?]*)|\s")


@dataclass(frozen=True)
class Command:
    """A command of the kit: what it is called, what its --help says, its arguments, and what it does.

    description, epilog and lang_what are English texts marked with N_, said in the user's language when the
    parser is built; their {placeholders} are filled from placeholders. run returns the exit status, or raises
    CommandError to say why it cannot do what was asked."""

    prog: str  # as the user types it: "logreg-grade release"
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    epilog: str = ""
    lang_what: str = LANG_WHAT  # what --lang chooses, for its help: "the report's language"
    placeholders: Mapping[str, object] = field(default_factory=dict)
    layout_kept: bool = False  # description and epilog shown line for line as written, not filled to the width


class CommandError(Exception):
    """Why a command cannot do what was asked, with what to do; main says it in the one form, and exits with status."""

    def __init__(self, reason: str, status: int = USAGE_ERROR):
        super().__init__(reason)
        self.status = status


def wrap(text: str, width: int) -> list[str]:
    """text in lines of at most width terminal cells (a wide character takes two), its spaces folded."""
    lines: list[str] = []
    line = ""
    for piece in PIECE.findall(" ".join(text.split())):
        if piece == " " and not line:
            continue
        if line and piece != " " and cell_len(line.rstrip() + piece) > width:
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    return [*lines, line.rstrip()] if line.strip() else lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout of --help, its "usage: " said in the current language, and a text with wide characters
    (Chinese) filled to the width in terminal cells, where argparse would count characters."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _(USAGE) if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix):
        if prefix is None or cell_len(prefix) == len(prefix):
            return super()._format_usage(usage, actions, groups, prefix)
        stand_in = "u" * cell_len(prefix)  # as wide as the prefix, so that argparse lines the usage up under it
        return prefix + super()._format_usage(usage, actions, groups, stand_in)[len(stand_in) :]

    def _split_lines(self, text, width):
        return super()._split_lines(text, width) if cell_len(text) == len(text) else wrap(text, width)

    def _fill_text(self, text, width, indent):
        if cell_len(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class KeptLayoutFormatter(HelpFormatter):
    """The same, with the description and the epilog shown as written (argparse.RawDescriptionHelpFormatter)."""

    _fill_text = argparse.RawDescriptionHelpFormatter._fill_text


class Parser(argparse.ArgumentParser):
    """argparse's parser, its own words said in the current language, and its errors in the kit's one form."""

    def __init__(self, **options):
        super().__init__(add_help=False, **options)
        self._positionals.title = _(POSITIONALS)  # the titles argparse gives its two groups, in English
        self._optionals.title = _(OPTIONALS)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=_(HELP))

    def error(self, message: str) -> NoReturn:
        """A command line this parser refuses: the usage, then why, on stderr; exit status 2."""
        self.print_usage(sys.stderr)
        say_error(self.prog, argparse_message(message))
        self.exit(USAGE_ERROR)


def argparse_message(message: str) -> str:
    """One of argparse's messages in the current language (its parts kept); one it does not know, as it is."""
    for pattern, text in ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found is not None:
            parts = found.groupdict()
            if "message" in parts:  # argument X: <a message of its own>
                parts["message"] = argparse_message(parts["message"])
            return _(text).format(**parts)
    return message


def say_error(prog: str, reason: str, console: Console | None = None) -> None:
    """reason on stderr, in the one form of every command: "<prog>: error: <reason>" (coloured on a terminal that
    shows colours, unless NO_COLOR is set, or the console given says otherwise)."""
    console = Console(stderr=True, highlight=False) if console is None else console
    before, _reason, after = _(ERROR).partition("{reason}")
    console.print(
        Text.assemble((before.format(command=prog), "bold red"), reason, after.format(command=prog)), soft_wrap=True
    )


def language_asked(argv: Sequence[str]) -> str | None:
    """The language --lang names on the command line (`--lang zh`, `--lang=zh`), or None: the environment's.

    Read before the parser is built, so that its help is said in that language; a value that is not a language
    of the kit is left for the parser to refuse."""
    for option, value in pairwise([*argv, ""]):  # each word, and the one after it
        if option == "--":
            break
        named = (
            value if option == "--lang" else option.removeprefix("--lang=") if option.startswith("--lang=") else None
        )
        if named is not None and i18n.language_of(named) is not None:
            return named
    return None


def parser(command: Command) -> Parser:
    """The command's parser, in the current language: its arguments, then --lang."""
    parser = Parser(
        prog=command.prog,
        description=_(command.description).format(**command.placeholders),
        epilog=_(command.epilog).format(**command.placeholders) if command.epilog else None,
        formatter_class=KeptLayoutFormatter if command.layout_kept else HelpFormatter,
    )
    command.add_arguments(parser)
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=None,
        help=_(LANG_HELP).format(what=_(command.lang_what)),
    )
    return parser


def main(command: Command, argv: Sequence[str] | None = None) -> int:
    """Run command on a command line (default: this process's); the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.use(language_asked(argv))  # before the parser is built: its help is said in this language
    try:
        args = parser(command).parse_args(argv)
    except SystemExit as stop:  # --help, or a command line the parser has refused and said why
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    i18n.use(args.lang)
    try:
        return command.run(args)
    except CommandError as error:
        say_error(command.prog, str(error))
        return error.status


def refuse(prog: str, argv: Sequence[str], reason: str, /, **values: object) -> int:
    """A command this install cannot run: reason (marked with N_, its {placeholders} filled from values) said in
    the language the command line asks for, in the one form of errors; exit status 2."""
    i18n.use(language_asked(argv))
    say_error(prog, _(reason).format(**values))
    return USAGE_ERROR
