"""Hostile submissions, one file each in tests/attacks/, graded in the real sandbox:
they gain nothing and leave nothing.

Each attack replaces ex1_sigmoid.py in a copy of the solutions. If the attack worked, its sigmoid
answers right; if not, it returns zeros. So: exercise 1 scores 0, exercise 5 (graded in the same
run) keeps its 10 points, grading finishes with a message for every lost check, and no process or
file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import site
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grading.grade import grade, stand_in_modules, wanted_names
from autograder.i18n.messages import say, say_all
from autograder.lesson import EXERCISES
from autograder.lesson.reference import SOLUTIONS
from autograder.sandbox import bubblewrap as sandbox
from autograder.sandbox.runner import Runner, limit_resources
from autograder.sandbox.zygote import Zygote
from autograder.submission.loader import scan

ATTACKS = Path(__file__).resolve().parent / "attacks"
REPO = ATTACKS.parent.parent
LEFTOVER_COMMANDS = ("sleep 613", "sleep 614")  # what the attacks that try to outlive grading leave running
PLANTED = "logreg_planted.pth"
ELSEWHERE = Path("/tmp/logreg_admitted_elsewhere")  # where link_admission_folder.py sends the next admission
ATTACK_FILES = sorted(ATTACKS.glob("*.py"))
CLASSMATE_SEED = 11
CLASSMATE_SECONDS = 60  # grading the classmate takes a few seconds; a stopped zygote would cost 120 s a child
pytestmark = pytest.mark.slow


def running_commands() -> list[str]:
    """The command lines of every process on this machine."""
    commands = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):  # the process ended meanwhile
                commands.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip())
    return commands


@pytest.fixture
def listening_port():
    """A TCP server on the loopback address that the network attack tries to reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def test_grading_runs_in_the_real_sandbox():
    isolation = sandbox.isolation()
    assert isolation.sandboxed, f"the attack tests need bubblewrap, and it is not in force: {isolation.description}"


def header(attack: Path, field: str) -> str | None:
    """A field of an attack's docstring, such as "Fails: sigmoid.own_code"."""
    match = re.search(rf"^{field}: (\S+)$", attack.read_text(), re.MULTILINE)
    return match.group(1) if match else None


def attacker(attack: Path, tmp_path: Path, port: int) -> tuple[Path, str, str, int]:
    """The solutions with the attack in the file it replaces: the folder, that file's name and text, its exercise."""
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    source = attack.read_text().replace("PORT", str(port))
    target = header(attack, "Replaces") or "ex1_sigmoid.py"
    (folder / target).write_text(source)
    return folder, target, source, next(exercise.number for exercise in EXERCISES if f"{exercise.module}.py" == target)


def assert_gains_nothing(attack: Path, result, attacked: int) -> None:
    """An ordinary attack's exercise scores 0, a forgery's check 0; exercise 5, graded alongside, keeps its points."""
    shown = [(o.check_id, o.points, say(o.message)) for o in result.outcomes]
    faked = header(attack, "Fails")
    if faked is None:
        assert sum(o.points for o in result.outcomes if o.exercise == attacked) == 0, shown
    else:
        assert [o.points for o in result.outcomes if o.check_id == faked] == [0], shown
    assert sum(o.points for o in result.outcomes if o.exercise == 5) == EXERCISES[4].points, shown
    assert all(say(o.message) for o in result.outcomes if not o.passed)
    assert "Traceback" not in " ".join(say(o.message) for o in result.outcomes)
    assert "bubblewrap" in say(result.isolation) and "seccomp" in say(result.isolation)


def assert_nothing_left(tmp_path: Path) -> None:
    """No process left running, nothing planted in the Python installation or written outside the sandbox."""
    assert not [command for command in running_commands() if command in LEFTOVER_COMMANDS]
    assert not any((Path(folder) / PLANTED).exists() for folder in [*site.getsitepackages(), sys.prefix])
    assert not ELSEWHERE.exists() and not ELSEWHERE.is_symlink()
    assert not (tmp_path / "results.json").exists() and not (tmp_path / "student" / "results.json").exists()


