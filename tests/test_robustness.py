"""A broken, hanging, crashing or noisy submission costs only the checks that needed it."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from autograder.grading.grade import grade
from autograder.i18n.messages import say, say_all
from autograder.submission.loader import SubmissionError

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"
pytestmark = pytest.mark.slow


def solutions_copy(folder: Path) -> Path:
    """A copy of the reference solutions in folder."""
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def submission(tmp_path: Path, file: str, source: str) -> Path:
    """The reference solutions with one file replaced by source."""
    folder = solutions_copy(tmp_path / "student")
    (folder / file).write_text(source)
    return folder


def line_of(source: str, text: str) -> int:
    """The number of the line of source that reads text."""
    return source.splitlines().index(text) + 1


def failing(outcomes: list) -> dict[int, list]:
    by_exercise: dict[int, list] = {}
    for outcome in outcomes:
        if not outcome.passed:
            by_exercise.setdefault(outcome.exercise, []).append(outcome)
    return by_exercise


def only_exercise(path: Path, number: int) -> list:
    return grade(path, select=lambda exercise, check: exercise.number == number).outcomes


def test_a_syntax_error_costs_only_its_exercise_and_names_the_line(tmp_path):
    path = submission(tmp_path, "ex2_bce_loss.py", "import torch\n\ndef bce_loss(y_pred, y_true)\n    return 0\n")
    broken = failing(grade(path).outcomes)
    assert list(broken) == [2]  # exercise 4 imports ex2_bce_loss and is still graded in full
    assert all(
        o.status == "error" and "ex2_bce_loss.py, line 3" in say(o.message) and "SyntaxError" in say(o.message)
        for o in broken[2]
    )


def test_a_package_that_is_not_installed_gets_a_stand_in_and_a_note(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import torch\nimport numpyy\n\ndef sigmoid(z):\n    return z\n")
    result = grade(path)
    broken = failing(result.outcomes)
    assert list(broken) == [
        1
    ]  # sigmoid is still graded, and its values are wrong; exercise 3 gets the grader's stand-in
    assert not any("numpyy" in say(o.message) for o in broken[1])
    assert (
        "ex1_sigmoid.py, line 2: `import numpyy` — numpyy is not installed where your code is graded; "
        "a do-nothing stand-in was used"
    ) in say_all(result.notes)


def test_a_missing_function_is_named(tmp_path):
    path = submission(
        tmp_path, "ex5_predict.py", (SOLUTIONS / "ex5_predict.py").read_text().replace("def accuracy(", "def acuracy(")
    )
    broken = failing(grade(path).outcomes)
    assert list(broken) == [5]
    assert {o.check_id for o in broken[5]} == {"accuracy.values", "accuracy.python_float"}
    assert "no function or class named `accuracy`" in say(broken[5][0].message)


def test_an_endless_loop_times_out_once_and_the_rest_is_graded(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "def sigmoid(z):\n    while True:\n        pass\n")
    outcomes = only_exercise(path, 1)
    assert "no answer within" in say(outcomes[0].message)
    assert all("not run" in say(o.message) for o in outcomes[1:])
    assert not failing(grade(path, select=lambda exercise, check: exercise.number == 3).outcomes)


def test_a_hard_exit_kills_only_the_child(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import os\n\ndef sigmoid(z):\n    os._exit(3)\n")
    outcomes = only_exercise(path, 1)
    assert "ended the grading process (exit code 3)" in say(outcomes[0].message)
    assert all(o.points == 0 for o in outcomes)


def test_sys_exit_is_an_ordinary_error(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import sys\n\ndef sigmoid(z):\n    sys.exit(0)\n")
    outcomes = only_exercise(path, 1)
    assert all(o.status == "error" and "SystemExit" in say(o.message) for o in outcomes)


def test_printing_anything_changes_nothing(tmp_path):
    noisy = (
        (SOLUTIONS / "ex1_sigmoid.py")
        .read_text()
        .replace(
            "    positive = z >= 0\n",
            '    print(\'{"result": {"out": 1}}\')\n    print("\\n" * 5, "garbage" * 1000)\n    positive = z >= 0\n',
        )
    )
    path = submission(tmp_path, "ex1_sigmoid.py", 'print("at import")\n' + noisy)
    assert all(o.passed for o in only_exercise(path, 1))


def test_a_memory_hog_gets_a_memory_error(tmp_path):
    path = submission(
        tmp_path,
        "ex1_sigmoid.py",
        "import numpy as np\n\ndef sigmoid(z):\n    return np.ones(1 << 40, dtype=np.uint8)\n",
    )
    outcomes = only_exercise(path, 1)
    assert all(o.status == "error" and "MemoryError" in say(o.message) for o in outcomes)


def test_a_module_that_hangs_at_import_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.sandbox.runner.IMPORT_DEADLINE_S", 3.0)
    path = submission(
        tmp_path,
        "ex5_predict.py",
        "import time\nPAUSE = time.sleep(600)\n" + (SOLUTIONS / "ex5_predict.py").read_text(),
    )
    broken = failing(grade(path, select=lambda exercise, check: exercise.number in (1, 5)).outcomes)
    assert list(broken) == [5]
    assert all("importing ex5_predict.py took longer than 3 s" in say(o.message) for o in broken[5])


@pytest.mark.parametrize("bad", ["missing-folder", "notes.txt", "empty"])
def test_a_path_that_cannot_be_graded_says_why(tmp_path, bad):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SubmissionError, match="does not exist|not a .py file|holds no .py files"):
        grade(tmp_path / bad)


def test_endless_printing_is_cut_off_by_the_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.sandbox.runner.FILE_LIMIT_BYTES", 1024**2)
    path = submission(tmp_path, "ex1_sigmoid.py", "def sigmoid(z):\n    while True:\n        print('x' * 10000)\n")
    outcomes = only_exercise(path, 1)
    assert outcomes[0].status == "error" and "OSError" in say(outcomes[0].message)


SCRIPT_TAIL = """

