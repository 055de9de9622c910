"""The student release: built from the kit, it holds no solution and no hidden input, installs on its own
(torch first, without nbgrader) and gives the same visible-check results as the full kit."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import numpy as np
import pytest

from autograder.frontends.instructor import release
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES, manifest
from autograder.lesson.data import digits_7_vs_9
from autograder.pins import TORCH

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
RELEASE_SEED, GRADING_SEED = 424242, 1234
TEXT_SUFFIXES = {".py", ".json", ".md", ".toml", ".ipynb", ".txt", ".cfg"}
# One slip each, in three exercises: a listed mistake (its output recorded), a recognised one, a lost contract.
BUGS = {
    "ex2_bce_loss.py": (".mean()", ".sum()"),
    "ex4_train.py": ("\n            optimizer.zero_grad()", ""),
    "ex5_predict.py": ("return (model(x) >= threshold).float()", "return (model(x) >= 0.5).float()"),
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "logreg-exercises"
    release.build(out, seed=RELEASE_SEED)
    return out


def bundle_text(bundle: Path) -> dict[Path, str]:
    return {
        path: path.read_text(encoding="utf-8", errors="replace")
        for path in bundle.rglob("*")
        if path.is_file() and path.suffix in TEXT_SUFFIXES
    }


def solution_regions() -> list[tuple[str, list[str]]]:
    """Each solution region of solutions/, as its code lines (comments and blank lines dropped)."""
    regions = []
    for path in sorted(SOLUTIONS.glob("ex*.py")):
        for match in re.finditer(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", path.read_text(), re.S):
            lines = [line.split("#")[0].strip() for line in match.group(1).splitlines()]
            regions.append((path.name, [line for line in lines if line]))
    return regions


def normalised_lines(text: str) -> list[str]:
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def test_the_bundle_holds_no_solution_body(bundle: Path):
    files = {path: normalised_lines(text) for path, text in bundle_text(bundle).items()}
    # strict=False here and below: each line with the next one, so the second list is one shorter
    pairs = {path: set(zip(lines, lines[1:], strict=False)) for path, lines in files.items()}
    regions = solution_regions()
    assert len(regions) >= 10
    for name, lines in regions:
        for pair in zip(lines, lines[1:], strict=False):  # two solution lines in a row: a piece of a solution
            assert not [path for path, found in pairs.items() if pair in found], f"{name}: {pair} is in the release"
        if len(lines) == 1:  # a one-line solution: only a hint may quote the line that fixes a known mistake
            found = [path.name for path, text in files.items() if lines[0] in text and path.name != "hints.py"]
            assert not found, f"{name}: {lines[0]!r} is in {found}"
    assert not list(bundle.rglob("solutions")) and not (bundle / "autograder" / "reference_solutions").exists()
    package = bundle / "autograder"
    instructors = ("frontends/instructor", "materials", "lesson/declarations", "lesson/data")
    assert not [folder for folder in instructors if (package / folder).exists()]
    assert not list(package.rglob("*.po")) and (package / "frontends" / "cli.py").exists()
    assert not list((bundle / "autograder").rglob("ex*.py")), "check declarations hold the known mistakes' code"


def test_the_bundle_holds_no_hidden_input_or_check(bundle: Path):
    raw = b"".join(path.read_bytes() for path in bundle.rglob("*") if path.is_file())
    held_out = digits_7_vs_9()
    assert not list(bundle.rglob("*.npz"))
    for array in (held_out.x_test, held_out.y_test):
        assert base64.b64encode(array.tobytes()) not in raw and array.tobytes() not in raw
    listed = json.loads((bundle / "autograder" / "lesson" / "visible.json").read_text())
    ids = {check["id"] for exercise in listed["exercises"] for check in exercise["checks"]}
    hidden = {check.id for exercise in EXERCISES for check in exercise.checks if check.hidden}
    assert hidden and not ids & hidden and "HeldOutAccuracy" not in raw.decode(errors="replace")
    # the random checks' inputs of an official grading (another seed) are not in the release
    random_checks = [
        check
        for exercise in EXERCISES
        for check in exercise.checks
        if check.probe_for(GRADING_SEED).key != check.probe_for(RELEASE_SEED).key
    ]
    assert len(random_checks) >= 10
    for check in random_checks:
        for value in check.probe_for(GRADING_SEED).args.get("args", []):
            if isinstance(value, np.ndarray) and value.size >= 10:
                assert base64.b64encode(value.tobytes()) not in raw, check.id


def test_the_bundle_lists_every_visible_check_and_what_is_withheld(bundle: Path):
    loaded = manifest.load(bundle / "autograder" / "lesson" / "visible.json")
    assert loaded.seed == RELEASE_SEED
    visible = {check.id: check.points for exercise in EXERCISES for check in exercise.checks if not check.hidden}
    assert {check.id: check.points for exercise in loaded.exercises for check in exercise.checks} == visible
    assert sum(points for _, points in loaded.withheld.values()) + sum(visible.values()) == pytest.approx(100)
    assert loaded.withheld_notes([1]) == [] and "1 more check (5 points)" in say(loaded.withheld_notes([4])[0])


def test_the_bundles_readme_has_students_install_the_pinned_torch(bundle: Path):
    assert re.findall(r"torch==(\S+)", (bundle / "README.md").read_text(encoding="utf-8")) == [TORCH]


def test_release_refuses_a_non_empty_folder_and_the_grading_seed(tmp_path: Path):
    (tmp_path / "old.txt").write_text("x")
    assert release.main(["--out", str(tmp_path)]) == 2
    policy_file = tmp_path / "assignment.toml"
    policy_file.write_text("[assignment]\nseed = 5\n")
    assert release.main(["--out", str(tmp_path / "new"), "--assignment", str(policy_file), "--seed", "5"]) == 2
    assert not (tmp_path / "new").exists()


# --- installed on its own -------------------------------------------------------------------------------


def student_copy(tmp: Path, name: str, bugs: dict[str, tuple[str, str]] | None = None) -> Path:
    """The solutions, with a slip in some files."""
    folder = tmp / name
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for file, (old, new) in (bugs or {}).items():
        text = (folder / file).read_text()
        assert text.count(old) == 1, (file, old)
        (folder / file).write_text(text.replace(old, new))
    return folder


def graded(command: list[str], submission: Path, results: Path, env: dict[str, str] | None = None) -> dict[str, tuple]:
    """The visible checks' outcomes in results.json: name -> (score, max score, output, tags)."""
    done = subprocess.run(
        [*command, str(submission), "--seed", str(RELEASE_SEED), "--json", str(results), "--no-color"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    tests = json.loads(results.read_text())["tests"]
    return {
        test["name"]: (test["score"], test["max_score"], test.get("output", ""), test.get("tags"))
        for test in tests
        if test.get("visibility") != "after_published"
    }


@pytest.fixture(scope="module")
def student_python(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with torch (first, as the README says) and the release, nothing else."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    for install in ([f"torch=={TORCH}"], [str(bundle)]):
        done = subprocess.run(
            [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *install],
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return python


@pytest.mark.slow
def test_the_installed_release_says_the_instructors_commands_are_not_in_it(student_python: Path, tmp_path: Path):
    done = subprocess.run(
        [student_python.parent / "logreg-grade", "release", "--out", str(tmp_path / "again")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "comes with the kit, not with the student release" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "again").exists()


@pytest.mark.slow
def test_the_installed_release_has_no_solutions_and_no_nbgrader(student_python: Path):
    probe = (
        "import importlib.util, pathlib, autograder;"
        "print(importlib.util.find_spec('nbgrader') is None,"
        " importlib.util.find_spec('autograder.lesson.declarations') is None,"
        " sorted(p.name for p in pathlib.Path(autograder.__file__).parent.rglob('ex*.py')))"
    )
    done = subprocess.run([student_python, "-c", probe], capture_output=True, text=True, cwd="/", timeout=120)
    assert done.stdout.split() == ["True", "True", "[]"], done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name, bugs", [("stubs", None), ("notebooks", None), ("solved", {}), ("buggy", BUGS)])
def test_the_installed_release_grades_like_the_kit(bundle: Path, student_python: Path, tmp_path: Path, name: str, bugs):
    """The exercises and the notebooks as released, a solved copy and a buggy one:
    the same as the kit, check by check."""
    submission = bundle / name.replace("stubs", "exercises") if bugs is None else student_copy(tmp_path, name, bugs)
    env = {**os.environ, "PATH": f"{student_python.parent}:{os.environ['PATH']}", "PYTHONPATH": ""}
    student = graded([str(student_python.parent / "logreg-grade")], submission, tmp_path / "student.json", env)
    kit = graded([sys.executable, "-m", "autograder"], submission, tmp_path / "kit.json")
    assert student.keys() == kit.keys() and len(student) == 59
    assert student == kit
    earned = sum(score for score, *_ in student.values())
    assert {"stubs": 0, "notebooks": 0, "solved": 92}.get(name, earned) == earned
    if name == "buggy":
        mistakes = {tag for *_, tags in student.values() for tag in tags if "." in tag}
        assert {"bce.summed", "train.no_zero_grad", "predict.threshold_ignored"} <= mistakes and 40 < earned < 92


@pytest.mark.slow
def test_the_installed_release_speaks_chinese(student_python: Path, bundle: Path):
    done = subprocess.run(
        [
            student_python.parent / "logreg-grade",
            str(bundle / "exercises" / "ex1_sigmoid.py"),
            "--lang",
            "zh",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "练习 1" in done.stdout and "提示" in done.stdout, (
        done.stdout[-2000:] + done.stderr[-2000:]
    )


@pytest.mark.slow
def test_the_installed_release_grades_as_pytest_items(bundle: Path, student_python: Path, tmp_path: Path):
    done = subprocess.run(
        [student_python, "-m", "pytest", f"--submission={bundle / 'exercises'}", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 1 and re.search(r"\b59 failed\b", done.stdout), done.stdout[-2000:] + done.stderr[-2000:]
    assert "not implemented yet" in done.stdout and "Traceback" not in done.stdout
