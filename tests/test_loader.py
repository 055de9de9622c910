"""The loader finds the student's functions without running any of the submission's code."""

from __future__ import annotations

import pytest

from autograder.i18n.messages import say, say_all
from autograder.submission.loader import SubmissionError, scan

WANTED = {"sigmoid": "ex1_sigmoid", "bce_loss": "ex2_bce_loss"}


def test_names_are_found_in_any_file_preferring_their_own_module(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (tmp_path / "scratch.py").write_text("def sigmoid(z):\n    pass\n\ndef bce_loss(p, y):\n    pass\n")
    layout = scan(tmp_path, WANTED)
    assert layout.where == {"sigmoid": "ex1_sigmoid", "bce_loss": "scratch"}
    assert layout.modules == ["ex1_sigmoid", "scratch"]


def said_broken(layout) -> dict[str, str]:
    """Why each broken file cannot be read, in words."""
    return {name: say(why) for name, why in layout.broken.items()}


def test_nothing_is_executed(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("open('ran', 'w')\ndef sigmoid(z):\n    return z\n")
    scan(tmp_path, WANTED)
    assert not (tmp_path / "ran").exists()


def test_a_syntax_error_is_reported_for_the_names_of_that_file(tmp_path):
    (tmp_path / "ex2_bce_loss.py").write_text("def bce_loss(p, y)\n    return 0\n")
    (tmp_path / "other.py").write_text("def helper(:\n")
    layout = scan(tmp_path, WANTED)
    assert say(layout.problem("bce_loss", "ex2_bce_loss")) == "ex2_bce_loss.py, line 1: SyntaxError: expected ':'"
    assert "no function or class named `sigmoid`" in say(layout.problem("sigmoid", "ex1_sigmoid"))


def test_a_syntax_error_in_another_file_is_blamed_when_it_defines_the_name(tmp_path):
    (tmp_path / "logreg.py").write_text("import torch\n\ndef sigmoid(z):\n    return 1 / (1 + torch.exp(-z)\n")
    assert say(scan(tmp_path, WANTED).problem("sigmoid", "ex1_sigmoid")).startswith("logreg.py, line 4: SyntaxError")


def test_a_single_file_is_a_submission(tmp_path):
    path = tmp_path / "logreg.py"
    path.write_text("def sigmoid(z):\n    return z\n")
    layout = scan(path, WANTED)
    assert layout.root == tmp_path.resolve() and layout.where == {"sigmoid": "logreg"}


def test_a_near_miss_of_a_wanted_name_is_answered_with_did_you_mean(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("import torch\n\n\ndef sigmiod(z):\n    return z\n")
    problem = say(scan(tmp_path, WANTED).problem("sigmoid", "ex1_sigmoid"))
    assert problem == (
        "no function or class named `sigmoid` found; did you mean `sigmiod` (ex1_sigmoid.py, line 4)? "
        "rename it to `sigmoid`"
    )


def test_other_wanted_names_and_unlike_names_are_not_suggested(tmp_path):
    (tmp_path / "ex6_numpy.py").write_text("def sigmoid_np(z):\n    return z\n\ndef helper():\n    pass\n")
    problem = say(scan(tmp_path, {**WANTED, "sigmoid_np": "ex6_numpy"}).problem("sigmoid", "ex1_sigmoid"))
    assert "did you mean" not in problem and "expected it in ex1_sigmoid.py" in problem


def test_a_renamed_exercise_file_is_graded_with_a_note(tmp_path):
    (tmp_path / "sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (tmp_path / "ex3_model.py").write_text("from ex1_sigmoid import sigmoid\n")
    layout = scan(tmp_path, WANTED)
    assert layout.where == {"sigmoid": "sigmoid"}
    assert say_all(layout.notes) == (
        "`sigmoid` is defined in sigmoid.py; the exercise expects it in ex1_sigmoid.py "
        "(ex3_model.py imports it from there): rename the file to ex1_sigmoid.py",
    )


def test_no_renaming_note_for_a_single_file_an_all_in_one_file_or_a_present_exercise_file(tmp_path):
    (tmp_path / "logreg.py").write_text("def sigmoid(z):\n    return z\n\ndef bce_loss(p, y):\n    return p\n")
    layout = scan(tmp_path, WANTED)
    assert layout.where == {"sigmoid": "logreg", "bce_loss": "logreg"}  # graded whole, and said where from
    assert say_all(layout.notes) == ("`sigmoid` and `bce_loss` are graded from logreg.py",)
    assert say_all(scan(tmp_path / "logreg.py", WANTED).notes) == say_all(layout.notes)
    single = tmp_path / "single"
    single.mkdir()
    (single / "sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    assert say_all(scan(single / "sigmoid.py", WANTED).notes) == ()
    (single / "ex1_sigmoid.py").write_text("def helper(z):\n    return z\n")
    layout = scan(single, WANTED)
    assert layout.where == {"sigmoid": "sigmoid"} and say_all(layout.notes) == ("`sigmoid` is graded from sigmoid.py",)


EVERY = {**WANTED, "LogisticRegression": "ex3_model", "sigmoid_np": "ex6_numpy"}


def test_a_helper_of_another_exercise_never_earns_the_absent_exercises_points(tmp_path):
    (tmp_path / "activations.py").write_text("import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n")
    (tmp_path / "ex6_numpy.py").write_text(
        "from activations import sigmoid\n\ndef sigmoid_np(z):\n    return sigmoid(z)\n"
    )
    layout = scan(tmp_path, EVERY)
    assert layout.where == {"sigmoid_np": "ex6_numpy"} and say_all(layout.notes) == ()
    assert say(layout.problem("sigmoid", "ex1_sigmoid")) == (
        "`sigmoid` is defined only in activations.py (a helper of ex6_numpy.py), which belongs to another exercise "
        "and is not graded for this one: define `sigmoid` in ex1_sigmoid.py"
    )


def test_a_definition_in_another_exercises_file_or_its_helpers_helper_is_not_graded_for_the_absent_one(tmp_path):
    (tmp_path / "ex6_numpy.py").write_text("import utils\n\ndef sigmoid(z):\n    return z\n\nsigmoid_np = sigmoid\n")
    (tmp_path / "utils.py").write_text("if True:\n    import activations\n")
    (tmp_path / "activations.py").write_text("def sigmoid(z):\n    return z\n\ndef bce_loss(p, y):\n    return p\n")
    layout = scan(tmp_path, EVERY)
    assert layout.where == {"sigmoid_np": "ex6_numpy"}
    assert say(layout.problem("sigmoid", "ex1_sigmoid")).startswith(
        "`sigmoid` is defined only in activations.py (a helper of ex6_numpy.py) and ex6_numpy.py, "
        "which belong to other exercises"
    )
    assert "define `bce_loss` in ex2_bce_loss.py" in say(layout.problem("bce_loss", "ex2_bce_loss"))


def test_a_helper_of_the_exercise_itself_is_graded_with_a_note(tmp_path):
    (tmp_path / "ex3_model.py").write_text("from model_impl import LogisticRegression\n")
    (tmp_path / "model_impl.py").write_text("class LogisticRegression:\n    pass\n")
    (tmp_path / "ex6_numpy.py").write_text("import model_impl\n\ndef sigmoid_np(z):\n    return z\n")
    layout = scan(tmp_path, EVERY)
    assert layout.where == {"LogisticRegression": "model_impl", "sigmoid_np": "ex6_numpy"}
    assert say_all(layout.notes) == (
        "`LogisticRegression` is graded from model_impl.py (a helper of ex3_model.py and ex6_numpy.py)",
    )


def test_a_renamed_exercise_file_stays_its_exercises_even_when_another_exercise_imports_it(tmp_path):
    (tmp_path / "sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (tmp_path / "ex3_model.py").write_text("from sigmoid import sigmoid\n\nclass LogisticRegression:\n    pass\n")
    layout = scan(tmp_path, EVERY)
    assert layout.where == {"sigmoid": "sigmoid", "LogisticRegression": "ex3_model"}
    assert say_all(layout.notes) == (
        "`sigmoid` is defined in sigmoid.py; the exercise expects it in ex1_sigmoid.py: rename the file to "
        "ex1_sigmoid.py",
    )


def test_a_nested_folder_is_graded_with_a_note(tmp_path):
    inner = tmp_path / "student" / "logreg_hw" / "code"
    inner.mkdir(parents=True)
    (inner / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (inner / "tests").mkdir()
    (inner / "tests" / "test_mine.py").write_text("")
    for extra in ("__MACOSX", ".git", "__pycache__"):
        (tmp_path / "student" / extra).mkdir()
        (tmp_path / "student" / extra / "ex1_sigmoid.py").write_text("")
    layout = scan(tmp_path / "student", WANTED)
    assert layout.root == inner.resolve() and layout.where == {"sigmoid": "ex1_sigmoid"}
    assert say_all(layout.notes) == ("student/ holds no .py files: graded the ones in student/logreg_hw/code/",)


def test_several_nested_folders_are_listed(tmp_path):
    for name in ("hw1", "hw1_backup"):
        (tmp_path / "student" / name).mkdir(parents=True)
        (tmp_path / "student" / name / "ex1_sigmoid.py").write_text("")
    with pytest.raises(SubmissionError, match="several folders inside it do: student/hw1/, student/hw1_backup/"):
        scan(tmp_path / "student", WANTED)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"import torch\n# caf\xe9\ndef sigmoid(z):\n    return z\n",
            "ex1_sigmoid.py, line 2: byte 0xe9 is not utf-8 text: save the file as UTF-8",
        ),
        (
            b"def sigmoid(z):\n    return z\x00\n",
            "ex1_sigmoid.py, line 2: the file holds a null byte, so it is not a plain-text Python file: "
            "save it again as text (UTF-8)",
        ),
    ],
)
def test_a_file_that_is_not_python_text_is_a_clear_problem(tmp_path, content, expected):
    (tmp_path / "ex1_sigmoid.py").write_bytes(content)
    layout = scan(tmp_path, WANTED)
    assert said_broken(layout) == {"ex1_sigmoid.py": expected}
    assert say(layout.problem("sigmoid", "ex1_sigmoid")) == expected


def test_errors_found_only_by_compiling_make_the_file_broken(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return z\n\nreturn sigmoid\n")
    assert said_broken(scan(tmp_path, WANTED)) == {
        "ex1_sigmoid.py": "ex1_sigmoid.py, line 4: SyntaxError: 'return' outside function"
    }


def test_a_declared_encoding_is_honoured(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\ndef sigmoid(z):\n    return z\n")
    assert scan(tmp_path, WANTED).where == {"sigmoid": "ex1_sigmoid"}


def test_top_level_code_that_will_not_run_is_noted_for_the_imported_files_only(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text(
        "import torch\n\ndef sigmoid(z):\n    return z\n\nprint(sigmoid(torch.zeros(2)))\n"
        "for epoch in range(10):\n    pass\nif __name__ == '__main__':\n    pass\n"
    )
    (tmp_path / "scratch.py").write_text("print('never imported')\n")
    layout = scan(tmp_path, WANTED)
    assert say_all(layout.notes) == (
        "ex1_sigmoid.py: top-level code not run when grading: lines 6-8 (print, a for loop)",
    )
    assert {"sigmoid", "ex1_sigmoid", "scratch"} <= layout.own
