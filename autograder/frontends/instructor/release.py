"""logreg-grade release: the students' bundle, built from the instructor's kit.

The bundle holds the exercises (.py stubs and notebooks), the grader and its visible checks with their
right answers recorded as data (lesson/visible.json, see lesson/manifest.py). It holds no solution code,
no check declarations (their known mistakes are near-solutions), no hidden check and no held-out data:
hidden checks run only where the solutions are. It installs with pip like the kit, without nbgrader.
Its exercises, notebooks and README are in the language --lang names (else the environment's).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from autograder import commands
from autograder.i18n import N_, _
from autograder.locations import PACKAGE, RELEASE_CHECKS, SOLUTIONS
from autograder.materials import notebooks as lesson_notebooks
from autograder.materials import stubs as generate
from autograder.pins import TORCH

DISTRIBUTION = "logreg-autograder"  # the instructor's kit, whose dependencies the release keeps
RELEASE_NAME = "logreg-exercises"
# What students never get, by the layout: the check declarations (their known mistakes are near-solutions), the
# held-out check and the data, the instructors' front ends and the lesson's materials, the catalogue's sources.
INSTRUCTOR_ONLY = (
    "lesson/declarations",
    "lesson/data",
    "frontends/instructor",
    "materials",
    "i18n/locale/*/LC_MESSAGES/*.po",
)
EDITION_FILE = "edition.py"
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "solutions", RELEASE_CHECKS.name)

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "The logistic-regression exercises, with the visible checks to test your work"
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
{dependencies}
]

[project.scripts]
logreg-grade = "autograder.frontends.cli:run"

[project.entry-points.pytest11]
logreg = "autograder.frontends.pytest_plugin"

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
"*" = ["*.json", "*.md"]
"autograder.i18n" = ["locale/*/LC_MESSAGES/*.mo"]
"""

README = N_("""\
# Logistic regression: exercises

Six exercises: the sigmoid, the binary cross-entropy loss, the model, the training loop,
predictions and accuracy, and the same from scratch in NumPy. Work in `exercises/` (.py files)
or in `notebooks/` (Jupyter): both are graded the same way.

## Set up
    pip install torch=={torch}   # first: torch's CPU build (elsewhere: --index-url https://download.pytorch.org/whl/cpu)
    pip install .

## Check your work
Run these from this folder (the one holding this README), not from inside `exercises/`:

    logreg-grade exercises/            # or notebooks/, or one file: logreg-grade exercises/ex1_sigmoid.py
    pytest --submission=exercises/     # the same checks as pytest items (write the `=`)

In a notebook, run the check cell at the end of each exercise. Every check says what it called,
what came back and, for a known mistake, a hint. This release holds the visible checks, on fixed
inputs; your instructor's grading also runs checks on fresh inputs and on held-out data.
""")


class ReleaseError(ValueError):
    """The release cannot be built where asked; the message says what to do."""


def instructor_only(relative: Path) -> bool:
    """Whether a file of the package stays with the instructor: it lies in or matches one of INSTRUCTOR_ONLY."""
    return any(relative.match(pattern) or Path(pattern) in relative.parents for pattern in INSTRUCTOR_ONLY)


def copy_package(into: Path) -> None:
    """The grader's package, less what students never get, marked as a student release (edition.py)."""
    shutil.copytree(PACKAGE, into, ignore=IGNORED)
    for path in sorted(into.rglob("*"), reverse=True):
        if path.is_file() and instructor_only(path.relative_to(into)):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    edition_file = into / EDITION_FILE
    edition_file.write_text(
        edition_file.read_text(encoding="utf-8").replace("EDITION = KIT", "EDITION = RELEASE"), encoding="utf-8"
    )


def dependencies() -> list[str]:
    """The kit's own requirements, without its extras (nbgrader, the test tools)."""
    requires = importlib.metadata.requires(DISTRIBUTION) or []
    return [requirement for requirement in requires if "extra ==" not in requirement]


def pyproject() -> str:
    """The release's pyproject.toml: the kit's dependencies, the same commands and pytest plugin."""
    listed = "\n".join(
        f"    {json.dumps(requirement)}," for requirement in dependencies()
    )  # a TOML string, quotes escaped
    return PYPROJECT.format(name=RELEASE_NAME, version=importlib.metadata.version(DISTRIBUTION), dependencies=listed)


