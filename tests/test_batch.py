"""`logreg-grade batch`: a class graded in parallel into a gradebook that survives kill -9, each student exactly as
grading them alone gives, and exports that say what the gradebook holds.

The class mixes correct, buggy, hostile (from tests/attacks) and broken submissions. The batch is run as instructors
run it, a command in its own process group; the first run is killed with SIGKILL once a few grades are committed, and
the same command run again finishes the batch.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.frontends.instructor.batch.gradebook import Gradebook
from autograder.grading.grade import grade
from autograder.sandbox.runner import limit_resources
from autograder.sandbox.zygote import Zygote

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
SOLUTIONS = TESTS.parent / "solutions"
REALSTYLE = TESTS / "corpus" / "realstyle"
ATTACKS = TESTS / "attacks"
SEED = 4242
HOSTILE = ("kill_everything", "segfault_in_call", "write_into_submission")


def _class(folder: Path) -> Path:
    """A class of 9: correct (a folder, one file for everything), buggy, hostile and broken submissions."""
    folder.mkdir()
    shutil.copytree(SOLUTIONS, folder / "alice", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REALSTYLE / "tutorial_full_set", folder / "bob")
    shutil.copyfile(REALSTYLE / "one_file_script" / "logistic_regression.py", folder / "chen.py")
    shutil.copytree(REALSTYLE / "train_adam", folder / "dana")
    shutil.copytree(REALSTYLE / "bce_epsilon_in_log", folder / "emil")
    for attack in HOSTILE:
        shutil.copyfile(ATTACKS / f"{attack}.py", folder / f"{attack}.py")
    (folder / "frank").mkdir()
    (folder / "frank" / "ex1_sigmoid.py").write_text("def sigmoid(z)\n    return z\n")  # a syntax error
    return folder


def _batch(submissions: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "autograder", "batch", str(submissions), "--out", str(out)]
        + ["--jobs", "2", "--seed", str(SEED), "--lang", "en", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: killed whole, as kill -9 on a batch's terminal would
        env={**os.environ, "COLUMNS": "300"},  # one line per message
    )


def _graded_count(database: Path) -> int:
    try:
        with sqlite3.connect(database) as db:
            return db.execute("SELECT count(*) FROM submissions").fetchone()[0]
    except sqlite3.Error:
        return 0


def _checks(result) -> list[tuple]:
    return [(o.check_id, o.points, o.status, o.mistake) for o in result.outcomes]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, Path, str]:
    """The class, and its RESULTS after a run killed with SIGKILL mid-batch and the same command run again."""
    top = tmp_path_factory.mktemp("batch")
    submissions, out = _class(top / "class"), top / "results"
    first = _batch(submissions, out)
    deadline = time.monotonic() + 240
    while _graded_count(out / "gradebook.sqlite") < 3 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the batch ended before it could be killed: " + (first.communicate()[0] or "")
    killed_after = _graded_count(out / "gradebook.sqlite")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert 3 <= killed_after < 9
    second = _batch(submissions, out)
    while _graded_count(out / "gradebook.sqlite") < killed_after + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(_workers(second.pid)[0], signal.SIGKILL)  # a worker lost mid-run: its submission is graded elsewhere
    said, _ = second.communicate(timeout=300)
    assert second.returncode == 0, said
    return submissions, out, said


def _workers(pid: int) -> list[int]:
    """The batch's worker processes (its children that are Python processes)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children if "multiprocessing" in Path(f"/proc/{child}/cmdline").read_text()]


def test_a_batch_killed_with_sigkill_resumes_to_exactly_one_complete_grade_each(batch):
    submissions, out, said = batch
    assert "already graded and unchanged: kept" in said
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        students = [row[0] for row in db.execute("SELECT student FROM submissions ORDER BY student")]
        per_student = dict(db.execute("SELECT student, count(*) FROM checks GROUP BY student"))
    expected = sorted([*(path.stem if path.is_file() else path.name for path in submissions.iterdir())])
    assert students == expected
    with Gradebook.open_existing(out) as book:
        entries = book.results()
    for entry in entries:
        assert entry.result is not None, (entry.student, entry.reason)
        assert per_student[entry.student] == len(entry.result.outcomes)  # every check's row, none twice


