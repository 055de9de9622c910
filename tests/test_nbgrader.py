"""A real nbgrader run on the course `logreg-grade nbgrader` writes, and the kernel's check cell in a real kernel.

One buggy exercise scores the same as a .py file, as a notebook, through nbgrader and through the Gradescope
autograder, all under the course's assignment file.

No network: nbgrader runs in a temporary course folder, students created on the fly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.api import Gradebook
from test_corpus import BUGS
from test_gradescope_package import build, run_autograder, unpack

from autograder.frontends import cli
from autograder.frontends.instructor.nbgrader import course
from autograder.materials import notebooks as lesson_notebooks
from autograder.materials.stubs import BEGIN, END

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
MODULES = [path.stem for path in sorted((REPO / "solutions").glob("ex*.py"))]
BUG = next(bug for bug in BUGS if bug.name == "bce_no_shape_check")  # a real slip that costs some of the points
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A student's own cell that would score full marks if nbgrader ran the notebook's cells in its kernel.
FORGED_CHECK = """import sys, types
fake = types.ModuleType("autograder.frontends.jupyter")
fake.check = lambda module: 18.0
fake.load_ipython_extension = lambda ipython: None
sys.modules["autograder.frontends.jupyter"] = fake"""
POLICY = (
    '[assignment]\nname = "logreg"\n\n[exercises.2]\npoints = 30\n'  # not the declared 18: the cells follow the file
)


@pytest.fixture
def kit_importable(monkeypatch) -> dict[str, str]:
    """The environment kernels start with: the kit importable even where it is not installed."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return dict(os.environ)


def nbgrader(root: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "logreg"],
        check=False,
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "SAWarning" not in done.stderr, done.stderr[-3000:]  # the course builds submissions without autoflush


def solution_lines(module: str) -> list[str]:
    text = (REPO / "solutions" / f"{module}.py").read_text()
    blocks = re.findall(rf"{BEGIN}\n(.*?)\n[ \t]*{END}", text, re.DOTALL)
    return [
        line.strip() for block in blocks for line in block.splitlines() if len(line.strip()) >= 10
    ]  # not a lone ")"


def hand_in(root: Path, student: str, notebooks: dict[str, dict[str, str]]) -> None:
    """Copy released notebooks to submitted/<student>/logreg/,
    each solution cell's source replaced as given by grade_id."""
    folder = root / "submitted" / student / "logreg"
    folder.mkdir(parents=True)
    for module, answers in notebooks.items():
        notebook = nbformat.read(root / "release" / "logreg" / f"{module}.ipynb", as_version=4)
        for cell in notebook.cells:
            cell.source = answers.get(cell.metadata.get("nbgrader", {}).get("grade_id"), cell.source)
        nbformat.write(notebook, folder / f"{module}.ipynb")


def solved_cells(module: str, replace: tuple[str, str] | None = None) -> dict[str, str]:
    """The source notebook's solution cells by grade_id (with one text replaced: a student's slip)."""
    notebook = lesson_notebooks.source_notebook(REPO / "solutions" / f"{module}.py")
    cells = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in notebook.cells
        if cell.metadata["nbgrader"]["solution"]
    }
    if replace:
        [grade_id] = [grade_id for grade_id, source in cells.items() if source.count(replace[0]) == 1]
        cells[grade_id] = cells[grade_id].replace(*replace)
    return cells


def outputs(path: Path) -> list[dict]:
    return [
        output
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
        for output in cell.outputs
    ]


EDITED_METADATA = ("a_copied_check_cell", "a_odd_metadata", "a_claims_exercise_2")  # first in nbgrader's order


