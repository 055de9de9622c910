"""What the child forbids itself before it loads a submission: a seccomp filter through libseccomp.

No new processes (fork, vfork, clone without CLONE_THREAD, clone3), no signals but to itself (the
zygote that forked it and its siblings stay out of reach), and none of the calls a submission has
no use for (ptrace, mount, namespaces, keyrings, BPF, kernel modules, reboot).
Threads stay allowed: torch uses them. Loading a filter also sets no_new_privs.
"""

from __future__ import annotations

import contextlib
import errno
import os

from autograder.sandboxed.messages import N_

CLONE_THREAD = 0x00010000
DENIED = (
    "fork",
    "vfork",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "reboot",
    "swapon",
    "swapoff",
    "chroot",
)


def preload() -> None:
    """Load libseccomp now: the zygote does, before it drops to a user that may not reach the Python installation."""
    with contextlib.suppress(ImportError, OSError):
        import pyseccomp  # noqa: F401


def forbid_new_processes() -> str:
    """Load the filter into this process (and every thread it starts); say what is in force."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as error:  # no pyseccomp, or no libseccomp on this system
        return f"no seccomp filter ({type(error).__name__}: {error})"
    try:
        denied = seccomp.ERRNO(errno.EPERM)
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in DENIED:
            rules.add_rule(denied, name)
        rules.add_rule(denied, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))  # a process, not a thread
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")  # its flags cannot be inspected: libc falls back to clone
        for call in ("kill", "tkill", "tgkill"):  # signals to itself only: not the zygote, not any other child
            rules.add_rule(denied, call, seccomp.Arg(0, seccomp.NE, os.getpid()))
        rules.load()
    except Exception as error:  # an architecture or kernel without these calls
        return f"no seccomp filter ({type(error).__name__}: {error})"
    return N_(
        "seccomp: no new processes, no signals to others, no ptrace, mounts or namespaces"
    )  # said in the grader's language
