"""The only place student code runs: a child, forked by the zygote in the sandbox, that answers probe requests.

The trusted process sends one request at a time and waits for the answer with a
deadline. Only plain data (JSON with base64 arrays, see wire.py) comes back, and only
the answer echoing the request's nonce counts. A hang, crash or exit in the child
costs only the call that caused it: the child is killed and a fresh one, forked by
the zygote (zygote.py) in the sandbox (sandbox.py), serves the next request.
"""

from __future__ import annotations

import __future__
import ast
import importlib
import importlib.abc
import importlib.util
import os
import resource
import secrets
import select
import signal
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from autograder import loader, sandbox, toplevel, wire
from autograder.i18n import N_, _
from autograder.zygote import START_DEADLINE_S, Zygote, ZygoteError
from autograder.loader import Layout

IMPORT_DEADLINE_S = 20.0  # importing one student module
MEMORY_LIMIT_BYTES = 6 * 1024**3
FILE_LIMIT_BYTES = 64 * 1024**2  # the child's output log and any file it writes
SPARE_RESTARTS = 2  # beyond one per graded name and one per module: each can end the child once, then it is given up
LOG_TAIL_CHARS = 600
MAX_NOTES = 30  # findings the child may report about loading the submission
MAX_NOTE_CHARS = 400
MAX_STAND_INS = 5  # missing packages given a stand-in for one statement
OPEN_FILES = 256  # file descriptors the child may hold
MAX_SKIPPED_LINES = 10_000  # lines on the channel that are not the awaited message, before the child is given up
CPU_SECONDS = 600  # processor time of one child, all its calls together

# What the child says about loading the submission, as data: one of these message ids (English) with plain values,
# said in the current language by the trusted process (the child has no catalogue). A module's reason to be skipped
# is made by the trusted process, goes to the child and comes back as a name's problem, in the same form.
STAND_IN = N_("{file}, line {line}: `{statement}` — {missing} is not installed where your code is graded; "
              "a do-nothing stand-in was used")
RAISED = N_("{file}, line {line}: `{statement}` raised {error}: {message}; the rest of the file was still run")
RAISED_AT = N_("{file}, line {line}: `{statement}` raised {error}: {message} (at {where}); the rest of the file was still run")
GRADER_NAME = N_("{module}.py has the name of a module the grader uses: rename the file")
NOT_IMPORTED = N_("{module}.py could not be imported: {error}: {message}")
NOT_IMPORTED_AT = N_("{module}.py could not be imported: {error}: {message} ({where})")
NOT_DEFINED = N_("`{name}` is not defined after importing {module}.py")
SKIP_FOREIGN = N_("importing {module}.py: the grading process sent something that is not the grader's while loading ({error})")
SKIP_ENDED = N_("importing {module}.py ended the process ({reason})")
SKIP_SLOW = N_("importing {module}.py took longer than {seconds} s: move top-level work under `if __name__ == '__main__':`")
SAID = frozenset({STAND_IN, RAISED, RAISED_AT, GRADER_NAME, NOT_IMPORTED, NOT_IMPORTED_AT, NOT_DEFINED,
                  SKIP_FOREIGN, SKIP_ENDED, SKIP_SLOW})


class RunnerError(RuntimeError):
    """The child process could not be started at all."""


def as_message(message_id: str, **values: str | int) -> dict:
    """A message as plain data: its id (one of SAID) and its values."""
    return {"id": message_id, "values": values}


def said(data: Any) -> str | None:
    """A message the child sent as data (see as_message()), in the current language; None unless it is one of SAID."""
    if not isinstance(data, dict) or data.get("id") not in SAID or not isinstance(data.get("values"), dict):
        return None
    values = data["values"]
    if not all(isinstance(value, str | int) for value in values.values()):
        return None
    message_id: str = data["id"]
    try:
        return _(message_id).format(**values)
    except (KeyError, IndexError, ValueError):
        return None


class _ChildDied(Exception):
    pass


@dataclass
class _Child:
    """A child forked by the zygote: its pid in the sandbox and the two ends of its pipes."""

    pid: int
    stdin: BinaryIO
    stdout: BinaryIO


