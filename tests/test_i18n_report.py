"""The grader's messages and reports in Chinese: the same numbers and code as in English, tables that stay aligned
with wide characters down to 60 columns, and a results.json that Gradescope reads."""

from __future__ import annotations

import io
import json
import re

import pytest
import torch
from harness import grade_functions
from rich.cells import cell_len
from rich.console import Console
from test_reporters import assert_gradescope_schema

from autograder import i18n
from autograder.checks.compare import Close, SameForm
from autograder.frontends.pytest_plugin import points_table
from autograder.grading.outcomes import NOT_IMPLEMENTED, Outcome, SubmissionResult
from autograder.i18n.messages import Value, from_plain, say, say_all, to_plain
from autograder.reporters.gradescope import results_json
from autograder.reporters.terminal import report, status_message
from autograder.sandboxed.answers import Result
from autograder.sandboxed.describe import describe

# What stays as it is in both languages: code in backticks, lists of numbers, shapes, numbers, dtypes, identifiers.
KEPT = re.compile(r"`[^`]+`|\[[^\]]*\]|\([\d, ]*\)|float\d+|[A-Za-z_]\w*(?:\.\w+)+|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def kept(text: str) -> list[str]:
    """The numbers and code of a message."""
    return KEPT.findall(text)


def wrong_sign_sigmoid(z):
    return 1 / (1 + torch.exp(z))


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise 2: replace this line with your code")


def graded() -> SubmissionResult:
    """A graded submission: a sigmoid with the wrong sign, an untouched loss, a forgotten return in the accuracy."""
    outcomes = [
        *grade_functions({"sigmoid": wrong_sign_sigmoid}, exercise=1),
        *grade_functions({"bce_loss": stub}, exercise=2),
        *grade_functions({"accuracy": lambda labels, y_true: None}, exercise=5),
    ]
    return SubmissionResult(
        submission="students/alice",
        seed=7,
        outcomes=outcomes,
        notes=("a note",),
        exercises=(1, 2, 5),
        isolation="bubblewrap: no network",
    )


@pytest.fixture(scope="module")
def english() -> SubmissionResult:
    return graded()


def recorded(result: SubmissionResult, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    console.print(report(result))
    return console.export_text()


def in_order(text: str, rendered: str) -> bool:
    """Whether every character of text, blanks aside, is shown in the rendered text,
    in order (columns may interleave)."""
    shown = iter("".join(rendered.split()))
    return all(char in shown for char in "".join(text.split()))


@pytest.mark.parametrize("width", [60, 80, 100])
def test_a_chinese_report_fits_the_console_and_loses_no_character(chinese, width):
    result = graded()
    text = recorded(result, width)
    assert is_chinese(text) and "…" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= width
    previous = (None, None)
    for outcome in result.outcomes:
        said = [say(outcome.hint), say(outcome.exercise_title)]
        if outcome.status != NOT_IMPLEMENTED:  # an untouched exercise is one line
            said.append(outcome.check_id)
            if (not outcome.passed or outcome.withheld) and previous != (
                outcome.status,
                say(outcome.message),
            ):  # else "as above"
                said += [say(outcome.does), status_message(outcome)]
        for words in said:
            assert in_order(words, text), f"{words!r} is cut at {width} columns:\n{text}"
        previous = (outcome.status, say(outcome.message))


def said_in(language: str, values: list[Value]) -> list[str]:
    """The values said in language."""
    i18n.use(language)
    try:
        return list(say_all(values))
    finally:
        i18n.use("en")


def test_one_grading_is_said_in_chinese_and_in_english_keeping_the_numbers_and_code(english):
    messages = [o.message for o in english.outcomes]
    chinese, source = said_in("zh", messages), said_in("en", messages)
    for said, original in zip(chinese, source, strict=True):
        assert sorted(kept(said)) == sorted(kept(original)), (said, original)
        assert not original or is_chinese(said)
    assert said_in("en", messages) == source  # the result itself is not changed by saying it


def test_a_result_as_plain_data_is_said_as_the_result_itself(english):
    """The plain form (for the wire and a gradebook) keeps every message whole, in both languages."""
    for outcome in english.outcomes:
        for value in (outcome.message, outcome.hint, outcome.does, outcome.exercise_title):
            copied = from_plain(json.loads(json.dumps(to_plain(value))))
            assert copied == value and said_in("zh", [copied]) == said_in("zh", [value])


def test_a_whole_report_is_said_in_either_language_from_one_grading(english):
    i18n.use("zh")
    try:
        chinese = recorded(english, 100)
    finally:
        i18n.use("en")
    assert is_chinese(chinese) and not is_chinese(recorded(english, 100))


def test_a_message_with_a_value_in_chinese_keeps_the_numbers_and_code(chinese):
    got = Result(out=describe(torch.tensor([0.25, 0.5, 0.75], dtype=torch.float64)))
    expected = Result(out=describe(torch.tensor([[0.5], [0.5], [0.5]])))
    for comparison in (Close(), SameForm()):
        said = say(comparison.verdict(got, expected, "sigmoid").detail)
        i18n.use("en")
        source = say(comparison.verdict(got, expected, "sigmoid").detail)
        i18n.use("zh")
        assert is_chinese(said) and sorted(kept(said)) == sorted(kept(source)), (said, source)
        assert "`sigmoid`" in said and "float64" in said and "(3, 1)" in said


def test_results_json_in_chinese(chinese):
    result = graded()
    results = json.loads(json.dumps(results_json(result, execution_time=1.0), ensure_ascii=False))
    assert_gradescope_schema(results)
    assert is_chinese(results["output"])
    assert {test["status"] for test in results["tests"]} <= {"passed", "failed"}  # Gradescope's words, not ours
    assert all(test["tags"][0].startswith("exercise ") for test in results["tests"])
    failed = next(test for test in results["tests"] if test["status"] == "failed")
    assert is_chinese(failed["output"]) and failed["name"].isascii()
    assert [test["score"] for test in results["tests"]] == [float(o.points) for o in result.outcomes]


def test_hidden_checks_are_counted_in_chinese(chinese):
    outcome = Outcome(
        check_id="sigmoid.secret",
        exercise=1,
        exercise_title="逻辑函数 sigmoid",
        does="sigmoid(z)",
        points=1,
        max_points=1.5,
        status="passed",
        hidden=True,
    )
    output = results_json(SubmissionResult(submission="a", seed=0, outcomes=[outcome]), execution_time=0)["output"]
    assert "1 " in output and "1.5" in output and is_chinese(output)


def test_the_points_table_aligns_chinese_titles_by_their_width_on_screen(chinese):
    outcomes = [
        Outcome(check_id=f"c{n}", exercise=n, exercise_title=title, does="", points=n, max_points=10, status="failed")
        for n, title in enumerate(["逻辑函数 sigmoid", "二元交叉熵损失 BCE", "accuracy"], start=1)
    ]
    lines = points_table(outcomes)
    assert is_chinese(lines[-1]) and len({cell_len(line.split(" / ")[0]) for line in lines}) == 1


def test_a_status_the_chinese_message_already_says_is_not_said_twice(chinese):
    outcome = grade_functions({"bce_loss": stub}, exercise=2)[0]
    assert outcome.status == NOT_IMPLEMENTED and status_message(outcome) == say(outcome.message)
    assert status_message(outcome).count("未实现") == 1
