"""Grade a class with `logreg-grade batch`'s pool, and the same students as notebooks through nbgrader (issue 16).

    python benchmarks/bench_batch.py [--count N] [--jobs J] [--nbgrader-count M | --no-nbgrader] [--seed S] [--keep DIR]

The class: N submissions drawn from the test corpora, student001, student002, ... in a shuffled order:
  correct  solutions/, tests/corpus/correct/*, tests/corpus/realstyle/* whose verdict is full marks
  buggy    the one-bug copies of solutions/ of tests/test_corpus.py (BUGS), the buggy tests/corpus/realstyle/*
  hostile  a few attacks of tests/attacks/ that end quickly (each a single file)
  broken   a syntax error, an empty folder, a file holding only comments
Corpus folders that hold a few exercises are put over a copy of solutions/ (as test_corpus.py grades its correct
alternatives), so every student hands in the six exercises; a corpus file that holds everything is handed in alone.

The batch: the in-process API `logreg-grade batch` runs (inputs.find_submissions, pool.grade_all into a Gradebook,
then exports.export): submissions per second (from the start to the last grade, and from the moment every worker had
graded its first submission), latency per submission (Graded.seconds), the peak resident memory of a worker with its
zygote's sandbox (Graded.peak_kib), the start-up (the reference's answers, the workers' zygotes), the exports.

nbgrader: the first M students that notebooks can carry (no hostile one: plain nbgrader would run its code
unsandboxed; no single-file or helper-module submission) handed in as the released notebooks, each exercise file's
code in the notebook's first solution cell, then `nbgrader autograde` on the kit's course (`logreg-grade nbgrader`:
SandboxedChecks, one zygote for the run) and on the same course with nbgrader's own steps (Execute: each notebook
run in a kernel, whose check cell grades it in a sandbox of its own).
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from bench_grading import ROOT
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(ROOT / "tests"))  # the corpora's builders and the nbgrader hand-in, as the tests use them

from test_corpus import BUGS, CORRECT_NAMES, SOLUTIONS, build_submission, correct_submission
from test_nbgrader import MODULES, hand_in
from test_realstyle import CASES
from test_realstyle import CORPUS as REALSTYLE

from autograder import i18n
from autograder.frontends.instructor.batch import exports, inputs, pool
from autograder.frontends.instructor.batch.gradebook import Gradebook
from autograder.frontends.instructor.batch.worker import Graded, Job, _tree
from autograder.frontends.instructor.nbgrader import course
from autograder.grading import judge, policy
from autograder.materials import notebooks as lesson_notebooks

ATTACKS = ROOT / "tests" / "attacks"
SAMPLE_SECONDS = 0.25  # how often the workers' memory is read
HOSTILE = ("kill_everything", "huge_output", "segfault_in_call", "write_into_submission", "fork_bomb")
MIX = {"correct": 0.60, "buggy": 0.30, "hostile": 0.05, "broken": 0.05}
SYNTAX_ERROR = "def sigmoid(z)\n    return z\n"
ONLY_COMMENTS = "# Exercise 1: the sigmoid\n# I ran out of time: my answer will come next week.\n"
ASSIGNMENT = lesson_notebooks.ASSIGNMENT
PLAIN_CONFIG = '''"""The kit's course with nbgrader's own autograde steps (Execute runs each notebook in a kernel)."""

import os
import sys

c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = "{assignment}"
os.environ["PATH"] = os.pathsep.join(filter(None, [os.path.dirname(sys.executable), os.environ.get("PATH")]))
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
from autograder.frontends.instructor.nbgrader.autograde import submissions_built_without_autoflush  # noqa: E402

submissions_built_without_autoflush()  # only the gradebook's SQLAlchemy warnings: no grading step of the kit
'''
# The targets on a 2-core machine.
TIMES_PLAIN_NBGRADER, CLASS_OF, CLASS_SECONDS, WORKER_MB, KIT_COURSE_TIMES = 15, 1000, 240, 400, 2


def say(text: str) -> None:
    print(f"[bench_batch] {text}", file=sys.stderr, flush=True)


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = action()
    return value, time.perf_counter() - start


# ---------------------------------------------------------------------------------------------------- the class


@dataclass(frozen=True)
class Source:
    """One kind of submission: make(scratch) writes it and says where (a folder, or a file)."""

    kind: str
    name: str
    make: Callable[[Path], Path]
    notebooks: bool  # whether the released notebooks can carry it (exercise files only, and not hostile)


@dataclass(frozen=True)
class Student:
    id: str
    source: Source
    path: Path  # in the class folder


def _realstyle(name: str) -> Callable[[Path], Path]:
    folder = REALSTYLE / name
    if any(folder.glob("ex*.py")):
        return lambda scratch: build_submission(scratch, overlay=folder)
    [only] = folder.glob("*.py")  # everything in one file: handed in alone
    return lambda scratch: Path(shutil.copyfile(only, scratch / only.name))


def _written(text: str | None) -> Callable[[Path], Path]:
    """A folder holding ex1_sigmoid.py with text (None: an empty folder)."""

    def make(scratch: Path) -> Path:
        folder = scratch / "submission"
        folder.mkdir()
        if text is not None:
            (folder / "ex1_sigmoid.py").write_text(text)
        return folder

    return make


def _exercise_files_only(folder: Path) -> bool:
    return all(path.stem in MODULES for path in folder.glob("*.py"))


def sources() -> dict[str, list[Source]]:
    """Every submission the corpora offer, by kind."""
    realstyle = {case.name: case.correct for case in CASES}
    correct = [Source("correct", "solutions", lambda scratch: build_submission(scratch), True)]
    correct += [
        Source("correct", f"correct/{name}", lambda scratch, name=name: correct_submission(scratch, name), True)
        for name in CORRECT_NAMES
    ]
    buggy = [
        Source("buggy", f"bug/{bug.name}", lambda scratch, bug=bug: build_submission(scratch, bug=bug), True)
        for bug in BUGS
    ]
    for name, right in realstyle.items():
        (correct if right else buggy).append(
            Source("correct" if right else "buggy", f"realstyle/{name}", _realstyle(name), True)
        )
    hostile = [
        Source(
            "hostile",
            f"attacks/{name}",
            lambda scratch, name=name: Path(shutil.copy(ATTACKS / f"{name}.py", scratch)),
            False,
        )
        for name in HOSTILE
    ]
    broken = [
        Source("broken", "syntax error", _written(SYNTAX_ERROR), True),
        Source("broken", "empty folder", _written(None), True),
        Source("broken", "only comments", _written(ONLY_COMMENTS), True),
    ]
    return {"correct": correct, "buggy": buggy, "hostile": hostile, "broken": broken}


def shares(count: int) -> dict[str, int]:
    """count split by MIX, the remainders to the largest fractions."""
    exact = {kind: count * share for kind, share in MIX.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    for kind in sorted(exact, key=lambda kind: counts[kind] - exact[kind])[: count - sum(counts.values())]:
        counts[kind] += 1
    return counts


def make_class(folder: Path, count: int, rng: random.Random) -> list[Student]:
    """count submissions in folder, a sub-folder or a .py file per student, the kinds mixed as MIX says."""
    offered, drawn = sources(), []
    for kind, number in shares(count).items():
        pool_ = offered[kind][:]
        rng.shuffle(pool_)
        drawn += [pool_[index % len(pool_)] for index in range(number)]  # each source used before any is used again
    rng.shuffle(drawn)
    folder.mkdir(parents=True)
    width = max(3, len(str(count)))
    students = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-build-") as scratch_root:
        for number, source in enumerate(drawn, start=1):
            student = f"student{number:0{width}d}"
            scratch = Path(scratch_root) / student
            scratch.mkdir()
            made = source.make(scratch)
            if not made.is_file() and (made / "__pycache__").exists():
                shutil.rmtree(made / "__pycache__")
            path = folder / (f"{student}{made.suffix}" if made.is_file() else student)
            shutil.move(made, path)
            notebooks = source.notebooks and path.is_dir() and _exercise_files_only(path)
            students.append(Student(student, Source(source.kind, source.name, source.make, notebooks), path))
    return students


# ---------------------------------------------------------------------------------------------------- the batch


@dataclass
class BatchRun:
    """What grading the class in a batch measured (perf_counter times)."""

    start: float = 0.0
    snapshot: float = 0.0  # find_submissions: the class read and copied
    reference: float = 0.0  # the reference's answers, computed once
    launch: float = 0.0  # when they were ready: the workers are launched then
    arrivals: list[tuple[float, Graded]] = field(default_factory=list)
    unreadable: int = 0
    exports: float = 0.0
    exported: int = 0
    memory: list[dict[str, int]] = field(default_factory=list)  # MemorySampler.samples

    @property
    def last(self) -> float:
        return self.arrivals[-1][0] if self.arrivals else self.launch

    def first_grades(self, workers: int) -> list[float]:
        """When each of the workers launched at the start sent its first grade."""
        firsts: dict[str, float] = {}
        for arrival, graded in self.arrivals:
            if graded.worker and graded.worker not in firsts and len(firsts) < workers:
                firsts[graded.worker] = arrival
        return list(firsts.values())

    def steady(self, workers: int) -> tuple[int, float]:
        """Grades and seconds from the moment every worker had sent its first grade to the last grade."""
        since = max(self.first_grades(workers), default=self.last)
        return sum(arrival > since for arrival, _graded in self.arrivals), self.last - since


@contextmanager
def timing_reference(run: BatchRun) -> Iterator[None]:
    """The batch's reference answers (judge.computed_once, in this process), timed."""
    compute = judge.computed_once

    def timed_reference(*args: Any, **kwargs: Any) -> dict:
        answers, seconds = timed(lambda: compute(*args, **kwargs))
        run.reference, run.launch = run.reference + seconds, time.perf_counter()
        say(f"batch: the reference's answers in {seconds:.1f} s; starting the workers")
        return answers

    with mock.patch.object(judge, "computed_once", timed_reference):
        yield