def hand_in_edited_metadata(root: Path) -> None:
    """Students whose solved ex1 notebook has metadata they edited: a check cell copied with its grade_id;
    metadata of the wrong types; the kit's metadata claiming another exercise."""
    for student in EDITED_METADATA:
        hand_in(root, student, {"ex1_sigmoid": solved_cells("ex1_sigmoid")})
    copied, odd, claims = (root / "submitted" / student / "logreg" / "ex1_sigmoid.ipynb" for student in EDITED_METADATA)
    notebook = nbformat.read(copied, as_version=4)
    check = next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade"))
    notebook.cells.append(nbformat.from_dict(dict(check)))
    nbformat.write(notebook, copied)
    notebook = nbformat.read(odd, as_version=4)
    notebook.metadata["logreg"] = 5
    notebook.cells[0].metadata["nbgrader"] = "x"
    nbformat.write(notebook, odd)
    notebook = nbformat.read(claims, as_version=4)
    notebook.metadata["logreg"] = {"assignment": "logreg", "exercise": "ex2_bce_loss"}
    nbformat.write(notebook, claims)


def test_nbgrader_releases_autogrades_and_agrees_with_logreg_grade_and_gradescope(tmp_path, kit_importable):
    root, policy = tmp_path / "course", tmp_path / "policy.toml"
    policy.write_text(POLICY)
    assert course.main(["--out", str(root), "--assignment", str(policy)]) == 0
    nbgrader(root, kit_importable, "generate_assignment")

    for module in MODULES:  # the release: no solution left, the same stub line as the kit's student notebooks
        released = nbformat.read(root / "release" / "logreg" / f"{module}.ipynb", as_version=4)
        text = "\n".join(cell.source for cell in released.cells if cell.cell_type == "code")  # the task tells the loop
        assert not [line for line in solution_lines(module) if line in text], module
        student = lesson_notebooks.student_notebook(
            lesson_notebooks.source_notebook(REPO / "solutions" / f"{module}.py")
        )
        assert [cell.source for cell in released.cells] == [cell.source for cell in student.cells]

    hand_in(root, "solved", {module: solved_cells(module) for module in MODULES})
    hand_in(root, "untouched", {"ex1_sigmoid": {}, "ex6_numpy": {}})
    hand_in(root, "buggy", {"ex2_bce_loss": solved_cells("ex2_bce_loss", (BUG.old, BUG.new))})
    (root / "submitted" / "buggy" / "logreg" / "assignment.toml").write_text("[checks.bad\n")  # a student's: never read
    hand_in(root, "forger", {"ex1_sigmoid": {}})
    forged = root / "submitted" / "forger" / "logreg" / "ex1_sigmoid.ipynb"
    notebook = nbformat.read(forged, as_version=4)
    notebook.cells.insert(1, nbformat.v4.new_code_cell(FORGED_CHECK))
    nbformat.write(notebook, forged)
    hand_in_edited_metadata(root)  # graded first: nbgrader goes on with every student after them
    nbgrader(root, kit_importable, "autograde")

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {
            student: {
                notebook.name: (notebook.score, notebook.max_score)
                for notebook in gradebook.find_submission("logreg", student).notebooks
            }
            for student in ("solved", "untouched", "buggy", "forger", *EDITED_METADATA)
        }
    for student in EDITED_METADATA:  # their solved ex1 notebook earns its points, and nothing more
        assert scores[student]["ex1_sigmoid"] == (18, 18), (student, scores[student])
        assert all(score == 0 for module, (score, _) in scores[student].items() if module != "ex1_sigmoid")
    worth = {module: scores["solved"][module][1] for module in MODULES}
    assert worth["ex2_bce_loss"] == 30 and sum(worth.values()) == 112
    assert scores["solved"] == {module: (worth[module], worth[module]) for module in MODULES}
    assert scores["untouched"]["ex1_sigmoid"] == (0, 18) and scores["untouched"]["ex6_numpy"] == (0, 22)
    assert scores["forger"]["ex1_sigmoid"] == (0, 18)  # the kit grades the code: no cell of the notebook runs

    buggy = tmp_path / "ex2_bce_loss.py"  # the same code as a .py file, graded by logreg-grade under the course's file
    buggy.write_text((REPO / "solutions" / "ex2_bce_loss.py").read_text().replace(BUG.old, BUG.new))
    assert (
        cli.main([str(buggy), "--assignment", str(root / "assignment.toml"), "--json", str(tmp_path / "r.json")]) == 1
    )
    expected = round(json.loads((tmp_path / "r.json").read_text())["score"], 2)  # points come in hundredths
    assert 0 < expected < 30 and scores["buggy"]["ex2_bce_loss"] == (expected, 30)

    # The same notebook graded directly, and by the Gradescope autograder built with the course's assignment file.
    handed_in = root / "submitted" / "buggy" / "logreg" / "ex2_bce_loss.ipynb"
    assert (
        cli.main([str(handed_in), "--assignment", str(root / "assignment.toml"), "--json", str(tmp_path / "nb.json")])
        == 1
    )
    gradescope = tmp_path / "gradescope"
    unpack(build(tmp_path, "--assignment", str(root / "assignment.toml")), gradescope / "source")
    for folder in ("submission", "results"):
        (gradescope / folder).mkdir()
    shutil.copy(handed_in, gradescope / "submission")
    as_notebook = round(json.loads((tmp_path / "nb.json").read_text())["score"], 2)
    assert as_notebook == expected == round(run_autograder(gradescope)["score"], 2)

    autograded = sorted((root / "autograded").glob("*/logreg/*.ipynb"))
    assert len(autograded) == 10 + len(EDITED_METADATA)
    for path in autograded:  # nbgrader scores a cell with stderr output 0: none anywhere, and no error
        assert not [o for o in outputs(path) if o["output_type"] == "error" or o.get("name") == "stderr"], path
    shown = [
        o
        for o in outputs(root / "autograded" / "buggy" / "logreg" / "ex2_bce_loss.ipynb")
        if o["output_type"] == "display_data"
    ]
    report = "".join(o["data"]["text/plain"] for o in shown)  # plain text, and HTML for the feedback page
    assert [sorted(o["data"]) for o in shown] == [["text/html", "text/plain"]] and not ANSI.search(report)
    assert (
        "Exercise 2 - " in report
        and f"Total: {cli.terminal.number(expected)}/30" in report
        and "✗   bce.shape_mismatch" in report
    )
    secret = re.search(r"^seed = (\d+)", (root / course.POLICY_FILE).read_text(), re.MULTILINE)
    page = report + "".join(o["data"]["text/html"] for o in shown)
    assert secret and secret.group(1) not in page and "seed" not in page  # the course's seed stays the instructor's


