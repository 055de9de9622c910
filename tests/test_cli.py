"""logreg-grade, called in-process: exit status, report, results.json."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.frontends import cli
from autograder.frontends.cli import main, parser, write_json
from autograder.grading.outcomes import FAILED, PASSED, Outcome, SubmissionResult
from autograder.lesson import EXERCISES
from autograder.sandbox.runner import RunnerError

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
STUBS = REPO / "exercises"
COLOR = re.compile(r"\x1b\[(?:\d+;)*3\dm")  # an SGR sequence that sets a foreground colour
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


@pytest.mark.slow
def test_the_untouched_exercises_are_reported_in_a_few_lines(capsys):
    assert main([str(STUBS), "--no-color"]) == 1
    out = capsys.readouterr().out
    assert out.count("not started: every check says not implemented yet") == len(EXERCISES)
    assert len(out.splitlines()) <= 3 * len(EXERCISES) + 5  # was 139 lines: a row per check (+1: the isolation line)


@pytest.mark.slow
def test_a_half_done_submission_is_short(tmp_path, capsys):
    for module in ("ex1_sigmoid.py", "ex2_bce_loss.py"):
        shutil.copy(SOLUTIONS / module, tmp_path / module)
    for module in ("ex3_model.py", "ex4_train.py", "ex5_predict.py", "ex6_numpy.py"):
        shutil.copy(STUBS / module, tmp_path / module)
    assert main([str(tmp_path), "--no-color"]) == 1
    out = capsys.readouterr().out
    assert out.count("not started: every check says not implemented yet") == 4
    untouched = out[out.index("Exercise 3 - ") : out.index("Total: ")].split("\nNotes\n")[0].split("\nIsolation: ")[0]
    assert (
        len(untouched.splitlines()) <= 4 * 3 + 1
    )  # heading, summary and blank line each, the hint once: 35 rows before


# the command line, in any order


@pytest.mark.parametrize("argv", [["--exercise", "2", "me"], ["me", "--exercise", "2"], ["--exercise=2", "me"]])
def test_exercise_may_come_before_or_after_the_path(argv):
    args = parser().parse_args(argv)
    assert (args.path, args.exercise) == (Path("me"), [2])


def test_exercise_may_be_repeated_or_a_comma_separated_list():
    assert parser().parse_args(["--exercise", "1,3", "me", "--exercise", "5"]).exercise == [1, 3, 5]
    assert parser().parse_args(["me"]).exercise is None


def test_json_may_come_before_the_path():
    args = parser().parse_args(["--json", "out/results.json", "me", "--seed", "4"])
    assert (args.path, args.json, args.seed) == (Path("me"), Path("out/results.json"), 4)


@pytest.mark.parametrize(
    "value, said",
    [
        ("1,x", "'1,x' is not a number"),
        ("", "'' is not a number"),
        ("0", "no exercise 0 (choose from 1, 2, 3, 4, 5, 6)"),
        ("2,7", "no exercise 7 "),
    ],
)
def test_an_exercise_that_is_not_one_is_a_usage_error_naming_it(value, said, capsys):
    assert main(["me", "--exercise", value]) == 2
    assert f"argument --exercise: {said}" in capsys.readouterr().err


def test_options_before_the_path_reach_the_grader(tmp_path, capsys):
    assert main(["--exercise", "2", "--json", str(tmp_path / "r.json"), str(tmp_path / "nobody")]) == 2
    assert "nobody does not exist" in capsys.readouterr().err  # not argparse's "PATH is required"


# colours


@pytest.fixture
def colour_terminal(monkeypatch):
    """A terminal that shows colours, as rich detects one."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_errors_are_coloured_on_a_colour_terminal(colour_terminal, tmp_path, capsys):
    main([str(tmp_path / "nobody")])
    assert COLOR.search(capsys.readouterr().err)


