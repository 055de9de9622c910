"""Notebook submissions: read, keep the student's cells, write the module they make, grade it as the .py form."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_corpus import BUGS, SOLUTIONS, build_submission

from autograder.frontends.cli import main
from autograder.grading.grade import grade, wanted_names
from autograder.i18n.messages import File, Lines, Place, listed, message, say, say_all
from autograder.submission import loader, notebooks, unrun
from autograder.submission.notebooks import NotebookError, module_source, student_cells

SETUP = "# [logreg: setup]\n%load_ext autograder.frontends.jupyter"
CHECKS = "# [logreg: checks {module}]\nfrom autograder.frontends.jupyter import check\ncheck({module!r})"
TEST_CELL = {
    "nbgrader": {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "checks",
        "points": 18,
        "schema_version": 3,
    }
}
POINTS = {1: 18, 2: 18, 3: 12, 4: 20, 5: 10, 6: 22}


def notebook_of(source: str, module: str) -> nbformat.NotebookNode:
    """The notebook a student would have for a .py file: the kit's cells around its parts as code cells."""
    parts = [new_code_cell(part) for part in source.split("\n\n\n")]  # the parts between top-level definitions
    return new_notebook(
        cells=[
            new_markdown_cell(f"# {module}"),
            new_code_cell(SETUP, metadata={"logreg": {"role": "setup"}}),
            *parts,
            new_code_cell(CHECKS.format(module=module), metadata={"logreg": {"role": "checks"}, **TEST_CELL}),
        ],
        metadata={"logreg": {"assignment": notebooks.ASSIGNMENT, "exercise": module}},
    )


