"""The kit's texts in the user's language: English, or Chinese (中文), from one gettext catalogue.

The catalogue is autograder/locale/<language>/LC_MESSAGES/logreg.po, compiled to logreg.mo with Babel
(`python -m autograder.materials.catalogue`); this module reads it with the standard library's gettext. English
is the source language: its texts are the message ids. Hints and check descriptions carry their check
or mistake id as the message context, so each stays keyed by its id.

The language is chosen once per process by the front end (`--lang`), else by LANGUAGE, LC_ALL,
LC_MESSAGES or LANG, as gettext does; texts are translated when a message is made.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN = "logreg"
LOCALES = Path(__file__).with_name("locale")
LANGUAGES = ("en", "zh")  # English first: the default, and the source of every message id
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


@dataclass
class _State:
    """The process's language and the catalogue translation that speaks it."""

    language: str = "en"
    translation: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)


_state = _State()


def language_of(value: str) -> str | None:
    """The kit's language a locale name stands for ("zh_CN.UTF-8" -> "zh", "en_GB" -> "en"), or None."""
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def from_environment() -> str:
    """The language the environment asks for: the first of LANGUAGE (a list), LC_ALL, LC_MESSAGES, LANG set."""
    for variable in ENVIRONMENT:
        value = os.environ.get(variable, "")
        if value:
            found = [language for part in value.split(":") if (language := language_of(part))]
            if found:
                return found[0]
            if variable != "LANGUAGE":  # a set locale without a language of ours ("C", "fr_FR"): English
                return "en"
    return "en"


def use(language: str | None = None) -> str:
    """Speak language ("en" or "zh") from now on in this process, or the environment's when None; the one chosen."""
    chosen = from_environment() if language is None else language_of(language)
    if chosen is None:
        raise ValueError(f"no language {language!r}: choose one of {', '.join(LANGUAGES)}")
    _state.language = chosen
    _state.translation = gettext.translation(DOMAIN, LOCALES, languages=[chosen], fallback=True)
    return chosen


def current() -> str:
    """The language texts are translated into now."""
    return _state.language


def _(message: str) -> str:
    """message in the current language."""
    return _state.translation.gettext(message)


def pgettext(context: str, message: str) -> str:
    """message, said in context (a check or mistake id), in the current language."""
    return _state.translation.pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for count, in the current language."""
    return _state.translation.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark message for the catalogue where it is defined; it is translated later, where it is shown."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark message, said in context, for the catalogue; translated later with pgettext(context, message)."""
    return message


def listing(items: Iterable[str], *, and_last: bool = False) -> str:
    """items one after another in the current language: "a, b, c" in English, "a、b、c" in Chinese;
    with and_last, the last one joined by "and": "a, b and c"."""
    items = list(items)
    if not and_last or len(items) < 2:
        return pgettext("list separator", ", ").join(items)
    return _("{items} and {last}").format(items=listing(items[:-1]), last=items[-1])
