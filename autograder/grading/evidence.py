"""Hints that rest on evidence: what the source shows, read in the trusted process (nothing runs), and the hint
that evidence allows.

A hint that names a construct (hints.NAMED: torch.where, a sum, a clamp, an optimiser) is shown only when the
source of the graded function's file has one of those constructs, or when the function's output matched the known
mistake the hint is about. Where the outputs of several known mistakes match, the source decides between them;
where nothing backs a check's own hint, the check's symptom hint (hints.SYMPTOMS) is shown instead.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

from autograder.checks.base import Check, Mistake
from autograder.i18n.messages import Message
from autograder.lesson import hints

Seen = frozenset[str] | None  # the constructs of a source file; None where no source is known (nothing to hold back)


def constructs(path: Path) -> Seen:
    """Every name, attribute, imported name, argument and number written in a Python file; None where it
    cannot be read as Python (then nothing is held back)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.update(part for part in (node.name.rsplit(".", 1)[-1], node.asname) if part)
        elif isinstance(node, (ast.keyword, ast.arg)) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            found.add(repr(node.value))
    return frozenset(found)


def backed(key: str, seen: Seen) -> bool:
    """Whether the source backs the hint of key (a check or mistake id): it names no construct, or the source has
    one of those it names, or no source is known."""
    named = hints.NAMED.get(key)
    return not named or seen is None or not seen.isdisjoint(named)


def chosen_mistake(check: Check, matched: Sequence[Mistake], seen: Seen) -> Mistake | None:
    """The known mistake to name: among those whose output matched, the first the source backs, else the first;
    when none matched, the first whose hint the source alone is evidence for (hints.ON_SOURCE_ALONE)."""
    if matched:
        return next((mistake for mistake in matched if backed(mistake.id, seen)), matched[0])
    if seen is None:
        return None
    return next(
        (
            mistake
            for mistake in check.mistakes
            if mistake.id in hints.ON_SOURCE_ALONE and not seen.isdisjoint(hints.NAMED[mistake.id])
        ),
        None,
    )


def check_hint(check: Check, seen: Seen) -> Message:
    """The check's own hint when the source backs it, else its symptom hint."""
    if backed(check.id, seen):
        return hints.hint_for(check.id)
    return hints.general(hints.SYMPTOMS.get(check.id, hints.SYMPTOM))
