"""The lesson's exercises, in order: the one list every front end reads (light: no torch, no declarations)."""

from __future__ import annotations

import re

MODULES = ("ex1_sigmoid", "ex2_bce_loss", "ex3_model", "ex4_train", "ex5_predict", "ex6_numpy")


def number(module: str) -> int:
    """The exercise number in a module's name: ex3_model -> 3."""
    found = re.fullmatch(r"ex(\d+)_\w+", module)
    if found is None:
        raise ValueError(f"{module} is not an exercise module's name (exN_name)")
    return int(found.group(1))


NUMBERS = tuple(number(module) for module in MODULES)
