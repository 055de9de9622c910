"""logreg-grade gradescope: the zip's layout and scripts, and run_autograder in a folder laid out like Gradescope's.

The end-to-end tests unpack the zip into tmp/autograder/source, put a submission in
tmp/autograder/submission and run run_autograder with LOGREG_AUTOGRADER_ROOT pointing there. The kit
is already installed here, so setup.sh is only checked, never run.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from test_corpus import BUGS, build_submission

import autograder
from autograder.frontends import cli
from autograder.frontends.instructor import gradescope as gradescope_package
from autograder.frontends.instructor.gradescope import main
from autograder.grading import policy
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.pins import TORCH
from autograder.sandbox import bubblewrap as sandbox

REPO = Path(autograder.__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
ATTACKS = REPO / "tests" / "attacks"
SCHEMA = json.loads((Path(__file__).parent / "gradescope_schema.json").read_text())
SEED = 4242
BUG = next(bug for bug in BUGS if bug.name == "bce_summed")
HIDDEN = {check.id for exercise in EXERCISES for check in exercise.checks if check.hidden}
TOTAL = sum(exercise.points for exercise in EXERCISES)


def validate(results: dict) -> dict:
    """results, once Gradescope's schema accepts it."""
    jsonschema.Draft202012Validator(SCHEMA).validate(results)
    return results


def build(tmp_path: Path, *options: str) -> Path:
    """A freshly built zip."""
    out = tmp_path / "autograder.zip"
    assert main(["--out", str(out), *options]) == 0
    return out


def unpack(archive: Path, folder: Path) -> None:
    """Extract the zip as Gradescope does, keeping the permissions it records."""
    with zipfile.ZipFile(archive) as opened:
        for entry in opened.infolist():
            opened.extract(entry, folder)
            (folder / entry.filename).chmod(entry.external_attr >> 16 & 0o777)


@pytest.fixture
def autograder_root(tmp_path: Path) -> Path:
    """tmp/autograder with source/ (the zip, its seed fixed) and results/; the test puts in submission/."""
    assignment = tmp_path / "assignment.toml"
    assignment.write_text(f'[assignment]\nname = "logreg"\nseed = {SEED}\n')
    root = tmp_path / "autograder"
    unpack(build(tmp_path, "--assignment", str(assignment)), root / "source")
    (root / "results").mkdir()
    return root


def run_autograder(root: Path, path: str | None = None) -> dict:
    """Run the zip's run_autograder as Gradescope would
    (logreg-grade from this kit, unless path is given); results.json."""
    environment = {key: value for key, value in os.environ.items() if key != policy.ENV}
    environment.update(
        LOGREG_AUTOGRADER_ROOT=str(root),
        PATH=path or os.pathsep.join([str(Path(sys.executable).parent), environment["PATH"]]),
        PYTHONPATH=os.pathsep.join([str(REPO), *filter(None, [environment.get("PYTHONPATH")])]),
    )
    return run_autograder_in(root, environment)


