"""The instructor's assignment file: points, visibility, gates and the seed, read by every front end."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
import torch
from harness import by_id, grade_functions
from rich.console import Console
from test_cli import graded
from test_plugin import SOLUTIONS, run, run_here, submission

from autograder.frontends import cli
from autograder.frontends.cli import main
from autograder.grading import policy
from autograder.grading.outcomes import FAILED, PASSED, SubmissionResult
from autograder.grading.policy import DEFAULT, PolicyError, load, locate
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.reporters.gradescope import results_json
from autograder.reporters.terminal import report

GATE_OWN_CODE = '[checks."sigmoid.own_code"]\ngate = true\n'
BUILT_IN_SIGMOID = '''import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """The logistic function, by the built-in this exercise replaces."""
    return torch.sigmoid(z)
'''


def naive_sigmoid(z):
    """Right except that its gradient is nan at z = -1e4: it loses sigmoid.gradient_extreme (2 points) only."""
    return 1 / (1 + torch.exp(-z))


def assignment(tmp_path: Path, text: str) -> Path:
    """An assignment file holding text."""
    path = tmp_path / "assignment.toml"
    path.write_text(text)
    return path


def rendered(result: SubmissionResult) -> str:
    """The terminal report of result, as plain text."""
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(report(result))
    return console.file.getvalue()


def applied(tmp_path: Path, text: str) -> dict[str, object]:
    """Check id -> the check as the assignment file in text declares it."""
    return {
        check.id: check for exercise in load(assignment(tmp_path, text)).apply(EXERCISES) for check in exercise.checks
    }


# the defaults


def test_without_a_file_the_declarations_hold_exactly():
    assert load(None) is DEFAULT
    exercises = DEFAULT.apply(EXERCISES)
    assert [exercise.points for exercise in exercises] == [18, 18, 12, 20, 10, 22]
    assert sum(exercise.points for exercise in exercises) == 100
    for declared, kept in zip(EXERCISES, exercises, strict=True):
        assert [(c.id, c.points, c.hidden, c.gate) for c in kept.checks] == [
            (c.id, c.points, c.hidden, False) for c in declared.checks
        ]


def test_only_the_held_out_accuracy_checks_are_hidden_by_default():
    hidden = {check.id for exercise in EXERCISES for check in exercise.checks if check.hidden}
    assert hidden == {"train.digits_accuracy", "np.fit_digits_accuracy"}


# points


def test_a_check_given_points_keeps_them_and_the_others_stay_as_declared(tmp_path):
    checks = applied(tmp_path, '[checks."sigmoid.own_code"]\npoints = 3\n')
    assert checks["sigmoid.own_code"].points == 3
    assert sum(c.points for c in checks.values() if c.id.startswith("sigmoid.")) == 20
    assert checks["sigmoid.fixed_values"].points == 2 and checks["bce.own_code"].points == 1


@pytest.mark.parametrize("key", ["1", "ex1_sigmoid"])
def test_exercise_points_scale_its_checks_to_that_total_in_hundredths(tmp_path, key):
    exercise = load(assignment(tmp_path, f"[exercises.{key}]\npoints = 25\n")).apply(EXERCISES)[0]
    assert math.isclose(exercise.points, 25)
    for declared, scaled in zip(EXERCISES[0].checks, exercise.checks, strict=True):
        assert abs(scaled.points - declared.points * 25 / 18) <= 0.01
        assert math.isclose(scaled.points * 100, round(scaled.points * 100))


def test_check_points_come_first_and_the_other_checks_share_the_rest(tmp_path):
    checks = applied(tmp_path, '[exercises.1]\npoints = 21\n[checks."sigmoid.own_code"]\npoints = 3\n')
    sigmoid = [check for check in checks.values() if check.id.startswith("sigmoid.")]
    assert checks["sigmoid.own_code"].points == 3 and math.isclose(sum(c.points for c in sigmoid), 21)
    assert (
        abs(checks["sigmoid.fixed_values"].points - 2 * 18 / 17) <= 0.01
    )  # 18 points shared by checks declared with 17


def test_an_exercise_worth_0_gives_every_check_0(tmp_path):
    checks = applied(tmp_path, "[exercises.6]\npoints = 0\n")
    assert all(check.points == 0 for check in checks.values() if check.id.startswith("np."))


# visibility


def test_exercise_visibility_covers_its_checks_and_a_check_setting_wins(tmp_path):
    checks = applied(
        tmp_path,
        '[exercises.1]\nvisibility = "hidden"\n[checks."sigmoid.own_code"]\nvisibility = "visible"\n'
        '[checks."train.digits_accuracy"]\nvisibility = "visible"\n',
    )
    assert all(
        check.hidden for check in checks.values() if check.id.startswith("sigmoid.") and check.id != "sigmoid.own_code"
    )
    assert not checks["sigmoid.own_code"].hidden and not checks["train.digits_accuracy"].hidden
    assert checks["np.fit_digits_accuracy"].hidden and not checks["bce.fixed_values"].hidden


def test_hidden_checks_wait_until_published_in_results_json(tmp_path):
    exercises = load(assignment(tmp_path, '[exercises.2]\nvisibility = "hidden"\n')).apply(EXERCISES)
    outcomes = grade_functions({}, exercise=2, exercises=exercises)
    results = results_json(SubmissionResult(submission="alice", seed=0, outcomes=outcomes), execution_time=1.0)
    assert {test["visibility"] for test in results["tests"]} == {"after_published"}
    assert "11 hidden checks (18 points)" in results["output"]


# gates


def test_a_gate_that_does_not_pass_withholds_the_points_of_its_exercise_and_keeps_each_verdict(tmp_path):
    names = {"sigmoid": naive_sigmoid}
    assert sum(o.points for o in grade_functions(names, exercise=1)) == 16  # without the gate
    gated = load(assignment(tmp_path, '[checks."sigmoid.gradient_extreme"]\ngate = true\n')).apply(EXERCISES)
    outcomes = by_id(grade_functions(names, exercise=1, exercises=gated))
    assert sum(o.points for o in outcomes.values()) == 0
    assert outcomes["sigmoid.gradient_extreme"].status == FAILED and "nan" in say(
        outcomes["sigmoid.gradient_extreme"].message
    )
    fixed = outcomes["sigmoid.fixed_values"]
    assert fixed.status == PASSED and fixed.withheld and fixed.max_points == 2
    assert say(fixed.message) == "passed, but scored 0: this assignment requires sigmoid.gradient_extreme to pass"
    entry = {
        test["name"]: test
        for test in results_json(SubmissionResult("alice", 0, list(outcomes.values())), execution_time=1.0)["tests"]
    }["sigmoid.fixed_values"]
    assert entry["status"] == "failed" and "passed, but scored 0" in entry["output"]
    text = " ".join(rendered(SubmissionResult("alice", 0, list(outcomes.values()), assignment="logreg")).split())
    assert "Grading alice for logreg (seed 0)" in text and "requires sigmoid.gradient_extreme to pass" in text


def test_a_gate_is_graded_even_when_only_other_checks_are_selected(tmp_path):
    gated = load(assignment(tmp_path, '[checks."sigmoid.gradient_extreme"]\ngate = true\n')).apply(EXERCISES)
    (fixed,) = grade_functions(
        {"sigmoid": naive_sigmoid}, exercises=gated, select=lambda exercise, check: check.id == "sigmoid.fixed_values"
    )
    assert fixed.passed and fixed.points == 0


def test_a_gate_that_passes_changes_nothing(tmp_path):
    gated = load(assignment(tmp_path, GATE_OWN_CODE)).apply(EXERCISES)
    outcomes = grade_functions({"sigmoid": naive_sigmoid}, exercise=1, exercises=gated)
    assert sum(o.points for o in outcomes) == 16 and not any(o.withheld for o in outcomes)


@pytest.mark.slow
def test_a_sigmoid_calling_torch_sigmoid_scores_17_without_the_gate_and_0_with_it(tmp_path, capsys):
    submission = tmp_path / "ex1_sigmoid.py"
    submission.write_text(BUILT_IN_SIGMOID)
    assert cli.grade(submission, seed=3).total == (17, 18)
    file = assignment(tmp_path, '[assignment]\nname = "logreg"\n' + GATE_OWN_CODE)
    results_file = tmp_path / "results.json"
    assert main([str(submission), "--assignment", str(file), "--json", str(results_file), "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "for logreg" in out and "requires sigmoid.own_code to pass" in out and "Total: 0/18" in out
    results = json.loads(results_file.read_text())
    assert results["score"] == 0 and results["extra_data"]["assignment"] == "logreg"
    tests = {test["name"]: test for test in results["tests"]}
    assert tests["sigmoid.own_code"]["status"] == "failed" and "torch.sigmoid" in tests["sigmoid.own_code"]["output"]


# the seed, and where the file comes from


def test_the_seed_key_is_read_and_the_command_line_wins(tmp_path, monkeypatch):
    file = assignment(tmp_path, "[assignment]\nseed = 123456\n")
    assert load(file).seed == 123456 and load(None).seed is None
    seen = {}

    def grade(path, **options):
        seen.update(options)
        return graded()(path, **options)

    monkeypatch.setattr(cli, "grade", grade)
    main(["alice", "--assignment", str(file)])
    assert seen["seed"] == 123456 and seen["policy"].seed == 123456
    main(["alice", "--assignment", str(file), "--seed", "7"])
    assert seen["seed"] == 7


def test_the_file_given_wins_over_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(policy.ENV, raising=False)
    assert locate(None) is None
    monkeypatch.setenv(policy.ENV, str(tmp_path / "env.toml"))
    assert locate(None) == tmp_path / "env.toml"
    assert locate(tmp_path / "given.toml") == tmp_path / "given.toml"
    monkeypatch.setenv(policy.ENV, " ")
    assert locate(None) is None


# bad files


@pytest.mark.parametrize(
    "text, key, said",
    [
        ('[checks."sigmoid.own_cod"]\npoints = 1\n', 'checks."sigmoid.own_cod"', 'did you mean "sigmoid.own_code"?'),
        ("[checks.sigmoid.own_code]\ngate = true\n", "checks.sigmoid", '[checks."sigmoid.own_code"]'),
        (
            '[checks."sigmoid.own_code"]\npoints = -1\n',
            'checks."sigmoid.own_code".points',
            "non-negative number of points, not -1",
        ),
        (
            '[checks."sigmoid.own_code"]\npoints = "2"\n',
            'checks."sigmoid.own_code".points',
            'non-negative number of points, not "2"',
        ),
        (
            '[checks."sigmoid.own_code"]\npoints = true\n',
            'checks."sigmoid.own_code".points',
            "non-negative number of points",
        ),
        (
            '[checks."sigmoid.own_code"]\npoints = nan\n',
            'checks."sigmoid.own_code".points',
            "non-negative number of points",
        ),
        ('[checks."sigmoid.own_code"]\ngate = "yes"\n', 'checks."sigmoid.own_code".gate', "true or false"),
        (
            '[checks."sigmoid.own_code"]\ncolour = 1\n',
            'checks."sigmoid.own_code".colour',
            "allowed here: points, visibility, gate",
        ),
        ('[exercises.1]\nvisibility = "secret"\n', "exercises.1.visibility", 'must be "visible" or "hidden"'),
        ("[exercises.1]\npionts = 2\n", "exercises.1.pionts", 'did you mean "points"?'),
        ("[exercises.1]\ngate = true\n", "exercises.1.gate", "allowed here: points, visibility"),
        ("[exercises.7]\npoints = 2\n", "exercises.7", "no such exercise"),
        ("[exercises.ex1_sigmod]\npoints = 2\n", "exercises.ex1_sigmod", 'did you mean "ex1_sigmoid"?'),
        (
            '[checks."train.digits_accuracy"]\ngate = true\n',
            'checks."train.digits_accuracy".gate',
            "a gate cannot be hidden",
        ),
        (
            '[exercises.1]\nvisibility = "hidden"\n' + GATE_OWN_CODE,
            'checks."sigmoid.own_code".gate',
            'visibility = "visible"',
        ),
        (
            "[exercises.1]\npoints = 2\n[exercises.ex1_sigmoid]\npoints = 3\n",
            "exercises.ex1_sigmoid",
            "also given as exercises.1",
        ),
        (
            '[exercises.1]\npoints = 2\n[checks."sigmoid.own_code"]\npoints = 3\n',
            "exercises.1.points",
            "less than the 3 points",
        ),
        ("exercises = 3\n", "exercises", "must be a table"),
        ("[assignment]\nseed = -3\n", "assignment.seed", "whole number >= 0"),
        ("[assignment]\nseed = 1.5\n", "assignment.seed", "whole number >= 0"),
        ("[assignment]\nname = 3\n", "assignment.name", "must be a string"),
        ('[assignmnet]\nname = "x"\n', "assignmnet", 'did you mean "assignment"?'),
    ],
    ids=lambda value: None,
)
def test_a_bad_file_names_the_key_and_what_to_do(tmp_path, text, key, said):
    file = assignment(tmp_path, text)
    with pytest.raises(PolicyError) as raised:
        load(file)
    assert str(raised.value).startswith(f"assignment file {file}, {key}: ") and said in str(raised.value)


def test_every_check_with_points_of_its_own_must_add_up_to_the_exercise(tmp_path):
    own = "".join(f'[checks."{check.id}"]\npoints = 1\n' for check in EXERCISES[2].checks)
    count = len(EXERCISES[2].checks)
    with pytest.raises(
        PolicyError, match=rf"exercises\.3\.points: every check of exercise 3 has points of its own, {count} in all"
    ):
        load(assignment(tmp_path, f"[exercises.3]\npoints = 12\n{own}"))
    assert load(assignment(tmp_path, f"[exercises.3]\npoints = {count}\n{own}")).apply(EXERCISES)[2].points == count


@pytest.mark.parametrize(
    "make, said",
    [
        (
            lambda tmp_path: assignment(tmp_path, "[assignment]\nname = \n"),
            "is not valid TOML: Invalid value (at line 2, column 8)",
        ),
        (lambda tmp_path: tmp_path / "missing.toml", "cannot be read (No such file or directory)"),
        (lambda tmp_path: tmp_path, "cannot be read (Is a directory)"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(tmp_path, make, said):
    with pytest.raises(PolicyError, match=r"^assignment file .*: ") as raised:
        load(make(tmp_path))
    assert said in str(raised.value)


def test_logreg_grade_exits_2_on_a_bad_file_with_the_message_and_no_traceback(tmp_path, capsys):
    file = assignment(tmp_path, '[checks."sigmoid.own_cod"]\ngate = true\n')
    results_file = tmp_path / "results.json"
    assert main([str(tmp_path), "--assignment", str(file), "--json", str(results_file)]) == 2
    err = capsys.readouterr().err
    assert (
        f'assignment file {file}, checks."sigmoid.own_cod": no such check; did you mean "sigmoid.own_code"?'
        in " ".join(err.split())
    )
    assert "Traceback" not in err
    results = json.loads(results_file.read_text())
    assert results["score"] == 0 and "sigmoid.own_cod" in results["output"]


def test_logreg_grade_reads_the_environment_variable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(policy.ENV, str(assignment(tmp_path, "[assignment]\nseed = -1\n")))
    assert main([str(tmp_path)]) == 2
    assert "assignment.seed" in capsys.readouterr().err


# the pytest plugin


def test_plugin_header_shows_the_assignment_and_its_seed(pytester):
    file = assignment(pytester.path, '[assignment]\nname = "logreg"\nseed = 42\n')
    result = run_here(pytester, f"--submission={SOLUTIONS}", f"--assignment={file}", "--collect-only", "-m", "ex1")
    result.stdout.fnmatch_lines([f"logreg: grading {SOLUTIONS} for logreg with --grading-seed=42"])


def test_plugin_bad_file_is_a_usage_error(pytester):
    file = assignment(pytester.path, '[exercises.1]\nvisibility = "secret"\n')
    result = run_here(pytester, f"--submission={SOLUTIONS}", f"--assignment={file}", "--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(['*exercises.1.visibility: must be "visible" or "hidden"*'])
    alone = run_here(pytester, f"--assignment={file}", "--collect-only")
    assert alone.ret == pytest.ExitCode.USAGE_ERROR
    alone.stderr.fnmatch_lines(["*--assignment applies only with --submission*"])


@pytest.mark.slow
def test_plugin_grades_under_the_assignment(pytester):
    file = assignment(pytester.path, GATE_OWN_CODE + '[checks."sigmoid.fixed_values"]\npoints = 4\n')
    result = run(
        pytester, f"--submission={submission(pytester, BUILT_IN_SIGMOID)}", f"--assignment={file}", "-m", "ex1"
    )
    result.assert_outcomes(failed=len(EXERCISES[0].checks))
    result.stdout.fnmatch_lines(
        ["*passed, but scored 0: this assignment requires sigmoid.own_code to pass*", "*ex1*0 / 20"]
    )
