"""The pipes between the trusted side and one child: requests out, JSON lines in, each answer awaited in time."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from autograder.i18n import _
from autograder.sandboxed import wire

MAX_SKIPPED_LINES = 10_000  # lines on the channel that are not the awaited message, before the child is given up


class ChildDied(Exception):
    """The child's end of a pipe closed: it exited, crashed or was killed."""


@dataclass
class Child:
    """A child forked by the zygote: its pid in the sandbox, its two pipes, what it sent that is not read yet."""

    pid: int
    stdin: BinaryIO
    stdout: BinaryIO
    buffer: bytes = b""

    def send(self, message: Any) -> None:
        """One request, as a line of plain data."""
        try:
            self.stdin.write((wire.dumps(message) + "\n").encode())
            self.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ChildDied from None

    def receive(self, deadline_s: float, wanted: Callable[[dict], bool]) -> dict | None:
        """The next message from the child that `wanted` accepts, or None when the deadline passes first.

        Lines that are not such a message (junk, forgeries without the nonce) are skipped, up to a limit.
        """
        end = time.monotonic() + deadline_s
        fd = self.stdout.fileno()
        for _skipped in range(MAX_SKIPPED_LINES):
            while b"\n" not in self.buffer:
                remaining = end - time.monotonic()
                if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                    return None
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise ChildDied
                self.buffer += chunk
                if len(self.buffer) > wire.MAX_MESSAGE_BYTES + 1 and b"\n" not in chunk:  # a line past the limit
                    raise wire.WireError(
                        _("an answer over the limit of {limit} bytes on one line").format(limit=wire.MAX_MESSAGE_BYTES)
                    )
            line, _newline, self.buffer = self.buffer.partition(b"\n")
            try:
                message = wire.loads(line)
            except wire.WireError:
                continue
            if isinstance(message, dict) and wanted(message):
                return message
        raise wire.WireError(
            _("over {count} lines on the channel that are not the grader's").format(count=MAX_SKIPPED_LINES)
        )
