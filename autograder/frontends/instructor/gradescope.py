"""logreg-grade gradescope: the Gradescope autograder zip, built from a checkout of the kit.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once (as root, on Ubuntu)
when it builds the autograder's image, then run_autograder for each submission, which it puts
in /autograder/submission; the grade is read from /autograder/results/results.json. The zip:

    setup.sh          installs bubblewrap and libseccomp (the sandbox), a Python venv in
                      /autograder/venv, torch (the CPU build) first, then the kit from kit/
    run_autograder    logreg-grade /autograder/submission --json .../results.json --assignment
                      .../assignment.toml --lang LANG; a valid results.json (score 0, the reason)
                      whatever happens, in the language the zip was built in (--lang, else the
                      environment's)
    assignment.toml   the instructor's assignment file (--assignment or LOGREG_ASSIGNMENT), else
                      one that changes nothing
    kit/              the kit's source: pyproject.toml, README.md, autograder/ and solutions/

Both scripts read LOGREG_AUTOGRADER_ROOT (default /autograder), so the kit's tests run them in a
temporary folder laid out like Gradescope's.
"""

from __future__ import annotations

import argparse
import os
import shlex
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from autograder import commands, i18n
from autograder.grading import policy
from autograder.i18n import N_, _
from autograder.locations import PACKAGE
from autograder.pins import TORCH  # installed before the kit, from TORCH_INDEX

BUILT, CANNOT_BUILD = 0, 2  # the exit statuses
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"  # where pip finds torch's CPU build
TIME_LIMIT_S = 540  # under Gradescope's default timeout of 10 minutes, so results.json is always written
KIT_FILES = ("pyproject.toml", "README.md")
KIT_FOLDERS = ("autograder", "solutions")
SKIPPED_FOLDERS = ("__pycache__",)  # build leftovers, never packed
SKIPPED_SUFFIXES = (".pyc", ".egg-info")
STAMP = (1980, 1, 1, 0, 0, 0)  # every entry's date: the same checkout gives the same zip

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root on Ubuntu, when it builds the autograder's image.
# Written by `logreg-grade gradescope`; LOGREG_AUTOGRADER_ROOT moves the layout (default /autograder).
set -euo pipefail
ROOT="${LOGREG_AUTOGRADER_ROOT:-/autograder}"
VENV="$ROOT/venv"
TORCH_INDEX=@TORCH_INDEX@  # logreg-grade gradescope --torch-index

export DEBIAN_FRONTEND=noninteractive
apt-get update
# The sandbox (bubblewrap; libseccomp for the child's seccomp filter), and Python with venv and pip.
apt-get install -y --no-install-recommends bubblewrap libseccomp2 python3 python3-venv python3-pip
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade pip
# torch first, its CPU build: the kit's own requirement would pull gigabytes of CUDA packages.
"$VENV/bin/python" -m pip install "torch==@TORCH@" --index-url "$TORCH_INDEX"
# Then the kit from this zip; its solutions and held-out data stay hidden from student code.
"$VENV/bin/python" -m pip install "$ROOT/source/kit"
# Where bubblewrap cannot run (a container without user namespaces), student code runs as nobody:
# the kit's files, the assignment file (its seed) and the results are for root only.
chmod -R go-rwx "$ROOT/source" "$("$VENV/bin/python" -c 'import autograder, os; print(os.path.dirname(autograder.__file__))')"
# The isolation student code gets in this image (every results.json says it too).
"$VENV/bin/python" -c 'from autograder.sandbox.bubblewrap import isolation; from autograder.i18n.messages import say; print("Isolation:", say(isolation().description))'
"""  # noqa: E501 -- the shell script as setup.sh holds it, long lines included

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade $ROOT/submission into $ROOT/results/results.json.
# Written by `logreg-grade gradescope`; LOGREG_AUTOGRADER_ROOT moves the layout (default /autograder).
set -u
ROOT="${LOGREG_AUTOGRADER_ROOT:-/autograder}"
RESULTS="$ROOT/results/results.json"
TIME_LIMIT=@TIME_LIMIT@  # seconds; logreg-grade gradescope --time-limit
if [ -x "$ROOT/venv/bin/logreg-grade" ]; then PATH="$ROOT/venv/bin:$PATH"; fi  # setup.sh's venv

mkdir -p "$ROOT/results"
chmod 700 "$ROOT/results"  # student code never writes here, whoever it runs as
rm -f "$RESULTS"  # only what the grader writes now counts
cd "$ROOT" || exit 1
status=0
timeout --kill-after=10 "$TIME_LIMIT" logreg-grade "$ROOT/submission" --json "$RESULTS" \\
    --assignment "$ROOT/source/assignment.toml" --no-color --lang @LANG@ --handed-in || status=$?
# 0 to 3: graded, or a reason recorded in results.json (see logreg-grade --help).
if [ "$status" -le 3 ] && [ -s "$RESULTS" ]; then exit 0; fi

case "$status" in
    124|137) reason="@TIMED_OUT@" ;;
    126|127) reason="@NOT_INSTALLED@" ;;
    *) reason="@STOPPED@" ;;
esac
printf '{"score": 0.0, "output": "%s", "visibility": "visible", "stdout_visibility": "hidden", "extra_data": {"exit_status": %d}, "tests": []}\\n' \\
    "@NOT_GRADED@" "$status" > "$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
"""  # noqa: E501 -- the shell script as run_autograder holds it, long lines included