def write(notebook: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(notebook, path)
    return path


def as_notebooks(folder: Path) -> Path:
    """Each .py file of folder replaced by its notebook."""
    for file in sorted(folder.glob("*.py")):
        write(notebook_of(file.read_text(), file.stem), file.with_suffix(".ipynb"))
        file.unlink()
    return folder


def solutions_as_notebooks(tmp_path: Path) -> Path:
    return as_notebooks(build_submission(tmp_path))


def folder_with(tmp_path: Path, name: str, bug=None) -> Path:
    """The solutions with the bug, in a folder of its own below tmp_path."""
    (tmp_path / name).mkdir()
    return build_submission(tmp_path / name, bug=bug)


def checks_of(outcomes: list) -> list[tuple]:
    """What a grading decided, check by check (not how the file was named in its messages)."""
    return [(o.check_id, o.points, o.max_points, o.status, o.mistake, say(o.hint)) for o in outcomes]


def earned(outcomes: list) -> dict[int, float]:
    found = dict.fromkeys(POINTS, 0.0)
    for outcome in outcomes:
        found[outcome.exercise] += outcome.points
    return found


# Cells to a module (no grading).


def test_magics_shell_and_help_lines_become_comments_and_line_numbers_stay():
    cells = [
        "%matplotlib inline\nimport torch",
        "!pip install torch\nx = 1\nsigmoid?\n?torch.exp\nfiles = !ls",
        "%%time\nfor i in range(3):\n    print(i)",
    ]
    source, notes = module_source(cells, name="ex1_sigmoid.ipynb")
    assert source.splitlines() == [
        "# In[1]",
        "# %matplotlib inline",
        "import torch",
        "",
        "# In[2]",
        "# !pip install torch",
        "x = 1",
        "# sigmoid?",
        "# ?torch.exp",
        "# files = !ls",
        "",
        "# In[3]",
        "# %%time",
        "# for i in range(3):",
        "#     print(i)",
        "",
    ]
    assert list(say_all(notes)) == [
        "ex1_sigmoid.ipynb: 6 IPython lines not run (%matplotlib inline, !pip install torch, sigmoid?, ...)"
    ]
    compile(source, "ex1_sigmoid.py", "exec")


def test_python_that_looks_like_ipython_is_kept():
    cell = 'def f(x):\n    """Why?\n    %s is not a magic\n    """\n    y = (x\n         % 7)\n    return y != 1\n'
    assert module_source([cell]) == ("# In[1]\n" + cell + "\n", [])


def test_a_magic_inside_a_block_keeps_the_block_valid():
    source, notes = module_source(["for i in range(2):\n    %time f(i)\n"], numbers=[7])
    assert source.splitlines()[:3] == ["# In[7]", "for i in range(2):", "    pass  # %time f(i)"]
    assert list(say_all(notes)) == ["1 IPython line not run (%time f(i))"]
    compile(source, "x.py", "exec")


def test_the_kit_cells_and_nbgrader_test_cells_are_left_out_edited_or_not():
    notebook = notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid")
    student = student_cells(notebook)
    assert student == (SOLUTIONS / "ex1_sigmoid.py").read_text().split("\n\n\n")
    edited = notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid")
    edited.cells[-1].source = "import torch\nsigmoid = torch.sigmoid\ncheck = lambda module: 18"  # marker line gone too
    deleted = notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid")
    del deleted.cells[-1]
    unmarked = notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid")
    unmarked.cells[1].metadata = {}  # only the first line says it is the kit's
    assert student_cells(edited) == student_cells(deleted) == student_cells(unmarked) == student
    answer = new_code_cell("def helper():\n    return 1", metadata={"nbgrader": {"grade": True, "solution": True}})
    notebook.cells.append(answer)  # an autograded answer is the student's
    assert student_cells(notebook) == [*student, answer.source]


# Reading a notebook.


BAD_FILES = {
    "corrupt JSON": (
        b'{"cells": [{"cell_type": "code", "source": "def sigmoid(z):',
        "ex1_sigmoid.ipynb is not a valid notebook: its JSON is broken at line 1",
    ),
    "a PNG renamed": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "ex1_sigmoid.ipynb is not a Jupyter notebook: it holds a PNG image",
    ),
    "Python renamed": (
        b"import torch\n\ndef sigmoid(z):\n    return z\n",
        "ex1_sigmoid.ipynb holds Python code, not a notebook: rename it to ex1_sigmoid.py",
    ),
    "empty": (b"", "ex1_sigmoid.ipynb is empty"),
    "not a notebook": (
        b'{"nbformat": 4, "nbformat_minor": 5, "cells": []}',
        "ex1_sigmoid.ipynb is not a valid notebook (",
    ),
    "another assignment": (
        nbformat.writes(new_notebook(metadata={"logreg": {"assignment": "linreg"}})).encode(),
        "ex1_sigmoid.ipynb is a notebook of another assignment (its metadata says 'linreg', not 'logreg')",
    ),
}


@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_file_that_is_no_notebook_of_this_lesson_is_a_clear_error(bad, tmp_path):
    content, message = BAD_FILES[bad]
    (tmp_path / "ex1_sigmoid.ipynb").write_bytes(content)
    with pytest.raises(NotebookError) as error:
        notebooks.read(tmp_path / "ex1_sigmoid.ipynb")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value) and len(str(error.value)) < 300


def test_an_older_notebook_format_is_read_as_format_4(tmp_path):
    old = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell("x = 1")])])
    (tmp_path / "old.ipynb").write_text(nbformat.writes(old, version=3))
    notebook = notebooks.read(tmp_path / "old.ipynb")
    assert notebook.nbformat == 4 and student_cells(notebook) == ["x = 1"]


# Messages in the notebook's terms.


