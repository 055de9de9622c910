"""Where student code runs: a bubblewrap sandbox on Linux, else a plain process with rlimits.

The whole view is one bwrap command line, so the policy is read and tested here: the system and the Python
installation read-only, the grader's package and the reference solutions masked, a copy of the child's package
(autograder/sandboxed) at /grader, the submission read-only at /submission (and, for a zygote that serves many,
the folder the trusted side admits them into, read-only at /admitted), /scratch and /tmp as the only writable
places (each child sees both read-only, under a tmpfs of its own at /scratch: sandboxed/confinement.py), no
network, its own pid, ipc and uts namespaces (it cannot see or signal the grader), no capabilities, a scrubbed
environment, and killed with the grader. Which isolation is in force is said in every report: never pretended.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pwd
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from autograder.i18n import N_
from autograder.i18n.messages import Value, message
from autograder.locations import PACKAGE, SOLUTIONS
from autograder.sandboxed.zygote import RUN_AS_ENV

CHILD_PACKAGE = PACKAGE / "sandboxed"  # everything the child imports of the kit, and nothing else
SUBMISSION, ADMITTED, SCRATCH, GRADER = "/submission", "/admitted", "/scratch", "/grader"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/alternatives", "/etc/ld.so.cache")
KEPT_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # some processors need them for correct NumPy results
BWRAP_ENV = "LOGREG_BWRAP"  # the bubblewrap binary to use; "none" turns the sandbox off (said in every report)
PROCESS_ONLY = N_("a separate process with rlimits only (no filesystem, network or process isolation)")
SANDBOX_USER = ("--unshare-user", "--uid", "1000", "--gid", "1000")  # a root grader's sandbox runs as uid 1000
UNPRIVILEGED = "nobody"  # whom student code runs as when the grader is root and bubblewrap cannot run (a container)
SANDBOXED = N_(
    "bubblewrap sandbox: read-only view without the grader's files, no network, own process namespace, "
    "no capabilities, scrubbed environment"
)


@dataclass(frozen=True)
class Isolation:
    """The isolation a child runs under, in words for the reports."""

    sandboxed: bool
    description: Value  # said where it is shown


@functools.cache
def bwrap() -> tuple[str | None, str]:
    """The bubblewrap binary that works here, or None with the reason."""
    chosen = os.environ.get(BWRAP_ENV)
    if chosen == "none":
        return None, f"{BWRAP_ENV}=none"
    binary = chosen or shutil.which("bwrap")
    if binary is None:
        return None, N_("bubblewrap (bwrap) is not installed")
    try:
        trial = subprocess.run(
            [binary, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
            capture_output=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"bubblewrap does not run here: {error}"
    if trial.returncode != 0:
        return None, f"bubblewrap does not run here: {trial.stderr.decode(errors='replace').strip()[:200]}"
    return binary, ""


@functools.cache
def _own_user() -> list[str]:
    """bwrap's options for the user the sandbox runs as: not root (uid 0) when the grader is root.

    Only a process that is not root in the sandbox can map itself into a user namespace of its own, as each child
    does (sandboxed/confinement.py); the sandbox's user still stands for the grader's user outside it.
    """
    binary, _ = bwrap()
    if os.geteuid() != 0 or binary is None:
        return []
    trial = [binary, "--unshare-all", *SANDBOX_USER, "--die-with-parent", "--ro-bind", "/", "/", "true"]
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        if subprocess.run(trial, capture_output=True, timeout=20).returncode == 0:
            return list(SANDBOX_USER)
    return []  # no user namespace for bwrap (root in a container): the children share their scratch (said)


def unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) of the user student code runs as when the grader runs as root without bubblewrap, else None.

    As root it could read and write every file; as nobody, only what others may (Gradescope's setup.sh takes
    that right off the kit's own files).
    """
    if os.geteuid() != 0 or bwrap()[0] is not None:
        return None
    try:
        entry = pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def isolation() -> Isolation:
    """The isolation the next child will run under."""
    binary, why_not = bwrap()
    if binary is None:
        described: Value = message(PROCESS_ONLY)
        if unprivileged_user():
            described = message("{isolation}, as the unprivileged user {user}", isolation=described, user=UNPRIVILEGED)
        return Isolation(False, message("{isolation}: {reason}", isolation=described, reason=message(why_not)))
    return Isolation(True, message(SANDBOXED))