def limit_resources() -> None:
    """Runs in the child before exec: cap memory and file sizes, no core dumps."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT_BYTES, FILE_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error instead of killing


class Runner:
    """Runs probes on one submission in a child process, each call with a deadline."""

    def __init__(self, layout: Layout, stand_in_modules: dict[str, list[str]], exercise_modules: Iterable[str] = (),
                 zygote: Zygote | None = None):
        """zygote: one already started, for this submission's folder or for many; its owner closes it."""
        self._layout = layout
        self._stand_in_modules = stand_in_modules
        # modules the course's files import from each other: when missing, never given a do-nothing stand-in
        self._exercise_modules = sorted({*exercise_modules, *layout.wanted.values(), *stand_in_modules})
        self._skip: dict[str, dict] = {}  # module -> why it is not imported, as as_message() data
        self._load_problems: dict[str, str] = {}  # name -> why the child could not load it
        self._zygote = zygote  # imports torch once, forks each child
        self._own_zygote = False  # whether this runner started it, and so closes it
        self._root_seen = zygote.admit(layout.root) if zygote is not None else ""  # the submission as the child sees it
        self._child: _Child | None = None
        self._broken: str | None = None  # why the child cannot start at all
        self._ready = False  # the child has loaded the submission and awaits requests
        self._buffer = b""
        self._scratch = tempfile.TemporaryDirectory(prefix="logreg-grade-")
        self._log: BinaryIO = open(Path(self._scratch.name) / "child-output.log", "w+b")
        self.restarts = 0
        self.notes: list[str] = []  # what the child said about loading the submission (stubbed imports, ...)
        self.isolation = sandbox.isolation().description  # completed by what the child itself put in force
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

    def problem(self, name: str) -> str | None:
        """Why the child has no usable `name`, or None; starts the child if needed."""
        self._ensure_started()
        return self._load_problems.get(name)

    def run(self, probe: str, args: dict, deadline_s: float) -> dict:
        """The plain result of one probe on the submission, or an error description.

        Each request carries a fresh nonce, and only the answer that echoes it counts: lines the
        submission writes on the channel are skipped, so they cannot shift answers between calls.
        """
        self._ensure_started()
        nonce = secrets.token_hex(16)
        try:
            self._send({"probe": probe, "args": args, "nonce": nonce})
            answer = self._receive(deadline_s, lambda message: message.get("nonce") == nonce)
        except _ChildDied:
            code = self._stop()
            return _failure("ProcessDied", _("the submission ended the grading process ({reason})").format(
                reason=_exit_reason(code)) + self._output_tail())
        except wire.WireError as error:
            self._stop()
            return _failure("BadAnswer", _("the grading process sent back something that is not plain data: {error}").format(error=error))
        if answer is None:
            self._stop()
            return _failure("Timeout", _("no answer within {seconds} s: an endless loop, or far more work than asked?").format(
                seconds=f"{deadline_s:g}"))
        if isinstance(answer.get("unsendable"), str):  # the result was not plain data: the child says why
            return _failure("BadResult", _("the result could not be sent back as plain data: {error}").format(
                error=answer["unsendable"][:MAX_NOTE_CHARS]))
        if not isinstance(answer.get("result"), dict):
            self._stop()
            return _failure("BadAnswer", _("the grading process sent back something that is not a result"))
        return answer["result"]

    def restart(self) -> None:
        """Stop the child: the next request is served by a fresh one, forked by the zygote."""
        self._stop()

    def start(self) -> None:
        """Start the zygote now, so that it imports torch while this process works."""
        if self._zygote is None and self._broken is None:
            self._new_zygote()

    def _new_zygote(self) -> None:
        """Start a zygote of this runner's own, for its submission's folder."""
        self._zygote, self._own_zygote = Zygote(self._layout.root, limit_resources), True
        self._root_seen = self._zygote.admit(self._layout.root)

    def _fork(self) -> _Child:
        """A fresh child from the zygote; a zygote that died (or never started) is started again, once."""
        try:
            return self._fork_once()
        except ZygoteError:
            self._drop_zygote()
        try:
            return self._fork_once()
        except ZygoteError as error:
            self._drop_zygote()
            raise RunnerError(_("the grading process failed to start ({reason})").format(reason=error) + self._output_tail()) from None

    def _fork_once(self) -> _Child:
        """A child forked by the current zygote (started first if there is none, or it died), with its two pipes."""
        if self._zygote is None or not self._zygote.alive:
            self._drop_zygote()
            self._new_zygote()
        requests, answers = os.pipe(), os.pipe()
        try:
            pid = self._zygote.fork(requests[0], answers[1], self._log.fileno())
        except ZygoteError:
            os.close(requests[1])
            os.close(answers[0])
            raise
        finally:
            os.close(requests[0])  # the zygote holds its own copies now, or the fork failed
            os.close(answers[1])
        return _Child(pid, os.fdopen(requests[1], "wb"), os.fdopen(answers[0], "rb"))

    def _ensure_started(self) -> None:
        while not self._ready:
            if self._broken is None and self.restarts > self._max_restarts:
                self._broken = _("the grading process was restarted {count} times; giving up").format(count=self._max_restarts)
            if self._broken is not None:
                raise RunnerError(self._broken)
            try:
                if self._child is None:
                    self._spawn()
                self._await_ready()
            except RunnerError as error:
                self._broken = str(error)
                raise

    def _spawn(self) -> None:
        self._buffer = b""
        self._log.seek(0)
        self._log.truncate()
        self._child = self._fork()
        self.restarts += 1
        self._nonce = secrets.token_hex(16)  # the child's loading messages echo it
        try:
            self._send({
                "nonce": self._nonce,
                "root": self._root_seen,
                "names": self._layout.where,
                "skip": self._skip,
                "stand_in_modules": self._stand_in_modules,
                "own": sorted(self._layout.own),
                "exercise_modules": self._exercise_modules,
            })
        except _ChildDied:
            pass  # _await_ready reads the end of the pipe and says why

    def _await_ready(self) -> None:
        """Wait for the child's ready message; skip a module whose import hangs or kills it."""
        importing: str | None = None
        try:
            deadline = START_DEADLINE_S
            while True:
                message = self._receive(deadline, lambda message: message.get("nonce") == self._nonce)
                if message is None:
                    break
                if isinstance(message.get("ready"), dict):
                    self._load_problems = {str(name): said(why) or str(why)[:MAX_NOTE_CHARS] for name, why in message["ready"].items()}
                    self._keep_notes(message.get("notes"))
                    self._keep_confinement(message.get("confinement"))
                    self._ready = True
                    return
                if message.get("importing") not in self._layout.modules:
                    raise wire.WireError(_("an unexpected message while loading the submission"))
                importing = message["importing"]
                deadline = IMPORT_DEADLINE_S
        except wire.WireError as error:  # something wrote on the grader's channel: the submission, or a broken child
            self._stop()
            if importing is None:
                raise RunnerError(_("the grading process sent something that is not the grader's while loading ({error})").format(
                    error=error)) from None
            self._skip[importing] = as_message(SKIP_FOREIGN, module=importing, error=str(error))
            return
        except _ChildDied:
            code = self._stop()
            if importing is None:
                raise RunnerError(_("the grading process failed to start ({reason})").format(reason=_exit_reason(code))
                                  + self._output_tail()) from None
            self._skip[importing] = as_message(SKIP_ENDED, module=importing, reason=_exit_reason(code))
            return
        self._stop()
        if importing is None:
            raise RunnerError(_("the grading process did not start within {seconds} s").format(seconds=f"{START_DEADLINE_S:g}"))
        self._skip[importing] = as_message(SKIP_SLOW, module=importing, seconds=f"{IMPORT_DEADLINE_S:g}")

    def _keep_confinement(self, said: Any) -> None:
        """Add what the child put in force on itself (its seccomp filter) to the isolation in words, once."""
        if isinstance(said, str) and _(said[:200]) not in self.isolation:
            self.isolation += f"; {_(said[:200])}"  # its own words, translated when the catalogue knows them

    def _keep_notes(self, notes: Any) -> None:
        """Add the child's findings about loading the submission: plain text, each once, a bounded number."""
        for note in map(said, notes if isinstance(notes, list) else []):
            if note is not None and note[:MAX_NOTE_CHARS] not in self.notes and len(self.notes) < MAX_NOTES:
                self.notes.append(note[:MAX_NOTE_CHARS])

    def _stop(self) -> int | None:
        """Kill the child with all it started; how it ended (negative: by a signal), None if unknown."""
        child, self._child, self._ready = self._child, None, False
        if child is None:
            return None
        for stream in (child.stdin, child.stdout):
            try:
                stream.close()
            except OSError:
                pass
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

    def _send(self, message: Any) -> None:
        try:
            self._child.stdin.write((wire.dumps(message) + "\n").encode())
            self._child.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _ChildDied from None

    def _receive(self, deadline_s: float, wanted: Callable[[dict], bool]) -> dict | None:
        """The next message from the child that `wanted` accepts, or None when the deadline passes first.

        Lines that are not such a message (junk, forgeries without the nonce) are skipped, up to a limit.
        """
        end = time.monotonic() + deadline_s
        fd = self._child.stdout.fileno()
        for _skipped in range(MAX_SKIPPED_LINES):
            while b"\n" not in self._buffer:
                remaining = end - time.monotonic()
                if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise _ChildDied
                self._buffer += chunk
                if len(self._buffer) > wire.MAX_MESSAGE_BYTES:
                    raise wire.WireError(_("answer over the size limit"))
            line, _newline, self._buffer = self._buffer.partition(b"\n")
            try:
                message = wire.loads(line)
            except wire.WireError:
                continue
            if isinstance(message, dict) and wanted(message):
                return message
        raise wire.WireError(_("over {count} lines on the channel that are not the grader's").format(count=MAX_SKIPPED_LINES))

    def _output_tail(self) -> str:
        self._log.seek(0, os.SEEK_END)
        size = self._log.tell()
        self._log.seek(max(0, size - LOG_TAIL_CHARS))
        tail = self._log.read().decode(errors="replace").strip()
        return _("; its last output: ...{output}").format(output=tail) if tail else ""