def test_module_lines_are_said_as_cells_and_lines(tmp_path):
    cells = [
        new_markdown_cell("# 1"),
        new_code_cell("import torch"),
        new_markdown_cell("# 3"),
        new_code_cell("def sigmoid(z):\n    return z"),
        new_code_cell("print(sigmoid(1))\nfor i in range(3):\n    pass"),
    ]
    write(new_notebook(cells=cells), tmp_path / "ex1_sigmoid.ipynb")
    (tmp_path / "into").mkdir()
    said = notebooks.materialise(tmp_path / "ex1_sigmoid.ipynb", tmp_path / "into", wanted_names()).source_map
    lines = (tmp_path / "into" / "ex1_sigmoid.py").read_text().splitlines()
    place = Place("ex1_sigmoid.py", lines.index("    return z") + 1)
    text = "ex1_sigmoid.py, line 3: the student's own words"  # text is never searched: only places are data
    raised = message("{place}: {error}: {message}", place=place, error="ValueError", message=text)
    assert say(said.translate(raised)) == f"ex1_sigmoid.ipynb, cell 4, line 2: ValueError: {text}"
    first, last = lines.index("print(sigmoid(1))") + 1, len(lines) - 1

    def skipped(first: int, last: int, labels: list[str]) -> str:
        places = message(unrun.PLACE, lines=Lines("ex1_sigmoid.py", first, last), labels=listed(labels))
        return say(said.translate(message(loader.SKIPPED_CODE, file=File("ex1_sigmoid.py"), places=places)))

    opening = "ex1_sigmoid.ipynb: top-level code not run when grading: "
    assert skipped(first, last, ["print", "a for loop"]) == opening + "cell 5 (print, a for loop)"
    assert skipped(first + 1, first + 1, ["a for loop"]) == opening + "cell 5, line 2 (a for loop)"
    assert skipped(2, last, ["a for loop"]) == opening + "cells 2-5 (a for loop)"
    looked = message(
        "looked in {files}; expected it in {file}",
        files=listed([File("ex1_sigmoid.py"), File("my_ex1_sigmoid.py")]),
        file=File("ex2_bce_loss.py"),
    )
    assert (
        say(said.translate(looked))
        == "looked in ex1_sigmoid.ipynb, my_ex1_sigmoid.py; expected it in ex2_bce_loss.ipynb"
    )
    # a student of notebooks


# Materialising a submission.


def test_a_folder_of_notebooks_becomes_a_folder_of_modules(tmp_path):
    folder = solutions_as_notebooks(tmp_path)
    (folder / "ex2_bce_loss.py").write_text((SOLUTIONS / "ex2_bce_loss.py").read_text())  # beside its notebook
    into = tmp_path / "into"
    into.mkdir()
    done = notebooks.materialise(folder, into, wanted_names())
    assert done.path == into and sorted(path.name for path in into.iterdir()) == sorted(
        path.name for path in SOLUTIONS.glob("ex*.py")
    )
    assert (into / "ex2_bce_loss.py").read_text() == (SOLUTIONS / "ex2_bce_loss.py").read_text()
    assert say_all(done.notes) == ("ex2_bce_loss.ipynb was not graded: ex2_bce_loss.py, beside it, was",)
    layout = done.layout(wanted_names())
    assert set(layout.where) == set(wanted_names()) and not layout.broken


def test_a_link_to_a_file_outside_the_submission_is_not_graded(tmp_path):
    folder = solutions_as_notebooks(tmp_path)
    (folder / "ex1_sigmoid.ipynb").unlink()
    (folder / "ex1_sigmoid.py").symlink_to(SOLUTIONS / "ex1_sigmoid.py")  # the reference, where the child would see it
    (tmp_path / "into").mkdir()
    done = notebooks.materialise(folder, tmp_path / "into", wanted_names())
    assert not (tmp_path / "into" / "ex1_sigmoid.py").exists()
    assert say_all(done.notes) == ("ex1_sigmoid.py was not graded: it is a link, not a file handed in",)


def test_a_nested_folder_of_notebooks_is_found_as_one_of_py_files_is(tmp_path):
    inner = tmp_path / "upload" / "logreg"
    inner.mkdir(parents=True)
    write(notebook_of("def sigmoid(z):\n    return z", "ex1_sigmoid"), inner / "ex1_sigmoid.ipynb")
    (inner / ".ipynb_checkpoints").mkdir()
    assert loader.submission_root(tmp_path / "upload") == inner.resolve() and notebooks.involved(tmp_path / "upload")
    (tmp_path / "into").mkdir()
    done = notebooks.materialise(tmp_path / "upload", tmp_path / "into", wanted_names())
    assert say_all(done.notes) == ("upload/ holds no .py files: graded the ones in upload/logreg/",)
    with pytest.raises(loader.SubmissionError, match="holds no .py files or .ipynb notebooks"):
        loader.submission_root(tmp_path / "upload" / "logreg" / ".ipynb_checkpoints")


