"""Grade many submissions in parallel: worker processes, each with its own sandboxed zygote serving submission after
submission, a fresh child for each.

The parent hands each worker one submission at a time and learns from it only the graded result (trusted data: the
worker is the kit's own process; the student's code runs in the zygote's children). The reference's answers are
computed once, in the parent, and given to every worker. A worker that dies (killed, or out of memory) costs nothing
but a restart: its submission is graded again by a fresh worker, and given 0 points with the reason when it ended its
worker twice.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import socket
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from autograder import i18n
from autograder.grading import curves, judge
from autograder.grading.grade import grade
from autograder.grading.outcomes import SubmissionResult
from autograder.grading.policy import Policy
from autograder.i18n import N_, _
from autograder.lesson import EXERCISES
from autograder.sandbox.runner import limit_resources
from autograder.sandbox.zygote import Zygote, ZygoteError
from autograder.submission.loader import SubmissionError

ATTEMPTS = 2  # a submission that ends its worker this many times is given 0 points with the reason
ENDED_WORKER = N_(
    "grading this submission ended its grading process {count} times ({reason}); it is given 0 points: "
    "grade it alone with logreg-grade to see why"
)
WORKER_ENDED = N_(
    "a grading worker ended as it started (exit status {code}): run logreg-grade on one submission to see why"
)
CANNOT_GRADE = N_("cannot be graded: {reason}")
GRADER_FAILED = N_("the grader failed on this submission: {error}")


class PoolError(Exception):
    """The workers cannot grade at all (they end as they start); str() says so in one line."""


@dataclass(frozen=True)
class Job:
    """One submission to grade."""

    student: str
    path: Path
    digest: str


@dataclass(frozen=True)
class Graded:
    """What a worker sends back for a job: the result, or the reason it could not be graded."""

    job: Job
    result: SubmissionResult | None
    reason: str
    seconds: float
    worker: str
    peak_kib: int  # the worker's peak resident memory, its zygote's included


@dataclass(frozen=True)
class _Setup:
    """What every worker is started with."""

    seed: int
    policy: Policy
    language: str
    trusted: dict  # the reference's answers, computed once (judge.computed_once)


def reference_answers(seed: int) -> dict:
    """The reference's and the known mistakes' answers for every check and plot at seed."""
    return judge.computed_once(
        [check for exercise in EXERCISES for check in exercise.checks], seed, [curves.SIGMOID, curves.TRAINING]
    )


def grade_all(
    jobs: list[Job],
    *,
    workers: int,
    seed: int,
    policy: Policy,
    done: Callable[[Graded], None],
    started: Callable[[int], None] = lambda count: None,
) -> None:
    """Grade every job on up to `workers` processes; done is called in this process as each one finishes.

    started is told how many workers run. KeyboardInterrupt stops the workers (and their sandboxes) and is raised again.
    """
    if not jobs:
        return
    setup = _Setup(seed, policy, i18n.current(), reference_answers(seed))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this process's threads or state
    queue, attempts = list(reversed(jobs)), dict.fromkeys((job.student for job in jobs), 0)
    running: dict[Connection, tuple[BaseProcess, Job | None]] = {}

    def launch() -> None:
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        try:  # on the pipe, not in the start's arguments: a worker that ends at once is then an error, not a hang
            ours.send(setup)
        except OSError:
            process.join()
            raise PoolError(_(WORKER_ENDED).format(code=process.exitcode)) from None
        running[ours] = (process, None)
        hand_out(ours)

    def hand_out(connection: Connection) -> None:
        process, _job = running[connection]
        if queue:
            job = queue.pop()
            running[connection] = (process, job)
            connection.send(job)
        else:
            connection.send(None)
            running.pop(connection)
            connection.close()
            process.join()

    try:
        for _ in range(min(workers, len(jobs))):
            launch()
        started(len(running))
        while running:
            by_sentinel = {process.sentinel: connection for connection, (process, _job) in running.items()}
            for ready in wait([*running, *by_sentinel]):
                connection = by_sentinel[ready] if isinstance(ready, int) else ready
                assert isinstance(connection, Connection)
                if connection not in running:
                    continue
                process, job = running[connection]
                try:
                    graded = connection.recv()
                except (EOFError, OSError):  # the worker died with job in hand
                    running.pop(connection)
                    process.join()
                    if job is not None:
                        _retry_or_give_up(job, process.exitcode, attempts, queue, done)
                    if queue:
                        launch()
                    continue
                done(graded)
                hand_out(connection)
    finally:
        for connection, (process, _job) in running.items():
            process.kill()  # the zygote's sandbox dies with it (bubblewrap's --die-with-parent)
            process.join()
            connection.close()


def _retry_or_give_up(
    job: Job, exitcode: int | None, attempts: dict[str, int], queue: list[Job], done: Callable[[Graded], None]
) -> None:
    attempts[job.student] += 1
    if attempts[job.student] < ATTEMPTS:
        queue.append(job)
        return
    how = _("killed by signal {number}").format(number=-exitcode) if exitcode and exitcode < 0 else str(exitcode)
    reason = _(ENDED_WORKER).format(count=attempts[job.student], reason=how)
    done(Graded(job, None, reason, 0.0, "", 0))


def _work(connection: Connection) -> None:
    """A worker: take the batch's setup, then grade each job the parent sends, on one zygote, until it sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    setup = connection.recv()
    i18n.use(setup.language)
    judge.adopt(setup.trusted)
    name = f"{socket.gethostname()}/{os.getpid()}"
    zygote: Zygote | None = None
    try:
        while (job := connection.recv()) is not None:
            if zygote is None or not zygote.alive:
                zygote = _zygote()
            connection.send(_grade(job, setup, zygote, name))
    finally:
        if zygote is not None:
            zygote.close()


def _zygote() -> Zygote | None:
    """A fresh zygote for the submissions to come; None when none starts (grade() then starts one per submission)."""
    try:
        return Zygote(None, limit_resources)
    except (ZygoteError, OSError):
        return None


def _grade(job: Job, setup: _Setup, zygote: Zygote | None, worker: str) -> Graded:
    started = time.perf_counter()
    try:
        result, reason = grade(job.path, seed=setup.seed, policy=setup.policy, zygote=zygote, batch=True), ""
    except SubmissionError as error:
        result, reason = None, _(CANNOT_GRADE).format(reason=error)
    except Exception as error:  # the grader's own failure: this submission gets the reason, the batch goes on
        result, reason = None, _(GRADER_FAILED).format(error=traceback.format_exception_only(error)[-1].strip())
    return Graded(job, result, reason, time.perf_counter() - started, worker, _peak_kib(zygote))


def _peak_kib(zygote: Zygote | None) -> int:
    """This worker's peak resident memory and its zygote's (its sandbox's processes), in KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own + (sum(_high_water(pid) for pid in _tree(zygote.process.pid)) if zygote is not None else 0)


def _tree(pid: int) -> Iterator[int]:
    """pid and every process below it."""
    yield pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for child in children:
        yield from _tree(int(child))


def _high_water(pid: int) -> int:
    """A process's peak resident memory in KiB (VmHWM), 0 when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), 0)