def _failure(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message, "where": None}, "forbidden": []}


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        return _("killed by signal {signal}").format(signal=signal.Signals(-code).name)
    return _("exit code {code}").format(code=code)


# ---- the child side -------------------------------------------------------------


class _DoNothing(types.ModuleType):
    """Stands in for a package that is not installed: every attribute, call or item gives the stand-in back."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # so that the import system treats it as a plain module
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def __getitem__(self, key: Any) -> Any:
        return self

    def __iter__(self) -> Any:
        return iter(())

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> bool:
        return False


class _SubmissionImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the submission's own modules, running only the top-level statements toplevel.plan lets run.

    A statement that raises is recorded and the next one still runs; an import of a package
    that is not installed gets a do-nothing stand-in. What happened is kept in `notes`.
    """

    def __init__(self, root: Path, own: frozenset[str], exercise_modules: set[str]):
        self.root, self.own, self.exercise_modules = root, own, exercise_modules
        self.notes: list[dict] = []  # as_message() data

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        """A spec for a top-level module that is a .py file of the submission's folder, else None."""
        file = self.root / f"{fullname}.py"
        if path is not None or "." in fullname or not file.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, file, loader=self)

    def create_module(self, spec: Any) -> None:
        return None  # the default module object

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the statements of the module's file that the plan keeps, each compiled on its own."""
        file = Path(module.__file__)
        flags = 0
        for step in toplevel.plan(loader.parse(file), self.own):
            if step.runs:
                flags |= _future_flags(step.statement)
                self._run(step.statement, flags, module, file)

    def _run(self, statement: ast.stmt, flags: int, module: types.ModuleType, file: Path) -> None:
        """Run one statement; stand in for missing packages it imports; record what it raises."""
        for _attempt in range(MAX_STAND_INS + 1):
            try:
                code = compile(ast.Module(body=[statement], type_ignores=[]), str(file), "exec", flags=flags, dont_inherit=True)
                exec(code, vars(module))
                return
            except ModuleNotFoundError as error:
                missing = self._missing_package(error, statement)
                if missing is None:
                    self._record_failure(error, statement, module, file)
                    return
                _install_stand_ins(missing, toplevel.imported_modules(statement))
                self.notes.append(as_message(STAND_IN, file=file.name, line=statement.lineno, statement=_snippet(statement),
                                          missing=missing))
            except BaseException as error:  # SystemExit and KeyboardInterrupt too: the file's other lines still run
                self._record_failure(error, statement, module, file)
                return

    def _missing_package(self, error: ModuleNotFoundError, statement: ast.stmt) -> str | None:
        """The missing module when the statement itself imports it and it is not the submission's own, else None."""
        name = error.name or ""
        top = name.partition(".")[0]
        if not top or top in self.exercise_modules or (self.root / f"{top}.py").exists():
            return None
        imported = toplevel.imported_modules(statement)
        return name if any(module == name or module.startswith(f"{name}.") for module in imported) else None

    def _record_failure(self, error: BaseException, statement: ast.stmt, module: types.ModuleType, file: Path) -> None:
        """A note for a statement that raised, unless it only failed by using a do-nothing stand-in."""
        from autograder import probes

        scope = vars(module)
        if any(isinstance(scope.get(node.id), _DoNothing) for node in ast.walk(statement) if isinstance(node, ast.Name)):
            return  # the stand-in's note already says that this package's code does nothing
        described = probes.describe_error(error, self.root)
        values = {"file": file.name, "line": statement.lineno, "statement": _snippet(statement), "error": described["type"],
                  "message": described["message"][:200]}
        deeper = described["where"] not in (None, loader.at_line(file.name, statement.lineno))  # the child speaks English
        self.notes.append(as_message(RAISED_AT, **values, where=described["where"]) if deeper else as_message(RAISED, **values))