class MemorySampler(threading.Thread):
    """Every SAMPLE_SECONDS, each process this one started (the batch's workers) with every process below it (its
    zygote's sandbox: bubblewrap, the zygote, the child grading): a sample of the resident set (KiB) of the worker
    alone ("worker"), of its tree ("tree"), and of the tree's proportional set ("pss": a page shared by several
    processes, as the zygote's torch is with each child it forks, counted once, split among them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[dict[str, int]] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            for worker in list(_tree(os.getpid()))[1:]:
                if Path(f"/proc/{worker}/status").exists() and _parent(worker) == os.getpid():
                    tree = list(_tree(worker))
                    self.samples.append(
                        {
                            "worker": _kib(worker, "status", "VmRSS:"),
                            "tree": sum(_kib(pid, "status", "VmRSS:") for pid in tree),
                            "pss": sum(_kib(pid, "smaps_rollup", "Pss:") for pid in tree),
                        }
                    )

    def stop(self) -> list[dict[str, int]]:
        self._done.set()
        self.join()
        return self.samples


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _kib(pid: int, file: str, key: str) -> int:
    """A KiB figure from /proc/PID/FILE (0 when the process is gone or hides it)."""
    try:
        lines = Path(f"/proc/{pid}/{file}").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith(key)), 0)


Engine = Callable[..., None]  # grade_all(jobs, *, seed, policy, done) of the local pool or of a Dask cluster


def grade_class(
    class_folder: Path, out: Path, *, jobs: int, seed: int, total: int, engine: Engine | None = None
) -> BatchRun:
    """Grade the class as `logreg-grade batch CLASS --out OUT --jobs J --seed S` does, then export; with engine (a Dask
    cluster's grade_all), on it, with no exports."""
    run, assignment = BatchRun(), policy.load(None)
    every = max(1, total // 10)

    def done(graded: Graded) -> None:
        job = graded.job
        if graded.result is None:
            book.record_ungraded(job.student, job.digest, graded.reason, seconds=graded.seconds, worker=graded.worker)
        else:
            book.record(job.student, job.digest, graded.result, seconds=graded.seconds, worker=graded.worker)
        run.arrivals.append((time.perf_counter(), graded))
        if len(run.arrivals) % every == 0:
            say(f"batch: {len(run.arrivals)}/{total} graded, {run.arrivals[-1][0] - run.start:.1f} s")

    with (
        Gradebook.open(out, assignment=assignment.name, seed=seed, regrade=True) as book,
        tempfile.TemporaryDirectory(prefix="bench-batch-snapshot-") as snapshot,
    ):
        run.start = time.perf_counter()
        found = inputs.find_submissions(class_folder, Path(snapshot))
        run.snapshot = time.perf_counter() - run.start
        for unreadable in found.unreadable:
            book.record_ungraded(unreadable.student, "", unreadable.reason, seconds=0.0, worker="")
        run.unreadable = len(found.unreadable)
        work = [Job(s.student, s.path, s.digest) for s in found.submissions]
        sampler = MemorySampler()
        sampler.start()
        with timing_reference(run):
            grade_all = engine or functools.partial(pool.grade_all, workers=jobs)
            grade_all(work, seed=book.seed, policy=assignment, done=done)
        run.memory = sampler.stop()
        if engine is not None:
            return run
        say(f"batch: graded in {run.last - run.start:.1f} s; exporting on {jobs} processes")
        written, run.exports = timed(lambda: exports.export(book, out, jobs=jobs))
        run.exported = len(written)
    return run


# ---------------------------------------------------------------------------------------------------- nbgrader


def solution_cells(module: str) -> list[str]:
    """The grade ids of a notebook's solution cells, in order."""
    notebook = lesson_notebooks.source_notebook(SOLUTIONS / f"{module}.py")
    return [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells if cell.metadata["nbgrader"]["solution"]]


def as_notebooks(folder: Path) -> dict[str, dict[str, str]]:
    """A student's exercise files as answers for hand_in: each file's code in its notebook's first solution cell."""
    answers = {}
    for file in sorted(folder.glob("*.py")):
        first, *others = solution_cells(file.stem)
        answers[file.stem] = {first: file.read_text(), **dict.fromkeys(others, "")}
    return answers


def nbgrader(root: Path, command: str, students: int = 0) -> tuple[float, int]:
    """Run `nbgrader COMMAND logreg` in root (its log in root/COMMAND.log); the seconds and the exit status."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    start, seen = time.perf_counter(), 0
    with open(root / f"{command}.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nbgrader", command, ASSIGNMENT], cwd=root, env=env, stdout=log, stderr=log
        )
        while process.poll() is None:
            time.sleep(1)
            done = len(list((root / "autograded").glob("*"))) if students else 0
            if done != seen:
                seen = done
                say(f"{root.name}: {done}/{students} students autograded, {time.perf_counter() - start:.0f} s")
    if process.returncode:
        say(f"{root.name}: nbgrader {command} ended with status {process.returncode}; see {root / command}.log")
    return time.perf_counter() - start, process.returncode


def courses(top: Path, students: list[Student], seed: int) -> tuple[Path, Path]:
    """The kit's course (logreg-grade nbgrader) with the students' notebooks handed in, and the same course with
    nbgrader's own autograde steps."""
    assignment, kit = top / "assignment.toml", top / "course-kit"
    assignment.write_text(f"[assignment]\nseed = {seed}\n")
    course.build(kit, assignment)
    nbgrader(kit, "generate_assignment")
    for student in students:
        hand_in(kit, student.id, as_notebooks(student.path))
    plain = Path(shutil.copytree(kit, top / "course-plain"))
    (plain / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(assignment=ASSIGNMENT))
    return kit, plain


def nbgrader_scores(root: Path, students: list[Student]) -> dict[str, float]:
    """Each student's score in a course's gradebook, in percent of the points possible."""
    from nbgrader.api import Gradebook as NbgraderGradebook

    with NbgraderGradebook(f"sqlite:///{root / 'gradebook.db'}") as book:
        found = [book.find_submission(ASSIGNMENT, student.id) for student in students]
        return {s.student.id: 100 * s.score / s.max_score if s.max_score else 0.0 for s in found}


@dataclass
class NbgraderRun:
    students: int
    kit: float  # seconds of `nbgrader autograde` on the kit's course
    plain: float  # and with nbgrader's own steps
    statuses: tuple[int, int]  # nbgrader autograde's exit status: the kit's course, plain
    kinds: dict[str, int]  # the students' kinds
    scores: dict[str, dict[str, float]]  # route -> student -> percent


def grade_notebooks(top: Path, students: list[Student], seed: int) -> NbgraderRun:
    say(f"nbgrader: building the courses and handing in {len(students)} students' notebooks")
    kit, plain = courses(top, students, seed)
    say("nbgrader: autograde on the kit's course (SandboxedChecks, one zygote)")
    kit_seconds, kit_status = nbgrader(kit, "autograde", len(students))
    say("nbgrader: autograde with nbgrader's own Execute (a kernel per notebook); expect 40-50 s a student")
    plain_seconds, plain_status = nbgrader(plain, "autograde", len(students))
    scores = {"kit's course": nbgrader_scores(kit, students), "plain nbgrader": nbgrader_scores(plain, students)}
    return NbgraderRun(
        students=len(students),
        kit=kit_seconds,
        plain=plain_seconds,
        statuses=(kit_status, plain_status),
        kinds=dict(Counter(student.source.kind for student in students)),
        scores=scores,
    )


def for_notebooks(students: list[Student], count: int) -> list[Student]:
    """count students the notebooks can carry, the kinds in the class's proportions (the first of each kind)."""
    carried = [student for student in students if student.source.notebooks]
    kinds = Counter(student.source.kind for student in carried)
    wanted, chosen = shares(count), []
    quota = {kind: min(kinds[kind], wanted[kind]) for kind in kinds}
    for student in carried:
        if quota[student.source.kind] > 0:
            quota[student.source.kind] -= 1
            chosen.append(student)
    for student in carried:  # where a kind fell short (hostile ones never come), more of the others
        if len(chosen) < count and student not in chosen:
            chosen.append(student)
    return sorted(chosen[:count], key=lambda student: student.id)


# ---------------------------------------------------------------------------------------------------- the report


def percent(result: Any) -> float:
    earned, possible = result.total
    return 100 * earned / possible if possible else 0.0


def mb(kib: float) -> float:
    return kib * 1024 / 1e6


def max_and_median(kib: list[int]) -> str:
    values = kib or [0]
    return f"{mb(max(values)):.0f} MB, {mb(statistics.median(values)):.0f} MB"


def met(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


def table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """A rich table: the first column left, the others right."""
    shown = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        shown.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        shown.add_row(*row)
    return shown


@dataclass
class Figures:
    """The batch's figures, from a BatchRun."""

    total: int
    wall: float  # start to last grade
    steady: tuple[int, float]  # grades and seconds once every worker has sent its first grade
    latencies: list[float]  # Graded.seconds, sorted
    peak_kib: int  # max Graded.peak_kib
    by_id: dict[str, Graded]

    @classmethod
    def of(cls, run: BatchRun, total: int, jobs: int) -> Figures:
        graded = [graded for _arrival, graded in run.arrivals]
        return cls(
            total=total,
            wall=run.last - run.start,
            steady=run.steady(jobs),
            latencies=sorted(graded.seconds for graded in graded if graded.worker),
            peak_kib=max((graded.peak_kib for graded in graded), default=0),
            by_id={graded.job.student: graded for graded in graded},
        )

    @property
    def per_student(self) -> float:
        return self.wall / self.total

    @property
    def steady_rate(self) -> float:
        count, seconds = self.steady
        return count / seconds if seconds > 0 else float("nan")

    def score(self, student: str) -> float:
        graded = self.by_id.get(student)
        return percent(graded.result) if graded is not None and graded.result is not None else 0.0

    def class_of(self, count: int) -> tuple[float, str]:
        """Seconds for a class of count, and how they were found."""
        if self.total >= count:
            return self.wall, f"measured on {self.total}"
        seconds = self.wall + (count - self.total) / self.steady_rate
        return (
            seconds,
            f"extrapolated: {self.wall:.0f} s for {self.total} + {count - self.total} at {self.steady_rate:.2f}/s",
        )


def mix_table(students: list[Student]) -> Table:
    kinds, rows = Counter(student.source.kind for student in students), []
    for kind in MIX:
        names = sorted({s.source.name for s in students if s.source.kind == kind})
        drawn = ", ".join(names) if kind in ("hostile", "broken") else f"{len(names)} sources"
        rows.append((kind, str(kinds[kind]), f"{100 * kinds[kind] / len(students):.0f} %", drawn))
    return table(f"The class: {len(students)} submissions", ("kind", "students", "share", "drawn from"), rows)


def batch_table(figures: Figures, run: BatchRun, jobs: int) -> Table:
    latencies, (steady_count, steady_seconds) = figures.latencies, figures.steady
    firsts = [arrival - run.launch for arrival in run.first_grades(jobs)]
    sampled = {key: max_and_median([sample[key] for sample in run.memory]) for key in ("worker", "tree", "pss")}
    rows = [
        ("wall clock, start to last grade", f"{figures.wall:.1f} s"),
        ("  submissions per second", f"{figures.total / figures.wall:.2f}"),
        ("  seconds per submission", f"{figures.per_student:.3f}"),
        (
            "submissions per second, once every worker has sent its first grade",
            f"{figures.steady_rate:.2f}  ({steady_count} in {steady_seconds:.1f} s)",
        ),
        ("latency per submission, median", f"{statistics.median(latencies):.2f} s"),
        ("latency per submission, p95", f"{statistics.quantiles(latencies, n=20)[18]:.2f} s"),
        ("latency per submission, max", f"{latencies[-1]:.2f} s"),
        (
            "peak resident memory of a worker, its sandbox's included (Graded.peak_kib)",
            f"{mb(figures.peak_kib):.0f} MB",
        ),
        ("  sampled (max, median): the worker process alone, resident", sampled["worker"]),
        ("  sampled (max, median): the worker and its sandbox, resident", sampled["tree"]),
        ("  sampled (max, median): the worker and its sandbox, proportional (PSS)", sampled["pss"]),
        ("start-up: reading and copying the class (find_submissions)", f"{run.snapshot:.2f} s"),
        ("start-up: the reference's answers, computed once", f"{run.reference:.2f} s"),
        (
            "start-up: workers launched to each one's first grade (first, last)",
            f"{min(firsts):.2f} s, {max(firsts):.2f} s",
        ),
        (f"exports ({run.exported} files, feedback pages on {jobs} processes)", f"{run.exports:.1f} s"),
        ("  exports per submission", f"{run.exports / figures.total:.3f} s"),
    ]
    return table(f"Batch: {figures.total} submissions, --jobs {jobs}", ("measurement", "value"), rows)


def kinds_table(figures: Figures, students: list[Student]) -> Table:
    rows = []
    for kind in MIX:
        results = [figures.by_id.get(s.id) for s in students if s.source.kind == kind]
        scored = [percent(g.result) for g in results if g is not None and g.result is not None]
        times = [g.seconds for g in results if g is not None and g.worker]
        rows.append(
            (
                kind,
                str(len(scored)),
                str(len(results) - len(scored)),
                f"{statistics.mean(scored):.0f} %" if scored else "-",
                f"{statistics.median(times):.2f}" if times else "-",
                f"{max(times):.2f}" if times else "-",
            )
        )
    return table("By kind", ("kind", "graded", "not graded", "mean score", "median s", "max s"), rows)


def routes_table(figures: Figures, notebooks: NbgraderRun, jobs: int) -> Table:
    kit_status, plain_status = notebooks.statuses
    these = notebooks.scores["kit's course"]  # the students graded as notebooks
    routes = [
        (
            "plain nbgrader autograde (Execute, a kernel and a sandbox per notebook)",
            notebooks.plain,
            "plain nbgrader",
            plain_status,
        ),
        ("kit's nbgrader course (SandboxedChecks, one zygote)", notebooks.kit, "kit's course", kit_status),
    ]
    rows = [
        (
            route,
            f"{wall:.0f}",
            f"{wall / notebooks.students:.2f}",
            f"{notebooks.students / wall:.3f}",
            f"{statistics.mean(notebooks.scores[scores].values()):.0f} %",
            str(status),
        )
        for route, wall, scores, status in routes
    ]
    rows.append(
        (
            f"batch, --jobs {jobs} (wall / {figures.total})",
            f"{figures.wall:.0f}",
            f"{figures.per_student:.3f}",
            f"{1 / figures.per_student:.2f}",
            f"{statistics.mean(figures.score(student) for student in these):.0f} %",
            "",
        )
    )
    mix = ", ".join(f"{count} {kind}" for kind, count in notebooks.kinds.items())
    return table(
        f"Seconds per student: {notebooks.students} students as notebooks ({mix}), the batch as .py files",
        ("route", "wall s", "s / student", "students / s", "mean score (these students)", "exit status"),
        rows,
    )


def targets_table(figures: Figures, notebooks: NbgraderRun | None) -> Table:
    class_seconds, how = figures.class_of(CLASS_OF)
    worker_mb = mb(figures.peak_kib)
    rows = []
    if notebooks is not None:
        plain = notebooks.plain / notebooks.students / figures.per_student
        rows.append(
            (
                f">= {TIMES_PLAIN_NBGRADER}x plain nbgrader's throughput",
                f"{plain:.1f}x",
                met(plain >= TIMES_PLAIN_NBGRADER),
            )
        )
    rows.append(
        (
            f"{CLASS_OF:,} submissions in under {CLASS_SECONDS // 60} minutes",
            f"{class_seconds:.0f} s ({how})",
            met(class_seconds < CLASS_SECONDS),
        )
    )
    rows.append((f"under {WORKER_MB} MB resident per worker", f"{worker_mb:.0f} MB", met(worker_mb < WORKER_MB)))
    if notebooks is not None:
        kit = notebooks.kit / notebooks.students / figures.per_student
        rows.append(
            (
                f"kit's nbgrader course within {KIT_COURSE_TIMES}x of the batch per student",
                f"{kit:.1f}x",
                met(kit <= KIT_COURSE_TIMES),
            )
        )
    return table("Targets (issue 16, 2-core machine)", ("target", "measured", "verdict"), rows)


def report(console: Console, students: list[Student], run: BatchRun, jobs: int, notebooks: NbgraderRun | None) -> None:
    figures = Figures.of(run, len(students), jobs)
    console.print(mix_table(students))
    console.print(batch_table(figures, run, jobs))
    console.print(kinds_table(figures, students))
    if notebooks is not None:
        console.print(routes_table(figures, notebooks, jobs))
    console.print(targets_table(figures, notebooks))


def grade_on_dask(top: Path, args: argparse.Namespace, total: int) -> tuple[Figures, int]:
    """The same class graded on the Dask cluster --workers or --scheduler names: its figures, and its workers."""
    from autograder.frontends.instructor.batch import cluster

    with cluster.connected(args.scheduler, args.workers) as client:
        workers = len(client.scheduler_info()["workers"])
        say(f"dask: {workers} workers")
        run = grade_class(
            top / "class",
            top / "results-dask",
            jobs=workers,
            seed=args.seed,
            total=total,
            engine=functools.partial(cluster.grade_all, client=client),
        )
    return Figures.of(run, total, workers), workers


def dask_table(local: Figures, dask: Figures, workers: int) -> Table:
    """The local pool and the Dask cluster side by side, and Dask's overhead per submission."""
    overhead = workers / dask.steady_rate - workers / local.steady_rate  # each worker's extra seconds a submission
    rows = [
        ("wall clock, start to last grade", f"{local.wall:.1f} s", f"{dask.wall:.1f} s"),
        ("submissions per second, from the start", f"{local.total / local.wall:.2f}", f"{dask.total / dask.wall:.2f}"),
        ("submissions per second, every worker started", f"{local.steady_rate:.2f}", f"{dask.steady_rate:.2f}"),
        (
            "latency per submission, median (on the worker)",
            f"{statistics.median(local.latencies):.2f} s",
            f"{statistics.median(dask.latencies):.2f} s",
        ),
        ("Dask's overhead per submission, per worker (steady rates)", "", f"{overhead * 1000:.0f} ms"),
    ]
    return table(f"Local pool and Dask ({workers} workers)", ("figure", "local pool", "Dask"), rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="submissions in the class (default 200)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="batch workers (default: the cores)")
    parser.add_argument("--seed", type=int, default=0, help="draws the class, and seeds the grading (default 0)")
    parser.add_argument(
        "--nbgrader-count", type=int, default=20, help="students graded as notebooks through nbgrader (default 20)"
    )
    parser.add_argument("--no-nbgrader", action="store_true", help="the batch only")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the class, the results and the courses in DIR")
    dask = parser.add_mutually_exclusive_group()
    dask.add_argument("--workers", metavar="local:N", help="also grade the class on a LocalCluster of N Dask workers")
    dask.add_argument("--scheduler", metavar="ADDRESS", help="also grade the class on the Dask cluster at ADDRESS")
    args = parser.parse_args()
    i18n.use("en")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"{args.keep} is not empty")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as scratch:
        top = args.keep or Path(scratch)
        students = make_class(top / "class", args.count, random.Random(args.seed))
        say(f"{len(students)} submissions in {top / 'class'}")
        run = grade_class(top / "class", top / "results", jobs=args.jobs, seed=args.seed, total=len(students))
        on_dask = None
        if args.workers or args.scheduler:
            on_dask = grade_on_dask(top, args, len(students))
        notebooks = None
        if not args.no_nbgrader and args.nbgrader_count > 0:
            notebooks = grade_notebooks(top, for_notebooks(students, args.nbgrader_count), args.seed)
        console = Console(width=None if sys.stdout.isatty() else 140)
        console.print(f"{os.cpu_count()} cores; load average before the report {os.getloadavg()[0]:.2f}")
        report(console, students, run, args.jobs, notebooks)
        if on_dask is not None:
            console.print(dask_table(Figures.of(run, len(students), args.jobs), *on_dask))
        if args.keep:
            console.print(
                f"kept in {args.keep}: class/, results/" + (", course-kit/, course-plain/" if notebooks else "")
            )


if __name__ == "__main__":
    main()
