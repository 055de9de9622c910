"""Student text is inert wherever it is shown; the grading seed only where the instructor reads it (issue 14).

An exception message that carries escape sequences (clear the screen, home the cursor, print a fake total, set the
window's title, overwrite with carriage returns and backspaces, turn the line around) is shown as escapes in the
terminal report, the pytest plugin, results.json's texts and nbgrader's feedback page; results.json keeps the seed
for the instructor (extra_data) and shows it to no student.
"""

from __future__ import annotations

import io
import json

from rich.console import Console

from autograder.frontends import jupyter, pytest_plugin
from autograder.frontends.instructor.nbgrader import autograde
from autograder.grading.outcomes import ERROR, FAILED, PASSED, Outcome, SubmissionResult
from autograder.reporters.gradescope import results_json, ungraded_json
from autograder.reporters.inert import inert, is_inert
from autograder.reporters.terminal import report

HOSTILE = "\x1b[2J\x1b[H Total: 100/100\r\x1b]0;owned\x07\x08\x08\u202eevil\x9b31m"
SEED = 1234567891  # a course's secret seed


def outcomes() -> list[Outcome]:
    common = {"exercise": 1, "exercise_title": "The sigmoid", "does": "sigmoid(z)"}
    return [
        Outcome("sigmoid.values", points=0, max_points=2, status=ERROR, message=f"ValueError: {HOSTILE}", **common),
        Outcome("sigmoid.shape", points=0, max_points=1, status=FAILED, message="expected (3,), got (3, 1)", **common),
        Outcome("sigmoid.extreme", points=1, max_points=1, status=PASSED, **common),
    ]


def result() -> SubmissionResult:
    return SubmissionResult(
        submission="alice", seed=SEED, outcomes=outcomes(), notes=(f"note {HOSTILE}",), exercises=(1,)
    )


def test_inert_writes_control_bidi_and_invisible_characters_as_escapes_and_keeps_line_breaks():
    assert inert("a\x1b[2Jb\rc\x07\x08\u202ed\u2066e\x00\x9b") == "a\\x1b[2Jb\\rc\\x07\\x08\\u202ed\\u2066e\\0\\x9b"
    assert inert("two\nlines\tand 中文 ✓ ✗ — <b>") == "two\nlines\tand 中文 ✓ ✗ — <b>"
    assert inert(inert(HOSTILE)) == inert(HOSTILE) and is_inert(inert(HOSTILE)) and not is_inert(HOSTILE)


def test_the_terminal_report_shows_escape_sequences_and_obeys_none():
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system="truecolor")
    console.print(report(result()))
    shown = console.file.getvalue()
    assert "\\x1b[2J\\x1b[H Total: 100/100\\r\\x1b]0;owned\\x07" in shown
    assert "\x1b[2J" not in shown and "\x1b]" not in shown and "\r" not in shown and "\u202e" not in shown
    assert "\x07" not in shown and "\x08" not in shown and "\x9b" not in shown
    assert "note \\x1b[2J" in shown


def test_the_pytest_plugin_shows_student_text_inert():
    failed = pytest_plugin.CheckFailed(outcomes()[0])
    assert is_inert(str(failed)) and "\\x1b[2J" in str(failed)
    assert all(is_inert(line) for line in pytest_plugin.points_table(outcomes()))


def test_results_json_keeps_student_text_as_data_and_shows_it_inert():
    results = results_json(result(), execution_time=1.0)
    assert all(is_inert(test["output"]) for test in results["tests"]) and is_inert(results["output"])
    assert "\\x1b[2J" in results["tests"][0]["output"]
    assert HOSTILE in results["extra_data"]["notes"][0]  # the instructor's data, as said: JSON escapes it
    assert "\x1b" not in json.dumps(results) and json.loads(json.dumps(results)) == results
    assert is_inert(ungraded_json("alice", SEED, f"cannot read {HOSTILE}", execution_time=0)["output"])


def test_results_json_shows_the_seed_to_no_student():
    results = results_json(result(), execution_time=1.0)
    seen_by_students = [results["output"], *(test["output"] for test in results["tests"])]
    assert not any(str(SEED) in text or "seed" in text for text in seen_by_students)
    assert results["extra_data"]["seed"] == SEED  # the instructor's field keeps it


def test_nbgrader_feedback_shows_student_text_escaped_and_no_seed(monkeypatch):
    monkeypatch.setattr(jupyter, "grade_notebook", lambda notebook, module, assignment, zygote: (result(), 1))
    monkeypatch.setattr(autograde, "shared_zygote", lambda: None)  # no sandbox needed: nothing of a student runs
    text, points = autograde.SandboxedChecks().grade(None, "ex1_sigmoid", None)  # type: ignore[arg-type]
    page = autograde.report_html(text)
    assert points == 1 and str(SEED) not in text + page and "seed" not in text + page
    assert is_inert(text) and is_inert(page) and "\\x1b[2J" in page
    assert "&lt;script&gt;" in autograde.report_html("<script>alert(1)</script>\x1b[2J")
    assert "<script>" not in autograde.report_html("<script>alert(1)</script>")
