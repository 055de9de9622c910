"""The loader finds the student's functions without running any of the submission's code."""

from __future__ import annotations

from autograder.loader import scan

WANTED = {"sigmoid": "ex1_sigmoid", "bce_loss": "ex2_bce_loss"}


def test_names_are_found_in_any_file_preferring_their_own_module(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (tmp_path / "scratch.py").write_text("def sigmoid(z):\n    pass\n\ndef bce_loss(p, y):\n    pass\n")
    layout = scan(tmp_path, WANTED)
    assert layout.where == {"sigmoid": "ex1_sigmoid", "bce_loss": "scratch"}
    assert layout.modules == ["ex1_sigmoid", "scratch"]


def test_nothing_is_executed(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("open('ran', 'w')\ndef sigmoid(z):\n    return z\n")
    scan(tmp_path, WANTED)
    assert not (tmp_path / "ran").exists()


def test_a_syntax_error_is_reported_for_the_names_of_that_file(tmp_path):
    (tmp_path / "ex2_bce_loss.py").write_text("def bce_loss(p, y)\n    return 0\n")
    (tmp_path / "other.py").write_text("def helper(:\n")
    layout = scan(tmp_path, WANTED)
    assert layout.problem("bce_loss", "ex2_bce_loss") == "ex2_bce_loss.py, line 1: SyntaxError: expected ':'"
    assert "no function or class named `sigmoid`" in layout.problem("sigmoid", "ex1_sigmoid")


def test_a_syntax_error_in_another_file_is_blamed_when_it_defines_the_name(tmp_path):
    (tmp_path / "logreg.py").write_text("import torch\n\ndef sigmoid(z):\n    return 1 / (1 + torch.exp(-z)\n")
    assert scan(tmp_path, WANTED).problem("sigmoid", "ex1_sigmoid").startswith("logreg.py, line 4: SyntaxError")


def test_a_single_file_is_a_submission(tmp_path):
    path = tmp_path / "logreg.py"
    path.write_text("def sigmoid(z):\n    return z\n")
    layout = scan(path, WANTED)
    assert layout.root == tmp_path.resolve() and layout.where == {"sigmoid": "logreg"}
