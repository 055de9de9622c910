"""The batch's gradebook (SQLite, kept through kill -9), the plain form of a result, and the grades exports."""

from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import fields, replace
from pathlib import Path

import jsonschema
import pytest

from autograder.frontends.instructor.batch import exports, gradebook
from autograder.frontends.instructor.batch.gradebook import Entry, Gradebook, GradebookError
from autograder.grading.grade import grade
from autograder.grading.outcomes import PASSED, Curve, SubmissionResult
from autograder.grading.plain import result_from_plain, result_to_plain
from autograder.i18n.messages import Message
from autograder.lesson.modules import NUMBERS
from autograder.locations import kit_version

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
SCHEMA = json.loads((Path(__file__).parent / "gradescope_schema.json").read_text())
NAIVE_SIGMOID = "    return 1 / (1 + torch.exp(z))"  # a classic bug: the sign of z turned


@pytest.fixture(scope="module")
def graded() -> SubmissionResult:
    return grade(SOLUTIONS, seed=1)


@pytest.fixture(scope="module")
def buggy(tmp_path_factory) -> SubmissionResult:
    folder = tmp_path_factory.mktemp("buggy") / "submission"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    sigmoid = folder / "ex1_sigmoid.py"
    text, count = re.subn(
        r"(### BEGIN SOLUTION\n).*?(\n\s*### END SOLUTION)",
        rf"\g<1>{NAIVE_SIGMOID}\g<2>",
        sigmoid.read_text(),
        count=1,
        flags=re.S,
    )
    assert count == 1
    sigmoid.write_text(text)
    return grade(folder, seed=1)


@pytest.fixture(scope="module")
def curved(graded) -> SubmissionResult:
    """A result with every field set: curves (one without the student's numbers) and fingerprints."""
    return replace(
        graded,
        curves={
            "sigmoid": Curve((-2.0, 0.0, 2.0), (0.12, 0.5, 0.88), (0.1, 0.5, 0.9), 0.0, -0.25),
            "pass_probability": Curve((0.0, 5.0, 10.0), (0.01, 0.4, 0.99), None, 5.5, None),
        },
        fingerprints=(("sigmoid", "3f2a"), ("bce_loss", "9c01")),
        assignment="logreg",
        notes=("plain text",),
    )


def test_buggy_submission_loses_points_with_messages(graded, buggy):
    """The results the tests below record differ, and carry messages as data."""
    assert graded.total[0] == graded.total[1] > 0
    assert buggy.total[0] < buggy.total[1]
    assert any(isinstance(outcome.message, Message) for outcome in buggy.outcomes if not outcome.passed)


# The plain form


@pytest.mark.parametrize("name", ["graded", "buggy", "curved"])
def test_plain_form_round_trips_through_json_exactly(name, request):
    result = request.getfixturevalue(name)
    plain = result_to_plain(result)
    assert set(plain) == {field.name for field in fields(SubmissionResult)}
    assert result_from_plain(json.loads(json.dumps(plain))) == result


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda plain: plain["outcomes"][0].update(points="5"), "result.outcomes[0].points"),
        (lambda plain: plain["outcomes"][1].pop("hint"), "result.outcomes[1]"),
        (lambda plain: plain["outcomes"][0].update(extra=1), "result.outcomes[0]"),
        (lambda plain: plain["outcomes"][0].update(message={"id": 3}), "result.outcomes[0].message"),
        (lambda plain: plain.update(seed=True), "result.seed"),
        (lambda plain: plain["curves"]["sigmoid"].update(x="0 1 2"), "result.curves['sigmoid'].x"),
        (lambda plain: plain.update(fingerprints=[["sigmoid", "3f2a", "x"]]), "result.fingerprints[0]"),
        (lambda plain: plain.update(notes={}), "result.notes"),
    ],
)
def test_plain_form_refuses_bad_data_naming_the_field(curved, change, where):
    plain = json.loads(json.dumps(result_to_plain(curved)))
    change(plain)
    with pytest.raises(ValueError, match=re.escape(where)):
        result_from_plain(plain)


def test_plain_form_refuses_what_is_not_a_result():
    with pytest.raises(ValueError, match="not a SubmissionResult"):
        result_from_plain([])  # type: ignore[arg-type]


# Recording and reading back


def open_book(folder: Path, *, assignment: str = "logreg", seed: int | None = 7, regrade: bool = False) -> Gradebook:
    return Gradebook.open(folder, assignment=assignment, seed=seed, regrade=regrade)


