"""The trusted side's handle on the zygote: the process in the sandbox that imports torch once and forks each child.

It talks to the zygote (autograder/sandboxed/zygote.py) over a Unix socket: "fork" passes the child's
three descriptors (requests, answers, log) with SCM_RIGHTS and gets its pid back; "reap" kills the
child with all it started and returns how it ended. Submissions are admitted here, as copies.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from autograder.sandbox import bubblewrap
from autograder.sandboxed.zygote import MAX_CONTROL_BYTES

LOG_TAIL_BYTES = 600
START_DEADLINE_S = 120.0  # starting Python and importing torch, on a busy machine


class ZygoteError(RuntimeError):
    """The zygote could not be started, or stopped answering."""


class Zygote:
    """The trusted side's handle on a zygote process in the sandbox, with the folders the sandbox shows it."""

    def __init__(self, submission: Path | None, limits: Callable[[], None]):
        """Start a zygote for one submission folder, shown to it read-only, or for many (None), each admitted in turn.

        limits runs in the new process before it execs.
        """
        self._folder = tempfile.TemporaryDirectory(prefix="logreg-zygote-")
        self._work = work = Path(self._folder.name) / "work"  # the children's scratch folders are made in here
        work.mkdir()
        grader = bubblewrap.copy_child_package(Path(self._folder.name) / "grader")
        user = bubblewrap.unprivileged_user()
        if user is not None:  # the zygote will drop to that user: it reaches its folders, and each submission as a copy
            submission = None
            _open_to(user, Path(self._folder.name), work, grader)
        line, environment, self.submission, self._work_seen = bubblewrap.command(
            [sys.executable, "-s", "-m", "autograder.sandboxed.zygote"],
            submission=submission,
            scratch=work,
            grader=grader,
        )
        self.root = submission  # the folder shown to it, if any
        self._admitted = 0
        self._ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # one message a packet
        self._ours.settimeout(START_DEADLINE_S)
        self._log = Path(self._folder.name) / "zygote.log"  # what the zygote itself printed: said if it fails
        with open(self._log, "wb") as log:
            self.process = subprocess.Popen(
                [*line, str(theirs.fileno())],
                env=environment,
                cwd=work,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=limits,
            )
        theirs.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def admit(self, root: Path) -> str:
        """The submission folder as this zygote's next child sees it:
        the one shown to it, or a fresh copy of its .py files.

        Copies of earlier submissions are removed first: a child sees no other student's files.
        """
        if self.root is not None and root == self.root:
            return self.submission
        copies = self._work / "submissions"
        shutil.rmtree(copies, ignore_errors=True)
        self._admitted += 1
        copy = copies / str(self._admitted)
        copy.mkdir(parents=True)
        for file in sorted(Path(root).glob("*.py")):
            if not file.is_symlink():  # a link could point at what the child must not see: the solutions
                shutil.copyfile(file, copy / file.name)
        return f"{self._work_seen}/submissions/{self._admitted}"

    def _ask(self, message: dict, fds: tuple[int, ...] = ()) -> dict:
        """Send one request (with descriptors to hand over) and wait for the zygote's answer."""
        try:
            socket.send_fds(self._ours, [json.dumps(message).encode()], list(fds))
            answer = self._ours.recv(MAX_CONTROL_BYTES)
        except OSError as error:
            raise ZygoteError(f"the zygote does not answer: {error}{self._said()}") from None
        if not answer:
            raise ZygoteError(f"the zygote has ended{self._said()}")
        try:
            return json.loads(answer)
        except ValueError:
            raise ZygoteError("the zygote sent something that is not its answer") from None

    def _said(self) -> str:
        """The end of what the zygote printed, for an error message."""
        tail = self._log.read_bytes()[-LOG_TAIL_BYTES:].decode(errors="replace").strip() if self._log.exists() else ""
        return f"; its last output: ...{tail}" if tail else ""

    def fork(self, requests: int, answers: int, log: int) -> int:
        """A fresh child reading requests and writing answers on these descriptors; its pid in the sandbox."""
        pid = self._ask({"fork": True}, (requests, answers, log)).get("pid")
        if not isinstance(pid, int):
            raise ZygoteError("the zygote could not fork a child")
        return pid

    def reap(self, pid: int) -> int | None:
        """Kill the child and all it started; how it ended, as subprocess gives it (negative: a signal)."""
        status = self._ask({"reap": pid}).get("status")
        return status if isinstance(status, int) else None

    def close(self) -> None:
        """Stop the zygote and everything in its sandbox, and remove its folders (again: nothing to do)."""
        if self._ours.fileno() == -1:
            return
        self._ours.close()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._folder.cleanup()


def _open_to(user: tuple[int, int], top: Path, work: Path, grader: Path) -> None:
    """Let an unprivileged user pass through top, write in work and read the grader's child-side modules."""
    top.chmod(0o711)
    os.chown(work, *user)
    for path in [grader, *grader.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
