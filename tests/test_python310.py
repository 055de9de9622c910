"""The kit on Python 3.10, the python3 of Gradescope's default image (Ubuntu 22.04): it grades as on this Python.

What these tests need, .ci/prepare-python310 (which .ci/run runs) makes once in $LOGREG_PY310, else
${XDG_CACHE_HOME:-~/.cache}/logreg-autograder/py310, outside the checkout: torch/, a Python 3.10 venv with the pinned
torch (PyPI's cp310 torch is its CUDA build, about 5 GB), and wheels/, pip, setuptools and the kit's other
requirements for Python 3.10. Without it these tests skip, naming the command; under CI (CI set) they fail.

The Gradescope zip is built here as an instructor builds it (`logreg-grade gradescope --out ... --assignment ...`,
the seed fixed) and unpacked into tmp/autograder/source, laid out like Gradescope's (LOGREG_AUTOGRADER_ROOT). Then its
setup.sh runs as Gradescope runs it, as root, with these substitutions, each one a program on PATH or a pip setting:
- apt-get is a stand-in that records what setup.sh asks for and installs nothing: the test changes no system
  package (bubblewrap and libseccomp2 are installed by .ci/run, and the sandbox that grades is the real one).
- python3 is Python 3.10 (the interpreter of torch/'s venv); `python3 -m venv "$VENV"` really creates the venv
  (ensurepip included), and then the stand-in adds one .pth file to it, which appends torch/'s site-packages to the
  venv's sys.path and its prefix to site.PREFIXES (so that the sandbox shows it to the child read-only, as it shows
  the venv's own packages). torch is never downloaded twice.
- pip runs with no index and wheels/ as its only source (PIP_NO_INDEX, PIP_FIND_LINKS; no pip configuration file):
  setup.sh's `pip install --upgrade pip` really upgrades pip from wheels/; its `pip install "torch==TORCH"
  --index-url PyTorch's CPU index` finds torch already satisfied (torch/'s, through the .pth) and contacts no index;
  its `pip install "$ROOT/source/kit"` really builds the kit from the zip (in pip's isolated build environment, with
  setuptools from wheels/) and installs it with its requirements, from wheels/, into the venv.
- Everything after that is setup.sh's own: its chmod, and the isolation line it prints.
run_autograder is the zip's, unchanged: it finds the venv's logreg-grade, as on Gradescope. The same zip's
run_autograder with this Python's kit (as tests/test_gradescope_package.py runs it) gives the results to compare with.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_corpus import build_submission
from test_gradescope_package import build, run_autograder, run_autograder_in, unpack, validate

from autograder import i18n
from autograder.frontends import cli
from autograder.grading import policy
from autograder.i18n.messages import say
from autograder.pins import TORCH
from autograder.sandbox import bubblewrap as sandbox

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
PREPARED = Path(os.environ.get("LOGREG_PY310") or CACHE / "logreg-autograder" / "py310")  # as .ci/prepare-python310
PREPARE = "run .ci/prepare-python310 (after `pip install -e .[dev]`; it downloads torch for Python 3.10 once)"
SEED = 4242
EXAMPLES = {
    "alice": REPO / "tests" / "examples" / "alice",
    "exercises": REPO / "exercises",
    "solutions": REPO / "solutions",
}
VERSIONS = ("3.10", "3.11", "3.12", "3.13")  # pyproject.toml's requires-python >= 3.10, as far as released

APT_GET = """#!/usr/bin/env bash
# setup.sh's apt-get in this test: what it asks for is recorded, nothing is installed.
printf '%s\\n' "$*" >> {log}
"""
PYTHON3 = """#!/usr/bin/env bash
# setup.sh's python3 in this test: Python 3.10; a venv it creates also sees the prepared torch (a .pth file).
{python} "$@" || exit
if [ "$#" = 3 ] && [ "$1 $2" = "-m venv" ]; then
    purelib="$("$3/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
    printf '%s\\n' {pth} > "$purelib/logreg_prepared_torch.pth"
fi
"""


def say_missing(reason: str) -> None:
    """Fail under CI, where .ci/run prepares Python 3.10; elsewhere, skip with the command that prepares it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: {PREPARE}")
    pytest.skip(f"{reason}: {PREPARE}")


