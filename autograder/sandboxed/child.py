"""The child: load the submission, then answer the trusted side's probe requests, one at a time, until stdin closes.

Forked by the zygote (zygote.py) in the sandbox, it runs the student's code. Its answers are plain data
(wire.py) on a descriptor of its own; the student's prints go to a log, never into the answers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from autograder.sandboxed import answers, wire


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
    import torch._dynamo
    import torch.utils.data

    from autograder.sandboxed import confinement, importer, probes, tripwires

    torch.set_num_threads(1)
    config = wire.loads(requests.readline())
    tripwires.install()
    sys.dont_write_bytecode = True  # nothing is written into the student's folder
    confined = confinement.forbid_new_processes()
    ns, name_problems, notes = importer.load_submission(
        config, lambda message: send({**message, "nonce": config["nonce"]})
    )
    send({"ready": name_problems, "notes": notes, "confinement": confined, "nonce": config["nonce"]})
    root = Path(config["root"])
    for line in requests:
        request = wire.loads(line)
        result = probes.run_probe(ns, request["probe"], request["args"], root)
        try:
            send({"result": answers.to_plain(result), "nonce": request["nonce"]})
        except (wire.WireError, TypeError, ValueError) as error:
            send({"unsendable": str(error), "nonce": request["nonce"]})  # the trusted process says it
