"""Where the grader's own files are: its package, and the reference solutions (inside it once installed).

Light on purpose: the sandbox reads it to hide these folders before anything imports torch.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Installed: solutions/ is shipped inside the package; in a checkout it sits beside it.
SOLUTION_PLACES = (PACKAGE / "solutions", PACKAGE.parent / "solutions")
SOLUTIONS = next((place for place in SOLUTION_PLACES if place.is_dir()), SOLUTION_PLACES[0])
RELEASE_CHECKS = PACKAGE / "lesson" / "visible.json"  # a student release's visible checks, as data (lesson/manifest.py)
