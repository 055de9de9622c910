"""The trusted side of a submission's child: it sends probe requests and reads the answers, each with a deadline.

The child (autograder/sandboxed/child.py) is the only place student code runs. The trusted process
sends one request at a time and waits for the answer with a deadline. Only plain data (JSON with
base64 arrays, see sandboxed/wire.py) comes back, and only the answer echoing the request's nonce
counts. A hang, crash or exit in the child costs only the call that caused it: the child is killed
and a fresh one, forked by the zygote (zygote.py) in the sandbox (bubblewrap.py), serves the next request.
"""

from __future__ import annotations

import contextlib
import os
import resource
import secrets
import signal
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from autograder.i18n.messages import MessageError, Value, from_plain, joined, message, say
from autograder.sandbox import bubblewrap
from autograder.sandbox.channel import Child, ChildDied
from autograder.sandbox.zygote import START_DEADLINE_S, Zygote, ZygoteError
from autograder.sandboxed import answers, wire
from autograder.sandboxed.messages import SAID, SKIP_ENDED, SKIP_FOREIGN, SKIP_SLOW, as_message, named_file
from autograder.submission.loader import Layout

IMPORT_DEADLINE_S = 20.0  # importing one student module
MEMORY_LIMIT_BYTES = 6 * 1024**3
FILE_LIMIT_BYTES = 64 * 1024**2  # the child's output log and any file it writes
SPARE_RESTARTS = 2  # beyond one per graded name and one per module: each can end the child once, then it is given up
LOG_TAIL_CHARS = 600
MAX_NOTES = 30  # findings the child may report about loading the submission
MAX_NOTE_CHARS = 400
OPEN_FILES = 256  # file descriptors the child may hold
CPU_SECONDS = 600  # processor time of one child, all its calls together


class RunnerError(RuntimeError):
    """The child process could not be started at all; said tells why."""

    def __init__(self, said: Value):
        self.said = said
        super().__init__(say(said))


@dataclass(frozen=True)
class Failure(answers.Raised):
    """The runner's own failure in place of the child's answer (Timeout, ProcessDied, ...): said tells what."""

    said: Value = ""


def said(data: Any) -> Value | None:
    """A message the child sent as data (see as_message()); None unless it is one of SAID with fitting values."""
    try:
        found = from_plain(data, SAID.__contains__)
        say(found)  # its values fit its placeholders
    except (MessageError, KeyError, IndexError, ValueError):
        return None
    return found if not isinstance(found, str | int | float) else None


