"""The zygote: inside the sandbox, one process imports torch once and forks a fresh child for each start.

The trusted side (autograder/sandbox/zygote.py) talks to it over a Unix socket: "fork" passes the
child's three descriptors (requests, answers, log) with SCM_RIGHTS and gets its pid back; "reap" kills
the child with all it started and returns how it ended. A child runs child.serve() in a fresh scratch
folder of its own; the zygote runs no student code and holds no solutions.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

MAX_CONTROL_BYTES = 4096  # one request or answer on the control socket
RUN_AS_ENV = "LOGREG_RUN_AS"  # "uid:gid" the zygote drops to once it has imported torch


def drop_privileges() -> None:
    """Once torch is loaded: become the user the trusted side chose (RUN_AS_ENV), for good."""
    run_as = os.environ.get(RUN_AS_ENV)
    if run_as:
        uid, gid = (int(part) for part in run_as.split(":"))
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)


def _child(descriptors: list[int], scratch: Path) -> None:
    """In the forked child: take the three descriptors as stdin, stdout and stderr,
    then serve as a spawned child does."""
    os.setsid()  # its own process group: reaping kills it with all it started
    for target, fd in enumerate(descriptors):
        os.dup2(fd, target)
        os.close(fd)
    scratch.mkdir()
    os.chdir(scratch)
    from autograder.sandboxed import child

    try:
        child.serve()
    finally:
        os._exit(0)


def serve_zygote(control_fd: int) -> None:
    """Import torch and the probe code once, then fork a child on each request until the socket closes."""
    import torch
    import torch._dynamo
    import torch.utils.data

    from autograder.sandboxed import child, confinement, probes  # noqa: F401  (child: each child's)

    confinement.preload()
    drop_privileges()  # as root without bubblewrap: student code runs as nobody
    torch.set_num_threads(1)
    control = socket.socket(fileno=control_fd)
    scratch_root, count = Path.cwd(), 0
    while True:
        message, fds, _, _ = socket.recv_fds(control, MAX_CONTROL_BYTES, 3)
        if not message:
            return
        request = json.loads(message)
        if request.get("fork") and len(fds) == 3:
            count += 1
            scratch = scratch_root / f"child-{count}"
            shutil.rmtree(scratch, ignore_errors=True)
            pid = os.fork()
            if pid == 0:
                control.close()
                _child(fds, scratch)
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"pid": pid}).encode())
        elif isinstance(request.get("reap"), int):
            control.sendall(json.dumps({"status": _reap(request["reap"], scratch_root)}).encode())
        else:
            for fd in fds:
                os.close(fd)
            control.sendall(b"{}")


def _reap(pid: int, scratch_root: Path) -> int | None:
    """Kill a child's process group, wait for the child, remove every child's scratch folder; its exit code."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return None
    for folder in scratch_root.glob("child-*"):
        shutil.rmtree(folder, ignore_errors=True)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    serve_zygote(int(sys.argv[1]))