def test_a_notebook_that_names_none_of_the_lesson_is_another_assignments(tmp_path):
    write(new_notebook(cells=[new_code_cell("def fit_line(x, y):\n    return 0")]), tmp_path / "linreg.ipynb")
    into = tmp_path / "into"
    into.mkdir()
    done = notebooks.materialise(tmp_path / "linreg.ipynb", into, wanted_names())
    reason = (
        "linreg.ipynb holds none of this lesson's functions (sigmoid, bce_loss, LogisticRegression, ...): "
        "is it a notebook of another assignment?"
    )
    assert done.path == into / "linreg.py" and say_all(done.notes) == (reason,)
    assert say(done.layout(wanted_names()).problem("sigmoid", "ex1_sigmoid")) == reason


# Grading notebooks end to end (a child process per submission).


@pytest.mark.slow
def test_the_solutions_as_notebooks_score_as_the_py_files_check_by_check(tmp_path):
    py = grade(SOLUTIONS, seed=3)
    ipynb = grade(solutions_as_notebooks(tmp_path), seed=3)
    assert checks_of(ipynb.outcomes) == checks_of(py.outcomes)
    assert sum(o.points for o in ipynb.outcomes) == 100
    assert not ipynb.notes


@pytest.mark.slow
@pytest.mark.parametrize(
    "bug",
    [
        bug
        for bug in BUGS
        if bug.name in {"sigmoid_naive", "bce_summed", "model_flattened", "train_no_zero_grad", "np_grad_missing_mean"}
    ],
    ids=lambda bug: bug.name,
)
def test_a_bug_in_a_notebook_costs_what_it_costs_in_the_py_file(bug, tmp_path):
    only = lambda exercise, check: exercise.number == bug.exercise  # noqa: E731 - the other exercises are the solutions
    py = grade(folder_with(tmp_path, "py", bug), seed=5, select=only)
    ipynb = grade(as_notebooks(folder_with(tmp_path, "ipynb", bug)), seed=5, select=only)
    assert checks_of(ipynb.outcomes) == checks_of(py.outcomes)
    assert earned(ipynb.outcomes)[bug.exercise] < POINTS[bug.exercise]


SIGMOID_IN_CELLS = [
    "def sigmoid(z):\n    positive = z >= 0\n    small = _small_exp(z, positive)\n"
    "    return torch.where(positive, 1 / (1 + small), small / (1 + small))",
    "def _small_exp(z, positive):\n    return torch.exp(torch.where(positive, -z, z))",  # a helper, in a later cell
    "import torch",  # imported last: it runs before any call, as in the notebook
]


@pytest.mark.slow
def test_helpers_and_imports_in_any_cell_count(tmp_path):
    path = write(new_notebook(cells=[new_code_cell(cell) for cell in SIGMOID_IN_CELLS]), tmp_path / "ex1_sigmoid.ipynb")
    result = grade(path, seed=1)
    assert earned(result.outcomes)[1] == 18 and {o.exercise for o in result.outcomes} == {1}
    assert say_all(result.notes) == ("ex1_sigmoid.ipynb holds exercise 1: only its checks are graded",)


EXPLORATION = [
    "%matplotlib inline\n!pip install torch",
    "from ex3_model import LogisticRegression\nhours = torch.tensor([[1.0], [2.0], [3.0]])\n"
    "labels = torch.tensor([[0.0], [0.0], [1.0]])\nmodel = LogisticRegression(1)\n"
    "history = train(model, hours, labels, epochs=1000, lr=0.1)\nprint(history[-1])",
    "import matplotlib.pyplot as plt\nplt.plot(history)\nplt.show()",
    "import time\ntime.sleep(600)\nfor epoch in range(100000):\n    open({ran!r}, 'a').write('x')",
]


