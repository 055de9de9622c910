"""The zygote: inside the sandbox, one process imports torch once and forks a fresh child for each start.

The trusted side (autograder/sandbox/zygote.py) talks to it over a Unix socket: "fork" passes the
child's three descriptors (requests, answers, log) with SCM_RIGHTS and gets its pid back; "reap" kills
the child with all it started and returns how it ended. The zygote runs no student code, holds no
solutions, runs from a folder no child can write, and is not dumpable: no child reads or writes its
memory or descriptors. Inside bubblewrap each child gets namespaces of its own (confinement.py): its
only writable place is a fresh tmpfs at the scratch folder, and the process that runs the submission is
alone in its pid namespace, watched by the forked child, which ends as it ends. Where the kernel refuses
those namespaces, the child writes in a fresh folder under the scratch folder, and every reap empties
the scratch folder and /tmp.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
from pathlib import Path

MAX_CONTROL_BYTES = 4096  # one request or answer on the control socket
RUN_AS_ENV = "LOGREG_RUN_AS"  # "uid:gid" the zygote drops to once it has imported torch
PRIVATE = "private"  # the zygote's third argument inside bubblewrap: each child in namespaces of its own
EMPTIED = ("/tmp",)  # without private namespaces, inside bubblewrap: emptied at every reap, as scratch is


def drop_privileges() -> None:
    """Once torch is loaded: become the user the trusted side chose (RUN_AS_ENV), for good."""
    run_as = os.environ.get(RUN_AS_ENV)
    if run_as:
        uid, gid = (int(part) for part in run_as.split(":"))
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)


def _child(descriptors: list[int], scratch_root: Path, private: bool, count: int) -> None:
    """In the forked child: take the three descriptors as stdin, stdout and stderr, then serve as a child does:
    in namespaces of its own (pid 1 there, watched by this process), or in a fresh folder under scratch_root."""
    from autograder.sandboxed import confinement

    os.setsid()  # its own process group: reaping kills it with all it started
    for target, fd in enumerate(descriptors):
        os.dup2(fd, target)
        os.close(fd)
    if private and confinement.private_namespaces(scratch_root):
        pid = os.fork()  # the first process in the new pid namespace
        if pid == 0:
            confinement.as_only_process()
            _serve_in(scratch_root)
        _relay(pid)
    scratch = scratch_root / f"child-{count}"
    scratch.mkdir(mode=0o700)
    _serve_in(scratch)


def _serve_in(scratch: Path) -> None:
    """Serve the trusted side from the folder scratch (also its folder for temporary files), then end."""
    os.chdir(scratch)
    tempfile.tempdir = str(scratch)
    from autograder.sandboxed import child

    try:
        child.serve()
    finally:
        os._exit(0)


def _relay(pid: int) -> None:
    """Wait for the process that runs the submission, and end as it ended (killed by the same signal).

    It keeps the pipes open until then: the trusted side sees them close only once the way that process
    ended can be read, so an exit code is never mistaken for the SIGKILL of the reap that follows."""
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code if code >= 0 else 1)


def serve_zygote(control_fd: int, scratch_root: Path, sandboxed: bool) -> None:
    """Import torch and the probe code once, then fork a child on each request until the socket closes.

    sandboxed: inside bubblewrap, where each child gets namespaces of its own if the kernel allows them.
    """
    import torch
    import torch._dynamo
    import torch.utils.data

    from autograder.sandboxed import child, confinement, probes  # noqa: F401  (child: each child's)

    confinement.preload()
    drop_privileges()  # as root without bubblewrap: student code runs as nobody
    confinement.non_dumpable()  # after dropping: a change of user resets it
    torch.set_num_threads(1)
    private = sandboxed and _private_works(scratch_root)
    confinement.shared_scratch = sandboxed and not private  # said by each child
    emptied = [scratch_root, *(Path(path) for path in EMPTIED if sandboxed)]
    control = socket.socket(fileno=control_fd)
    count = 0
    while True:
        message, fds, _, _ = socket.recv_fds(control, MAX_CONTROL_BYTES, 3)
        if not message:
            return
        request = json.loads(message)
        if request.get("fork") and len(fds) == 3:
            count += 1
            pid = os.fork()
            if pid == 0:
                control.close()
                _child(fds, scratch_root, private, count)
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"pid": pid}).encode())
        elif isinstance(request.get("reap"), int):
            control.sendall(json.dumps({"status": _reap(request["reap"], emptied)}).encode())
        else:
            for fd in fds:
                os.close(fd)
            control.sendall(b"{}")


def _private_works(scratch_root: Path) -> bool:
    """Whether a child can have namespaces of its own here: tried once, in a child that does nothing else."""
    from autograder.sandboxed import confinement

    pid = os.fork()
    if pid == 0:
        try:
            works = confinement.private_namespaces(scratch_root)
            (scratch_root / "tried").write_bytes(b"")  # in its own tmpfs
        except BaseException:
            os._exit(1)
        os._exit(0 if works else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _reap(pid: int, emptied: list[Path]) -> int | None:
    """Kill a child's process group, wait for the child, empty the folders where children write; its exit code."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    for folder in emptied:
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    serve_zygote(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] == [PRIVATE])
