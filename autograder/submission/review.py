"""A static read of the submission's source in the trusted process: what an instructor should look at.

It runs nothing. Two uses: the built-ins an exercise replaces, named in a graded function's own
definition, count against that exercise's own-code check whatever the child reports; and code that
reaches for the grader's insides (frames, gc, sys.modules, computed getattr, eval, the grader's
modules, processes and signals) flags the submission for review in every report. A flag costs
only the own-code checks of the functions in that file, whose claim it makes unverifiable.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from autograder.i18n import N_
from autograder.i18n.messages import Message, Place, message
from autograder.sandboxed import forbidden, source
from autograder.submission import loader

FORBIDDEN = forbidden.source_names()  # attribute or imported name -> the built-in an exercise replaces, as shown
BUILT_IN_PACKAGES = frozenset(module.split(".")[0] for module, _attribute, _shown in forbidden.BUILT_INS)  # torch
MODULES = {  # imported modules -> why they deserve a look (in English; translated in the flag)
    "gc": N_("reads every object of the process"),
    "inspect": N_("reads frames and source"),
    "ctypes": N_("reaches raw memory"),
    "importlib": N_("imports by computed names"),
    "subprocess": N_("starts processes"),
    "multiprocessing": N_("starts processes"),
    "socket": N_("opens network connections"),
    "signal": N_("sends or catches signals"),
    "autograder": N_("uses the grader's own modules"),
    "builtins": N_("changes the built-in functions"),
    "pickle": N_("runs code hidden in data"),
}
CALLS = {
    "eval": N_("runs a string as code"),
    "exec": N_("runs a string as code"),
    "compile": N_("compiles a string as code"),
    "__import__": N_("imports by a computed name"),
    "globals": N_("reads or changes module globals"),
    "breakpoint": N_("stops in a debugger"),
}
ATTRIBUTES = {
    "_getframe": N_("reads the call stack"),
    "f_back": N_("reads the call stack"),
    "f_locals": N_("reads another frame's variables"),
    "f_globals": N_("reads another frame's globals"),
    "__globals__": N_("reads a function's globals"),
    "__builtins__": N_("changes the built-in functions"),
    "__subclasses__": N_("walks the class tree"),
    "__code__": N_("replaces a function's code"),
    "modules": N_("walks sys.modules"),
    "settrace": N_("traces the grader"),
    "setprofile": N_("traces the grader"),
    "__torch_function__": N_("intercepts torch calls"),
    "__torch_dispatch__": N_("intercepts torch operations"),
    "_C": N_("calls torch's internals"),
    "ops": N_("calls torch operators directly"),
    "fork": N_("starts processes"),
    "kill": N_("signals processes"),
    "killpg": N_("signals processes"),
    "_exit": N_("ends the process"),
    "setrlimit": N_("changes resource limits"),
    "__wrapped__": N_("reads what a wrapper hides"),
    "__closure__": N_("reads a function's hidden variables"),
    "cell_contents": N_("reads a function's hidden variables"),
    "__defaults__": N_("reads a function's hidden variables"),
    "__kwdefaults__": N_("reads a function's hidden variables"),
    "__self__": N_("reaches the object behind a built-in function"),
    "__mro__": N_("reaches a base class's methods"),
    "__bases__": N_("reaches a base class's methods"),
    "__base__": N_("reaches a base class's methods"),
    "mro": N_("reaches a base class's methods"),
    "TensorBase": N_("reaches a base class's methods"),
    "_TensorBase": N_("reaches a base class's methods"),
    "__getattribute__": N_("reads attributes by name"),
    "__loader__": N_("imports by a computed name"),
}
NAMES = {  # plain names -> why they deserve a look: the built-ins as a mapping, the module's own loader
    "__builtins__": N_("reaches the built-in functions by name"),
    "__loader__": N_("imports by a computed name"),
}
COMPUTED_NAME_CALLS = {"getattr", "setattr", "delattr", "hasattr"}  # flagged when the name is not a plain string
NAME_READERS = COMPUTED_NAME_CALLS | {"__getattribute__", "getattr_static", "attrgetter", "methodcaller"}
NAMESPACES = {"vars", "globals", "__dict__"}  # what maps names to a module's or class's attributes
# A string naming one of these ("autograder.sandboxed.tripwires", "tripwires") names the grader's modules; of the
# ordinary words among its modules' names, only a path or dotted name ("sandboxed/probes.py", "x.probes") does.
GRADER_NAMES = frozenset({"autograder", "sandboxed", "tripwires", "standins"})
GRADER_PARTS = GRADER_NAMES | {"probes", "forbidden"}
DOTTED = re.compile(r"[A-Za-z_][\w]*(?:[./][A-Za-z_][\w]*)*(?:\.py)?")
MAX_FLAGS = 20
UNVERIFIABLE = N_(
    "code that reaches for the grader's insides (see the flags for review), so its own-code claim cannot be checked"
)


def _dotted(node: ast.AST) -> str:
    """a.b.c for an attribute chain, or its last part when the chain starts elsewhere."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _called(node: ast.Call) -> str:
    """The name a call calls: getattr for getattr(...), attrgetter for operator.attrgetter(...)."""
    return (
        node.func.id
        if isinstance(node.func, ast.Name)
        else node.func.attr
        if isinstance(node.func, ast.Attribute)
        else ""
    )


