"""What the child forbids itself before it loads a submission: namespaces of its own, then a seccomp filter.

Inside bubblewrap, each child gets user, mount, pid and ipc namespaces of its own (private_namespaces):
every mount it inherits turns read-only (/tmp too), and a fresh tmpfs of SCRATCH_BYTES is its only writable place
(at the scratch folder, and at /dev/shm), gone when it ends; its pid namespace holds no other
process, so no call that names a pid reaches the zygote or a classmate's child. Then a seccomp filter
(libseccomp): no new processes (fork, vfork, clone without CLONE_THREAD, clone3), nothing that acts on
another process (signals but to itself, pidfds, ptrace, another's memory, limits, priority or
scheduling), no new session or process group, and none of the calls a submission has no use for
(mount, namespaces, keyrings, BPF, kernel modules, reboot). Threads stay allowed: torch uses them.
Loading a filter also sets no_new_privs.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
from pathlib import Path

from autograder.sandboxed.messages import N_

CLONE_THREAD = 0x00010000
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID = 0x00020000, 0x08000000, 0x10000000, 0x20000000
SCRATCH_BYTES = 64 * 1024**2  # the child's private tmpfs: every file it writes, together
SCRATCH_FILES = 4096  # files and folders in it
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_CAP_AMBIENT = 1, 4, 24, 47
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
MOUNT_FLAGS = {"ro": MS_RDONLY, "nosuid": 2, "nodev": 4, "noexec": 8, "noatime": 1024, "nodiratime": 2048}
MOUNT_FLAGS |= {"relatime": 1 << 21}  # flags a remount must keep: the sandbox locked them
shared_scratch = False  # set by the zygote: inside bubblewrap, but the kernel refuses a child namespaces of its own
PROC_KEPT = ("cpuinfo", "meminfo", "stat", "uptime", "loadavg", "version", "filesystems")  # system-wide, in /proc
SHARED_WRITABLE = ("/dev/shm",)  # shown as the child's own tmpfs (not /tmp: a Python installation may lie there)
DENIED = (
    "fork",
    "vfork",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "process_mrelease",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "kcmp",
    "get_robust_list",
    "migrate_pages",
    "ioprio_set",
    "setsid",
    "setpgid",
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
SELF_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")  # first argument: its own pid
ZERO_ONLY = ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr", "move_pages")


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _call(name: str, *args: object) -> int:
    """A libc call; OSError when it fails."""
    result = getattr(_libc(), name)(*args)
    if result == -1:
        code = ctypes.get_errno()
        raise OSError(code, f"{name}: {os.strerror(code)}")
    return result


def non_dumpable() -> None:
    """No process of the same user may read or write this one's memory, descriptors or environment (/proc, ptrace).

    The zygote sets it once; each child it forks inherits it.
    """
    _call("prctl", PR_SET_DUMPABLE, 0, 0, 0, 0)


def private_namespaces(scratch: Path) -> bool:
    """In a fresh child of the zygote: own user, mount, ipc and pid namespaces; every mount read-only but a fresh
    tmpfs at scratch (also shown at /dev/shm). False when the kernel refuses them (nothing changed then).

    The pid namespace holds the next process forked, not this one: the caller forks it (pid 1 there).
    """
    uid, gid = os.getuid(), os.getgid()
    _call("prctl", PR_SET_DUMPABLE, 1, 0, 0, 0)  # a non-dumpable process cannot write its own uid_map
    try:
        _call("unshare", CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID)
    except OSError:
        non_dumpable()
        return False
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        Path("/proc/self", name).write_text(text)
    non_dumpable()
    _call("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)
    for point, flags in _writable_mounts():
        _call("mount", None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, None)
    options = f"size={SCRATCH_BYTES},nr_inodes={SCRATCH_FILES},mode=0700"
    _call(
        "mount",
        b"tmpfs",
        str(scratch).encode(),
        b"tmpfs",
        MOUNT_FLAGS["nosuid"] | MOUNT_FLAGS["nodev"],
        options.encode(),
    )
    for shown in SHARED_WRITABLE:
        if os.path.isdir(shown):
            _call("mount", str(scratch).encode(), shown.encode(), None, MS_BIND, None)
    return True


def _writable_mounts() -> list[tuple[str, int]]:
    """Every mount point now writable (from /proc/self/mountinfo), with the flags it has."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split(" ")
        point, options = fields[4].encode().decode("unicode_escape"), fields[5].split(",")
        if "rw" in options:
            found.append((point, sum(MOUNT_FLAGS.get(option, 0) for option in options)))
    return found