def requirements() -> str:
    """What .ci/prepare-python310 puts in wheels/ now: pip, the build requirements, the kit's requirements but torch."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = ["pip", *pyproject["build-system"]["requires"], *pyproject["project"]["dependencies"]]
    return "\n".join(text for text in wanted if re.match(r"[A-Za-z0-9._-]+", text).group().lower() != "torch")


def clean_environment(**variables: str) -> dict[str, str]:
    """A root shell's environment, as on Gradescope: none of this process's Python, pip or kit settings."""
    kept = {name: os.environ[name] for name in ("HOME", "TMPDIR") if name in os.environ}
    return {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **kept, **variables}


@pytest.fixture(scope="session")
def prepared() -> Path:
    """The folder .ci/prepare-python310 makes, made for the pinned torch and the kit's current requirements."""
    if not (PREPARED / "torch" / "bin" / "python").exists():
        say_missing(f"{PREPARED} has no Python 3.10 venv with torch")
    for stamp, wanted in (("torch.ready", TORCH), ("wheels.ready", requirements())):
        made_for = (PREPARED / stamp).read_text().strip() if (PREPARED / stamp).exists() else None
        if made_for != wanted:
            say_missing(f"{PREPARED / stamp} says {made_for!r}, not {wanted!r}: it is out of date")
    return PREPARED