def _future_flags(statement: ast.stmt) -> int:
    """The compiler flags a `from __future__ import ...` statement turns on for the statements after it."""
    if not isinstance(statement, ast.ImportFrom) or statement.module != "__future__":
        return 0
    flags = 0
    for alias in statement.names:
        flags |= getattr(getattr(__future__, alias.name, None), "compiler_flag", 0)
    return flags


def _install_stand_ins(missing: str, imported: set[str]) -> None:
    """A do-nothing module for the missing one and each of its submodules the statement imports."""
    for module in sorted(imported):
        if module == missing or module.startswith(f"{missing}."):
            parts = module.split(".")
            for depth in range(missing.count(".") + 1, len(parts) + 1):
                name = ".".join(parts[:depth])
                sys.modules.setdefault(name, _DoNothing(name, "a do-nothing stand-in for a package that is not installed"))


def _snippet(statement: ast.stmt, limit: int = 60) -> str:
    """The statement's first line, shortened for a note."""
    text = ast.unparse(statement).splitlines()[0]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _load_submission(config: dict, announce: Any) -> tuple[Any, dict[str, dict], list[dict]]:
    """Import the submission's modules; stand in for broken ones that others import."""
    from autograder import probes, standins

    root = Path(config["root"])
    sys.path.insert(0, str(root))
    importer = _SubmissionImporter(root, frozenset(config["own"]), set(config["exercise_modules"]))
    sys.meta_path.insert(0, importer)
    module_problems: dict[str, dict] = dict(config["skip"])  # as_message() data, as all problems
    defining = set(config["names"].values())
    for stem, names in config["stand_in_modules"].items():
        if stem not in defining:  # missing, unparsable, or without the function: others may import it
            sys.modules[stem] = _stand_in_module(stem, names, standins.STANDINS)
    modules = []
    for stem in sorted(defining):
        if stem in module_problems:
            pass
        elif stem in sys.modules and getattr(sys.modules[stem], "__file__", None) != str(root / f"{stem}.py"):
            module_problems[stem] = as_message(GRADER_NAME, module=stem)
        else:
            announce({"importing": stem})
            try:
                modules.append(importlib.import_module(stem))
            except BaseException as error:  # SystemExit too
                described = probes.describe_error(error, root)
                values = {"module": stem, "error": described["type"], "message": described["message"]}
                module_problems[stem] = (as_message(NOT_IMPORTED_AT, **values, where=described["where"]) if described["where"]
                                         else as_message(NOT_IMPORTED, **values))
        if stem in module_problems and stem in config["stand_in_modules"]:
            sys.modules[stem] = _stand_in_module(stem, config["stand_in_modules"][stem], standins.STANDINS)
    found: dict[str, Any] = {}
    name_problems: dict[str, dict] = {}
    for name, stem in config["names"].items():
        if stem in module_problems:
            name_problems[name] = module_problems[stem]
        elif not hasattr(sys.modules[stem], name):
            name_problems[name] = as_message(NOT_DEFINED, name=name, module=stem)
        else:
            found[name] = getattr(sys.modules[stem], name)
    return probes.Namespace(names=found, modules=modules), name_problems, importer.notes


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
    requests = os.fdopen(os.dup(0), "rb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # input() in the student's code meets the end of input, not a request
    sys.stdin = open(os.devnull)  # noqa: SIM115  open for the child's whole life

    def send(message: Any) -> None:
        protocol.write((wire.dumps(message) + "\n").encode())

    import torch
    import torch._dynamo  # noqa: F401  imported by the first optimizer anyway: pay for it before the deadlines
    import torch.utils.data  # noqa: F401

    from autograder import confinement, probes, tripwires

    torch.set_num_threads(1)
    config = wire.loads(requests.readline())
    tripwires.install()
    sys.dont_write_bytecode = True  # nothing is written into the student's folder
    confined = confinement.forbid_new_processes()
    ns, name_problems, notes = _load_submission(config, lambda message: send({**message, "nonce": config["nonce"]}))
    send({"ready": name_problems, "notes": notes, "confinement": confined, "nonce": config["nonce"]})
    root = Path(config["root"])
    for line in requests:
        request = wire.loads(line)
        result = probes.run_probe(ns, request["probe"], request["args"], root)
        try:
            send({"result": result, "nonce": request["nonce"]})
        except (wire.WireError, TypeError, ValueError) as error:
            send({"unsendable": str(error), "nonce": request["nonce"]})  # the trusted process says it
