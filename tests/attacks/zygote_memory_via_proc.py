"""Attack: open another process's memory through /proc (the zygote that forked it, or any other), to rewrite it.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os

for entry in os.listdir("/proc"):
    if not entry.isdigit() or int(entry) == os.getpid():
        continue
    for name, mode in (("mem", "r+b"), ("environ", "rb"), ("maps", "rb")):
        try:
            with open(f"/proc/{entry}/{name}", mode) as file:
                file.read(1)
            STOLEN = torch.special.expit
        except OSError:
            pass
    try:
        os.readlink(f"/proc/{entry}/fd/0")  # its descriptors: the zygote's control socket
        STOLEN = torch.special.expit
    except OSError:
        pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
