"""The torch version lives in autograder/pins.py: every command that installs torch names that version."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from packaging.requirements import Requirement

from autograder import i18n
from autograder.frontends.instructor import release
from autograder.i18n import _
from autograder.pins import TORCH

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"torch==([0-9A-Za-z.+!{}]+)")  # the version in `pip install torch==X`, or its placeholder


def test_the_readmes_commands_install_the_pinned_torch():
    named = PINNED.findall((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(named) >= 4 and set(named) == {TORCH}


def test_the_release_readme_and_help_name_the_pinned_torch_in_every_language():
    try:
        for language in i18n.LANGUAGES:
            i18n.use(language)
            assert PINNED.findall(_(release.README)) == ["{torch}"], language  # a translation never fixes a version
            assert PINNED.findall(_(release.README).format(torch=TORCH)) == [TORCH], language
            assert PINNED.findall(release.parser().format_help()) == [TORCH], language
    finally:
        i18n.use("en")


def test_the_kits_torch_range_admits_the_pinned_torch():
    requirements = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    [torch] = [Requirement(text) for text in requirements if Requirement(text).name == "torch"]
    assert torch.specifier.contains(TORCH), f"pyproject.toml asks for torch{torch.specifier}, the kit pins {TORCH}"


def test_ci_installs_the_pinned_torch_read_from_pins_py():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    [assignment] = [line for line in script.splitlines() if line.startswith("TORCH=")]
    read = subprocess.run(["bash", "-c", f'{assignment}\nprintf %s "$TORCH"'], cwd=REPO, capture_output=True, text=True)
    assert read.returncode == 0 and read.stdout == TORCH, read.stderr
    assert '"torch==${TORCH' in script and not re.search(r"torch==\d", script)