def as_only_process() -> None:
    """In the process that runs the submission (pid 1 in its namespace): die with its parent, see itself alone in
    /proc, and hold no capability (not even in its own user namespace)."""
    _call("prctl", PR_SET_PDEATHSIG, 9, 0, 0, 0)
    _only_self_in_proc()
    with contextlib.suppress(OSError):
        _call("prctl", PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    for capability in range(64):
        try:
            _call("prctl", PR_CAPBSET_DROP, capability, 0, 0, 0)
        except OSError:
            break  # past the last capability this kernel knows
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    _call("capset", header, (ctypes.c_uint32 * 6)())  # effective, permitted, inheritable: none


def _only_self_in_proc() -> None:
    """Cover /proc with an empty tmpfs that shows this process's own folder as /proc/self, and the system-wide
    files NumPy and torch read: no other process's pid, command line or descriptors are in sight.

    The sandbox's /proc cannot be mounted afresh here (bubblewrap covers parts of it), so its folder for this
    process is cloned first (open_tree) and attached again (move_mount) after the cover.
    """
    libc, clone, move, empty = _libc(), 428, 429, 0x4  # open_tree, move_mount, MOVE_MOUNT_F_EMPTY_PATH
    kept = {name: libc.syscall(clone, -100, f"/proc/{name}".encode(), 1 | 0o2000000) for name in PROC_KEPT}
    kept["self"] = libc.syscall(clone, -100, b"/proc/self/", 1 | 0o2000000)  # OPEN_TREE_CLONE | O_CLOEXEC
    if kept["self"] < 0:
        raise OSError(ctypes.get_errno(), "open_tree /proc/self")
    _call("mount", b"proc", b"/proc", b"tmpfs", MOUNT_FLAGS["nosuid"] | MOUNT_FLAGS["nodev"], b"size=64k,mode=0555")
    for name, fd in kept.items():
        if fd < 0:
            continue
        Path("/proc", name).mkdir() if name == "self" else Path("/proc", name).touch()
        _call("syscall", move, fd, b"", -100, f"/proc/{name}".encode(), empty)
        os.close(fd)
    _call("mount", None, b"/proc", None, MS_REMOUNT | MS_RDONLY | MOUNT_FLAGS["nosuid"] | MOUNT_FLAGS["nodev"], None)


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
        for call in SELF_ONLY:  # signals to itself only: not the zygote, not any other child
            rules.add_rule(denied, call, seccomp.Arg(0, seccomp.NE, os.getpid()))
        for call in ZERO_ONLY:  # limits, scheduling, pages: of this process only (pid 0)
            rules.add_rule(denied, call, seccomp.Arg(0, seccomp.NE, 0))
        for argument in (0, 1):  # setpriority(PRIO_PROCESS, 0, ...) only: not a group, a user or another pid
            rules.add_rule(denied, "setpriority", seccomp.Arg(argument, seccomp.NE, 0))
        rules.load()
    except Exception as error:  # an architecture or kernel without these calls
        return f"no seccomp filter ({type(error).__name__}: {error})"
    said = N_("seccomp: no new processes, no signals to others, no ptrace, mounts or namespaces")
    if shared_scratch:  # never pretended: a later child could see what this one writes until the zygote empties it
        return said + "; no private scratch (no user namespace for the child): emptied after each child"
    return said  # in the grader's language
