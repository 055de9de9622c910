"""A broken, hanging, crashing or noisy submission costs only the checks that needed it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.grading import grade
from autograder.loader import SubmissionError

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"
pytestmark = pytest.mark.slow


def submission(tmp_path: Path, file: str, source: str) -> Path:
    """The reference solutions with one file replaced by source."""
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / file).write_text(source)
    return folder


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
    assert all(o.status == "error" and "ex2_bce_loss.py, line 3" in o.message and "SyntaxError" in o.message for o in broken[2])


def test_an_import_error_costs_only_its_exercise(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import torch\nimport numpyy\n\ndef sigmoid(z):\n    return z\n")
    broken = failing(grade(path).outcomes)
    assert list(broken) == [1]  # exercise 3 imports sigmoid and gets the grader's stand-in
    assert "No module named 'numpyy'" in broken[1][0].message and "line 2" in broken[1][0].message


def test_a_missing_function_is_named(tmp_path):
    path = submission(tmp_path, "ex5_predict.py", (SOLUTIONS / "ex5_predict.py").read_text().replace("def accuracy(", "def acuracy("))
    broken = failing(grade(path).outcomes)
    assert list(broken) == [5]
    assert {o.check_id for o in broken[5]} == {"accuracy.values", "accuracy.python_float"}
    assert "no function or class named `accuracy`" in broken[5][0].message


def test_an_endless_loop_times_out_once_and_the_rest_is_graded(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "def sigmoid(z):\n    while True:\n        pass\n")
    outcomes = only_exercise(path, 1)
    assert "no answer within" in outcomes[0].message
    assert all("not run" in o.message for o in outcomes[1:])
    assert not failing(grade(path, select=lambda exercise, check: exercise.number == 3).outcomes)


def test_a_hard_exit_kills_only_the_child(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import os\n\ndef sigmoid(z):\n    os._exit(3)\n")
    outcomes = only_exercise(path, 1)
    assert "ended the grading process (exit code 3)" in outcomes[0].message
    assert all(o.points == 0 for o in outcomes)


def test_sys_exit_is_an_ordinary_error(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import sys\n\ndef sigmoid(z):\n    sys.exit(0)\n")
    outcomes = only_exercise(path, 1)
    assert all(o.status == "error" and "SystemExit" in o.message for o in outcomes)


def test_printing_anything_changes_nothing(tmp_path):
    noisy = (SOLUTIONS / "ex1_sigmoid.py").read_text().replace(
        "    positive = z >= 0\n",
        '    print(\'{"result": {"out": 1}}\')\n    print("\\n" * 5, "garbage" * 1000)\n    positive = z >= 0\n',
    )
    path = submission(tmp_path, "ex1_sigmoid.py", 'print("at import")\n' + noisy)
    assert all(o.passed for o in only_exercise(path, 1))


def test_a_memory_hog_gets_a_memory_error(tmp_path):
    path = submission(tmp_path, "ex1_sigmoid.py", "import numpy as np\n\ndef sigmoid(z):\n    return np.ones(1 << 40, dtype=np.uint8)\n")
    outcomes = only_exercise(path, 1)
    assert all(o.status == "error" and "MemoryError" in o.message for o in outcomes)


def test_a_module_that_hangs_at_import_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.runner.IMPORT_DEADLINE_S", 3.0)
    path = submission(tmp_path, "ex5_predict.py", "import time\ntime.sleep(600)\n" + (SOLUTIONS / "ex5_predict.py").read_text())
    broken = failing(grade(path, select=lambda exercise, check: exercise.number in (1, 5)).outcomes)
    assert list(broken) == [5]
    assert all("importing ex5_predict.py took longer than 3 s" in o.message for o in broken[5])


@pytest.mark.parametrize("bad", ["missing-folder", "notes.txt", "empty"])
def test_a_path_that_cannot_be_graded_says_why(tmp_path, bad):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SubmissionError, match="does not exist|not a .py file|holds no .py files"):
        grade(tmp_path / bad)


def test_endless_printing_is_cut_off_by_the_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("autograder.runner.FILE_LIMIT_BYTES", 1024**2)
    path = submission(tmp_path, "ex1_sigmoid.py", "def sigmoid(z):\n    while True:\n        print('x' * 10000)\n")
    outcomes = only_exercise(path, 1)
    assert outcomes[0].status == "error" and "OSError" in outcomes[0].message
