"""What grades a batch's submissions on one worker, whatever runs the workers (the local pool, or Dask): a sandboxed
zygote kept for the worker's life, a fresh child per submission, and the reference's answers computed once for the
batch and handed over with its setup."""

from __future__ import annotations

import os
import resource
import socket
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from autograder import i18n
from autograder.grading import curves, judge
from autograder.grading.grade import grade
from autograder.grading.outcomes import SubmissionResult
from autograder.grading.policy import Policy
from autograder.i18n import N_, _
from autograder.lesson import EXERCISES
from autograder.sandbox.runner import serving_zygote
from autograder.sandbox.zygote import Zygote
from autograder.submission.loader import SubmissionError

CANNOT_GRADE = N_("cannot be graded: {reason}")
GRADER_FAILED = N_("the grader failed on this submission: {error}")


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
class Setup:
    """What every worker of a batch is given before its first job."""

    seed: int
    policy: Policy
    language: str
    trusted: dict  # the reference's answers, computed once (judge.computed_once)


def setup(seed: int, policy: Policy) -> Setup:
    """The batch's setup, with the reference's and the known mistakes' answers for every check and plot at seed."""
    checks = [check for exercise in EXERCISES for check in exercise.checks]
    trusted = judge.computed_once(checks, seed, [curves.SIGMOID, curves.TRAINING])
    return Setup(seed, policy, i18n.current(), trusted)


class Grader:
    """One worker's grading: the batch's setup taken once, then one job after another on one zygote."""

    def __init__(self, given: Setup, name: str = ""):
        self.setup, self.name = given, name or f"{socket.gethostname()}/{os.getpid()}"
        i18n.use(given.language)
        judge.adopt(given.trusted)
        self._zygote: Zygote | None = None

    def grade(self, job: Job) -> Graded:
        """The job's grade, or why it has none; a zygote that has ended is replaced first."""
        if self._zygote is None or not self._zygote.alive:
            self._zygote = serving_zygote()
        started = time.perf_counter()
        try:
            result = grade(job.path, seed=self.setup.seed, policy=self.setup.policy, zygote=self._zygote, batch=True)
            reason = ""
        except SubmissionError as error:
            result, reason = None, _(CANNOT_GRADE).format(reason=error)
        except Exception as error:  # the grader's own failure: this submission gets the reason, the batch goes on
            result, reason = None, _(GRADER_FAILED).format(error=traceback.format_exception_only(error)[-1].strip())
        return Graded(job, result, reason, time.perf_counter() - started, self.name, self._peak_kib())

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()

    def _peak_kib(self) -> int:
        """This worker's peak resident memory and its zygote's (its sandbox's processes), in KiB."""
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        zygote = self._zygote
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