def check_rows(path: Path) -> dict[str, list[str]]:
    """The check ids recorded for each student, read with a connection of its own."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT student, check_id FROM checks ORDER BY student, check_id").fetchall()
    found: dict[str, list[str]] = {}
    for student, check_id in rows:
        found.setdefault(student, []).append(check_id)
    return found


def test_grades_recorded_are_read_back_after_reopening(tmp_path, graded, buggy, curved):
    with open_book(tmp_path) as book:
        book.record("bob", "b1", buggy, seconds=3.5, worker="w2")
        book.record("alice", "a1", curved, seconds=2.5, worker="w1")
        book.record_ungraded("carol", "c1", "no exercise file found", seconds=0.1, worker="w1")
        assert book.count() == 3
    with open_book(tmp_path) as book:
        assert book.results() == [
            Entry("alice", curved, "", 2.5),
            Entry("bob", buggy, "", 3.5),
            Entry("carol", None, "no exercise file found", 0.1),
        ]
    assert check_rows(tmp_path / gradebook.FILE_NAME) == {
        student: sorted(outcome.check_id for outcome in result.outcomes)
        for student, result in (("alice", curved), ("bob", buggy))
    }
    with Gradebook.open_existing(tmp_path) as book:
        assert [entry.student for entry in book.results()] == ["alice", "bob", "carol"]


def test_a_grade_recorded_again_replaces_the_old_one(tmp_path, graded, buggy):
    with open_book(tmp_path) as book:
        book.record("alice", "a1", buggy, seconds=1.0, worker="w1")
        book.record("alice", "a2", graded, seconds=2.0, worker="w1")
        assert book.results() == [Entry("alice", graded, "", 2.0)]
        book.record_ungraded("alice", "a3", "unreadable", seconds=0.5, worker="w1")
        assert book.results() == [Entry("alice", None, "unreadable", 0.5)]
    assert check_rows(tmp_path / gradebook.FILE_NAME) == {}


def test_summary_counts_scores_failed_checks_and_mistakes(tmp_path, graded, buggy):
    with open_book(tmp_path) as book:
        book.record("alice", "a", graded, seconds=1.0, worker="w")
        book.record("bob", "b", buggy, seconds=1.0, worker="w")
        book.record_ungraded("carol", "c", "no files", seconds=0.0, worker="w")
        summary = book.summary(most=100)
    scores = [graded.total[0], buggy.total[0]]
    assert (summary.students, summary.graded) == (3, 2)
    assert summary.mean == pytest.approx(sum(scores) / 2) and summary.median == pytest.approx(sum(scores) / 2)
    assert sum(count for _low, count in summary.distribution) == 2
    assert [low for low, _count in summary.distribution] == list(range(0, 100, 10))
    assert dict(summary.distribution)[90] >= 1  # full marks fall in the last band
    failed = {outcome.check_id for outcome in buggy.outcomes if outcome.status != PASSED}
    assert failed and {check.check_id for check in summary.failed_checks} == failed
    assert all((check.failures, check.students) == (1, 2) for check in summary.failed_checks)
    mistaken: dict[str, Message] = {}  # the example: the message of the first check (by id) with the mistake
    for outcome in sorted(buggy.outcomes, key=lambda outcome: outcome.check_id):
        if outcome.mistake:
            mistaken.setdefault(outcome.mistake, outcome.message)
    assert {mistake.mistake: (mistake.students, mistake.example) for mistake in summary.mistakes} == {
        mistake: (1, message) for mistake, message in mistaken.items()
    }


def test_summary_of_an_empty_gradebook(tmp_path):
    with open_book(tmp_path) as book:
        summary = book.summary()
    assert (summary.students, summary.graded, summary.mean, summary.median) == (0, 0, None, None)
    assert summary.failed_checks == summary.mistakes == ()


def test_pending_skips_the_finished_and_unchanged_unless_regrading(tmp_path, graded):
    with open_book(tmp_path) as book:
        book.record("alice", "a1", graded, seconds=1.0, worker="w")
        book.record_ungraded("bob", "b1", "unreadable", seconds=1.0, worker="w")
        book.record("dave", "d1", graded, seconds=1.0, worker="w")
        now = [("alice", "a1"), ("bob", "b1"), ("carol", "c1"), ("dave", "d2")]
        assert book.pending(now, regrade=False) == ["carol", "dave"]
        assert book.pending(now, regrade=True) == ["alice", "bob", "carol", "dave"]


# The batch a gradebook belongs to


def test_a_new_gradebook_keeps_its_seed_or_draws_a_secret_one(tmp_path):
    with open_book(tmp_path / "given", seed=42) as book:
        assert (book.seed, book.batch.assignment) == (42, "logreg")
    with open_book(tmp_path / "given", seed=None) as book:
        assert book.seed == 42  # no seed given: the stored one
    with open_book(tmp_path / "drawn", seed=None) as book:
        drawn = book.seed
    assert 0 <= drawn < 2**31
    with open_book(tmp_path / "drawn", seed=None) as book:
        assert book.seed == drawn


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ({"assignment": "softmax"}, 'assignment "logreg" there, "softmax" now'),
        ({"seed": 8}, "seed 7 there, 8 now"),
        ({"kit": "9.9.9+0123456789ab"}, f"kit version {kit_version()} there, 9.9.9+0123456789ab now"),
    ],
)
def test_another_batchs_gradebook_is_refused_unless_regrading(tmp_path, graded, monkeypatch, setting, said):
    with open_book(tmp_path) as book:
        book.record("alice", "a1", graded, seconds=1.0, worker="w")
    setting = dict(setting)
    kit = setting.pop("kit", None)
    if kit is not None:
        monkeypatch.setattr(gradebook, "kit_version", lambda: kit)
    with pytest.raises(GradebookError) as refused:
        open_book(tmp_path, **setting)
    assert said in str(refused.value) and "--regrade" in str(refused.value) and "\n" not in str(refused.value)
    with sqlite3.connect(tmp_path / gradebook.FILE_NAME) as db:  # refused: left as it was
        assert db.execute("SELECT student FROM submissions").fetchall() == [("alice",)]
    with open_book(tmp_path, regrade=True, **setting) as book:
        assert book.results() == []
        assert (book.batch.assignment, book.seed, book.batch.kit) == (
            setting.get("assignment", "logreg"),
            setting.get("seed", 7),
            kit or kit_version(),
        )
    with open_book(tmp_path, **setting) as book:  # the new batch's own settings: no longer refused
        assert book.results() == []


def test_a_file_that_is_not_a_gradebook_is_refused(tmp_path):
    (tmp_path / gradebook.FILE_NAME).write_bytes(b"not a database, just bytes" * 100)
    with pytest.raises(GradebookError, match="is not a gradebook"):
        open_book(tmp_path)
    with pytest.raises(GradebookError, match="does not exist"):
        Gradebook.open_existing(tmp_path / "elsewhere")


# Failures while writing


class FailingChecks:
    """A connection that fails when the checks of a grade are inserted: after its old rows are deleted."""

    def __init__(self, db: sqlite3.Connection, error: BaseException):
        self.db, self.error = db, error

    def __getattr__(self, name: str):
        return getattr(self.db, name)

    def executemany(self, *args):
        raise self.error


@pytest.mark.parametrize(
    ("error", "raised"),
    [(sqlite3.OperationalError("disk I/O error"), GradebookError), (KeyboardInterrupt(), KeyboardInterrupt)],
)
def test_a_record_that_fails_half_way_leaves_the_old_grade(tmp_path, graded, buggy, monkeypatch, error, raised):
    with open_book(tmp_path) as book:
        book.record("alice", "a1", graded, seconds=1.0, worker="w")
        monkeypatch.setattr(book, "_db", FailingChecks(book._db, error))
        with pytest.raises(raised):
            book.record("alice", "a2", buggy, seconds=1.0, worker="w")
        monkeypatch.undo()
        assert book.results() == [Entry("alice", graded, "", 1.0)]
        assert book.pending([("alice", "a1")], regrade=False) == []
    assert check_rows(tmp_path / gradebook.FILE_NAME)["alice"] == sorted(o.check_id for o in graded.outcomes)


def test_a_full_disk_is_a_gradebook_error_and_the_gradebook_stays_whole(tmp_path, graded, buggy):
    with open_book(tmp_path) as book:
        book.record("alice", "a1", graded, seconds=1.0, worker="w")
        (pages,) = book._db.execute("PRAGMA page_count").fetchone()
        book._db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
        with pytest.raises(GradebookError) as full:
            for student in ("bob", "carol", "dave"):
                book.record(student, "b1", buggy, seconds=1.0, worker="w")
        assert "full" in str(full.value) and "Free some disk space" in str(full.value)
        recorded = [entry.student for entry in book.results()]
        assert recorded[0] == "alice" and len(recorded) < 4
        book._db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same run goes on
        book.record("bob", "b1", buggy, seconds=1.0, worker="w")
    with sqlite3.connect(tmp_path / gradebook.FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with open_book(tmp_path) as book:
        assert {entry.student for entry in book.results()} >= {"alice", "bob"}


RECORDER = """
import itertools, json, sys
from pathlib import Path
from autograder.frontends.instructor.batch.gradebook import Gradebook
from autograder.grading.plain import result_from_plain

