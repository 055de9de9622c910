"""The reporters are pure functions: hand-made outcomes in, text or JSON out."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from autograder.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome
from autograder.reporters.gradescope import results_json
from autograder.reporters.terminal import points, report


def outcome(check_id: str, status: str, points: float, max_points: float, *, exercise: int = 1, **fields) -> Outcome:
    title = {1: "The sigmoid", 2: "The binary cross-entropy loss"}[exercise]
    return Outcome(check_id=check_id, exercise=exercise, exercise_title=title, does=f"calls {check_id}",
                   points=points, max_points=max_points, status=status, **fields)


OUTCOMES = [
    outcome("sigmoid.values", PASSED, 2, 2),
    outcome("sigmoid.extreme", FAILED, 0, 2, message="expected 1, got nan", hint="Exponentiate only -|z|.",
            mistake="sigmoid.naive_overflow"),
    outcome("sigmoid.gradient", ERROR, 0, 1, message="TypeError: bad operand", hint="Use torch operations."),
    outcome("sigmoid.secret", PASSED, 1.5, 1.5, hidden=True),
    outcome("bce.values", NOT_IMPLEMENTED, 0, 2, exercise=2, message="not implemented yet (ex2_bce_loss.py, line 9)",
            hint="Replace the raise line."),
    outcome("bce.gradient", NOT_IMPLEMENTED, 0, 1, exercise=2, message="not implemented yet (ex2_bce_loss.py, line 9)",
            hint="Replace the raise line."),
]


def render(outcomes: list[Outcome], width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(report(outcomes, title="Grading alice (seed 0)"))
    return console.file.getvalue()


@pytest.mark.parametrize("earned, possible, shown", [(2, 2, "2/2"), (0, 1.5, "0/1.5"), (73.5, 100, "73.5/100"),
                                                     (1 / 3, 1, "0.33/1")])
def test_points_are_written_without_trailing_zeros(earned, possible, shown):
    assert points(earned, possible) == shown


def test_terminal_report_has_a_titled_table_per_exercise_and_the_total():
    text = render(OUTCOMES)
    assert "Grading alice (seed 0)" in text
    assert "Exercise 1 - The sigmoid  3.5/6.5" in text
    assert "Exercise 2 - The binary cross-entropy loss  0/3" in text
    assert text.rstrip().endswith("Total: 3.5/9.5")
    for o in OUTCOMES:
        assert o.check_id in text


def test_terminal_report_shows_what_was_called_what_went_wrong_and_the_hint():
    text = render(OUTCOMES)
    assert "calls sigmoid.extreme" in text and "expected 1, got nan" in text and "Hint: Exponentiate only -|z|." in text
    assert "calls sigmoid.values" not in text  # a passed check needs no explanation
    assert "sigmoid.secret (hidden)" in text


def test_terminal_report_says_error_and_not_implemented_in_words():
    text = render(OUTCOMES)
    assert "error: TypeError: bad operand" in text
    assert "not implemented yet (ex2_bce_loss.py, line 9)" in text
    assert "not implemented, as above" in text  # the same message again is not repeated in full
    assert text.count("Replace the raise line.") == 1


def test_terminal_report_fits_100_columns():
    long = outcome("sigmoid.long", FAILED, 0, 2, message="expected " + "0.5, " * 40 + "got " + "nan, " * 40,
                   hint="word " * 50)
    text = render(OUTCOMES + [long])
    assert max(len(line) for line in text.splitlines()) <= 100
    assert any(line.lstrip().startswith("got nan") for line in text.splitlines())  # expected and got on lines of their own


def test_terminal_report_of_nothing_says_so():
    text = render([])
    assert "No checks were graded." in text and "Total: 0/0" in text


def test_gradescope_has_one_test_per_outcome_in_order():
    results = results_json(OUTCOMES, execution_time=3.14159)
    assert [test["name"] for test in results["tests"]] == [o.check_id for o in OUTCOMES]
    assert [test["number"] for test in results["tests"]] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"]
    assert results["execution_time"] == 3.14


def test_gradescope_scores_sum_to_the_top_level_score():
    results = results_json(OUTCOMES, execution_time=1.0)
    assert [(t["score"], t["max_score"]) for t in results["tests"]] == [(o.points, o.max_points) for o in OUTCOMES]
    assert results["score"] == sum(t["score"] for t in results["tests"]) == 3.5


def test_gradescope_status_is_passed_or_failed():
    statuses = [test["status"] for test in results_json(OUTCOMES, execution_time=1.0)["tests"]]
    assert statuses == ["passed", "failed", "failed", "passed", "failed", "failed"]


def test_gradescope_hidden_checks_wait_until_published():
    results = results_json(OUTCOMES, execution_time=1.0)
    visibility = {test["name"]: test["visibility"] for test in results["tests"]}
    assert visibility.pop("sigmoid.secret") == "after_published"
    assert set(visibility.values()) == {"visible"}
    assert "Exercise 1 - The sigmoid: 2/5" in results["output"]  # the summary leaves hidden checks out
    assert "1 hidden check (1.5 points)" in results["output"]


def test_gradescope_output_holds_message_and_hint():
    tests = {test["name"]: test for test in results_json(OUTCOMES, execution_time=1.0)["tests"]}
    assert "expected 1, got nan" in tests["sigmoid.extreme"]["output"]
    assert "Hint: Exponentiate only -|z|." in tests["sigmoid.extreme"]["output"]
    assert "Error: TypeError: bad operand" in tests["sigmoid.gradient"]["output"]
    assert "not implemented yet" in tests["bce.values"]["output"]
    assert "sigmoid.naive_overflow" in tests["sigmoid.extreme"]["tags"]


def test_gradescope_results_are_json():
    results = results_json(OUTCOMES, execution_time=1.0)
    assert json.loads(json.dumps(results)) == results
    assert {"score", "execution_time", "output", "visibility", "stdout_visibility", "tests"} <= results.keys()
    for test in results["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output", "visibility", "tags"} <= test.keys()
