"""The batch's gradebook: RESULTS/gradebook.sqlite, every grade of one batch, kept through kill -9.

Tables:
    batch        one row: what makes the batch (assignment, kit version, seed) and when it started
    submissions  one row per student: the digest of the files graded, graded or ungraded, score, max score,
                 the whole result as JSON (grading/plain.py), the reason when ungraded, seconds, worker, isolation
    checks       one row per student and check: exercise, points, max points, status, mistake, message, hint
                 (messages as JSON plain values: i18n/messages.py)

Each student's grade is written in one transaction (its old rows deleted, the new inserted, committed), so a
process killed at any moment leaves the old grade or the new one, never half of one and never two. Only the batch's
parent process writes it; its workers never touch it. The grades of two batches are never mixed: a gradebook of
another assignment, kit version or seed is refused, or with --regrade started anew.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

from autograder.grading.outcomes import PASSED, SubmissionResult
from autograder.grading.plain import result_from_plain, result_to_plain
from autograder.i18n import N_, _, listing
from autograder.i18n.messages import Value, from_plain, to_plain
from autograder.locations import kit_version

FILE_NAME = "gradebook.sqlite"
GRADED, UNGRADED = "graded", "ungraded"
BINS = 10  # the score distribution's bins: 0-10 %, 10-20 %, ... 90-100 % of the points possible
SCHEMA = """
CREATE TABLE batch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    assignment TEXT NOT NULL,
    kit TEXT NOT NULL,
    seed INTEGER NOT NULL,
    started TEXT NOT NULL
);
CREATE TABLE submissions (
    student TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('graded', 'ungraded')),
    score REAL NOT NULL,
    max_score REAL,  -- NULL when ungraded
    result TEXT,  -- NULL when ungraded
    reason TEXT NOT NULL,  -- '' when graded
    seconds REAL NOT NULL,
    worker TEXT NOT NULL,
    isolation TEXT,  -- NULL when ungraded
    recorded TEXT NOT NULL
);
CREATE TABLE checks (
    student TEXT NOT NULL REFERENCES submissions (student) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    exercise INTEGER NOT NULL,
    points REAL NOT NULL,
    max_points REAL NOT NULL,
    status TEXT NOT NULL,
    mistake TEXT,
    message TEXT NOT NULL,
    hint TEXT NOT NULL,
    PRIMARY KEY (student, check_id)
) WITHOUT ROWID;
"""
TABLES = frozenset(("batch", "submissions", "checks"))

REFUSED = N_(
    "{path} holds the grades of another batch ({differences}): pass --regrade to grade again with the new settings, "
    "or choose another --out"
)
OTHER_ASSIGNMENT = N_('assignment "{stored}" there, "{given}" now')
OTHER_KIT = N_("kit version {stored} there, {given} now")
OTHER_SEED = N_("seed {stored} there, {given} now")
NOT_OURS = N_("not a gradebook of this kit version")
MISSING = N_("{path} does not exist: name the folder a batch wrote its gradebook in (logreg-grade batch --out)")
UNREADABLE = N_("{path} is not a gradebook ({error}): choose another --out")
WRITE_FAILED = N_(
    "could not write the gradebook {path} ({error}); every grade recorded before is kept. Free some disk space (or "
    "make the folder writable), then run the same command again: it goes on where it stopped"
)


class GradebookError(Exception):
    """The gradebook cannot be used or written: the message says why and what to do."""


@dataclass(frozen=True)
class Batch:
    """What makes a batch: grades given under other settings are never mixed with these."""

    assignment: str  # the assignment file's name, "" without one
    kit: str  # the kit's version
    seed: int
    started: str  # ISO 8601, UTC


class Entry(NamedTuple):
    """One student's recorded grade."""

    student: str
    result: SubmissionResult | None  # None: ungraded
    reason: str  # why it is ungraded; "" when graded
    seconds: float


class FailedCheck(NamedTuple):
    check_id: str
    failures: int  # students whose check did not pass
    students: int  # students it was graded for


class CommonMistake(NamedTuple):
    mistake: str
    students: int  # students whose output matched it
    example: Value  # the message of one of them


@dataclass(frozen=True)
class Summary:
    """The class at a glance: what a summary table shows."""

    students: int
    graded: int  # the others are ungraded
    mean: float | None  # over the graded; None when none is
    median: float | None
    distribution: tuple[tuple[int, int], ...]  # (lowest percent of the bin, graded students in it), BINS of them
    failed_checks: tuple[FailedCheck, ...]  # the most failed first
    mistakes: tuple[CommonMistake, ...]  # the most common first