results = [result_from_plain(plain) for plain in json.loads(Path(sys.argv[2]).read_text())]
book = Gradebook.open(Path(sys.argv[1]), assignment="logreg", seed=7, regrade=False)
for i in itertools.count():
    book.record(f"s{i % 7}", str(i), results[i % len(results)], seconds=0.1, worker="w")
    if i == 30:
        print("recording", flush=True)
"""


def test_a_recorder_killed_with_sigkill_leaves_a_whole_gradebook(tmp_path, graded, buggy):
    """Each student's grade is one of the results recorded, whole: its row and exactly its checks."""
    variants = [replace(result, outcomes=result.outcomes[:size]) for result in (graded, buggy) for size in (61, 17, 3)]
    (tmp_path / "results.json").write_text(json.dumps([result_to_plain(result) for result in variants]))
    for pause in (0.0, 0.05, 0.13, 0.31):
        recorder = subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(tmp_path / "out"), str(tmp_path / "results.json")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert recorder.stdout is not None and recorder.stdout.readline() == "recording\n"
        time.sleep(pause)
        recorder.send_signal(signal.SIGKILL)
        assert recorder.wait(timeout=30) == -signal.SIGKILL
        with sqlite3.connect(tmp_path / "out" / gradebook.FILE_NAME) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT COUNT(*), COUNT(DISTINCT student) FROM submissions").fetchone() == (7, 7)
        with open_book(tmp_path / "out") as book:
            entries = book.results()
        rows = check_rows(tmp_path / "out" / gradebook.FILE_NAME)
        for entry in entries:
            assert entry.result in variants
            assert rows[entry.student] == sorted(outcome.check_id for outcome in entry.result.outcomes)


