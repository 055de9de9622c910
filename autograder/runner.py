"""The only place student code runs: a child process that answers probe requests.

The trusted process sends one request at a time and waits for the answer with a
deadline. Only plain data (JSON with base64 arrays, see wire.py) comes back. A
hang, crash or exit in the child costs only the call that caused it: the child
is killed and a fresh one serves the next request.
"""

from __future__ import annotations

import importlib
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, BinaryIO

from autograder import wire
from autograder.loader import Layout

START_DEADLINE_S = 120.0  # starting Python and importing torch, on a busy machine
IMPORT_DEADLINE_S = 20.0  # importing one student module
MEMORY_LIMIT_BYTES = 6 * 1024**3
FILE_LIMIT_BYTES = 64 * 1024**2  # the child's output log and any file it writes
MAX_RESTARTS = 20
LOG_TAIL_CHARS = 600
_IMPORT_ROOT = str(Path(__file__).resolve().parent.parent)  # where the child finds this package


class RunnerError(RuntimeError):
    """The child process could not be started at all."""


class _ChildDied(Exception):
    pass


def _limit_resources() -> None:
    """Runs in the child before exec: cap memory and file sizes, no core dumps."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT_BYTES, FILE_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing


class Runner:
    """Runs probes on one submission in a child process, each call with a deadline."""

    def __init__(self, layout: Layout, stand_in_modules: dict[str, list[str]]):
        self._layout = layout
        self._stand_in_modules = stand_in_modules
        self._skip: dict[str, str] = {}  # module -> why it is not imported
        self._load_problems: dict[str, str] = {}  # name -> why the child could not load it
        self._process: subprocess.Popen | None = None
        self._broken: str | None = None  # why the child cannot start at all
        self._ready = False  # the child has loaded the submission and awaits requests
        self._buffer = b""
        self._scratch = tempfile.TemporaryDirectory(prefix="logreg-grade-")
        self._log: BinaryIO = open(Path(self._scratch.name) / "child-output.log", "w+b")
        self.restarts = 0
        self.notes: list[str] = []  # what the child said about loading the submission (stubbed imports, ...)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child and remove its scratch folder."""
        self._stop()
        self._log.close()
        self._scratch.cleanup()

    def problem(self, name: str) -> str | None:
        """Why the child has no usable `name`, or None; starts the child if needed."""
        self._ensure_started()
        return self._load_problems.get(name)

    def run(self, probe: str, args: dict, deadline_s: float) -> dict:
        """The plain result of one probe on the submission, or an error description."""
        self._ensure_started()
        try:
            self._send({"probe": probe, "args": args})
            message = self._receive(deadline_s)
        except _ChildDied:
            code = self._stop()
            return _failure("ProcessDied", f"the submission ended the grading process ({_exit_reason(code)})" + self._output_tail())
        except wire.WireError as error:
            self._stop()
            return _failure("BadAnswer", f"the grading process sent back something that is not plain data: {error}")
        if message is None:
            self._stop()
            return _failure("Timeout", f"no answer within {deadline_s:g} s: an endless loop, or far more work than asked?")
        return message["result"]

    def start(self) -> None:
        """Spawn the child now, so that it imports torch and the submission while this process works."""
        if self._process is None and self._broken is None:
            self._spawn()

    def _ensure_started(self) -> None:
        while not self._ready:
            if self._broken is None and self.restarts > MAX_RESTARTS:
                self._broken = f"the grading process was restarted {MAX_RESTARTS} times; giving up"
            if self._broken is not None:
                raise RunnerError(self._broken)
            try:
                if self._process is None:
                    self._spawn()
                self._await_ready()
            except RunnerError as error:
                self._broken = str(error)
                raise

    def _spawn(self) -> None:
        self._buffer = b""
        self._log.seek(0)
        self._log.truncate()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "autograder.runner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=self._scratch.name,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([_IMPORT_ROOT, os.environ.get("PYTHONPATH", "")])},
            start_new_session=True,
            preexec_fn=_limit_resources,
        )
        self.restarts += 1
        try:
            self._send({
                "root": str(self._layout.root),
                "names": self._layout.where,
                "skip": self._skip,
                "stand_in_modules": self._stand_in_modules,
            })
        except _ChildDied:
            pass  # _await_ready reads the end of the pipe and says why

    def _await_ready(self) -> None:
        """Wait for the child's ready message; skip a module whose import hangs or kills it."""
        importing: str | None = None
        try:
            deadline = START_DEADLINE_S
            while True:
                message = self._receive(deadline)
                if message is None:
                    break
                if "ready" in message:
                    self._load_problems = message["ready"]
                    self._ready = True
                    return
                importing = message["importing"]
                deadline = IMPORT_DEADLINE_S
        except _ChildDied:
            code = self._stop()
            if importing is None:
                raise RunnerError(f"the grading process failed to start ({_exit_reason(code)})" + self._output_tail()) from None
            self._skip[importing] = f"importing {importing}.py ended the process ({_exit_reason(code)})"
            return
        self._stop()
        if importing is None:
            raise RunnerError(f"the grading process did not start within {START_DEADLINE_S:g} s")
        self._skip[importing] = (
            f"importing {importing}.py took longer than {IMPORT_DEADLINE_S:g} s: "
            "move top-level work under `if __name__ == '__main__':`"
        )

    def _stop(self) -> int | None:
        process, self._process, self._ready = self._process, None, False
        if process is None:
            return None
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        code = process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return code

    def _send(self, message: Any) -> None:
        try:
            self._process.stdin.write((wire.dumps(message) + "\n").encode())
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _ChildDied from None

    def _receive(self, deadline_s: float) -> Any:
        """The next message from the child, or None when the deadline passes first."""
        end = time.monotonic() + deadline_s
        fd = self._process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = end - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise _ChildDied
            self._buffer += chunk
            if len(self._buffer) > wire.MAX_MESSAGE_BYTES:
                raise wire.WireError("answer over the size limit")
        line, _, self._buffer = self._buffer.partition(b"\n")
        return wire.loads(line)

    def _output_tail(self) -> str:
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - LOG_TAIL_CHARS))
        tail = self._log.read().decode(errors="replace").strip()
        return f"; its last output: ...{tail}" if tail else ""