DEFAULT_ASSIGNMENT = """\
# The assignment file of this autograder: it changes nothing, so every check keeps its declared
# points and visibility, and each submission is graded with a secret seed of its own.
# To change that, pass your own file: logreg-grade gradescope --assignment FILE --out ZIP
"""


# run_autograder's reasons when logreg-grade wrote no results.json: {names} become the script's shell variables
SHELL_TEXTS = {
    "TIMED_OUT": (N_("grading took longer than {seconds} seconds"), {"seconds": "$TIME_LIMIT"}),
    "NOT_INSTALLED": (N_("logreg-grade is not installed here (did setup.sh finish?)"), {}),
    "STOPPED": (
        N_("logreg-grade stopped with exit status {status} before it wrote the results"),
        {"status": "$status"},
    ),
    "NOT_GRADED": (
        N_("The autograder could not grade this submission: {reason}. Please tell your instructor."),
        {"reason": "$reason"},
    ),
}
UNSAFE_IN_SHELL = set('"$`\\')  # in a double-quoted bash string, or the JSON printf writes


class BuildError(Exception):
    """Why the zip cannot be built, with what to do."""


def kit_root() -> Path:
    """The checkout the running kit comes from: its source is what the zip installs."""
    root = PACKAGE.parent
    missing = [name for name in (*KIT_FILES, *KIT_FOLDERS) if not (root / name).exists()]
    if missing:
        raise BuildError(
            _(
                "{folder} is not a checkout of the kit (no {missing}): the zip packs the kit's source, so run "
                "logreg-grade gradescope from an install of a checkout (pip install -e .)"
            ).format(folder=root, missing=", ".join(missing))
        )
    return root


def packed(path: Path) -> bool:
    """Whether a file of the kit's source belongs in the zip."""
    return not any(part in SKIPPED_FOLDERS or part.endswith(SKIPPED_SUFFIXES) for part in path.parts)


def kit_entries(root: Path) -> Iterator[tuple[str, bytes]]:
    """(name in the zip, content) of each file of the kit's source."""
    for name in KIT_FILES:
        yield f"kit/{name}", (root / name).read_bytes()
    for folder in KIT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and packed(relative):
                yield f"kit/{relative.as_posix()}", path.read_bytes()


def assignment_text(explicit: Path | None) -> str:
    """The assignment file to pack, checked now so that a bad one fails here rather than at every submission."""
    source = policy.locate(explicit)
    if source is None:
        return DEFAULT_ASSIGNMENT
    try:
        policy.load(source)
    except policy.PolicyError as error:
        raise BuildError(str(error)) from None
    return source.read_text(encoding="utf-8")


def script(template: str, **values: str) -> str:
    """A script template with its @NAME@ placeholders filled in."""
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    return template


def shell_texts() -> dict[str, str]:
    """run_autograder's texts in the current language, with their shell variables, by placeholder name."""
    said = {}
    for name, (message, variables) in SHELL_TEXTS.items():
        text = _(message)
        if UNSAFE_IN_SHELL & set(text):
            raise BuildError(
                _("the catalogue's text {text!r} cannot go in run_autograder: it holds one of {unsafe}").format(
                    text=text, unsafe=" ".join(sorted(UNSAFE_IN_SHELL))
                )
            )
        said[name] = text.format(**variables)
    return said


def entries(root: Path, assignment: str, *, torch_index: str, time_limit_s: int) -> Iterator[tuple[str, bytes, int]]:
    """(name, content, mode) of every file of the zip, the kit's source taken from root."""
    yield "setup.sh", script(SETUP_SH, TORCH=TORCH, TORCH_INDEX=shlex.quote(torch_index)).encode(), 0o755
    run = script(RUN_AUTOGRADER, TIME_LIMIT=str(time_limit_s), LANG=i18n.current(), **shell_texts())
    yield "run_autograder", run.encode(), 0o755
    yield "assignment.toml", assignment.encode(), 0o644
    for name, content in kit_entries(root):
        yield name, content, 0o644