def build(out: Path, *, seed: int, policy_path: Path | None = None, force: bool = False) -> list[str]:
    """Write the bundle to out, in the current language; return what it holds, in lines for the user.

    seed draws the visible checks' random inputs; it must not be the grading seed, or the release would
    show the answers of the graded inputs.
    """
    from autograder.frontends.instructor import visible_checks
    from autograder.grading import policy
    from autograder.lesson import EXERCISES

    chosen = policy.load(policy_path)
    if chosen.seed is not None and chosen.seed == seed:
        raise ReleaseError(
            _("the release seed {seed} is the assignment's grading seed: choose another with --seed").format(seed=seed)
        )
    exercises = chosen.apply(EXERCISES)
    checks_file = visible_checks.record(exercises, seed)  # first: a check that cannot be released stops the build here
    if out.exists() and any(out.iterdir()):
        if not force:
            raise ReleaseError(
                _("{folder} is not empty: choose a new folder, or add --force to replace it").format(folder=out)
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_package(out / "autograder")
    (out / "autograder" / RELEASE_CHECKS.relative_to(PACKAGE)).write_text(checks_file, encoding="utf-8")
    generate.generate(SOLUTIONS, out / "exercises")
    notebooks = len(lesson_notebooks.student_notebooks(out / "notebooks"))
    (out / "pyproject.toml").write_text(pyproject(), encoding="utf-8")
    (out / "README.md").write_text(_(README).format(torch=TORCH), encoding="utf-8")
    visible = [check for exercise in exercises for check in exercise.checks if not check.hidden]
    hidden = [check for exercise in exercises for check in exercise.checks if check.hidden]
    stubs = len(list((out / "exercises").glob("*.py")))
    return [
        _("exercises/: {stubs} stubs; notebooks/: {notebooks} notebooks").format(stubs=stubs, notebooks=notebooks),
        _("visible checks: {count} ({points:g} points), inputs drawn from seed {seed}").format(
            count=len(visible), points=sum(c.points for c in visible), seed=seed
        ),
        _("withheld: {count} hidden checks ({points:g} points), the solutions, the held-out data").format(
            count=len(hidden), points=sum(c.points for c in hidden)
        ),
    ]


DESCRIPTION = N_(
    "Build the students' bundle from this kit: the exercises (.py and notebooks) and the grader with the visible "
    "checks; no solutions, no hidden checks, no held-out data."
)
EPILOG = N_(
    "Students install the bundle with `pip install torch=={torch}` then `pip install DIR`, and check their work "
    "with `logreg-grade exercises/`."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of logreg-grade release."""
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help=_("the folder to write the bundle to"))
    parser.add_argument(
        "--assignment",
        metavar="FILE",
        type=Path,
        default=None,
        help=_("the assignment file (points, visibility); default: $LOGREG_ASSIGNMENT, else the kit's defaults"),
    )
    parser.add_argument(
        "--seed",
        metavar="N",
        type=int,
        default=None,
        help=_("seed of the visible checks' random inputs (default: drawn now, recorded in the bundle)"),
    )
    parser.add_argument("--force", action="store_true", help=_("replace the contents of a non-empty DIR"))


def run(args: argparse.Namespace) -> int:
    """Build the release; 0, or a CommandError that says why not."""
    from autograder.grading import policy
    from autograder.grading.grade import secret_seed
    from autograder.lesson.manifest import ManifestError

    if not SOLUTIONS.is_dir():
        raise commands.CommandError(
            _("this kit has no solutions (is it a student release?); build the release from the instructor's kit")
        )
    seed = secret_seed() if args.seed is None else args.seed
    try:
        lines = build(args.out, seed=seed, policy_path=policy.locate(args.assignment), force=args.force)
    except (ReleaseError, policy.PolicyError, ManifestError, OSError) as error:
        raise commands.CommandError(str(error)) from None
    print(_("Wrote the student release to {folder}").format(folder=args.out))
    for line in lines:
        print(f"  {line}")
    return 0


COMMAND = commands.Command(
    prog="logreg-grade release",
    description=DESCRIPTION,
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the language of the exercises, notebooks and README"),
    placeholders={"torch": TORCH},
)


def parser() -> argparse.ArgumentParser:
    """The command line of logreg-grade release, in the current language."""
    return commands.parser(COMMAND)


def main(argv: Sequence[str] | None = None) -> int:
    """Run logreg-grade release; 0, or 2 with the reason on stderr."""
    return commands.main(COMMAND, argv)