def limit_resources() -> None:
    """Runs in the child before exec: cap memory and file sizes, no core dumps."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT_BYTES, FILE_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing


def serving_zygote() -> Zygote | None:
    """A zygote to serve many submissions in turn, each child limited by limit_resources; None where none starts
    (each grading then starts its own)."""
    try:
        return Zygote(None, limit_resources)
    except (ZygoteError, OSError):
        return None


class Runner:
    """Runs probes on one submission in a child process, each call with a deadline."""

    def __init__(
        self,
        layout: Layout,
        stand_in_modules: dict[str, list[str]],
        exercise_modules: Iterable[str] = (),
        zygote: Zygote | None = None,
    ):
        """zygote: one already started, for this submission's folder or for many; its owner closes it."""
        self._layout = layout
        self._stand_in_modules = stand_in_modules
        # modules the course's files import from each other: when missing, never given a do-nothing stand-in
        self._exercise_modules = sorted({*exercise_modules, *layout.wanted.values(), *stand_in_modules})
        self._skip: dict[str, dict] = {}  # module -> why it is not imported, as as_message() data
        self._load_problems: dict[str, Value] = {}  # name -> why the child could not load it
        self._zygote = zygote  # imports torch once, forks each child
        self._own_zygote = False  # whether this runner started it, and so closes it
        self._root_seen = zygote.admit(layout.root) if zygote is not None else ""  # the submission as the child sees it
        self._child: Child | None = None
        self._broken: Value | None = None  # why the child cannot start at all
        self._ready = False  # the child has loaded the submission and awaits requests
        self._scratch = tempfile.TemporaryDirectory(prefix="logreg-grade-")
        # each child's output, in one file open for the runner's whole life: close() closes it
        self._log: BinaryIO = open(Path(self._scratch.name) / "child-output.log", "w+b")  # noqa: SIM115
        self.restarts = 0
        self.notes: list[Value] = []  # what the child said about loading the submission (stubbed imports, ...)
        self.isolation: Value = bubblewrap.isolation().description  # completed by what the child itself put in force
        self._nonce = ""  # echoed by the current child's loading messages
        # Children that keep dying in one exercise never use up another exercise's restarts.
        self._max_restarts = len(layout.wanted or layout.where) + len(layout.modules) + SPARE_RESTARTS

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child and the zygote, and remove the scratch folder."""
        self._stop()
        if self._zygote is not None and self._own_zygote:
            self._zygote.close()
        self._log.close()
        self._scratch.cleanup()

    def problem(self, name: str) -> Value | None:
        """Why the child has no usable `name`, or None; starts the child if needed."""
        self._ensure_started()
        return self._load_problems.get(name)

    def run(self, probe: str, args: dict, deadline_s: float) -> answers.Result:
        """The answer to one probe on the submission, or the runner's failure as its error.

        Each request carries a fresh nonce, and only the answer that echoes it counts: lines the
        submission writes on the channel are skipped, so they cannot shift answers between calls.
        """
        child = self._ensure_started()
        nonce = secrets.token_hex(16)
        try:
            child.send({"probe": probe, "args": args, "nonce": nonce})
            answer = child.receive(deadline_s, lambda message: message.get("nonce") == nonce)
        except ChildDied:
            code = self._stop()
            return _failure(
                "ProcessDied",
                joined(
                    message("the submission ended the grading process ({reason})", reason=_exit_reason(code)),
                    self._output_tail(),
                ),
            )
        except wire.WireError as error:
            self._stop()
            return _failure(
                "BadAnswer",
                message("the grading process sent back something that is not plain data: {error}", error=str(error)),
            )
        if answer is None:
            self._stop()
            return _failure(
                "Timeout",
                message(
                    "no answer within {seconds} s: an endless loop, or far more work than asked?",
                    seconds=format(deadline_s, "g"),
                ),
            )
        if isinstance(answer.get("unsendable"), str):  # the result was not plain data: the child says why
            return _failure(
                "BadResult",
                message(
                    "the result could not be sent back as plain data: {error}",
                    error=answer["unsendable"][:MAX_NOTE_CHARS],
                ),
            )
        try:
            return answers.decode_result(answer.get("result"))
        except answers.AnswerError as error:  # not an answer of the declared shape: the child is not trusted again
            self._stop()
            return _failure(
                "BadAnswer",
                message("the grading process sent back something that is not a result: {error}", error=str(error)),
            )

    def restart(self) -> None:
        """Stop the child: the next request is served by a fresh one, forked by the zygote."""
        self._stop()

    def start(self) -> None:
        """Start the zygote now, so that it imports torch while this process works."""
        if self._zygote is None and self._broken is None:
            self._new_zygote()

    def _new_zygote(self) -> Zygote:
        """Start a zygote of this runner's own, for its submission's folder; the one started."""
        zygote = Zygote(self._layout.root, limit_resources)
        self._zygote, self._own_zygote = zygote, True
        self._root_seen = zygote.admit(self._layout.root)
        return zygote

    def _fork(self) -> Child:
        """A fresh child from the zygote; a zygote that died (or never started) is started again, once."""
        try:
            return self._fork_once()
        except ZygoteError:
            self._drop_zygote()
        try:
            return self._fork_once()
        except ZygoteError as error:
            self._drop_zygote()
            raise RunnerError(
                joined(
                    message("the grading process failed to start ({reason})", reason=str(error)), self._output_tail()
                )
            ) from None

    def _fork_once(self) -> Child:
        """A child forked by the current zygote (started first if there is none, or it died), with its two pipes."""
        zygote = self._zygote
        if zygote is None or not zygote.alive:
            self._drop_zygote()
            zygote = self._new_zygote()
        requests, answers = os.pipe(), os.pipe()
        try:
            pid = zygote.fork(requests[0], answers[1], self._log.fileno())
        except ZygoteError:
            os.close(requests[1])
            os.close(answers[0])
            raise
        finally:
            os.close(requests[0])  # the zygote holds its own copies now, or the fork failed
            os.close(answers[1])
        return Child(pid, os.fdopen(requests[1], "wb"), os.fdopen(answers[0], "rb"))

    def _ensure_started(self) -> Child:
        """The child, ready for requests: a fresh one is started, and loads the submission, when there is none."""
        while not self._ready:
            if self._broken is None and self.restarts > self._max_restarts:
                self._broken = message(
                    "the grading process was restarted {count} times; giving up", count=self._max_restarts
                )
            if self._broken is not None:
                raise RunnerError(self._broken)
            try:
                self._await_ready(self._spawn() if self._child is None else self._child)
            except RunnerError as error:
                self._broken = error.said
                raise
        assert self._child is not None, "a ready child is running: _stop() forgets both at once"
        return self._child

    def _spawn(self) -> Child:
        """A fresh child, sent what it needs to load the submission."""
        self._log.seek(0)
        self._log.truncate()
        self._child = child = self._fork()
        self.restarts += 1
        self._nonce = secrets.token_hex(16)  # the child's loading messages echo it
        with contextlib.suppress(ChildDied):  # _await_ready reads the end of the pipe and says why
            child.send(
                {
                    "nonce": self._nonce,
                    "root": self._root_seen,
                    "names": self._layout.where,
                    "skip": self._skip,
                    "stand_in_modules": self._stand_in_modules,
                    "own": sorted(self._layout.own),
                    "exercise_modules": self._exercise_modules,
                },
            )
        return child

    def _await_ready(self, child: Child) -> None:
        """Wait for the child's ready message; skip a module whose import hangs or kills it."""
        importing: str | None = None
        try:
            deadline = START_DEADLINE_S
            while True:
                received = child.receive(deadline, lambda sent: sent.get("nonce") == self._nonce)
                if received is None:
                    break
                if isinstance(received.get("ready"), dict):
                    self._load_problems = {
                        str(name): said(why) or str(why)[:MAX_NOTE_CHARS] for name, why in received["ready"].items()
                    }
                    self._keep_notes(received.get("notes"))
                    self._keep_confinement(received.get("confinement"))
                    self._ready = True
                    return
                if received.get("importing") not in self._layout.modules:
                    raise wire.WireError("an unexpected message while loading the submission")
                importing = received["importing"]
                deadline = IMPORT_DEADLINE_S
        except wire.WireError as error:  # something wrote on the grader's channel: the submission, or a broken child
            self._stop()
            if importing is None:
                raise RunnerError(
                    message(
                        "the grading process sent something that is not the grader's while loading ({error})",
                        error=str(error),
                    )
                ) from None
            self._skip[importing] = as_message(SKIP_FOREIGN, file=named_file(f"{importing}.py"), error=str(error))
            return
        except ChildDied:
            code = self._stop()
            if importing is None:
                raise RunnerError(
                    joined(
                        message("the grading process failed to start ({reason})", reason=_exit_reason(code)),
                        self._output_tail(),
                    )
                ) from None
            self._skip[importing] = as_message(
                SKIP_ENDED, file=named_file(f"{importing}.py"), reason=_exit_reason(code)
            )
            return
        self._stop()
        if importing is None:
            raise RunnerError(
                message("the grading process did not start within {seconds} s", seconds=format(START_DEADLINE_S, "g"))
            )
        self._skip[importing] = as_message(
            SKIP_SLOW, file=named_file(f"{importing}.py"), seconds=f"{IMPORT_DEADLINE_S:g}"
        )

    def _keep_confinement(self, said: Any) -> None:
        """Add what the child put in force on itself (its seccomp filter) to the isolation, once."""
        kept = message(said[:200]) if isinstance(said, str) else None  # its own words, translated where known
        if kept is not None and kept != self.isolation and kept not in getattr(self.isolation, "parts", ()):
            self.isolation = joined(self.isolation, kept, separator="; ")

    def _keep_notes(self, notes: Any) -> None:
        """Add the child's findings about loading the submission: messages it may send, each once, a bounded number."""
        for note in map(said, notes if isinstance(notes, list) else []):
            if note is not None and note not in self.notes and len(self.notes) < MAX_NOTES:
                self.notes.append(note)

    def _stop(self) -> int | None:
        """Kill the child with all it started; how it ended (negative: by a signal), None if unknown."""
        child, self._child, self._ready = self._child, None, False
        if child is None:
            return None
        for stream in (child.stdin, child.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        assert self._zygote is not None, "the zygote that forked a child is dropped only once no child is left"
        try:
            return self._zygote.reap(child.pid)
        except ZygoteError:  # the zygote died too (one is started again for the next child)
            self._drop_zygote()
            return None

    def _drop_zygote(self) -> None:
        """Forget a zygote that died or stopped answering; close it if it is this runner's own."""
        if self._zygote is not None and self._own_zygote:
            self._zygote.close()
        self._zygote, self._own_zygote = None, False

    def _output_tail(self) -> Value:
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - LOG_TAIL_CHARS))
        tail = self._log.read().decode(errors="replace").strip()
        return message("; its last output: ...{output}", output=tail) if tail else ""


def _failure(kind: str, said: Value) -> answers.Result:
    """The answer the runner gives for a call the child did not answer: kind is one of judge.RUNNER_FAILURES."""
    return answers.Result(error=Failure(kind, say(said), said=said))


def _exit_reason(code: int | None) -> Value:
    if code is not None and code < 0:
        return message("killed by signal {signal}", signal=signal.Signals(-code).name)
    return message("exit code {code}", code=str(code))
