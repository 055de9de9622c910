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
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from autograder.sandbox import bubblewrap
from autograder.sandboxed.zygote import MAX_CONTROL_BYTES, PRIVATE

LOG_TAIL_BYTES = 600
START_DEADLINE_S = 120.0  # starting Python and importing torch, on a busy machine
ANSWER_DEADLINE_S = 20.0  # any later answer: a fork, or a reap (kill and wait); a zygote that misses it is killed


class ZygoteError(RuntimeError):
    """The zygote could not be started, or stopped answering."""


class Zygote:
    """The trusted side's handle on a zygote process in the sandbox, with the folders the sandbox shows it."""

    def __init__(self, submission: Path | None, limits: Callable[[], None]):
        """Start a zygote for one submission folder, shown to it read-only, or for many (None), each admitted in turn.

        limits runs in the new process before it execs.
        """
        self._folder = tempfile.TemporaryDirectory(prefix="logreg-zygote-")
        top = Path(self._folder.name)
        self._work = work = top / "work"  # scratch: inside bubblewrap each child covers it with a tmpfs of its own
        self._copies = top / "submissions"  # where submissions are admitted: shown read-only, written only here
        work.mkdir()
        self._copies.mkdir()
        grader = bubblewrap.copy_child_package(top / "grader")
        user = bubblewrap.unprivileged_user()
        if user is not None:  # the zygote will drop to that user: it reaches its folders, and each submission as a copy
            submission = None
            _open_to(user, top, work, grader, self._copies)
        self.root = submission  # the folder shown to it, if any
        line, environment, self._seen = bubblewrap.command(
            [sys.executable, "-s", "-m", "autograder.sandboxed.zygote"],
            submission=submission,
            admitted=self._copies,
            scratch=work,
            grader=grader,
        )
        self._admitted = 0
        self._ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # one message a packet
        self._ours.settimeout(START_DEADLINE_S)  # its first answer waits for torch to be imported
        self._log = top / "zygote.log"  # what the zygote itself printed: said if it fails
        private = [PRIVATE] if bubblewrap.isolation().sandboxed else []
        with open(self._log, "wb") as log:
            self.process = subprocess.Popen(
                [*line, str(theirs.fileno()), self._seen.scratch, *private],
                env=environment,
                cwd=grader,  # never a folder a child can write
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

        Copies of earlier submissions are removed first: a child sees no other student's files. The copies are
        made in a folder the sandbox shows read-only, through descriptors that follow no link: a link among the
        student's files is not copied (it could point at the solutions).
        """
        if self.root is not None and root == self.root:
            return self._seen.submission
        for earlier in self._copies.iterdir():
            shutil.rmtree(earlier)
        self._admitted += 1
        name = str(self._admitted)
        copies = os.open(self._copies, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.mkdir(name, 0o755, dir_fd=copies)
            copy = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=copies)
        finally:
            os.close(copies)
        try:
            for file in sorted(Path(root).glob("*.py")):
                _copy_file(file, copy)
        finally:
            os.close(copy)
        return f"{self._seen.admitted}/{name}"

    def _ask(self, message: dict, fds: tuple[int, ...] = ()) -> dict:
        """Send one request (with descriptors to hand over) and wait for the zygote's answer."""
        try:
            socket.send_fds(self._ours, [json.dumps(message).encode()], list(fds))
            answer = self._ours.recv(MAX_CONTROL_BYTES)
        except OSError as error:  # a timeout too: a zygote that stopped answering is killed, never waited for again
            self._kill()
            raise ZygoteError(f"the zygote does not answer: {error}{self._said()}") from None
        if not answer:
            self._kill()
            raise ZygoteError(f"the zygote has ended{self._said()}")
        self._ours.settimeout(ANSWER_DEADLINE_S)
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
        self._kill()
        self._folder.cleanup()

    def _kill(self) -> None:
        """Kill the zygote and everything in its sandbox, and wait for it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _open_to(user: tuple[int, int], top: Path, work: Path, grader: Path, copies: Path) -> None:
    """Let an unprivileged user pass through top, write in work, read the grader's child-side modules and the
    admitted submissions."""
    top.chmod(0o711)
    copies.chmod(0o755)
    os.chown(work, *user)
    for path in [grader, *grader.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _copy_file(file: Path, folder: int) -> None:
    """Copy a student's regular file into the folder open as a descriptor; a link, at either end, is refused."""
    try:
        source = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:  # a link (ELOOP), or gone
        return
    try:
        if not stat.S_ISREG(os.fstat(source).st_mode):
            return
        target = os.open(file.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=folder)
        with open(source, "rb", closefd=False) as reading, open(target, "wb") as writing:
            shutil.copyfileobj(reading, writing)
    finally:
        os.close(source)
