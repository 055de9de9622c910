"""Fingerprints of graded functions: equal for the same code once comments, blank lines, formatting, docstrings and
local names are set aside. Read with ast only: nothing runs."""

from __future__ import annotations

import ast
import hashlib

from autograder.submission import limits

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
SCOPES = (*FUNCTIONS, *COMPREHENSIONS, ast.ClassDef)
CANONICAL = "$v{}"  # the n-th local name: v0, v1, ..., after a $ that no real name holds


def fingerprint(source: str, name: str) -> str | None:
    """The sha256 hex of the top-level function or class `name` in source, normalised: docstrings dropped, the
    names local to it (arguments, variables, nested definitions; a class's methods' locals) renamed in order of
    first appearance; globals, attributes, modules and the functions called kept. None when source does not parse,
    is over the limits of a .py file, or does not define name at top level."""
    if len(source.encode(errors="replace")) > limits.MAX_SOURCE_BYTES:
        return None
    try:
        tree = ast.parse(source)
        found = [node for node in tree.body if isinstance(node, DEFINITIONS) and node.name == name]
        if not found:
            return None
        definition = found[-1]  # the one Python keeps
        _Canonical().visit(definition)
        return hashlib.sha256(ast.dump(definition).encode()).hexdigest()
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # ValueError: a null byte
        return None


def fingerprints(files: dict[str, str], names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(name, fingerprint) of each graded name found, sorted by name, given module -> source and name -> module."""
    found = ((name, fingerprint(files[module], name)) for name, module in names.items() if module in files)
    return tuple(sorted((name, digest) for name, digest in found if digest is not None))


def _bound(scope: ast.AST) -> tuple[set[str], set[str]]:
    """The names a scope binds (its own, not those of scopes inside it, less those declared global or nonlocal),
    and those it declares global."""
    if isinstance(scope, FUNCTIONS):
        inside: list[ast.AST] = [*_arguments(scope.args)]
        inside += scope.body if isinstance(scope.body, list) else [scope.body]
    else:
        inside = list(ast.iter_child_nodes(scope))
    bound: set[str] = set()
    nonlocal_: set[str] = set()
    global_: set[str] = set()
    while inside:
        node = inside.pop()
        if isinstance(node, DEFINITIONS):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            (global_ if isinstance(node, ast.Global) else nonlocal_).update(node.names)
        if not isinstance(node, SCOPES):
            inside.extend(ast.iter_child_nodes(node))
    return bound - nonlocal_ - global_, global_


class _Canonical(ast.NodeVisitor):
    """Renames, in place, the local names of the definition visited; drops its docstrings."""

    def __init__(self) -> None:
        self.scopes: list[tuple[ast.AST, set[str], set[str]]] = []  # around the node visited, innermost last:
        # each scope, the names it binds and those it declares global
        self.names: dict[tuple[int, str], str] = {}  # (scope, name) -> canonical name

    def rename(self, name: str) -> str:
        """The canonical name of `name` where it is used: the local it refers to, else itself (a global, or a class's
        attribute, which a method sees only through self)."""
        for depth, (scope, bound, global_) in enumerate(reversed(self.scopes)):
            if name in global_:
                return name
            if isinstance(scope, ast.ClassDef):
                if depth == 0 and name in bound:
                    return name
            elif name in bound:
                return self.names.setdefault((id(scope), name), CANONICAL.format(len(self.names)))
        return name

    def scope(self, node: ast.AST, inside: list[ast.AST]) -> None:
        """Visit what lies inside a scope node (its arguments' names renamed first)."""
        self.scopes.append((node, *_bound(node)))
        if isinstance(node, FUNCTIONS):
            for argument in _arguments(node.args):
                argument.arg = self.rename(argument.arg)
        for child in inside:
            self.visit(child)
        self.scopes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        node.name = self.rename(node.name)
        self.outside(node.decorator_list, node.args, node.returns)
        self.scope(node, _without_docstring(node))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.outside([], node.args, None)
        self.scope(node, [node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        node.name = self.rename(node.name)
        for child in [*node.decorator_list, *node.bases, *node.keywords]:
            self.visit(child)
        self.scope(node, _without_docstring(node))

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        self.visit(node.generators[0].iter)  # evaluated outside; visiting it again inside changes nothing,
        self.scope(node, list(ast.iter_child_nodes(node)))  # as no scope binds a canonical name

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp

    def outside(self, decorators: list[ast.expr], arguments: ast.arguments, returns: ast.expr | None) -> None:
        """Visit what a function's scope encloses: decorators, defaults and annotations."""
        defaults = [*arguments.defaults, *(default for default in arguments.kw_defaults if default)]
        annotations = [argument.annotation for argument in _arguments(arguments) if argument.annotation]
        for child in [*decorators, *defaults, *annotations, *([returns] if returns else [])]:
            self.visit(child)

    def visit_Name(self, node: ast.Name) -> None:
        node.id = self.rename(node.id)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        node.name = node.name and self.rename(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs | ast.MatchStar) -> None:
        node.name = node.name and self.rename(node.name)
        self.generic_visit(node)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        node.rest = node.rest and self.rename(node.rest)
        self.generic_visit(node)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        node.names = [self.rename(name) for name in node.names]


def _arguments(arguments: ast.arguments) -> list[ast.arg]:
    """A function's parameters, in order."""
    extra = [argument for argument in (arguments.vararg, arguments.kwarg) if argument]
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *extra]


def _without_docstring(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.AST]:
    """The body, its docstring dropped (from the node too)."""
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        node.body = node.body[1:]
    return list(node.body)
