"""The reporters are pure functions: hand-made outcomes in, text or JSON out."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from autograder.grading import outcomes
from autograder.grading.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Outcome, SubmissionResult
from autograder.i18n.messages import say
from autograder.reporters.gradescope import results_json, ungraded_json
from autograder.reporters.terminal import points, report

TITLES = {1: "The sigmoid", 2: "The binary cross-entropy loss"}
STUB_HINT = "Replace the raise line."


def outcome(check_id: str, status: str, points: float, max_points: float, *, exercise: int = 1, **fields) -> Outcome:
    title = TITLES.get(exercise, f"Topic {exercise}")
    return Outcome(
        check_id=check_id,
        exercise=exercise,
        exercise_title=title,
        does=f"calls {check_id}",
        points=points,
        max_points=max_points,
        status=status,
        **fields,
    )


def untouched(exercise: int, checks: int) -> list[Outcome]:
    """The outcomes of an exercise whose stub nobody has touched."""
    return [
        outcome(
            f"topic{exercise}.check_{n}",
            NOT_IMPLEMENTED,
            0,
            1,
            exercise=exercise,
            message=f"not implemented yet (ex{exercise}_topic.py, line 9)",
            hint=STUB_HINT,
        )
        for n in range(checks)
    ]


def result_of(outcomes: list[Outcome], notes: tuple[str, ...] = ()) -> SubmissionResult:
    """A SubmissionResult as grade() gives it, for alice with seed 0."""
    return SubmissionResult(
        submission="alice",
        seed=0,
        outcomes=outcomes,
        notes=notes,
        exercises=tuple(sorted({o.exercise for o in outcomes})),
    )


OUTCOMES = [
    outcome("sigmoid.values", PASSED, 2, 2),
    outcome(
        "sigmoid.extreme",
        FAILED,
        0,
        2,
        message="expected 1, got nan",
        hint="Exponentiate only -|z|.",
        mistake="sigmoid.naive_overflow",
    ),
    outcome("sigmoid.gradient", ERROR, 0, 1, message="TypeError: bad operand", hint="Use torch operations."),
    outcome("sigmoid.secret", PASSED, 1.5, 1.5, hidden=True),
    outcome(
        "bce.values",
        NOT_IMPLEMENTED,
        0,
        2,
        exercise=2,
        message="not implemented yet (ex2_bce_loss.py, line 9)",
        hint=STUB_HINT,
    ),
    outcome(
        "bce.gradient",
        NOT_IMPLEMENTED,
        0,
        1,
        exercise=2,
        message="not implemented yet (ex2_bce_loss.py, line 9)",
        hint=STUB_HINT,
    ),
    outcome("bce.zero_dim", PASSED, 1, 1, exercise=2),  # exercise 2 is begun: a row per check
]


def render(outcomes: list[Outcome] | SubmissionResult, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(report(outcomes, title="Grading alice (seed 0)"))
    return console.file.getvalue()


def recorded(renderable, width: int) -> str:
    """The text a console of this width shows for the renderable."""
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def shown(word: str, lines: list[str]) -> bool:
    """Whether word is on some line whole, or folded: its pieces end one line and begin the next ones."""
    return any(_begins(word, lines, row) for row in range(len(lines)))


def _begins(word: str, lines: list[str], row: int) -> bool:
    """Whether a token of lines[row] starts with word, or is its first piece and the rest begins on the next line."""
    return any(
        token.startswith(word)
        or (word.startswith(token) and row + 1 < len(lines) and _begins(word[len(token) :], lines, row + 1))
        for token in lines[row].split()
    )


@pytest.mark.parametrize(
    "earned, possible, shown", [(2, 2, "2/2"), (0, 1.5, "0/1.5"), (73.5, 100, "73.5/100"), (1 / 3, 1, "0.33/1")]
)
def test_points_are_written_without_trailing_zeros(earned, possible, shown):
    assert points(earned, possible) == shown


def test_terminal_report_has_a_titled_table_per_exercise_and_the_total():
    text = render(OUTCOMES)
    assert "Grading alice (seed 0)" in text
    assert "Exercise 1 - The sigmoid  3.5/6.5" in text
    assert "Exercise 2 - The binary cross-entropy loss  1/4" in text
    assert text.rstrip().endswith("Total: 4.5/10.5")
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
    assert "as above" not in text  # every row says its status in the words every reporter uses (wording.py)
    assert text.count("Replace the raise line.") == 1


def test_terminal_report_fits_100_columns():
    long = outcome(
        "sigmoid.long", FAILED, 0, 2, message="expected " + "0.5, " * 40 + "got " + "nan, " * 40, hint="word " * 50
    )
    text = render(OUTCOMES + [long])
    assert max(len(line) for line in text.splitlines()) <= 100
    assert any(
        line.lstrip().startswith("got nan") for line in text.splitlines()
    )  # expected and got on lines of their own


def test_terminal_report_of_nothing_says_so():
    text = render([])
    assert "No checks were graded." in text and "Total: 0/0" in text


def test_an_untouched_exercise_is_one_line_with_the_stub_hint():
    text = render(OUTCOMES[:4] + untouched(2, 10))
    assert "Exercise 2 - The binary cross-entropy loss  0/10" in text
    assert "○   not started: every check says not implemented yet (10 checks)" in text
    assert "topic2.check_" not in text and "not implemented, as above" not in text
    assert text.count(f"Hint: {STUB_HINT}") == 1


def test_the_stub_hint_is_given_once_however_many_exercises_are_untouched():
    text = render(untouched(3, 4) + untouched(4, 6))
    assert text.count("not started: every check says not implemented yet") == 2
    assert text.count(STUB_HINT) == 1


def test_a_half_done_submission_with_four_untouched_exercises_is_short():
    done = render(OUTCOMES).splitlines()
    half_done = render(OUTCOMES + [o for n in (3, 4, 5, 6) for o in untouched(n, 10)]).splitlines()
    assert len(half_done) - len(done) <= 4 * 3  # heading, summary line and a blank line each, not 10 rows


def test_an_exercise_with_one_check_begun_keeps_a_row_per_check():
    begun = untouched(2, 3)[:2] + [outcome("topic2.check_2", FAILED, 0, 1, exercise=2, message="expected 1, got 2")]
    text = render(begun)
    assert "not started" not in text
    assert all(o.check_id in text for o in begun)


LONG_ID = "sigmoid.an_uncommonly_long_check_identifier_that_never_fits_a_narrow_column"
LONG_HINT = (
    "Exponentiate only the negative magnitude, see "
    "https://example.org/lessons/logistic-regression/numerically-stable-sigmoid-without-overflow"
)
LONG_MESSAGE = (
    "expected " + ", ".join(f"0.{n}12345" for n in range(12)) + ", got " + ", ".join(f"{n}.5e+38" for n in range(12))
)
NARROW = [
    outcome(LONG_ID, FAILED, 0, 2, message=LONG_MESSAGE, hint=LONG_HINT),
    outcome(
        "sigmoid.values_hidden_from_students",
        ERROR,
        0,
        1,
        message="ZeroDivisionError: " + "divide " * 20,
        hint="Use torch operations throughout, never Python's math module on tensor elements.",
        hidden=True,
    ),
    outcome("bce.values", PASSED, 2, 2, exercise=2),
]
SHORT_IDS = [outcome("sigmoid.extreme", FAILED, 0, 2, message=LONG_MESSAGE, hint=LONG_HINT), NARROW[2]]


@pytest.mark.parametrize("width", [60, 70, 80])
@pytest.mark.parametrize(
    "outcomes", [NARROW, NARROW[1:], SHORT_IDS], ids=["long check id", "long messages", "short ids"]
)
def test_narrow_terminals_lose_no_character_of_ids_messages_and_hints(outcomes, width):
    text = recorded(report(result_of(outcomes)), width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width and "…" not in text
    for o in outcomes:
        for word in f"{o.check_id} {say(o.message)} {say(o.hint)} {say(o.does)}".split():
            assert shown(word.rstrip(","), lines), f"{word!r} is cut at {width} columns:\n{text}"


@pytest.mark.parametrize("width", [60, 80])
def test_a_long_title_is_wrapped_not_cut(width):
    path = "/home/students/section-07/" + "a_very_long_folder_name_" * 3 + "/submission"
    text = recorded(report(SubmissionResult(submission=path, seed=12, outcomes=OUTCOMES[:1])), width)
    assert shown(path, text.splitlines()) and "(seed 12)" in text and "…" not in text


def test_the_title_names_the_submission_and_seed_of_a_result():
    text = recorded(report(SubmissionResult(submission="bob/", seed=3, outcomes=OUTCOMES[:1])), 100)
    assert text.startswith("Grading bob/ (seed 3) ─")


def test_the_notes_are_said_once_before_the_total():
    notes = ("ex3_model.py: the code after the definitions was skipped.", "matplotlib was stubbed out.")
    text = render(result_of(OUTCOMES, notes=notes))
    assert "Notes" in text
    for note in notes:
        assert text.count(note) == 1
        assert text.index("Notes") < text.index(note) < text.index("Total: ")
    assert "Notes" not in render(result_of(OUTCOMES))


def test_a_message_that_says_its_status_is_not_labelled_again():
    stub = outcome("sigmoid.values", NOT_IMPLEMENTED, 0, 1, message="`sigmoid` is not implemented yet (ex1.py, line 3)")
    crash = outcome("sigmoid.extreme", ERROR, 0, 1, message="RuntimeError: an error in the child")
    text = render([stub, crash, OUTCOMES[0]])
    assert "not implemented: `sigmoid`" not in text and "`sigmoid` is not implemented yet" in text
    assert "RuntimeError: an error in the child" in text and "error: RuntimeError" not in text


def test_status_words_come_from_the_shared_labels(monkeypatch):
    monkeypatch.setitem(outcomes.STATUS_LABELS, ERROR, "grader trouble")
    assert "grader trouble: TypeError: bad operand" in render(OUTCOMES)
    tests = {test["name"]: test for test in results_json(result_of(OUTCOMES), execution_time=1.0)["tests"]}
    assert "Grader trouble: TypeError: bad operand" in tests["sigmoid.gradient"]["output"]


def test_gradescope_has_one_test_per_outcome_in_order():
    results = results_json(result_of(OUTCOMES), execution_time=3.14159)
    assert [test["name"] for test in results["tests"]] == [o.check_id for o in OUTCOMES]
    assert [test["number"] for test in results["tests"]] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3"]
    assert results["execution_time"] == 3.14


def test_gradescope_scores_sum_to_the_top_level_score():
    results = results_json(result_of(OUTCOMES), execution_time=1.0)
    assert [(t["score"], t["max_score"]) for t in results["tests"]] == [(o.points, o.max_points) for o in OUTCOMES]
    assert results["score"] == sum(t["score"] for t in results["tests"]) == 4.5


def test_gradescope_status_is_passed_or_failed():
    statuses = [test["status"] for test in results_json(result_of(OUTCOMES), execution_time=1.0)["tests"]]
    assert statuses == ["passed", "failed", "failed", "passed", "failed", "failed", "passed"]


def test_gradescope_hidden_checks_wait_until_published():
    results = results_json(result_of(OUTCOMES), execution_time=1.0)
    visibility = {test["name"]: test["visibility"] for test in results["tests"]}
    assert visibility.pop("sigmoid.secret") == "after_published"
    assert set(visibility.values()) == {"visible"}
    assert "Exercise 1 - The sigmoid: 2/5" in results["output"]  # the summary leaves hidden checks out
    assert "1 hidden check (1.5 points)" in results["output"]


def test_gradescope_output_holds_message_and_hint():
    tests = {test["name"]: test for test in results_json(result_of(OUTCOMES), execution_time=1.0)["tests"]}
    assert "expected 1, got nan" in tests["sigmoid.extreme"]["output"]
    assert "Hint: Exponentiate only -|z|." in tests["sigmoid.extreme"]["output"]
    assert "Error: TypeError: bad operand" in tests["sigmoid.gradient"]["output"]
    assert "not implemented yet" in tests["bce.values"]["output"]
    assert "sigmoid.naive_overflow" in tests["sigmoid.extreme"]["tags"]


# Gradescope's results.json keys (https://gradescope-autograders.readthedocs.io/en/latest/specs/)
RESULT_KEYS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
}
TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "output_format", "tags", "visibility"}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def assert_gradescope_schema(results: dict) -> None:
    """The keys and value types of Gradescope's schema, and nothing JSON cannot hold."""
    assert json.loads(json.dumps(results)) == results
    assert results.keys() == RESULT_KEYS
    assert isinstance(results["score"], float) and isinstance(results["output"], str)
    assert {results["visibility"], results["stdout_visibility"]} <= VISIBILITIES
    assert isinstance(results["extra_data"], dict)
    for test in results["tests"]:
        assert test.keys() == TEST_KEYS
        assert test["status"] in {"passed", "failed"} and test["visibility"] in VISIBILITIES
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)