class Gradebook:
    """One batch's grades in RESULTS/gradebook.sqlite; open() it, record() each grade as it comes, read it back."""

    def __init__(self, db: sqlite3.Connection, path: Path, batch: Batch):
        self._db, self.path, self.batch = db, path, batch

    @property
    def seed(self) -> int:
        return self.batch.seed

    @classmethod
    def open(cls, folder: Path, *, assignment: str, seed: int | None, regrade: bool) -> Gradebook:
        """The gradebook in folder, created if missing. seed None: the stored one, or a secret one drawn for a new
        batch. A gradebook of another batch (another assignment, kit version, or a seed given that differs) is
        refused with GradebookError, unless regrade: then its grades are dropped and this batch's settings stored.
        """
        path = folder / FILE_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise GradebookError(_(WRITE_FAILED).format(path=path, error=error)) from None
        return cls._connected(path, lambda db: _settle(db, path, assignment, seed, regrade))

    @classmethod
    def open_existing(cls, folder: Path) -> Gradebook:
        """The gradebook a batch wrote in folder, as it is (to export it again); GradebookError where there is none."""
        path = folder / FILE_NAME
        if not path.is_file():
            raise GradebookError(_(MISSING).format(path=path))
        return cls._connected(path, lambda db: _stored(db) or _unreadable(path, _(NOT_OURS)))

    @classmethod
    def _connected(cls, path: Path, batch_of: Callable[[sqlite3.Connection], Batch]) -> Gradebook:
        try:
            db = sqlite3.connect(path, isolation_level=None)  # transactions are begun and committed here, explicitly
        except sqlite3.Error as error:
            raise GradebookError(_(WRITE_FAILED).format(path=path, error=error)) from None
        try:
            # WAL with synchronous=FULL: each commit reaches the disk before record() returns, so a grade recorded
            # survives power loss too, not only kill -9 (which NORMAL would survive). The fsync costs milliseconds
            # per student, who takes seconds to grade.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            return cls(db, path, batch_of(db))
        except BaseException as error:
            db.close()
            if isinstance(error, sqlite3.OperationalError):
                raise GradebookError(_(WRITE_FAILED).format(path=path, error=error)) from None
            if isinstance(error, sqlite3.DatabaseError):  # not a database at all
                _unreadable(path, error)
            raise

    def count(self) -> int:
        """How many students are recorded."""
        return int(self._db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def pending(self, submissions: Iterable[tuple[str, str]], *, regrade: bool) -> list[str]:
        """The students, given with the digest of their files now, to grade: all with regrade, else those not
        recorded or whose files changed."""
        recorded = dict(self._db.execute("SELECT student, digest FROM submissions").fetchall())
        return [student for student, digest in submissions if regrade or recorded.get(student) != digest]

    def record(self, student: str, digest: str, result: SubmissionResult, *, seconds: float, worker: str) -> None:
        """Keep result as the student's grade, in place of any before, in one transaction."""
        score, max_score = result.total
        checks = [
            (
                student,
                o.check_id,
                o.exercise,
                o.points,
                o.max_points,
                o.status,
                o.mistake,
                *map(_json, (o.message, o.hint)),
            )
            for o in result.outcomes
        ]
        plain = json.dumps(result_to_plain(result), ensure_ascii=False)
        self._replace(
            (student, digest, GRADED, score, max_score, plain, "", seconds, worker, _json(result.isolation)), checks
        )

    def record_ungraded(self, student: str, digest: str, reason: str, *, seconds: float, worker: str) -> None:
        """Keep the student as ungraded (0 points) for reason, in place of any grade before, in one transaction."""
        self._replace((student, digest, UNGRADED, 0.0, None, None, reason, seconds, worker, None), [])

    def _replace(self, submission: tuple[Any, ...], checks: list[tuple[Any, ...]]) -> None:
        with _writing(self._db, self.path):
            self._db.execute("DELETE FROM submissions WHERE student = ?", submission[:1])  # its checks go with it
            self._db.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*submission, _now()))
            self._db.executemany("INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", checks)

    def results(self) -> list[Entry]:
        """Every student's grade, by student id."""
        rows = self._db.execute("SELECT student, result, reason, seconds FROM submissions ORDER BY student")
        return [
            Entry(student, None if result is None else result_from_plain(json.loads(result)), reason, seconds)
            for student, result, reason, seconds in rows
        ]

    def summary(self, *, most: int = 10) -> Summary:
        """Counts, mean, median and distribution of the scores, and the `most` most failed checks and most common
        known mistakes."""
        db = self._db
        students, graded, mean = db.execute(
            "SELECT COUNT(*), COUNT(result), AVG(CASE WHEN status = ? THEN score END) FROM submissions", (GRADED,)
        ).fetchone()
        scores = [score for (score,) in db.execute("SELECT score FROM submissions WHERE status = ?", (GRADED,))]
        bands = dict(
            db.execute(
                """SELECT MIN(CAST(score * ? / max_score AS INTEGER), ? - 1) AS band, COUNT(*) FROM submissions
                WHERE status = ? AND max_score > 0 GROUP BY band""",
                (BINS, BINS, GRADED),
            ).fetchall()
        )
        failed = db.execute(
            """SELECT check_id, SUM(status != ?) AS failures, COUNT(*) FROM checks
            GROUP BY check_id HAVING failures > 0 ORDER BY failures DESC, check_id LIMIT ?""",
            (PASSED, most),
        )
        mistakes = db.execute(
            """SELECT mistake, COUNT(DISTINCT student) AS students,
                (SELECT message FROM checks AS one WHERE one.mistake = checks.mistake
                ORDER BY student, check_id LIMIT 1)
            FROM checks WHERE mistake IS NOT NULL GROUP BY mistake ORDER BY students DESC, mistake LIMIT ?""",
            (most,),
        )
        return Summary(
            students=students,
            graded=graded,
            mean=mean,
            median=statistics.median(scores) if scores else None,
            distribution=tuple((100 * band // BINS, bands.get(band, 0)) for band in range(BINS)),
            failed_checks=tuple(FailedCheck(*row) for row in failed),
            mistakes=tuple(
                CommonMistake(mistake, count, from_plain(json.loads(example))) for mistake, count, example in mistakes
            ),
        )


def _settle(db: sqlite3.Connection, path: Path, assignment: str, seed: int | None, regrade: bool) -> Batch:
    """The batch the gradebook is for, this one's settings stored where it is new or (with regrade) another's."""
    with _writing(db, path):
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
        ]
        if tables:
            stored = _stored(db) if set(tables) == TABLES else None
            differences = _differences(stored, assignment, seed)
            if stored is not None and not differences:
                return stored
            if not regrade:
                _refused(path, differences)
            for table in tables:
                db.execute(f'DROP TABLE "{table.replace(chr(34), chr(34) * 2)}"')
        return _create(db, assignment, seed)


def _create(db: sqlite3.Connection, assignment: str, seed: int | None) -> Batch:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)  # one by one: executescript would commit the transaction
    if seed is None:
        from autograder.grading.grade import secret_seed  # imported only when drawn: it imports torch

        seed = secret_seed()
    batch = Batch(assignment, kit_version(), seed, _now())
    db.execute("INSERT INTO batch VALUES (1, ?, ?, ?, ?)", (batch.assignment, batch.kit, batch.seed, batch.started))
    return batch