def setup_gradescope(folder: Path, prepared: Path) -> None:
    """The zip, unpacked into folder/autograder/source, and its setup.sh run on Python 3.10 (see the docstring)."""
    torch_venv = (prepared / "torch").resolve()  # the sandbox binds real paths
    purelib = subprocess.run(
        [str(torch_venv / "bin" / "python"), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    python = os.path.realpath(torch_venv / "bin" / "python")  # its interpreter itself, as /usr/bin/python3.10 is
    pth = f"import site; site.PREFIXES.append({str(torch_venv)!r}); site.addsitedir({purelib!r})"
    tools = folder / "tools"
    tools.mkdir()
    for name, text in (
        ("apt-get", APT_GET.format(log=shlex.quote(str(folder / "apt-get.log")))),
        ("python3", PYTHON3.format(python=shlex.quote(python), pth=shlex.quote(pth))),
    ):
        (tools / name).write_text(text)
        (tools / name).chmod(0o755)
    (folder / "assignment.toml").write_text(f'[assignment]\nname = "logreg"\nseed = {SEED}\n')
    root = folder / "autograder"
    unpack(build(folder, "--assignment", str(folder / "assignment.toml")), root / "source")
    environment = clean_environment(
        LOGREG_AUTOGRADER_ROOT=str(root),
        PATH=f"{tools}:/usr/bin:/bin",
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str((prepared / "wheels").resolve()),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    done = subprocess.run(
        [str(root / "source" / "setup.sh")],
        cwd=root / "source",
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    (folder / "setup.log").write_text(done.stdout + done.stderr)
    assert done.returncode == 0, f"setup.sh failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


@pytest.fixture(scope="session")
def gradescope310(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tmp/autograder: the zip's source/ and the venv its setup.sh made on Python 3.10; made once for all workers."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, which every worker shares
    folder = shared / "python310-gradescope"
    with open(shared / "python310-gradescope.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker here runs setup.sh; the others wait, then read its outcome
        outcome = folder / "outcome"
        if not outcome.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                setup_gradescope(folder, prepared)
            except BaseException as error:
                outcome.write_text(f"failed: {error}")
                raise
            outcome.write_text("ok")
    said = outcome.read_text()
    assert said == "ok", f"setup.sh on Python 3.10, in another worker: {said}"
    return folder / "autograder"


def layout(folder: Path, source: Path, submission: Path) -> Path:
    """folder, laid out like Gradescope's: the shared source/, a copy of submission, an empty results/."""
    folder.mkdir()
    (folder / "source").symlink_to(source)
    build_submission(folder, base=submission)
    (folder / "results").mkdir()
    return folder


def run_autograder_310(root: Path) -> dict:
    """The zip's run_autograder in root, which has setup.sh's venv: results.json."""
    return run_autograder_in(root, clean_environment(LOGREG_AUTOGRADER_ROOT=str(root)))


def assert_same_results(on_310: dict, on_311: dict) -> None:
    """Check by check the same: names, scores, statuses, outputs, visibility; and the same score and summary."""
    assert [test["name"] for test in on_310["tests"]] == [test["name"] for test in on_311["tests"]]
    for test_310, test_311 in zip(on_310["tests"], on_311["tests"], strict=True):
        assert test_310 == test_311, test_310["name"]
    drop = ("tests", "execution_time")
    assert {k: v for k, v in on_310.items() if k not in drop} == {k: v for k, v in on_311.items() if k not in drop}
    isolation = on_310["extra_data"]["isolation"]  # the real sandbox, as in the other Gradescope tests
    assert isolation.startswith(say(sandbox.isolation().description))


def test_setup_sh_makes_a_python_310_venv_with_the_kit_and_the_prepared_torch(gradescope310):
    venv = gradescope310 / "venv"
    said = (gradescope310.parent / "setup.log").read_text()
    assert f"Isolation: {say(sandbox.isolation().description)}" in said
    assert f"Requirement already satisfied: torch=={TORCH}" in said  # the prepared one: no second download
    asked = (gradescope310.parent / "apt-get.log").read_text().splitlines()
    assert asked[0] == "update" and {"bubblewrap", "libseccomp2"} <= set(asked[1].split())
    script = (
        "import sys, autograder, numpy, pip, torch, tomli\n"
        "print(sys.version_info[:2] == (3, 10), sys.prefix, autograder.__file__, numpy.__file__, pip.__version__,"
        " torch.__version__, torch.__file__)\n"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-W", "ignore", "-c", script],
        env=clean_environment(),
        cwd=gradescope310,  # not the checkout, whose autograder/ would come first
        capture_output=True,
        text=True,
        check=True,
    )
    is_310, prefix, kit, numpy, pip, torch_version, torch = done.stdout.split()
    assert is_310 == "True" and Path(prefix) == venv.resolve()
    assert kit.startswith(prefix) and numpy.startswith(prefix)  # the kit and its requirements, in the venv itself
    assert [pip] == [path.name.split("-")[1] for path in (PREPARED / "wheels").glob("pip-*.whl")]  # upgraded
    assert torch_version.split("+")[0] == TORCH and torch.startswith(str((PREPARED / "torch").resolve()))


@pytest.mark.parametrize("options", [[], ["--lang", "zh"]], ids=["environment", "zh"])
def test_logreg_grade_help_on_python_310_says_what_it_says_here_and_imports_no_torch(
    gradescope310, capsys, monkeypatch, options
):
    for name in i18n.ENVIRONMENT:  # this process reads the language from the same environment as the 3.10 one
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "100")
    done = subprocess.run(
        [str(gradescope310 / "venv" / "bin" / "logreg-grade"), "--help", *options],
        env=clean_environment(COLUMNS="100", PYTHONPROFILEIMPORTTIME="1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    timings = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert done.returncode == 0, "\n".join(line for line in done.stderr.splitlines() if line not in timings)[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in timings]
    assert "autograder.frontends.cli" in imported and not [name for name in imported if name.split(".")[0] == "torch"]
    try:
        assert cli.main(["--help", *options]) == 0
    finally:
        i18n.use("en")
    assert done.stdout == capsys.readouterr().out


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_python_310_grades_each_example_as_python_311_check_by_check(gradescope310, tmp_path, monkeypatch, example):
    """logreg-grade at the same --seed, and the zip's run_autograder with the same assignment file."""
    monkeypatch.delenv(policy.ENV, raising=False)
    path = EXAMPLES[example]
    options = ["--seed", str(SEED), "--no-color", "--lang", "en"]
    graded_310 = subprocess.run(
        [
            str(gradescope310 / "venv" / "bin" / "logreg-grade"),
            str(path),
            "--json",
            str(tmp_path / "310.json"),
            *options,
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    status_311 = cli.main([str(path), "--json", str(tmp_path / "311.json"), *options])
    assert graded_310.returncode == status_311 in (0, 1), graded_310.stderr[-2000:]
    on_310, on_311 = (validate(json.loads((tmp_path / f"{v}.json").read_text())) for v in (310, 311))
    assert_same_results(on_310, on_311)

    root = layout(tmp_path / "autograder", gradescope310 / "source", path)  # the same paths for both Pythons
    on_311 = run_autograder(root)  # no venv/ there: this Python's logreg-grade
    (root / "venv").symlink_to(gradescope310 / "venv")  # setup.sh's, which run_autograder takes when it is there
    on_310 = run_autograder_310(root)
    assert_same_results(on_310, on_311)
    assert (
        on_310["extra_data"]["seed"] == SEED
        and on_310["score"] == json.loads((tmp_path / "311.json").read_text())["score"]
    )


def interpreter(version: str) -> str | None:
    """A Python of that version on this machine: the prepared 3.10, this one, pythonX.Y on PATH, pyenv's."""
    candidates = [str(PREPARED / "torch" / "bin" / "python"), sys.executable, f"python{version}"]
    candidates += sorted(
        str(p)
        for p in Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")).glob(
            f"versions/{version}*/bin/python{version}"
        )
    )
    for candidate in candidates:
        found = shutil.which(candidate)
        if found is None:
            continue
        asked = subprocess.run(
            [found, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if asked.returncode == 0 and asked.stdout.strip() == version:
            return found
    return None


COMPILE_ALL = """
import pathlib, sys, warnings
warnings.simplefilter("error")  # a SyntaxWarning (an invalid escape, 3.12) is an error to come
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.py")):
    compile(path.read_bytes(), str(path), "exec")
print("compiled")
"""


@pytest.mark.parametrize("version", VERSIONS)
def test_every_module_of_the_kit_compiles_on_each_supported_python(version):
    found = interpreter(version)
    if found is None:
        if version == "3.10":
            say_missing("no Python 3.10 here")
        pytest.skip(f"no Python {version} on this machine")
    for folder in ("autograder", "solutions", "exercises"):
        done = subprocess.run(
            [found, "-c", COMPILE_ALL, str(REPO / folder)], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.stdout.strip() == "compiled", done.stderr[-2000:]
