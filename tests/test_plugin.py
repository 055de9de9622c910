"""The pytest plugin, through real pytest runs: `pytest --submission PATH`."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.frontends.pytest_plugin import points_table
from autograder.grading.outcomes import FAILED, PASSED, Outcome
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES, hints

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"  # beside the autograder package
SIGMOID = EXERCISES[0]
ALL_CHECKS = [check for exercise in EXERCISES for check in exercise.checks]
TOTAL_POINTS = sum(exercise.points for exercise in EXERCISES)

STUB = """import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("Exercise 1: implement sigmoid")
"""
SIGN_FLIPPED = """import torch


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    return 1 / (1 + torch.exp(z))
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A real pytest session in a fresh process, as students and instructors run it."""
    return pytester.runpytest_subprocess(*args, "-p", "no:cacheprovider")


def run_here(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A pytest session in this process, for runs that grade nothing (no torch import to wait for)."""
    return pytester.runpytest_inprocess(*args, "-p", "no:cacheprovider")


def submission(pytester: pytest.Pytester, ex1_source: str) -> Path:
    folder = pytester.mkdir("submission")
    (folder / "ex1_sigmoid.py").write_text(ex1_source)
    return folder


def collected_ids(result: pytest.RunResult) -> list[str]:
    """The check ids that `--collect-only -q` lists."""
    return [line.split("::")[1] for line in result.outlines if line.startswith("ex") and "::" in line]