def _strings(nodes: Iterable[ast.AST]) -> Iterator[str]:
    """The plain strings among nodes."""
    return (node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str))


def names_read(node: ast.AST) -> list[str]:
    """The attribute names a node reads by a constant string: getattr(torch, "sigmoid"),
    attrgetter("_C.TensorBase"), vars(torch)["sigmoid"], torch.__dict__.get("sigmoid"); [] for any other node."""
    if isinstance(node, ast.Call) and _called(node) in NAME_READERS:
        said = _strings([*node.args[1:]] if _called(node) in COMPUTED_NAME_CALLS else node.args)
    elif isinstance(node, ast.Subscript) and _is_namespace(node.value):
        said = _strings([node.slice])
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_namespace(node.func.value):
        said = _strings(node.args[:1]) if node.func.attr in ("get", "pop", "setdefault") else iter(())
    else:
        return []
    return [part for name in said for part in name.split(".")]


def _is_namespace(node: ast.AST) -> bool:
    """Whether node is a mapping of attribute names: vars(x), globals(), x.__dict__."""
    if isinstance(node, ast.Call):
        return _called(node) in NAMESPACES
    return isinstance(node, ast.Attribute) and node.attr in NAMESPACES


def imported_as(tree: ast.AST) -> dict[str, set[str]]:
    """Each name the imports in a piece of source bind -> the modules (or module attributes) it may stand for:
    F -> {torch.nn.functional} for `import torch.nn.functional as F`, act -> {ex1_sigmoid}, torch -> {torch}."""
    bound: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                bound.setdefault(name, set()).add(alias.name if alias.asname else name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                bound.setdefault(alias.asname or alias.name, set()).add(f"{node.module}.{alias.name}")
    return bound


def _is_built_in(base: str, own: frozenset[str], imports: dict[str, set[str]]) -> bool:
    """Whether an attribute read on base (a.b, or '' for a call's result) may reach a replaced built-in: base is
    an import of a module the built-ins belong to (torch, ...), or it is no import at all (a tensor: z.sigmoid()),
    and not the submission's own module or definition."""
    first = base.split(".")[0]
    if first in own:
        return False
    if first in imports:
        return any(module.split(".")[0] in BUILT_IN_PACKAGES for module in imports[first])
    return True


def forbidden_in(
    tree: ast.AST, own: frozenset[str] = frozenset(), imports: dict[str, set[str]] | None = None
) -> list[str]:
    """The replaced built-ins a piece of source names (attributes, imported names, or names read by a constant
    string), not through the submission's modules. imports: what the file's imports bind (imported_as), by
    default those of tree itself; an attribute on an imported module counts only when that module is torch."""
    imports = imported_as(tree) if imports is None else imports
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN:
            if _is_built_in(_dotted(node.value), own, imports):
                found.add(FORBIDDEN[node.attr])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in BUILT_IN_PACKAGES:
            found.update(FORBIDDEN[alias.name] for alias in node.names if alias.name in FORBIDDEN)
        found.update(FORBIDDEN[name] for name in names_read(node) if name in FORBIDDEN)
    return sorted(found)


def _definition(tree: ast.Module, name: str) -> ast.AST | None:
    return next(
        (
            node
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name
        ),
        None,
    )


def _tree(file: Path) -> ast.Module | None:
    """The file's syntax tree, or None when it does not parse (the loader reports that)."""
    try:
        return source.parse(file)
    except (SyntaxError, ValueError):  # UnreadableSource is a ValueError
        return None


def forbidden_by_name(layout: loader.Layout) -> dict[str, list[str]]:
    """For each graded name, the replaced built-ins its own definition names (and what its module imports by name)."""
    found: dict[str, list[str]] = {}
    for module in sorted(set(layout.where.values())):  # each file read once, for all the names it defines
        tree = _tree(layout.root / f"{module}.py")
        if tree is None:
            continue
        imports = imported_as(tree)  # the whole file's: an import inside a function binds there too
        imported = {shown for node in tree.body if isinstance(node, ast.ImportFrom) for shown in forbidden_in(node)}
        unverifiable = bool(_flags_in(tree))  # code that can fake what the child reports about it
        for name in (name for name, where in layout.where.items() if where == module):
            definition = _definition(tree, name)
            used = forbidden_in(definition, layout.own, imports) if definition is not None else []
            named_inside = (
                {node.id for node in ast.walk(definition) if isinstance(node, ast.Name)} if definition else set()
            )
            used += [shown for shown in imported if shown.rsplit(".", 1)[-1] in named_inside]
            found[name] = sorted({*used, *([UNVERIFIABLE] if unverifiable else [])})  # said where shown
    return found


def _flag(node: ast.AST) -> Message | None:
    """Why one node deserves a look, or None."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for name in names:
            top = name.split(".")[0]
            if top in MODULES:
                return message("imports {module}: {why}", module=name, why=message(MODULES[top]))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in CALLS:
            return message("calls {name}(): {why}", name=node.func.id, why=message(CALLS[node.func.id]))
        if node.func.id in COMPUTED_NAME_CALLS and len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant):
            return message("calls {name}() with a computed name: hides which attribute it uses", name=node.func.id)
        if node.func.id == "super" and node.args and not isinstance(node.args[0], ast.Name):  # super(torch.Tensor, z)
            return message("calls {name}(): {why}", name="super", why=message(ATTRIBUTES["__base__"]))
    elif isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
        return message("uses {name}: {why}", name=_dotted(node) or node.attr, why=message(ATTRIBUTES[node.attr]))
    elif isinstance(node, ast.Name) and node.id in NAMES:
        return message("uses {name}: {why}", name=node.id, why=message(NAMES[node.id]))
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and names_grader(node.value):
        return message("names {module} in a string: {why}", module=node.value, why=message(MODULES["autograder"]))
    return _read_by_name(node)


def _read_by_name(node: ast.AST) -> Message | None:
    """Why a constant name read like an attribute deserves a look (getattr(sys, "modules")), or None."""
    name = next((name for name in names_read(node) if name in ATTRIBUTES), None)
    return None if name is None else message("uses {name}: {why}", name=name, why=message(ATTRIBUTES[name]))


def names_grader(text: str) -> bool:
    """Whether a string names one of the grader's modules: "autograder.sandboxed", "tripwires", "x/probes.py"."""
    if len(text) > 200 or DOTTED.fullmatch(text) is None:
        return False
    parts = re.split(r"[./]", text)
    return not GRADER_NAMES.isdisjoint(parts) or (len(parts) > 1 and not GRADER_PARTS.isdisjoint(parts))


def _flags_in(tree: ast.Module) -> list[tuple[int, Message]]:
    """(line, why) for each place in one file that deserves a look, each reason once, in line order."""
    found: dict[Message, int] = {}
    for node in sorted(
        (n for n in ast.walk(tree) if hasattr(n, "lineno") and hasattr(n, "col_offset")),
        key=lambda n: (n.lineno, n.col_offset),
    ):
        why = _flag(node)
        if why and why not in found:
            found[why] = node.lineno
    return [(line, why) for why, line in found.items()]


def flags(files: Iterable[Path]) -> list[Message]:
    """What in these files deserves an instructor's look, each place once, in file and line order."""
    found = [
        message("{place}: {why}", place=Place(file.name, line), why=why)
        for file in files
        if (tree := _tree(file)) is not None
        for line, why in _flags_in(tree)
    ]
    return found[:MAX_FLAGS]