def _refused(path: Path, differences: list[str]) -> NoReturn:
    raise GradebookError(_(REFUSED).format(path=path, differences=listing(differences)))


def _unreadable(path: Path, error: object) -> NoReturn:
    raise GradebookError(_(UNREADABLE).format(path=path, error=error)) from None


def _stored(db: sqlite3.Connection) -> Batch | None:
    try:
        row = db.execute("SELECT assignment, kit, seed, started FROM batch WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # another layout: another kit version's
        return None
    return None if row is None else Batch(*row)


def _differences(stored: Batch | None, assignment: str, seed: int | None) -> list[str]:
    if stored is None:
        return [_(NOT_OURS)]
    return [
        _(text).format(stored=there, given=now)
        for text, there, now, differ in (
            (OTHER_ASSIGNMENT, stored.assignment, assignment, stored.assignment != assignment),
            (OTHER_KIT, stored.kit, kit_version(), stored.kit != kit_version()),
            (OTHER_SEED, stored.seed, seed, seed is not None and seed != stored.seed),
        )
        if differ
    ]


@contextmanager
def _writing(db: sqlite3.Connection, path: Path) -> Iterator[None]:
    """One transaction, committed whole or rolled back whole on any error; a write SQLite refuses (a full disk, a
    read-only file) is a GradebookError."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as error:
        raise GradebookError(_(WRITE_FAILED).format(path=path, error=error)) from None


def _json(value: Value) -> str:
    return json.dumps(to_plain(value), ensure_ascii=False)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
