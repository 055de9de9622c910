"""Which top-level statements of a student's file run when grading (parses only, runs nothing).

Students write their files like the course's scripts: the functions, then a training run,
prints and plots. Grading imports the functions, so only what defines them runs: imports,
def and class, assignments that do not call the submission's own code, and if/try/with
blocks made only of such statements. Loops, calls for their effect (print, plt.show,
train(...)), assignments that call the student's functions or use what skipped code
would have made, and the `if __name__ == "__main__":` block do not run. The trusted
process uses this to say what was skipped (submission/skipped.py); the child uses the same
plan to decide what to run. Labels are message ids with values: the trusted side says them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from autograder.sandboxed.messages import N_

_BLOCK_KINDS: dict[type, str] = {  # labels in English, translated where a label is made
    ast.For: N_("a for loop"),
    ast.AsyncFor: N_("a for loop"),
    ast.While: N_("a while loop"),
    ast.If: N_("an if block"),
    ast.With: N_("a with block"),
    ast.AsyncWith: N_("a with block"),
    ast.Try: N_("a try block"),
    ast.Match: N_("a match block"),
    ast.Assert: N_("an assert"),
    ast.Raise: N_("a raise"),
    ast.Delete: N_("a del"),
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _BLOCK_KINDS[ast.TryStar] = N_("a try block")
STATEMENT = N_("a statement")  # any other statement that does not run
CODE = "{code}"  # a call named by its own code ("plt.show"): said as it is, in every language
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ALWAYS_RUN = (
    ast.Import,
    ast.ImportFrom,
    *DEFINITIONS,
    ast.Pass,
    ast.Global,
    ast.Nonlocal,
    *((ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()),
)
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_RUNNABLE_BLOCKS = (ast.If, ast.With, ast.Try, ast.Match, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
MAX_LABEL_CHARS = 30


@dataclass(frozen=True)
class Label:
    """What a skipped statement is, or why it does not run: a message id (English) and its values."""

    text: str  # "" when not worth a note (the `if __name__ == "__main__":` block)
    values: tuple[tuple[str, str], ...] = ()

    def english(self) -> str:
        """The label in English, as the child would say it."""
        return self.text.format(**dict(self.values))


@dataclass(frozen=True)
class Step:
    """One top-level statement and whether it runs when grading."""

    statement: ast.stmt
    skipped: Label | None = None  # None: it runs; otherwise why not, in a few words

    @property
    def runs(self) -> bool:
        return self.skipped is None


@dataclass
class _Scope:
    """What the statements before the current one left behind."""

    own: set[str]  # names that refer to the submission's own functions, classes and modules
    unset: set[str] = field(default_factory=set)  # names bound only by statements that do not run


def submission_names(modules: Iterable[str], trees: Iterable[ast.Module]) -> frozenset[str]:
    """The submission's own callables: its module names and every top-level def and class of its files."""
    names = set(modules)
    for tree in trees:
        names.update(node.name for node in tree.body if isinstance(node, DEFINITIONS))
    return frozenset(names)


def plan(tree: ast.Module, own: Iterable[str]) -> list[Step]:
    """Each top-level statement of a file, in order, with whether it runs when grading."""
    scope = _Scope(own=set(own))
    steps = []
    for statement in tree.body:
        step = Step(statement, _why_skipped(statement, scope))
        _update(scope, step)
        steps.append(step)
    return steps


def _why_skipped(statement: ast.stmt, scope: _Scope) -> Label | None:
    """None when the statement runs; otherwise a short label saying what it is or why it does not run."""
    if isinstance(statement, _ALWAYS_RUN):
        return None
    if isinstance(statement, ast.Expr):
        return _expression_label(statement.value)
    if _is_main_guard(statement):
        return Label("")
    if not isinstance(statement, (*_ASSIGNMENTS, *_RUNNABLE_BLOCKS)):
        return Label(_BLOCK_KINDS.get(type(statement), STATEMENT))
    reason = _blocking_use(statement, scope)
    if reason is not None:
        return reason
    if any(_why_skipped(inner, scope) is not None for inner in _nested(statement)):
        return Label(_BLOCK_KINDS[type(statement)])
    return None