def run_autograder_in(root: Path, environment: dict[str, str]) -> dict:
    """The zip's run_autograder in root, with exactly this environment: its validated results.json."""
    done = subprocess.run(
        [str(root / "source" / "run_autograder")],
        env=environment,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return validate(json.loads((root / "results" / "results.json").read_text()))


def exercise_score(results: dict, number: int) -> float:
    return sum(test["score"] for test in results["tests"] if f"exercise {number}" in test["tags"])


# The schema itself


def test_the_schema_is_valid_and_rejects_what_gradescope_does_not_document():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validate({"score": 3.0, "tests": [{"name": "a", "score": 1, "max_score": 2, "visibility": "after_published"}]})
    validate({"tests": [{"score": 1.0}], "leaderboard": [{"name": "Accuracy", "value": 0.9, "order": "asc"}]})
    for wrong in (
        {"tests": [{"name": "no score anywhere"}]},
        {"score": 1, "stdout_visiblity": "hidden"},
        {"score": 1, "tests": [{"score": 1, "visibility": "after_grading"}]},
        {"score": "100"},
        {"score": 1, "tests": [{"score": 1, "status": "ok"}]},
        {"score": 1, "tests": [{"number": 1.1}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(wrong)


# The zip


def test_the_zip_has_gradescopes_layout_with_runnable_scripts_and_the_kits_source(tmp_path):
    with zipfile.ZipFile(build(tmp_path)) as archive:
        modes = {entry.filename: entry.external_attr >> 16 for entry in archive.infolist()}
        assert archive.read("assignment.toml").decode() == gradescope_package.DEFAULT_ASSIGNMENT
    assert stat.S_IMODE(modes["setup.sh"]) == stat.S_IMODE(modes["run_autograder"]) == 0o755
    assert all(stat.S_ISREG(mode) for mode in modes.values())
    kit = {name.removeprefix("kit/") for name in modes if name.startswith("kit/")}
    assert set(modes) - {f"kit/{name}" for name in kit} == {"setup.sh", "run_autograder", "assignment.toml"}
    assert {
        "pyproject.toml",
        "README.md",
        "autograder/frontends/cli.py",
        "autograder/lesson/data/digits_7_vs_9.npz",
        "autograder/lesson/declarations/ex1_sigmoid.py",
    } <= kit
    assert {f"solutions/{path.name}" for path in SOLUTIONS.glob("ex*.py")} <= kit
    assert not [
        name
        for name in kit
        if "__pycache__" in name or name.endswith(".pyc") or name.startswith(("tests/", "exercises/"))
    ]


@pytest.mark.slow
def test_the_packed_kit_builds_into_a_wheel_with_the_checks_the_data_and_the_solutions(tmp_path):
    pytest.importorskip("setuptools", reason="building the kit's wheel without the network needs setuptools")
    unpack(build(tmp_path), tmp_path / "source")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "wheels"),
            str(tmp_path / "source" / "kit"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {
        "autograder/frontends/cli.py",
        "autograder/frontends/instructor/gradescope.py",
        "autograder/lesson/declarations/ex1_sigmoid.py",
        "autograder/reporters/gradescope.py",
        "autograder/lesson/data/digits_7_vs_9.npz",
        "autograder/i18n/locale/zh/LC_MESSAGES/logreg.mo",
    } <= names
    assert {f"autograder/solutions/{path.name}" for path in SOLUTIONS.glob("ex*.py")} <= names


def test_the_same_checkout_gives_the_same_zip(tmp_path):
    first = build(tmp_path).read_bytes()
    assert main(["--out", str(tmp_path / "autograder.zip"), "--force"]) == 0
    assert (tmp_path / "autograder.zip").read_bytes() == first


def test_the_scripts_are_valid_bash_and_setup_installs_torch_before_the_kit(tmp_path):
    root = tmp_path / "source"
    unpack(build(tmp_path, "--torch-index", "https://example.org/simple ok"), root)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(root / script)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    lines = (root / "setup.sh").read_text().splitlines()
    torch = next(i for i, line in enumerate(lines) if "pip install" in line and f'"torch=={TORCH}"' in line)
    kit = next(i for i, line in enumerate(lines) if "pip install" in line and '"$ROOT/source/kit"' in line)
    sandbox_packages = next(i for i, line in enumerate(lines) if "apt-get install" in line)
    assert "bubblewrap" in lines[sandbox_packages] and "libseccomp2" in lines[sandbox_packages]
    assert sandbox_packages < torch < kit
    assert '--index-url "$TORCH_INDEX"' in lines[torch]
    assignment = next(line for line in lines if line.startswith("TORCH_INDEX="))
    shell = subprocess.run(
        ["bash", "-c", f'{assignment}\nprintf %s "$TORCH_INDEX"'], capture_output=True, text=True, check=False
    )
    assert shell.stdout == "https://example.org/simple ok"  # quoted for the shell


def test_setup_gets_torchs_cpu_build_by_default(tmp_path):
    with zipfile.ZipFile(build(tmp_path)) as archive:
        assert f"\nTORCH_INDEX={gradescope_package.TORCH_INDEX}  #" in archive.read("setup.sh").decode()
    assert gradescope_package.TORCH_INDEX == "https://download.pytorch.org/whl/cpu"


def test_the_default_assignment_file_changes_nothing(tmp_path):
    path = tmp_path / "assignment.toml"
    path.write_text(gradescope_package.DEFAULT_ASSIGNMENT)
    assert policy.load(path) == policy.load(None)


def test_the_instructors_assignment_file_is_packed_as_written(tmp_path, monkeypatch):
    text = '# the course\n[assignment]\nseed = 7\n\n[checks."sigmoid.own_code"]\ngate = true\n'
    (tmp_path / "given.toml").write_text(text)
    (tmp_path / "from_env.toml").write_text('[exercises.1]\nvisibility = "hidden"\n')
    monkeypatch.setenv(policy.ENV, str(tmp_path / "from_env.toml"))
    with zipfile.ZipFile(build(tmp_path, "--assignment", str(tmp_path / "given.toml"))) as archive:
        assert archive.read("assignment.toml").decode() == text
    with zipfile.ZipFile(build(tmp_path, "--force")) as archive:  # no --assignment: LOGREG_ASSIGNMENT's file
        assert archive.read("assignment.toml") == (tmp_path / "from_env.toml").read_bytes()


@pytest.mark.parametrize(
    "content, named",
    [
        ('[checks."sigmoid.own_cod"]\npoints = 2\n', 'did you mean "sigmoid.own_code"'),
        ("[assignment\n", "is not valid TOML"),
    ],
)
def test_a_bad_assignment_file_stops_the_build_with_the_reason(tmp_path, capsys, content, named):
    (tmp_path / "bad.toml").write_text(content)
    out = tmp_path / "autograder.zip"
    assert main(["--out", str(out), "--assignment", str(tmp_path / "bad.toml")]) == 2
    err = capsys.readouterr().err
    assert named in err and "bad.toml" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".autograder.zip.*"))


@pytest.mark.parametrize(
    "out, options, said",
    [
        ("autograder.zip", ["--force"], None),
        ("autograder.zip", [], "exists: pass --force to replace it"),
        ("autograder", [], "does not end in .zip"),
        ("folder.zip", [], "is a folder"),
        ("autograder.zip", ["--time-limit", "0"], "is not a whole number of seconds"),
        ("autograder.zip", ["--force", "--assignment", "missing.toml"], "cannot be read"),
    ],
)
def test_what_the_build_refuses_is_said_in_one_line(tmp_path, capsys, monkeypatch, out, options, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "autograder.zip").write_bytes(b"an earlier zip")
    (tmp_path / "folder.zip").mkdir()
    status = main(["--out", out, *options])
    err = capsys.readouterr().err
    if said is None:
        assert status == 0 and zipfile.is_zipfile(tmp_path / out)
    else:
        assert status == 2 and said in err and "Traceback" not in err
        assert (tmp_path / "autograder.zip").read_bytes() == b"an earlier zip"


def test_outside_a_checkout_the_build_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(gradescope_package, "PACKAGE", tmp_path / "site-packages" / "autograder")
    assert main(["--out", str(tmp_path / "autograder.zip")]) == 2
    err = capsys.readouterr().err
    assert "is not a checkout of the kit" in err and "pip install -e ." in err
    assert not (tmp_path / "autograder.zip").exists()


def test_logreg_grade_dispatches_gradescope_to_this_module(capsys):
    assert cli.main(["gradescope", "--help"]) == 0
    assert "logreg-grade gradescope" in capsys.readouterr().out


# run_autograder when logreg-grade itself fails: a valid results.json all the same


FAKE_GRADERS = {  # a logreg-grade that forges results.json and crashes, one that hangs
    "crashes": f'echo \'{{"score": {TOTAL}}}\' > "$LOGREG_AUTOGRADER_ROOT/results/results.json"\nkill -SEGV $$\n',
    "hangs": "exec sleep 60\n",
}


@pytest.mark.parametrize(
    "grader, reason, status",
    [
        ("crashes", "stopped with exit status 139 before it wrote the results", 139),
        ("hangs", "took longer than 1 seconds", 124),
        ("missing", "logreg-grade is not installed here", 127),
    ],
)
def test_when_logreg_grade_fails_run_autograder_still_writes_a_valid_zero(tmp_path, grader, reason, status):
    root = tmp_path / "autograder"
    unpack(build(tmp_path, "--time-limit", "1"), root / "source")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text('{"score": 100}')  # left from elsewhere: never read
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    if grader in FAKE_GRADERS:
        (bin_folder / "logreg-grade").write_text("#!/usr/bin/env bash\n" + FAKE_GRADERS[grader])
        (bin_folder / "logreg-grade").chmod(0o755)
    results = run_autograder(root, path=os.pathsep.join([str(bin_folder), "/usr/bin", "/bin"]))
    assert results["score"] == 0 and results["tests"] == []
    assert reason in results["output"] and results["extra_data"] == {"exit_status": status}
    assert results["stdout_visibility"] == "hidden"
    assert not list((root / "results").glob("*.tmp"))


# run_autograder grading real submissions


@pytest.mark.slow
def test_the_solutions_score_full_marks_with_hidden_checks_published_later(autograder_root):
    build_submission(autograder_root)  # autograder/submission: a copy of solutions/
    results = run_autograder(autograder_root)
    assert results["score"] == TOTAL == sum(test["max_score"] for test in results["tests"])
    assert results["extra_data"]["seed"] == SEED
    assert HIDDEN and {test["name"] for test in results["tests"] if test["visibility"] == "after_published"} == HIDDEN
    assert {test["visibility"] for test in results["tests"] if test["name"] not in HIDDEN} == {"visible"}
    isolation = results["extra_data"]["isolation"]  # the sandbox's description, then the seccomp filter's
    assert isolation.startswith(say(sandbox.isolation().description)) and f"Isolation: {isolation}" in results["output"]


@pytest.mark.slow
def test_a_buggy_submission_scores_what_logreg_grade_gives_with_the_same_seed(autograder_root, tmp_path):
    build_submission(autograder_root, bug=BUG)  # autograder/submission, with one bug
    results = run_autograder(autograder_root)
    assert (
        cli.main(
            [
                str(autograder_root / "submission"),
                "--seed",
                str(SEED),
                "--json",
                str(tmp_path / "direct.json"),
                "--no-color",
            ]
        )
        == 1
    )
    direct = json.loads((tmp_path / "direct.json").read_text())
    assert [(t["name"], t["score"]) for t in results["tests"]] == [(t["name"], t["score"]) for t in direct["tests"]]
    assert results["score"] == direct["score"] < TOTAL
    assert exercise_score(results, BUG.exercise) < EXERCISES[BUG.exercise - 1].points


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["write_results_json", "read_solution_file"])
def test_a_hostile_submission_gains_nothing_and_results_json_stays_the_graders(autograder_root, attack):
    """The solutions sit in source/kit and results.json is the file to forge: neither is within reach."""
    assert sandbox.isolation().sandboxed, "refusing to run an attack outside the sandbox"
    build_submission(autograder_root)
    forged_into = repr(str(autograder_root / "results"))  # where run_autograder reads results.json in this layout
    source = (ATTACKS / f"{attack}.py").read_text().replace('"/autograder/results"', forged_into)
    assert attack != "write_results_json" or forged_into in source
    (autograder_root / "submission" / "ex1_sigmoid.py").write_text(source)
    results = run_autograder(autograder_root)
    assert exercise_score(results, 1) == 0
    assert results["score"] == TOTAL - EXERCISES[0].points
    assert results["extra_data"]["seed"] == SEED and len(results["tests"]) == sum(len(e.checks) for e in EXERCISES)
    assert sorted(path.name for path in (autograder_root / "results").iterdir()) == ["results.json"]
    assert not (autograder_root / "submission" / "results.json").exists()


@pytest.mark.slow
def test_a_submission_with_nothing_to_grade_gets_a_valid_zero_with_the_reason(autograder_root):
    (autograder_root / "submission").mkdir()
    (autograder_root / "submission" / "notes.txt").write_text("I could not do it.")
    results = run_autograder(autograder_root)
    assert results["score"] == 0 and results["tests"] == []
    assert "hand in your exercise files" in results["output"] and "Please tell your instructor" not in results["output"]
    assert "right folder" not in results["output"]  # the instructor's words stay the instructor's
    assert "holds no .py files" in results["extra_data"]["instructor_reason"]