@pytest.mark.slow
def test_exploratory_cells_and_magics_are_skipped_said_and_cost_no_time(tmp_path):
    ran = tmp_path / "the-loop-ran"
    notebook = notebook_of((SOLUTIONS / "ex4_train.py").read_text(), "ex4_train")
    notebook.cells[-1:-1] = [new_code_cell(cell.format(ran=str(ran))) for cell in EXPLORATION]
    path = write(notebook, tmp_path / "ex4_train.ipynb")
    started = time.perf_counter()
    result = grade(path, seed=2)
    assert time.perf_counter() - started < 60  # a sleep(600) at import would take 20 s and fail the exercise
    assert earned(result.outcomes)[4] == 20 and not ran.exists()
    first = len(notebook.cells) - len(EXPLORATION)  # the number of the first exploratory cell
    assert say_all(result.notes)[:3] == (  # then matplotlib's stand-in, where it is not installed
        "ex4_train.ipynb holds exercise 4: only its checks are graded",
        "ex4_train.ipynb: 2 IPython lines not run (%matplotlib inline, !pip install torch)",
        f"ex4_train.ipynb: top-level code not run when grading: cell {first + 1}, lines 5-6 (calls train, print), "
        f"cell {first + 2}, lines 2-3 (plt.plot, plt.show), cell {first + 3}, lines 2-4 (time.sleep, a for loop)",
    )


@pytest.mark.slow
def test_files_that_are_no_notebooks_cost_only_their_exercise_and_say_why(tmp_path):
    folder = solutions_as_notebooks(tmp_path)
    (folder / "ex1_sigmoid.ipynb").write_bytes(BAD_FILES["corrupt JSON"][0])
    (folder / "ex2_bce_loss.ipynb").write_bytes(BAD_FILES["a PNG renamed"][0])
    other = notebook_of((SOLUTIONS / "ex5_predict.py").read_text(), "ex5_predict")
    other.metadata["logreg"]["assignment"] = "linreg"
    write(other, folder / "ex5_predict.ipynb")
    outcomes = grade(folder, seed=4).outcomes
    assert earned(outcomes) == {**POINTS, 1: 0, 2: 0, 5: 0}
    for number, said in (
        (1, "ex1_sigmoid.ipynb is not a valid notebook: its JSON is broken"),
        (2, "ex2_bce_loss.ipynb is not a Jupyter notebook: it holds a PNG image, not text"),
        (5, "ex5_predict.ipynb is a notebook of another assignment"),
    ):
        assert all(say(o.message).startswith(said) for o in outcomes if o.exercise == number)


@pytest.mark.slow
def test_the_cli_grades_one_notebook_for_its_own_exercise(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # a line per note
    path = write(notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid"), tmp_path / "ex1_sigmoid.ipynb")
    assert main([str(path), "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "Total: 18/18" in out and "Exercise 2" not in out
    assert "ex1_sigmoid.ipynb holds exercise 1: only its checks are graded" in out


@pytest.mark.parametrize("bad", ["corrupt JSON", "Python renamed", "another assignment"])  # nothing to run: fast
def test_the_cli_says_why_a_lone_file_is_no_notebook_without_a_traceback(bad, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # a line per message
    (tmp_path / "lab.ipynb").write_bytes(BAD_FILES[bad][0])
    assert main([str(tmp_path / "lab.ipynb"), "--no-color", "--exercise", "1"]) == 1
    captured = capsys.readouterr()
    assert BAD_FILES[bad][1].replace("ex1_sigmoid", "lab") in captured.out  # in the checks and the notes
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.slow
def test_pytest_grades_a_notebook(pytester):
    path = write(
        notebook_of((SOLUTIONS / "ex1_sigmoid.py").read_text(), "ex1_sigmoid"),
        pytester.mkdir("student") / "ex1_sigmoid.ipynb",
    )
    result = pytester.runpytest_subprocess(f"--submission={path}", "--grading-seed=1", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=11)
    result.stdout.fnmatch_lines([f"logreg: grading {path}*"])


def test_a_folder_without_python_or_notebooks_says_both(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(loader.SubmissionError, match="holds no .py files or .ipynb notebooks"):
        loader.submission_root(tmp_path)
    with pytest.raises(loader.SubmissionError, match="is not a .py file or an .ipynb notebook"):
        loader.submission_root(tmp_path / "notes.txt")