def _expression_label(value: ast.expr) -> Label | None:
    """A bare expression: constants (docstrings) run, a call is named by what it calls, others are 'an expression'."""
    if isinstance(value, ast.Constant):
        return None
    if isinstance(value, ast.Call):
        return Label(CODE, (("code", _short(value.func)),))
    return Label(N_("an expression"))


def _is_main_guard(statement: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    test = statement.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = {side.id for side in sides if isinstance(side, ast.Name)}
    constants = {side.value for side in sides if isinstance(side, ast.Constant)}
    return names == {"__name__"} and constants == {"__main__"}


def _blocking_use(statement: ast.stmt, scope: _Scope) -> Label | None:
    """'calls train' or 'uses model' when the statement itself calls own code or needs a skipped result."""
    for node in _evaluated(statement):
        if isinstance(node, ast.Call) and _root_name(node.func) in scope.own:
            return Label(N_("calls {call}"), (("call", _short(node.func)),))
    loaded = [
        node.id for node in _evaluated(statement) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    ]
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        loaded.append(statement.target.id)
    needed = [name for name in loaded if name in scope.unset]
    return Label(N_("uses {name}"), (("name", needed[0]),)) if needed else None


def _evaluated(statement: ast.stmt) -> Iterator[ast.AST]:
    """The nodes the statement itself evaluates: not its nested statements, nor the bodies of lambdas."""
    todo = list(ast.iter_child_nodes(statement))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.stmt):
            continue
        yield node
        if not isinstance(node, ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def _nested(statement: ast.stmt) -> list[ast.stmt]:
    """The statements directly inside a block (its body, else, except and finally parts, match cases)."""
    inner: list[ast.stmt] = []
    for part in ("body", "orelse", "finalbody", "handlers", "cases"):
        for item in getattr(statement, part, []):
            inner.extend(item.body if isinstance(item, (ast.ExceptHandler, ast.match_case)) else [item])
    return inner


def _update(scope: _Scope, step: Step) -> None:
    """Record the names a statement binds: set when it runs, unset when it does not; follow aliases of own code."""
    bound = _bound_names(step.statement)
    if not step.runs:
        scope.unset |= bound
        return
    scope.unset -= bound
    scope.own |= _own_aliases(step.statement, scope.own)


def _bound_names(statement: ast.stmt) -> set[str]:
    """Every name the statement (or a statement inside it) binds."""
    names: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, DEFINITIONS):
            names.add(node.name)
        elif isinstance(node, ast.alias) and node.name != "*":
            names.add(node.asname or node.name.partition(".")[0])
    return names


def _own_aliases(statement: ast.stmt, own: set[str]) -> set[str]:
    """Names a running statement makes refer to own code: `from ex1_sigmoid import sigmoid as s`, `act = sigmoid`."""
    if isinstance(statement, ast.ImportFrom) and statement.module and statement.module.partition(".")[0] in own:
        return {alias.asname or alias.name for alias in statement.names if alias.name != "*"}
    if isinstance(statement, ast.Import):
        return {alias.asname or alias.name for alias in statement.names if alias.name in own}
    if isinstance(statement, ast.Assign) and _root_name(statement.value) in own:
        return {target.id for target in statement.targets if isinstance(target, ast.Name)}
    return set()


def _root_name(node: ast.expr) -> str | None:
    """The name a dotted expression starts from (`plt` for plt.plot), or None."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _short(node: ast.expr) -> str:
    """The source of an expression, shortened for a note."""
    text = ast.unparse(node)
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 3] + "..."


def imported_modules(statement: ast.stmt) -> set[str]:
    """The absolute module names a statement (or a block of statements) imports, outside function bodies."""
    modules: set[str] = set()
    todo: list[ast.AST] = [statement]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif not isinstance(node, (*DEFINITIONS, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
    return modules