@pytest.mark.slow
def test_solutions_pass_every_check_with_full_marks(pytester):
    result = run(pytester, "--submission", str(SOLUTIONS), "--grading-seed", "7")
    result.assert_outcomes(passed=len(ALL_CHECKS))
    result.stdout.fnmatch_lines(
        [
            f"logreg: grading {SOLUTIONS} with --grading-seed=7",
            "*= logreg points =*",
            f"*total*{TOTAL_POINTS:g} / {TOTAL_POINTS:g}",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


@pytest.mark.slow
def test_stub_fails_every_sigmoid_check_as_not_implemented_and_m_selects_exercise_1(pytester):
    result = run(pytester, "--submission", str(submission(pytester, STUB)), "-m", "ex1")
    result.assert_outcomes(failed=len(SIGMOID.checks), deselected=len(ALL_CHECKS) - len(SIGMOID.checks))
    assert result.stdout.str().count("\n`sigmoid` is not implemented yet") == len(
        SIGMOID.checks
    )  # each repr's first line
    result.stdout.fnmatch_lines([f"FAILED ex1_sigmoid.py::{check.id}*" for check in SIGMOID.checks])
    result.stdout.fnmatch_lines([f"*hint:*{hints.NOT_IMPLEMENTED}", f"ex1 *{SIGMOID.title}*0 / {SIGMOID.points:g}"])
    result.stdout.no_fnmatch_line("*ex2*")


@pytest.mark.slow
def test_wrong_sigmoid_fails_with_the_hint_and_no_traceback(pytester):
    check = SIGMOID.checks[0]
    result = run(pytester, "--submission", str(submission(pytester, SIGN_FLIPPED)), "-k", check.id)
    result.assert_outcomes(failed=1, deselected=len(ALL_CHECKS) - 1)
    result.stdout.fnmatch_lines(
        [
            f"*_ {check.id} (*",
            "expected *",
            "`sigmoid` returned *",
            f"  check:  {check.does}",
            f"  hint:   {say(hints.hint_for(check.id, 'sigmoid.sign_flipped'))}",
            f"  points: 0 of {check.points:g}",
        ]
    )
    assert "Traceback" not in result.stdout.str() and "plugin.py" not in result.stdout.str()


def test_m_and_k_deselect_checks_without_grading(pytester):
    by_marker = run_here(pytester, "--submission", str(SOLUTIONS), "-m", "ex1", "--collect-only", "-q")
    assert collected_ids(by_marker) == [check.id for check in SIGMOID.checks]
    by_keyword = run_here(pytester, "--submission", str(SOLUTIONS), "-k", "own_code", "--collect-only", "-q")
    assert collected_ids(by_keyword) == [check.id for check in ALL_CHECKS if "own_code" in check.id]
    assert "logreg points" not in by_marker.stdout.str() + by_keyword.stdout.str()


# pytest picks its rootdir and ini file before plugins add their options, so a separate
# `--submission PATH` looks like a test path there; `--submission=PATH` keeps this ini file in use.


def test_header_shows_the_seed_from_the_ini_file_unless_given_on_the_command_line(pytester):
    pytester.makeini("[pytest]\ngrading_seed = 5\n")
    from_ini = run_here(pytester, f"--submission={SOLUTIONS}", "--collect-only", "-m", "ex1")
    from_ini.stdout.fnmatch_lines([f"logreg: grading {SOLUTIONS} with --grading-seed=5"])
    from_cli = run_here(pytester, f"--submission={SOLUTIONS}", "--grading-seed", "9", "--collect-only", "-m", "ex1")
    from_cli.stdout.fnmatch_lines(["logreg: grading * with --grading-seed=9"])


def test_a_bad_seed_is_a_usage_error_naming_where_it_came_from(pytester):
    pytester.makeini("[pytest]\ngrading_seed = many\n")
    result = run_here(pytester, f"--submission={SOLUTIONS}", "--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*grading_seed (ini): 'many' is not a whole number*"])
    negative = run_here(pytester, f"--submission={SOLUTIONS}", "--grading-seed=-1", "--collect-only")
    negative.stderr.fnmatch_lines(["*--grading-seed: -1 is negative*"])


def test_a_missing_submission_is_a_usage_error(pytester):
    result = run_here(pytester, "--submission", str(pytester.path / "nobody"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--submission: *nobody does not exist*"])


def test_without_submission_test_files_run_as_usual_without_importing_torch(pytester):
    pytester.makepyfile(
        test_plain="""
        import sys

        def test_plain():
            assert "torch" not in sys.modules
    """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("logreg: grading*")


def test_with_a_submission_every_exercise_has_a_marker(pytester):
    markers = run_here(pytester, f"--submission={SOLUTIONS}", "--markers")
    markers.stdout.fnmatch_lines([f"@pytest.mark.ex{e.number}: exercise {e.number}, {e.title}*" for e in EXERCISES])


def _outcome(exercise: int, title: str, points: float, max_points: float) -> Outcome:
    return Outcome(
        check_id=f"check{exercise}",
        exercise=exercise,
        exercise_title=title,
        does="f(x)",
        points=points,
        max_points=max_points,
        status=PASSED if points == max_points else FAILED,
    )


def test_points_table_sums_each_exercise_and_the_total():
    outcomes = [
        _outcome(2, "The loss", 0, 3),
        _outcome(1, "The sigmoid", 2, 2),
        _outcome(1, "The sigmoid", 0.5, 1),
        _outcome(10, "More", 10, 10),
    ]
    assert points_table(outcomes) == [
        "ex1   The sigmoid   2.5 / 3",
        "ex2   The loss        0 / 3",
        "ex10  More           10 / 10",
        "      total        12.5 / 16",
    ]


def test_settings_read_from_the_submission_are_refused(pytester):
    folder = pytester.mkdir("student")
    (folder / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return z\n")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -q\n")
    result = run_here(pytester, "--submission", str(folder))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*pytest read its settings from the submission*--submission=PATH*"])


# a single exercise file


def test_a_single_exercise_file_collects_only_its_own_checks(pytester):
    module = submission(pytester, STUB) / "ex1_sigmoid.py"
    result = run_here(pytester, f"--submission={module}", "--collect-only", "-q")
    assert collected_ids(result) == [check.id for check in SIGMOID.checks]


@pytest.mark.slow
def test_the_grader_notes_follow_the_points_table(pytester):
    module = submission(pytester, STUB) / "ex1_sigmoid.py"
    result = run(pytester, f"--submission={module}")
    result.assert_outcomes(failed=len(SIGMOID.checks))
    result.stdout.fnmatch_lines(
        [
            "*= logreg points =*",
            f"*total*0 / {SIGMOID.points:g}",
            "note: ex1_sigmoid.py holds exercise 1: only its checks are graded",
        ]
    )


# pytest in a student's folder, without --submission


def student_folder(pytester: pytest.Pytester, name: str = ".") -> Path:
    """A folder (the invocation folder by default) holding two exercise modules,
    as a student's copy of exercises/ does."""
    folder = pytester.mkdir(name) if name != "." else pytester.path
    for module, source in [("ex1_sigmoid.py", STUB), ("ex2_bce_loss.py", "def bce_loss(p, y):\n    return 0\n")]:
        (folder / module).write_text(source)
    return folder


def test_pytest_in_a_student_folder_points_to_submission(pytester):
    student_folder(pytester)
    result = run_here(pytester, "-m", "ex2")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(
        [
            "*= logreg =*",
            ". holds exercise files (ex1_sigmoid.py, ex2_bce_loss.py), but their checks run only with --submission.",
            "Grade them with: pytest --submission=.  or  logreg-grade .",
        ]
    )


def test_pytest_given_a_student_folder_names_it(pytester):
    student_folder(pytester, "student")
    result = run_here(pytester, "student")
    result.stdout.fnmatch_lines(
        [
            "student holds exercise files (ex1_sigmoid.py, ex2_bce_loss.py)*",
            "Grade them with: pytest --submission=student  or  logreg-grade student",
        ]
    )


def test_a_student_folder_whose_settings_pytest_reads_is_pointed_to_logreg_grade_only(pytester):
    student_folder(pytester)
    pytester.makeini("[pytest]\n")
    result = run_here(pytester)
    result.stdout.fnmatch_lines(["Grade them with: logreg-grade ."])
    result.stdout.no_fnmatch_line("*--submission=.*")


def test_a_deselected_test_file_in_a_student_folder_still_gets_the_pointer(pytester):
    student_folder(pytester)
    pytester.makepyfile(test_mine="def test_mine():\n    pass\n")
    result = run_here(pytester, "-m", "ex1")
    result.assert_outcomes(deselected=1)
    result.stdout.fnmatch_lines(["*logreg-grade .*"])


def test_no_pointer_when_tests_ran(pytester):
    student_folder(pytester)
    pytester.makepyfile(test_mine="def test_mine():\n    pass\n")
    result = run_here(pytester)
    result.assert_outcomes(passed=1)
    assert "logreg" not in result.stdout.str().replace("logreg-autograder", "")  # only the plugin list names it


def test_no_pointer_in_a_folder_without_exercise_files(pytester):
    (pytester.path / "sigmoid.py").write_text("x = 1\n")
    result = run_here(pytester)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.no_fnmatch_line("*--submission*")


def test_the_pointer_does_not_import_torch(pytester):
    student_folder(pytester)
    pytester.makeconftest("""
        import sys

        def pytest_terminal_summary(terminalreporter):
            terminalreporter.write_line(f"torch imported: {'torch' in sys.modules}")
    """)
    result = run(pytester)
    result.stdout.fnmatch_lines(["*logreg-grade .*"])
    result.stdout.fnmatch_lines(["torch imported: False"])
