"""The versions the kit pins, each kept here and read from here by everything that names it.

TORCH is the torch the kit is tested with, installed before the kit wherever the kit is installed: by CI
(.ci/run reads it from this file's text, before the kit is installed), in the student release's README and
`logreg-grade release --help`, and by the Gradescope autograder's setup.sh. Exactly this version, because
`pip install torch==TORCH` gets torch's CPU build, where any other requirement (the kit's own range, a bare
`torch`) pulls gigabytes of CUDA packages on a machine without torch. README.md says the same version in its commands
(a test checks that they agree, and that pyproject.toml's torch range admits it).

This module imports nothing: every layer of the kit, and a shell script, may read it.
"""

TORCH = "2.13.0"  # .ci/run reads this line as text: keep it one line, the version in double quotes