def test_no_color_in_the_environment_is_respected(colour_terminal, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("NO_COLOR", "1")
    main([str(tmp_path / "nobody")])
    err = capsys.readouterr().err
    assert "nobody does not exist" in err and not COLOR.search(err)


def test_the_no_color_option_turns_colours_off(colour_terminal, tmp_path, capsys):
    main([str(tmp_path / "nobody"), "--no-color"])
    err = capsys.readouterr().err
    assert "nobody does not exist" in err and not COLOR.search(err)


# results.json in every case


def graded(*outcomes: Outcome, notes: tuple[str, ...] = ()):
    """A stand-in for grade() that returns these outcomes at once."""

    def grade(path, *, seed, select, progress, **options):
        return SubmissionResult(
            submission=str(path),
            seed=seed,
            outcomes=list(outcomes),
            notes=notes,
            exercises=tuple(sorted({o.exercise for o in outcomes})),
        )

    return grade


def check(check_id: str, points: float, max_points: float, exercise: int = 1) -> Outcome:
    return Outcome(
        check_id=check_id,
        exercise=exercise,
        exercise_title=f"Topic {exercise}",
        does=f"calls {check_id}",
        points=points,
        max_points=max_points,
        status=PASSED if points == max_points else FAILED,
        message="" if points == max_points else "expected 1, got 2",
    )


def test_results_json_records_submission_seed_points_per_exercise_and_notes(monkeypatch, tmp_path, capsys):
    note = "ex3_model.py: the code after the definitions was skipped."
    monkeypatch.setattr(
        cli, "grade", graded(check("a", 2, 2), check("b", 0, 1), check("c", 3, 3, exercise=2), notes=(note,))
    )
    results_file = tmp_path / "out" / "results.json"
    assert main(["--json", str(results_file), "--seed", "5", "alice", "--no-color"]) == 1
    results = json.loads(results_file.read_text())
    assert results["score"] == 5.0 and [t["name"] for t in results["tests"]] == ["a", "b", "c"]
    assert results["extra_data"] == {
        "submission": "alice",
        "seed": 5,
        "notes": [note],
        "isolation": "",
        "review": [],
        "exercises": [
            {"exercise": 1, "title": "Topic 1", "score": 2.0, "max_score": 3.0},
            {"exercise": 2, "title": "Topic 2", "score": 3.0, "max_score": 3.0},
        ],
    }
    out = capsys.readouterr().out
    assert "Grading alice (seed 5)" in out and out.count(note) == 1 and out.index(note) < out.index("Total: 5/6")


def test_full_marks_exit_0(monkeypatch, capsys):
    monkeypatch.setattr(cli, "grade", graded(check("a", 2, 2), check("c", 3, 3, exercise=2)))
    assert main(["alice"]) == 0


def test_nothing_graded_exits_2_and_says_why(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "grade", graded(notes=("ex1_sigmoid.py holds exercise 1: only its checks are graded",)))
    assert main(["ex1_sigmoid.py", "--exercise", "2", "--json", str(tmp_path / "r.json")]) == 2
    assert "no check was graded" in capsys.readouterr().err
    results = json.loads((tmp_path / "r.json").read_text())
    assert results["score"] == 0 and "no check was graded" in results["output"]


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda tmp_path: tmp_path / "nobody", "nobody does not exist"),
        (lambda tmp_path: tmp_path, "holds no .py files"),
    ],
)
def test_a_submission_that_cannot_be_graded_still_gets_results_json(make, reason, tmp_path, capsys):
    results_file = tmp_path / "results" / "results.json"
    assert main([str(make(tmp_path)), "--json", str(results_file), "--seed", "2"]) == 2
    results = json.loads(results_file.read_text())
    assert results["score"] == 0 and results["tests"] == [] and reason in results["output"]
    assert results["extra_data"]["submission"] == str(make(tmp_path)) and results["extra_data"]["seed"] == 2
    assert {
        "score",
        "execution_time",
        "output",
        "output_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
    } == results.keys()
    assert reason in capsys.readouterr().err


def grader_failing(path, **options):
    raise RunnerError("the child could not start:\nE   ImportError: torch")


def test_a_grader_failure_exits_3_with_one_line_and_results_json(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("LOGREG_DEBUG", raising=False)
    monkeypatch.setattr(cli, "grade", grader_failing)
    assert main(["alice", "--json", str(tmp_path / "results.json")]) == 3
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if "error" in line]
    assert "the grader failed: RunnerError: the child could not start: E ImportError: torch" in line
    assert "LOGREG_DEBUG" in line and "Traceback" not in err
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 0 and "the grader failed: RunnerError" in results["output"]
    assert "LOGREG_DEBUG" not in results["output"]  # advice for whoever runs the grader, not for the student


def test_logreg_debug_shows_the_traceback_of_a_grader_failure(monkeypatch, capsys):
    monkeypatch.setenv("LOGREG_DEBUG", "1")
    monkeypatch.setattr(cli, "grade", grader_failing)
    assert main(["alice"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "grader_failing" in err


def test_results_json_that_cannot_be_written_is_an_error_without_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "grade", graded(check("a", 2, 2)))
    (tmp_path / "file").write_text("")
    assert main(["alice", "--json", str(tmp_path / "file" / "results.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def test_results_json_is_replaced_whole_or_not_at_all(monkeypatch, tmp_path):
    target = tmp_path / "results.json"
    write_json(target, {"score": 1.0})
    write_json(target, {"score": 2.0})
    assert json.loads(target.read_text()) == {"score": 2.0} and os.listdir(tmp_path) == ["results.json"]

    def interrupted(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(OSError):
        write_json(target, {"score": 3.0})
    assert json.loads(target.read_text()) == {"score": 2.0} and os.listdir(tmp_path) == ["results.json"]


def test_help_lists_every_exit_status():
    help_text = parser().format_help()
    for status, meaning in [
        (0, "every graded point"),
        (1, "points were lost"),
        (2, "cannot be graded"),
        (3, "grader itself failed"),
    ]:
        assert re.search(rf"^  {status}  .*{meaning}", help_text, re.MULTILINE), help_text


def test_a_file_of_another_exercise_prints_no_total_before_its_error(tmp_path, capsys):
    path = tmp_path / "ex1_sigmoid.py"
    path.write_text(STUB)
    assert main([str(path), "--exercise", "2", "--no-color"]) == 2
    captured = capsys.readouterr()
    assert "Total" not in captured.out and "no check was graded" in captured.err


def test_handed_in_tells_the_student_what_to_hand_in_and_the_instructor_why(tmp_path, capsys):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("hello")
    results_file = tmp_path / "results.json"
    assert main([str(tmp_path / "submission"), "--json", str(results_file), "--handed-in"]) == 2
    results = json.loads(results_file.read_text())
    assert "right folder" not in results["output"] and "ex1_sigmoid.py" in results["output"]
    assert "right folder" in results["extra_data"]["instructor_reason"]
