"""The reference solutions, loaded in the trusted process only."""

from __future__ import annotations

import functools
import importlib.util
import sys
from types import ModuleType
from unittest import mock

from autograder.locations import SOLUTION_PLACES, SOLUTIONS
from autograder.sandboxed.probes import Namespace


@functools.cache
def reference() -> Namespace:
    """Every public name of every solution module, with sibling imports resolved among them."""
    paths = sorted(SOLUTIONS.glob("ex*.py"))
    if not paths:
        raise FileNotFoundError(
            f"no reference solutions in {' or '.join(map(str, SOLUTION_PLACES))}: reinstall the kit"
        )
    modules: dict[str, ModuleType] = {}
    for path in paths:
        spec = importlib.util.spec_from_file_location(f"autograder.lesson.reference.{path.stem}", path)
        assert spec is not None and spec.loader is not None, "a .py file gets a spec with a source loader"
        module = importlib.util.module_from_spec(spec)
        with mock.patch.dict(sys.modules, modules):  # `from ex1_sigmoid import sigmoid` finds ours
            spec.loader.exec_module(module)
        modules[path.stem] = module
    names = {
        name: value
        for module in modules.values()
        for name, value in vars(module).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
    }
    return Namespace(names=names, modules=list(modules.values()))