def copy_child_package(folder: Path) -> Path:
    """A folder holding autograder/sandboxed whole (under an empty autograder/): the folder to put on sys.path."""
    package = folder / "autograder"
    shutil.copytree(CHILD_PACKAGE, package / CHILD_PACKAGE.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (package / "__init__.py").write_text('"""The grader\'s child-side package only."""\n')
    return folder


def _python_dirs() -> list[str]:
    """The folders of this Python installation and its packages, outermost first, without duplicates."""
    candidates = [sys.base_prefix, sys.prefix, *site.getsitepackages(), site.getusersitepackages()]
    existing = sorted({os.path.realpath(path) for path in candidates if os.path.isdir(path)})
    return [
        path for path in existing if not any(path != other and path.startswith(other + os.sep) for other in existing)
    ]


def _hidden_dirs() -> list[str]:
    """The grader's own folders: its package (with the solutions and the data when installed) and the solutions."""
    hidden = sorted(path for path in {str(PACKAGE), str(Path(SOLUTIONS).resolve())} if os.path.isdir(path))
    return [
        path for path in hidden if not any(path.startswith(outer + os.sep) for outer in hidden)
    ]  # masking the outer hides both


class Seen(NamedTuple):
    """The folders as the sandboxed command sees them."""

    submission: str  # the one submission shown, if any
    admitted: str  # where a zygote serving many finds each submission it is given, as a copy
    scratch: str


def command(
    argv: list[str], *, submission: Path | None, admitted: Path, scratch: Path, grader: Path
) -> tuple[list[str], dict[str, str], Seen]:
    """The command line, environment, and the folders as argv will see them.

    The submission folder and the admitted folder are shown read-only: the trusted side writes the copies it admits,
    the sandbox cannot (a link planted there would be followed by the trusted side). Scratch is writable: inside
    bubblewrap each child covers it with a tmpfs of its own (sandboxed/confinement.py).
    """
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": SCRATCH,
        "LANG": "C.UTF-8",
        "PYTHONPATH": GRADER,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "OMP_NUM_THREADS": "1",
        **{name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ},
    }
    binary, _ = bwrap()
    if binary is None:
        user = unprivileged_user()
        run_as = {RUN_AS_ENV: f"{user[0]}:{user[1]}"} if user else {}
        return (
            argv,
            {**environment, "HOME": str(scratch), "PYTHONPATH": str(grader), **run_as},
            Seen(str(submission), str(admitted), str(scratch)),
        )
    line = [
        binary,
        "--unshare-all",
        *_own_user(),
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
    ]
    for name, value in environment.items():
        line += ["--setenv", name, value]
    # Mounts apply in order: the empty /tmp first, so that a Python installation under /tmp (a venv) stays visible.
    line += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    python_dirs = _python_dirs()
    for path in [*SYSTEM_DIRS, *python_dirs]:
        line += ["--ro-bind-try", path, path]
    for path in _hidden_dirs():  # masked where the view would otherwise show them
        if any(path == bound or path.startswith(bound + os.sep) for bound in python_dirs):
            line += ["--tmpfs", path, "--remount-ro", path]
    line += [
        "--ro-bind",
        str(grader),
        GRADER,
        *(["--ro-bind", str(submission), SUBMISSION] if submission else []),
        *("--ro-bind", str(admitted), ADMITTED),
        "--bind",
        str(scratch),
        SCRATCH,
        *("--remount-ro", "/", "--remount-ro", "/dev"),  # the view's own tmpfs folders: nobody writes there
        "--chdir",
        GRADER,  # never a folder the child can write: the zygote's sys.path starts with it
        "--",
        *argv,
    ]
    return line, environment, Seen(SUBMISSION, ADMITTED, SCRATCH)