# The exports


@pytest.fixture
def exported(tmp_path, graded, buggy):
    """A gradebook with a graded, a buggy, an ungraded and a formula-like student, and the paths export() wrote."""
    with open_book(tmp_path / "out") as book:
        book.record("alice", "a", graded, seconds=2.0, worker="w")
        book.record("bob", "b", buggy, seconds=3.0, worker="w")
        book.record_ungraded("张三", "c", "-找不到练习文件", seconds=0.5, worker="w")
        book.record('=HYPERLINK("x")/../evil', "d", graded, seconds=1.0, worker="w")
        yield book, exports.export(book, tmp_path / "out")


def test_grades_csv_has_a_row_per_student_matching_the_gradebook(exported, graded, buggy):
    book, written = exported
    path = written[0]
    assert path.name == "grades.csv" and path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["student", *(f"ex{number}" for number in NUMBERS), "total", "max", "status", "reason"]
    by_student = {row["student"]: row for row in rows}
    assert list(by_student) == ['\'=HYPERLINK("x")/../evil', "alice", "bob", "张三"]  # a formula stays text
    for student, result in (("alice", graded), ("bob", buggy)):
        row = by_student[student]
        assert (row["status"], row["reason"]) == ("graded", "")
        assert float(row["total"]) == pytest.approx(result.total[0], abs=0.005)
        assert float(row["max"]) == pytest.approx(result.total[1], abs=0.005)
        for number in NUMBERS:
            earned = sum(outcome.points for outcome in result.outcomes if outcome.exercise == number)
            assert float(row[f"ex{number}"]) == pytest.approx(earned, abs=0.005)
    assert by_student["bob"]["ex1"] != by_student["alice"]["ex1"]
    ungraded = by_student["张三"]
    assert (ungraded["status"], ungraded["reason"], ungraded["total"], ungraded["max"]) == (
        "ungraded",
        "'-找不到练习文件",
        "0",
        "",
    )
    assert all(ungraded[f"ex{number}"] == "" for number in NUMBERS)


def test_results_json_per_student_follow_gradescopes_schema(exported, graded, buggy):
    book, written = exported
    files = [path for path in written if path.parent == written[0].parent / exports.RESULTS]
    assert len(files) == 4 and len({path.name for path in files}) == 4
    assert {path.name for path in files} >= {"alice.json", "bob.json"}
    for path in files:
        jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))
    for student, result, seconds in (("alice", graded, 2.0), ("bob", buggy, 3.0)):
        results = json.loads((written[0].parent / exports.RESULTS / f"{student}.json").read_text())
        assert results["score"] == pytest.approx(result.total[0])
        assert len(results["tests"]) == len(result.outcomes) and results["execution_time"] == seconds
        assert results["extra_data"]["seed"] == result.seed
    ungraded = next(json.loads(path.read_text()) for path in files if json.loads(path.read_text())["tests"] == [])
    assert (ungraded["score"], ungraded["output"], ungraded["extra_data"]["seed"]) == (0.0, "-找不到练习文件", 7)
    assert all("/" not in path.name and not path.name.startswith(".") for path in files)