def test_gradescope_results_follow_the_schema():
    assert_gradescope_schema(results_json(result_of(OUTCOMES), execution_time=1.0))


def test_gradescope_extra_data_records_submission_seed_points_per_exercise_and_notes():
    result = SubmissionResult(
        submission="students/alice", seed=7, outcomes=OUTCOMES, notes=("matplotlib was stubbed out.",)
    )
    results = results_json(result, execution_time=1.0)
    assert results["extra_data"] == {
        "submission": "students/alice",
        "seed": 7,
        "exercises": [
            {"exercise": 1, "title": "The sigmoid", "score": 3.5, "max_score": 6.5},  # hidden checks too
            {"exercise": 2, "title": "The binary cross-entropy loss", "score": 1.0, "max_score": 4.0},
        ],
        "notes": ["matplotlib was stubbed out."],
        "isolation": "",
        "review": [],
    }
    assert "- matplotlib was stubbed out." in results["output"]  # the student sees the notes too


def test_gradescope_results_of_an_ungraded_submission_give_the_reason_and_no_points():
    results = ungraded_json("students/bob", 3, "bob does not exist", execution_time=0.5)
    assert_gradescope_schema(results)
    assert (results["score"], results["output"], results["tests"]) == (0.0, "bob does not exist", [])
    assert results["extra_data"] == {
        "submission": "students/bob",
        "seed": 3,
        "exercises": [],
        "notes": [],
        "isolation": "none needed: none of the submission's code ran",
        "review": [],
    }