def _failure(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message, "where": None}, "forbidden": []}


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


# ---- the child side -------------------------------------------------------------


def _load_submission(config: dict, announce: Any) -> tuple[Any, dict[str, str]]:
    """Import the submission's modules; stand in for broken ones that others import."""
    from autograder import probes, standins

    root = Path(config["root"])
    sys.path.insert(0, str(root))
    module_problems: dict[str, str] = dict(config["skip"])
    defining = set(config["names"].values())
    for stem, names in config["stand_in_modules"].items():
        if stem not in defining:  # missing, unparsable, or without the function: others may import it
            sys.modules[stem] = _stand_in_module(stem, names, standins.STANDINS)
    modules = []
    for stem in sorted(defining):
        if stem in module_problems:
            pass
        elif stem in sys.modules and getattr(sys.modules[stem], "__file__", None) != str(root / f"{stem}.py"):
            module_problems[stem] = f"{stem}.py has the name of a module the grader uses: rename the file"
        else:
            announce({"importing": stem})
            try:
                modules.append(importlib.import_module(stem))
            except BaseException as error:  # SystemExit too
                described = probes.describe_error(error, root)
                where = f" ({described['where']})" if described["where"] else ""
                module_problems[stem] = f"{stem}.py could not be imported: {described['type']}: {described['message']}{where}"
        if stem in module_problems and stem in config["stand_in_modules"]:
            sys.modules[stem] = _stand_in_module(stem, config["stand_in_modules"][stem], standins.STANDINS)
    found: dict[str, Any] = {}
    name_problems: dict[str, str] = {}
    for name, stem in config["names"].items():
        if stem in module_problems:
            name_problems[name] = module_problems[stem]
        elif not hasattr(sys.modules[stem], name):
            name_problems[name] = f"`{name}` is not defined after importing {stem}.py"
        else:
            found[name] = getattr(sys.modules[stem], name)
    return probes.Namespace(names=found, modules=modules), name_problems


def _stand_in_module(stem: str, names: list[str], stand_ins: dict) -> types.ModuleType:
    module = types.ModuleType(stem, "the grader's stand-in for a missing or broken exercise module")
    for name in names:
        setattr(module, name, stand_ins[name])
    return module


def serve() -> None:
    """Child entry point: load the submission, then answer requests until stdin closes."""
    protocol = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # the student's prints go to the log, never into the protocol
    sys.stdout = sys.stderr

    def send(message: Any) -> None:
        protocol.write((wire.dumps(message) + "\n").encode())

    import torch
    import torch._dynamo  # noqa: F401  imported by the first optimizer anyway: pay for it before the deadlines
    import torch.utils.data  # noqa: F401

    from autograder import probes, tripwires

    torch.set_num_threads(1)
    config = wire.loads(sys.stdin.buffer.readline())
    tripwires.install()
    ns, name_problems = _load_submission(config, send)
    send({"ready": name_problems})
    root = Path(config["root"])
    for line in sys.stdin.buffer:
        request = wire.loads(line)
        result = probes.run_probe(ns, request["probe"], request["args"], root)
        try:
            send({"result": result})
        except (wire.WireError, TypeError, ValueError) as error:
            send({"result": _failure("BadResult", f"the result could not be sent back as plain data: {error}")})


if __name__ == "__main__":
    serve()