def write_zip(out: Path, files: Iterator[tuple[str, bytes, int]]) -> int:
    """Write the zip atomically (a reader sees no half-written file); the number of files in it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(descriptor, "wb") as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content, mode in files:
                entry = zipfile.ZipInfo(name, date_time=STAMP)
                entry.create_system = 3  # Unix, so that unzip honours the permissions
                entry.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, content)
                count += 1
        os.replace(temporary, out)
    except BaseException:
        os.unlink(temporary)
        raise
    return count


def build(
    out: Path, *, assignment: Path | None = None, torch_index: str = TORCH_INDEX, time_limit_s: int = TIME_LIMIT_S
) -> int:
    """Write the autograder zip to out, grading in the current language; the number of files in it."""
    root = kit_root()  # first: checking an assignment file imports the checks, and torch
    files = entries(root, assignment_text(assignment), torch_index=torch_index, time_limit_s=time_limit_s)
    try:
        return write_zip(out, files)
    except OSError as error:
        raise BuildError(_("cannot write {file}: {reason}").format(file=out, reason=error.strerror or error)) from None


def positive_seconds(value: str) -> int:
    """The type of --time-limit: a whole number of seconds, at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(_("{value!r} is not a whole number of seconds, 1 or more").format(value=value))
    return int(value)


DESCRIPTION = N_("Build the Gradescope autograder zip: upload it on the assignment's Configure Autograder page.")
EPILOG = N_(
    "The zip holds setup.sh, run_autograder, assignment.toml and the kit's source with its solutions: keep it "
    "private. Gradescope grades each submission with logreg-grade in the sandbox and shows students one test per "
    "check."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of logreg-grade gradescope."""
    parser.add_argument(
        "--out",
        metavar="FILE.zip",
        type=Path,
        required=True,
        help=_("where to write the zip (its folders are created)"),
    )
    parser.add_argument(
        "--assignment",
        metavar="FILE",
        type=Path,
        help=_(
            "the assignment file (points, visibility, gates, seed) to grade with; default: LOGREG_ASSIGNMENT, else "
            "the declared points and visibility with a secret seed per submission"
        ),
    )
    parser.add_argument("--force", action="store_true", help=_("replace FILE.zip if it exists"))
    parser.add_argument(
        "--torch-index",
        metavar="URL",
        default=TORCH_INDEX,
        help=_("the package index setup.sh installs torch=={torch} from (default: %(default)s, its CPU build)").format(
            torch=TORCH
        ),
    )
    parser.add_argument(
        "--time-limit",
        metavar="SECONDS",
        type=positive_seconds,
        default=TIME_LIMIT_S,
        help=_(
            "stop grading a submission after this long and record score 0 with the reason; keep it under the "
            "assignment's autograder timeout on Gradescope (default: %(default)s)"
        ),
    )


def refused(out: Path, force: bool) -> str | None:
    """Why --out cannot be written, or None."""
    if out.suffix != ".zip":
        return _("--out {file} does not end in .zip: Gradescope takes a zip file").format(file=out)
    if out.is_dir():
        return _("--out {file} is a folder: name the zip file to write, such as {example}").format(
            file=out, example=out / "autograder.zip"
        )
    if out.exists() and not force:
        return _("{file} exists: pass --force to replace it").format(file=out)
    return None


def run(args: argparse.Namespace) -> int:
    """Build the zip; 0, or a CommandError that says why not."""
    problem = refused(args.out, args.force)
    if problem is not None:
        raise commands.CommandError(problem, CANNOT_BUILD)
    try:
        count = build(args.out, assignment=args.assignment, torch_index=args.torch_index, time_limit_s=args.time_limit)
    except BuildError as error:
        raise commands.CommandError(str(error), CANNOT_BUILD) from None
    print(
        _(
            "Wrote {file} ({count} files): upload it on the assignment's Configure Autograder page on Gradescope."
        ).format(file=args.out, count=count)
    )
    return BUILT


COMMAND = commands.Command(
    prog="logreg-grade gradescope",
    description=DESCRIPTION,
    epilog=EPILOG,
    add_arguments=add_arguments,
    run=run,
    lang_what=N_("the language of the results students see"),
)


def parser() -> argparse.ArgumentParser:
    """The command line of logreg-grade gradescope, in the current language."""
    return commands.parser(COMMAND)


def main(argv: Sequence[str] | None = None) -> int:
    """Run logreg-grade gradescope; the return value is the exit status."""
    return commands.main(COMMAND, argv)
