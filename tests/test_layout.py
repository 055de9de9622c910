"""The walls of the layout: import-linter's contracts hold, each fails when a forbidden import is added, and the
sandbox receives the child's package whole."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from autograder.sandbox import bubblewrap

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
CONTRACTS = {contract["id"] for contract in PYPROJECT["tool"]["importlinter"]["contracts"]}
# For each contract, an import that breaks it: (module file under autograder/, the line added to it).
VIOLATIONS = {
    "child-imports-only-itself": ("sandboxed/wire.py", "import rich"),
    "child-reaches-no-answers": ("sandboxed/probes.py", "from autograder.lesson import reference"),
    "shared-helpers-stand-alone": ("i18n/__init__.py", "from autograder.grading import outcomes"),
    "trusted-layers": ("submission/loader.py", "from autograder.grading import outcomes"),
}


def lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """import-linter on the autograder package found first from root, with the pyproject.toml there."""
    only = [option for contract in contracts for option in ("--contract", contract)]
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo", *only]
    return subprocess.run(
        command,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_every_contract():
    done = lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("KEPT") == len(CONTRACTS) == len(VIOLATIONS)


@pytest.mark.parametrize("contract", sorted(VIOLATIONS))
def test_each_contract_fails_when_a_forbidden_import_is_added(contract: str, tmp_path: Path):
    assert set(VIOLATIONS) == CONTRACTS  # every contract has its counter-example
    shutil.copytree(
        REPO / "autograder", tmp_path / "autograder", ignore=shutil.ignore_patterns("__pycache__", "locale")
    )
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path, contract).returncode == 0
    module, line = VIOLATIONS[contract]
    target = tmp_path / "autograder" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    done = lint_imports(tmp_path, contract)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout + done.stderr


def test_the_sandbox_gets_the_child_package_whole_and_nothing_else(tmp_path: Path):
    folder = bubblewrap.copy_child_package(tmp_path)
    copied = {path.relative_to(folder).as_posix() for path in folder.rglob("*.py")}
    child = {
        f"autograder/sandboxed/{path.relative_to(bubblewrap.CHILD_PACKAGE).as_posix()}"
        for path in bubblewrap.CHILD_PACKAGE.rglob("*.py")
    }
    assert copied == child | {"autograder/__init__.py"}
    assert (folder / "autograder" / "__init__.py").read_text().count("import") == 0


def test_pyproject_lists_every_package_of_the_layout():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    folders = {
        path.parent.relative_to(REPO).as_posix().replace("/", ".")
        for path in (REPO / "autograder").rglob("__init__.py")
    }
    assert listed == folders | {"autograder.solutions"}


def test_no_module_over_400_lines_and_no_function_over_80():
    long_modules, long_functions = [], []
    for path in sorted((REPO / "autograder").rglob("*.py")):
        text = path.read_text()
        if text.count("\n") > 400:
            long_modules.append(f"{path.relative_to(REPO)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                long_functions.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert not long_modules and not long_functions, long_modules + long_functions