def test_every_student_gets_exactly_the_grade_grading_them_alone_gives(batch):
    """Alone: one submission at a time, on one zygote, in this process (the attack tests show that a shared zygote
    grades each submission as a zygote of its own would)."""
    submissions, out, _said = batch
    with Gradebook.open_existing(out) as book:
        graded = {entry.student: entry.result for entry in book.results()}
    zygote = Zygote(None, limit_resources)
    try:
        for path in sorted(submissions.iterdir()):
            alone = grade(path, seed=SEED, zygote=zygote)
            in_batch = graded[path.stem if path.is_file() else path.name]
            assert _checks(in_batch) == _checks(alone), path.name
    finally:
        zygote.close()
    assert graded["alice"].total == (100, 100) and graded["chen"].total == (100, 100)
    assert all(graded[attack].total[0] == 0 for attack in HOSTILE)  # zeros, as its sigmoid returns when it fails
    assert graded["dana"].total[0] < 100 and graded["emil"].total[0] < 100


def test_the_exports_say_what_the_gradebook_holds(batch):
    _submissions, out, _said = batch
    with Gradebook.open_existing(out) as book:
        entries = {entry.student: entry for entry in book.results()}
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert rows.keys() == entries.keys()
    for student, entry in entries.items():
        earned, possible = entry.result.total
        assert float(rows[student]["total"]) == earned and float(rows[student]["max"]) == possible
        results = json.loads((out / "results" / f"{student}.json").read_text())
        assert results["score"] == earned


def test_an_edited_submission_is_graded_again_on_resume_and_an_unchanged_one_is_not(batch, tmp_path):
    submissions, out, _said = batch
    submissions, out = shutil.copytree(submissions, tmp_path / "class"), shutil.copytree(out, tmp_path / "results")
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        before = dict(db.execute("SELECT student, recorded FROM submissions"))
    sigmoid = submissions / "alice" / "ex1_sigmoid.py"
    sigmoid.write_text(sigmoid.read_text().replace("1 / (1 + small_exp)", "1 / (2 + small_exp)", 1))
    again = _batch(submissions, out)
    said, _ = again.communicate(timeout=300)
    assert again.returncode == 0 and "8 submissions already graded and unchanged: kept" in said, said
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        after = dict(db.execute("SELECT student, recorded FROM submissions"))
        alice = db.execute("SELECT score FROM submissions WHERE student = 'alice'").fetchone()[0]
    assert {student for student in before if before[student] != after[student]} == {"alice"}
    assert alice < 100


def test_ctrl_c_stops_the_batch_cleanly_and_says_how_to_resume(tmp_path):
    submissions = tmp_path / "class"
    submissions.mkdir()
    for student in ("ann", "ben", "cai", "dee"):
        shutil.copytree(SOLUTIONS, submissions / student, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "results"
    batch = _batch(submissions, out)
    deadline = time.monotonic() + 240
    while _graded_count(out / "gradebook.sqlite") < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGINT)  # as Ctrl-C in its terminal: the whole foreground group
    said, _ = batch.communicate(timeout=60)
    assert batch.returncode == 130, said
    assert "run the same command again to resume" in said and "Traceback" not in said
    assert _group_ends(batch.pid, within_s=20), "processes of the batch are left running"
    with Gradebook.open_existing(out) as book:
        kept = book.results()
    assert 1 <= len(kept) < 4 and all(entry.result.total == (100, 100) for entry in kept)


def _group_ends(group: int, within_s: float) -> bool:
    """Whether every process of the group has ended (and been reaped) within the time."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False