import matplotlib.pyplot as plt
import plotly.express as px

z = torch.linspace(-10, 10, 101)
print("sigmoid(0) =", sigmoid(torch.tensor(0.0)))
plt.plot(z, sigmoid(z))
for epoch in range(100000):
    open({ran!r}, "a").write("x")
plt.show()
"""


def test_script_style_top_level_code_does_not_run_and_costs_nothing(tmp_path):
    ran = tmp_path / "the-loop-ran"
    script = (SOLUTIONS / "ex1_sigmoid.py").read_text() + SCRIPT_TAIL.format(ran=str(ran))
    path = submission(tmp_path, "ex1_sigmoid.py", script)
    first, last = line_of(script, 'print("sigmoid(0) =", sigmoid(torch.tensor(0.0)))'), len(script.splitlines())
    result = grade(path, select=lambda exercise, check: exercise.number in (1, 3))  # ex3_model imports ex1_sigmoid
    assert not failing(result.outcomes) and {o.exercise for o in result.outcomes} == {1, 3}
    assert not ran.exists()
    assert (
        f"ex1_sigmoid.py: top-level code not run when grading: lines {first}-{last} "
        "(print, plt.plot, a for loop, plt.show)"
    ) in say_all(result.notes)
    assert importlib.util.find_spec("plotly") is None, "this test needs a package that is not installed"
    assert (
        f"ex1_sigmoid.py, line {line_of(script, 'import plotly.express as px')}: `import plotly.express as px`"
        " — plotly is not installed where your code is graded; a do-nothing stand-in was used"
    ) in say_all(result.notes)


FAILING_LINES = {"W = torch.load('weights.pt')": "FileNotFoundError", "HOURS = float(input('hours? '))": "EOFError"}


def test_top_level_constants_are_set_and_a_failing_line_does_not_stop_the_rest(tmp_path):
    source = (SOLUTIONS / "ex1_sigmoid.py").read_text().replace("positive = z >= 0", "positive = z >= SPLIT")
    source = source.replace("import torch\n", "import torch\n\n" + "\n".join(FAILING_LINES) + "\nSPLIT = 0\n", 1)
    result = grade(submission(tmp_path, "ex1_sigmoid.py", source), select=lambda exercise, check: exercise.number == 1)
    assert not failing(result.outcomes)  # SPLIT was set: the lines after the failing ones still ran
    for statement, error in FAILING_LINES.items():
        assert any(
            note.startswith(f"ex1_sigmoid.py, line {line_of(source, statement)}: `{statement}` raised {error}")
            and note.endswith("the rest of the file was still run")
            for note in say_all(result.notes)
        )


def test_a_misspelt_function_gets_did_you_mean(tmp_path):
    misspelt = (SOLUTIONS / "ex1_sigmoid.py").read_text().replace("def sigmoid(", "def sigmiod(")
    outcomes = only_exercise(submission(tmp_path, "ex1_sigmoid.py", misspelt), 1)
    assert outcomes and all(
        o.points == 0 and "did you mean `sigmiod` (ex1_sigmoid.py, line " in say(o.message) for o in outcomes
    )


def test_a_renamed_exercise_file_is_graded_with_a_note(tmp_path):
    path = solutions_copy(tmp_path / "student")
    (path / "ex1_sigmoid.py").rename(path / "sigmoid.py")
    result = grade(path, select=lambda exercise, check: exercise.number in (1, 3))
    assert not failing(result.outcomes) and {o.exercise for o in result.outcomes} == {1, 3}
    assert (
        "`sigmoid` is defined in sigmoid.py; the exercise expects it in ex1_sigmoid.py (ex3_model.py imports it "
        "from there): rename the file to ex1_sigmoid.py"
    ) in say_all(result.notes)


def test_a_nested_folder_is_graded_with_a_note(tmp_path):
    outer = tmp_path / "upload"
    solutions_copy(outer / "logreg" / "exercises")
    (outer / "__MACOSX").mkdir()
    (outer / "__MACOSX" / "._ex1_sigmoid.py").write_bytes(b"\x00\x05\x16\x07")
    result = grade(outer, select=lambda exercise, check: exercise.number == 1)
    assert result.outcomes and not failing(result.outcomes)
    assert "upload/ holds no .py files: graded the ones in upload/logreg/exercises/" in say_all(result.notes)


def test_children_that_keep_dying_never_cost_another_exercise(tmp_path):
    path = submission(
        tmp_path,
        "ex6_numpy.py",
        "import os\n\n"
        + "\n".join(
            f"def {name}(*args, **kwargs):\n    os._exit(7)\n"
            for name in ("sigmoid_np", "bce_loss_np", "bce_grad_np", "fit_np")
        ),
    )
    (path / "ex1_sigmoid.py").write_text("import os\n\ndef sigmoid(z):\n    os._exit(7)\n")
    (path / "ex2_bce_loss.py").write_text("import os\n\ndef bce_loss(p, y):\n    os._exit(7)\n")
    outcomes = grade(path).outcomes
    broken = failing(outcomes)
    assert sorted(broken) == [1, 2, 6]
    assert all(
        "ended the grading process" in say(o.message) or "not run" in say(o.message)
        for number in broken
        for o in broken[number]
    )
    assert not any("giving up" in say(o.message) for o in outcomes)