@pytest.mark.parametrize("attack", ATTACK_FILES, ids=lambda path: path.stem)
def test_an_attack_gains_nothing_and_leaves_nothing(attack, tmp_path, monkeypatch, listening_port):
    """An ordinary attack's exercise scores 0; a forgery (its values are right) fails the check it tries to fake."""
    assert sandbox.isolation().sandboxed, "refusing to run an attack outside the sandbox"
    monkeypatch.setattr("autograder.sandbox.runner.IMPORT_DEADLINE_S", 5.0)
    monkeypatch.setenv("LOGREG_TEST_SECRET", "the grader's environment")
    folder, target, source, attacked = attacker(attack, tmp_path, listening_port)
    before = {path: path.stat().st_mtime_ns for path in Path(sandbox.PACKAGE).glob("*.py")}

    result = grade(folder, select=lambda exercise, check: exercise.number in (attacked, 5))

    assert_gains_nothing(attack, result, attacked)
    assert (folder / target).read_text() == source
    assert {path: path.stat().st_mtime_ns for path in Path(sandbox.PACKAGE).glob("*.py")} == before
    assert_nothing_left(tmp_path)


def graded(result) -> list[tuple]:
    """A grade, check by check, as a reporter would show it: to compare two gradings."""
    return [(o.check_id, o.points, o.passed, str(o.message)) for o in result.outcomes] + [result.total]


@pytest.fixture(scope="module")
def classmate(tmp_path_factory):
    """An honest classmate (the solutions, importing matplotlib as many do) and their grade, graded alone."""
    folder = tmp_path_factory.mktemp("classmate") / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    sigmoid = folder / "ex1_sigmoid.py"
    sigmoid.write_text(
        "import matplotlib  # noqa: F401  (an ordinary import, which a planted module would take)\n"
        + sigmoid.read_text()
    )
    return folder, graded(grade(folder, seed=CLASSMATE_SEED))


@pytest.fixture(scope="module")
def shared_zygote():
    """One zygote for every attack of this module (of this test worker), in turn, each followed by a classmate:
    what one attacker does must reach no later attacker's classmate either. Closed at the end, leaving nothing."""
    zygote = Zygote(None, limit_resources)
    yield zygote
    zygote.close()
    assert not Path(zygote._folder.name).exists()


@pytest.mark.parametrize("attack", ATTACK_FILES, ids=lambda path: path.stem)
def test_on_a_shared_zygote_an_attack_gains_nothing_and_the_next_classmate_is_graded_as_alone(
    attack, tmp_path, monkeypatch, listening_port, classmate, shared_zygote
):
    """One zygote serves the attacker, then an honest classmate: the attack gains nothing, the classmate's grade is
    the grade they get alone (in as little time), and nothing is left in the zygote's folders or outside them."""
    assert sandbox.isolation().sandboxed, "refusing to run an attack outside the sandbox"
    assert shared_zygote.alive, "an earlier attack ended the shared zygote"
    monkeypatch.setattr("autograder.sandbox.runner.IMPORT_DEADLINE_S", 5.0)
    folder, _target, _source, attacked = attacker(attack, tmp_path, listening_port)
    honest, alone = classmate
    result = grade(folder, select=lambda exercise, check: exercise.number in (attacked, 5), zygote=shared_zygote)
    started = time.monotonic()
    after = grade(honest, seed=CLASSMATE_SEED, zygote=shared_zygote)
    took = time.monotonic() - started
    assert shared_zygote.alive, "the attack ended the shared zygote"
    assert sorted(path.name for path in shared_zygote._work.iterdir()) == [], "a child wrote in the zygote's scratch"
    assert_gains_nothing(attack, result, attacked)
    assert graded(after) == alone
    assert took < CLASSMATE_SECONDS, f"the classmate waited {took:.0f} s"
    assert_nothing_left(tmp_path)


