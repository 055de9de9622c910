"""logreg-grade, called in-process: exit status, report, results.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.checks import EXERCISES
from autograder.cli import main

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"
STUB = '''import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function."""
    raise NotImplementedError("Exercise 1: implement sigmoid")
'''


@pytest.mark.slow
def test_solutions_exit_0_with_full_marks_in_results_json(tmp_path, capsys):
    results_file = tmp_path / "results" / "results.json"
    assert main([str(SOLUTIONS), "--json", str(results_file), "--no-color"]) == 0
    results = json.loads(results_file.read_text())
    assert results["score"] == sum(test["max_score"] for test in results["tests"])
    assert results["score"] == sum(exercise.points for exercise in EXERCISES)
    assert "Total: " in capsys.readouterr().out


@pytest.mark.slow
def test_a_stub_exits_1_and_says_not_implemented(tmp_path, capsys):
    (tmp_path / "ex1_sigmoid.py").write_text(STUB)
    assert main([str(tmp_path), "--exercise", "1", "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "not implemented" in out and "Exercise 1 - " in out and "Total: 0/" in out


def test_a_missing_path_exits_2_with_a_clear_message(tmp_path, capsys):
    assert main([str(tmp_path / "nobody")]) == 2
    err = capsys.readouterr().err
    assert "nobody does not exist" in err and "Traceback" not in err


def test_a_file_that_is_not_python_exits_2(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("hello")
    assert main([str(tmp_path / "notes.txt")]) == 2
    assert "is not a .py file" in capsys.readouterr().err


def test_an_unknown_exercise_is_a_usage_error(capsys):
    assert main([str(SOLUTIONS), "--exercise", "99"]) == 2
    assert "--exercise" in capsys.readouterr().err


def test_python_m_autograder_runs_the_same_main():
    done = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "logreg-grade" in done.stdout and "--json FILE" in done.stdout
