"""Where the grader's own files are: its package, and the reference solutions (inside it once installed); and the
version they make.

Light on purpose: the sandbox reads it to hide these folders before anything imports torch.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from autograder import __version__

PACKAGE = Path(__file__).resolve().parent
# Installed: solutions/ is shipped inside the package; in a checkout it sits beside it.
SOLUTION_PLACES = (PACKAGE / "solutions", PACKAGE.parent / "solutions")
SOLUTIONS = next((place for place in SOLUTION_PLACES if place.is_dir()), SOLUTION_PLACES[0])
RELEASE_CHECKS = PACKAGE / "lesson" / "visible.json"  # a student release's visible checks, as data (lesson/manifest.py)


@functools.cache
def kit_version() -> str:
    """The kit's version and a digest of its code and reference solutions ("0.1.0+1a2b3c4d5e6f"): equal for two
    installs only when they grade alike (a batch never mixes grades of two, nor a Dask cluster's workers)."""
    digest = hashlib.sha256()
    for folder in dict.fromkeys((PACKAGE, SOLUTIONS)):
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"