def test_the_sandboxed_child_sees_no_grader_file_and_no_network(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    probe = """import os, socket
def sigmoid(z):
    import torch
    seen = [os.path.exists(path) for path in ({package!r}, {solutions!r}, {home!r})]
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
        seen.append(True)
    except OSError:
        seen.append(False)
    seen.append(bool(set(os.environ) - {{"PATH", "HOME", "LANG", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE",
                                          "PYTHONNOUSERSITE", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                          "PWD", "LC_CTYPE", "TORCHINDUCTOR_CACHE_DIR"}}))
    seen.append(os.getppid() != 1 and os.path.exists(f"/proc/{{os.getppid()}}/cmdline")
                and b"pytest" in open(f"/proc/{{os.getppid()}}/cmdline", "rb").read())
    return torch.tensor([float(flag) for flag in seen])
""".format(package=str(sandbox.PACKAGE), solutions=str(Path(SOLUTIONS).resolve()), home=str(Path.home() / ".bashrc"))  # noqa: E501 -- a long line in the probe's source
    (folder / "ex1_sigmoid.py").write_text(probe)
    outcome = grade(folder, select=lambda exercise, check: check.id == "sigmoid.fixed_values").outcomes[0]
    assert "returned a tensor of shape (6,), float32: [0, 0, 0, 0, 0, 0]" in say(outcome.message), say(outcome.message)


def test_the_same_seed_gives_the_same_grade_in_the_sandbox(tmp_path):
    first, second = grade(SOLUTIONS, seed=7), grade(SOLUTIONS, seed=7)
    assert [(o.check_id, o.points, say(o.message)) for o in first.outcomes] == [
        (o.check_id, o.points, say(o.message)) for o in second.outcomes
    ]
    assert first.total == (100, 100)


def test_the_environment_reaching_the_child_is_scrubbed(monkeypatch):
    monkeypatch.setenv("LOGREG_TEST_SECRET", "x")
    line, environment, _ = sandbox.command(
        ["python"], submission=Path("/s"), admitted=Path("/a"), scratch=Path("/w"), grader=Path("/g")
    )
    assert "LOGREG_TEST_SECRET" not in environment and "--clearenv" in line and "--unshare-all" in line
    assert os.environ["LOGREG_TEST_SECRET"] not in " ".join(line)


def test_without_bubblewrap_grading_goes_on_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv(sandbox.BWRAP_ENV, "none")
    sandbox.bwrap.cache_clear()
    try:
        result = grade(SOLUTIONS, select=lambda exercise, check: exercise.number == 5)
    finally:
        monkeypatch.delenv(sandbox.BWRAP_ENV)
        sandbox.bwrap.cache_clear()
    assert result.total == (10, 10)
    assert say(result.isolation).startswith(sandbox.PROCESS_ONLY) and f"{sandbox.BWRAP_ENV}=none" in say(
        result.isolation
    )


def sees_this_interpreters_packages(venv: Path) -> Path:
    """A fresh venv at venv whose system site-packages are this interpreter's (torch, numpy, ...); its python.

    --system-site-packages alone would show the base Python's packages: not this interpreter's when it runs in a
    venv itself. So a .pth file of the venv's own makes this interpreter's site prefixes its system ones: its
    site-packages are on the venv's sys.path and in site.getsitepackages(), the Python installation that the sandbox
    shows the child (read-only).
    """
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Run as site reads the venv's own site-packages, before it adds the system ones from site.PREFIXES.
    Path(purelib, "logreg_system_site.pth").write_text(
        f"import site, sys; site.PREFIXES[:] = [sys.prefix, *{site.PREFIXES!r}]\n"
    )
    return python


def test_an_installed_kit_hides_its_solutions_and_data_from_the_child(tmp_path):
    """pip install . puts the solutions and the held-out digits inside the package: the sandbox masks them."""
    python = sees_this_interpreters_packages(tmp_path / "venv")
    source = tmp_path / "kit"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", "tests", "build", "*.egg-info", "__pycache__"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(source)], check=True, capture_output=True)
    student = tmp_path / "student"
    student.mkdir()
    attacks = ["import_reference", "import_solutions_package", "read_solution_file", "read_heldout_digits"]
    script = (
        "import sys, pathlib\n"
        "import autograder\n"
        "from autograder.grading.grade import grade\n"
        f"assert 'site-packages' in autograder.__file__\n"
        f"student = pathlib.Path({str(student)!r})\n"
        f"for attack in {attacks!r}:\n"
        f"    (student / 'ex1_sigmoid.py').write_text(pathlib.Path({str(ATTACKS)!r}, attack + '.py').read_text())\n"
        "    print(attack, grade(student, select=lambda e, c: e.number == 1).total[0])\n"
        f"print('solutions', grade({str(SOLUTIONS)!r}, select=lambda e, c: e.number == 1).total[0])\n"
    )
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [word for attack in attacks for word in (attack, "0")] + ["solutions", "18"]


def test_a_fresh_child_sees_nothing_an_earlier_child_left(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text(
        "import os\nimport torch\n\ndef sigmoid(z):\n"
        "    found = os.path.exists('left-behind')\n"
        "    open('left-behind', 'w').close()\n"
        "    return torch.full_like(z, float(found))\n"
    )
    layout = scan(tmp_path, wanted_names())
    probe = EXERCISES[0].checks[0].probe_for(0)
    with Runner(layout, stand_in_modules()) as runner:
        runner.start()
        first = runner.run(probe.name, probe.args, 10)
        again = runner.run(probe.name, probe.args, 10)
        runner.restart()
        fresh = runner.run(probe.name, probe.args, 10)
    assert [result.out.value[0] for result in (first, again, fresh)] == [0, 1, 0]


def test_one_zygote_serves_many_submissions_in_turn_and_each_sees_only_its_own(tmp_path):
    prying = tmp_path / "prying"
    prying.mkdir()
    (prying / "ex1_sigmoid.py").write_text(
        "import glob\nimport torch\n\ndef sigmoid(z):\n"
        "    others = [path for top in ('/scratch', '/submission', '/tmp') "
        "for path in glob.glob(f'{top}/**/ex5_predict.py', recursive=True)]\n"
        "    return torch.full_like(z, float(len(others)))\n"
    )
    zygote = Zygote(None, limit_resources)
    try:
        first = grade(SOLUTIONS, select=lambda exercise, check: exercise.number == 5, zygote=zygote)
        pried = grade(prying, select=lambda exercise, check: check.id == "sigmoid.fixed_values", zygote=zygote)
        again = grade(SOLUTIONS, select=lambda exercise, check: exercise.number == 1, zygote=zygote)
        assert zygote.alive
    finally:
        zygote.close()
    assert first.total == (10, 10) and again.total == (18, 18)
    assert "returned a tensor of shape (7,), float32: [0, 0, 0, 0, 0, 0, ...]" in say(pried.outcomes[0].message)


@pytest.mark.parametrize("shared_zygote", [False, True], ids=["own zygote", "shared zygote"])
def test_a_link_to_the_solutions_in_a_submission_is_not_graded(tmp_path, shared_zygote):
    """A folder whose ex1_sigmoid.py is a link to the reference: nothing of it is run, shown or copied."""
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "ex1_sigmoid.py").unlink()
    (folder / "ex1_sigmoid.py").symlink_to(SOLUTIONS / "ex1_sigmoid.py")
    zygote = Zygote(None, limit_resources) if shared_zygote else None
    try:
        result = grade(folder, select=lambda exercise, check: exercise.number in (1, 5), zygote=zygote)
    finally:
        if zygote is not None:
            zygote.close()
    assert sum(o.points for o in result.outcomes if o.exercise == 1) == 0
    assert sum(o.points for o in result.outcomes if o.exercise == 5) == 10
    assert "ex1_sigmoid.py was not graded: it is a link, not a file handed in" in say_all(result.notes)


@pytest.mark.skipif(
    os.geteuid() != 0, reason="only a grader running as root drops the child's privileges (CI runs as root)"
)
def test_without_bubblewrap_a_root_grader_runs_student_code_as_nobody(monkeypatch, tmp_path):
    """A container without user namespaces (Gradescope's may be one): student code must not run as root."""
    monkeypatch.setenv(sandbox.BWRAP_ENV, "none")
    sandbox.bwrap.cache_clear()
    secret = tmp_path / "secret.txt"
    secret.write_text("root only")
    secret.chmod(0o600)
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "ex1_sigmoid.py").write_text(
        "import os\nimport torch\n\ndef sigmoid(z):\n"
        f"    open({str(secret)!r}).read()  # as root this works, and the answer is right\n"
        "    return 1 / (1 + torch.exp(-z))\n"
    )
    try:
        result = grade(tmp_path / "student", select=lambda exercise, check: check.id == "sigmoid.fixed_values")
    finally:
        monkeypatch.delenv(sandbox.BWRAP_ENV)
        sandbox.bwrap.cache_clear()
    assert f"as the unprivileged user {sandbox.UNPRIVILEGED}" in say(result.isolation)
    [outcome] = result.outcomes
    assert outcome.points == 0 and "PermissionError" in say(outcome.message)
