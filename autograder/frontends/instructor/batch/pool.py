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
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from autograder.frontends.instructor.batch.worker import Graded, Grader, Job, Setup, setup
from autograder.grading.policy import Policy
from autograder.i18n import N_, _

ATTEMPTS = 2  # a submission that ends its worker this many times is given 0 points with the reason
ENDED_WORKER = N_(
    "grading this submission ended its grading process {count} times ({reason}); it is given 0 points: "
    "grade it alone with logreg-grade to see why"
)
WORKER_ENDED = N_(
    "a grading worker ended as it started (exit status {code}): run logreg-grade on one submission to see why"
)


class PoolError(Exception):
    """The workers cannot grade at all (they end as they start); str() says so in one line."""


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
    workers_of = _Workers(jobs, done)
    try:
        first = [workers_of.start() for _ in range(min(workers, len(jobs)))]
        given = setup(seed, policy)  # the reference's answers, computed while the workers import the kit
        for ours, process in first:
            workers_of.welcome(ours, process, given)
        started(len(workers_of.running))
        workers_of.serve(given)
    finally:
        workers_of.stop()


class _Workers:
    """The pool's worker processes, each with the job it holds, and the jobs still to hand out."""

    def __init__(self, jobs: list[Job], done: Callable[[Graded], None]):
        self.context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of this one's threads
        self.queue, self.done = list(reversed(jobs)), done
        self.attempts = dict.fromkeys((job.student for job in jobs), 0)
        self.running: dict[Connection, tuple[BaseProcess, Job | None]] = {}
        self.starting: list[tuple[Connection, BaseProcess]] = []

    def start(self) -> tuple[Connection, BaseProcess]:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_work, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        self.starting.append((ours, process))
        return ours, process

    def welcome(self, ours: Connection, process: BaseProcess, given: Setup) -> None:
        """Hand a started worker the setup (on the pipe, not in spawn's arguments: a worker that ends at once is then
        an error, not a hang), then its first job."""
        self.starting.remove((ours, process))
        try:
            ours.send(given)
        except OSError:
            process.join()
            raise PoolError(_(WORKER_ENDED).format(code=process.exitcode)) from None
        self.running[ours] = (process, None)
        self.hand_out(ours)

    def hand_out(self, connection: Connection) -> None:
        """The worker's next job, or None (it ends) when none is left."""
        process, _job = self.running[connection]
        if self.queue:
            job = self.queue.pop()
            self.running[connection] = (process, job)
            connection.send(job)
        else:
            connection.send(None)
            self.running.pop(connection)
            connection.close()
            process.join()

    def serve(self, given: Setup) -> None:
        """Take each grade as it comes and hand out the next job, until every worker has ended."""
        while self.running:
            by_sentinel = {process.sentinel: connection for connection, (process, _job) in self.running.items()}
            for ready in wait([*self.running, *by_sentinel]):
                connection = by_sentinel[ready] if isinstance(ready, int) else ready
                assert isinstance(connection, Connection)
                if connection not in self.running:
                    continue
                try:
                    graded = connection.recv()
                except (EOFError, OSError):  # the worker died with its job in hand
                    self.lost(connection, given)
                    continue
                self.done(graded)
                self.hand_out(connection)

    def lost(self, connection: Connection, given: Setup) -> None:
        """A worker died: its job goes back to the queue (or gets its reason), and a fresh worker takes over."""
        process, job = self.running.pop(connection)
        process.join()
        if job is not None:
            _retry_or_give_up(job, process.exitcode, self.attempts, self.queue, self.done)
        if self.queue:
            self.welcome(*self.start(), given)

    def stop(self) -> None:
        """Kill every worker still running (their zygotes' sandboxes die with them: bubblewrap's --die-with-parent)."""
        left = [*self.starting, *((connection, process) for connection, (process, _job) in self.running.items())]
        for connection, process in left:
            process.kill()
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
    """A worker: take the batch's setup, then grade each job the parent sends until it sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    grader = Grader(connection.recv())
    try:
        while (job := connection.recv()) is not None:
            connection.send(grader.grade(job))
    finally:
        grader.close()