NOISE = """# [logreg: noise] (a kit cell: not graded) grading that writes to stderr in every way it can
import os, sys, warnings
from autograder.grading import grade as grading
plain = grading.grade
def noisy(*args, **kwargs):
    os.write(2, b"descriptor 2\\n")
    print("sys.stderr", file=sys.stderr)
    warnings.warn("a warning")
    return plain(*args, **kwargs)
grading.grade = noisy
print("this cell's own stderr", file=sys.stderr)"""


def test_a_check_cell_shows_the_report_and_writes_nothing_to_stderr(tmp_path, kit_importable):
    notebook = lesson_notebooks.source_notebook(REPO / "solutions" / "ex1_sigmoid.py")
    notebook.cells.insert(-1, nbformat.v4.new_code_cell(NOISE))
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    noise, checks = notebook.cells[-2], notebook.cells[-1]
    assert [o["name"] for o in noise.outputs] == ["stderr"]  # the kernel does pass stderr on: the check cell keeps none
    assert [o.get("name") for o in checks.outputs if o["output_type"] == "stream"] and all(
        o["output_type"] == "execute_result" or o.get("name") == "stdout" for o in checks.outputs
    )
    assert [o["data"]["text/plain"] for o in checks.outputs if o["output_type"] == "execute_result"] == ["18.0"]
    report = ANSI.sub("", "".join(o.get("text", "") for o in checks.outputs))
    assert "Exercise 1 as run in this notebook" in report and "Exercise 1 - The sigmoid" in report
    assert "seed" not in report  # a student reads it: no seed, the course's least of all
    assert "sigmoid.own_code" in report and "Total: 18/18" in report
