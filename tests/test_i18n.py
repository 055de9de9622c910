"""One catalogue, English and Chinese: every text translated with the same placeholders, the language chosen
by --lang or the environment, and the same grades in both languages."""

from __future__ import annotations

import json

import pytest

from autograder import i18n
from autograder.frontends import cli
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES, hints
from autograder.materials import catalogue

REPO_STUBS = catalogue.PACKAGE.parent / "exercises"


@pytest.fixture
def language():
    """Leaves the process speaking English, whatever a test chose."""
    yield i18n.use
    i18n.use("en")


def test_the_catalogue_has_every_text_in_chinese_with_the_same_placeholders():
    assert catalogue.problems("zh") == []


def test_the_catalogue_template_holds_every_declared_text():
    wanted = {(message.context, message.id) for message in catalogue.template()}
    declared = {(check.id, check.does) for exercise in EXERCISES for check in exercise.checks}
    declared |= {(exercise.module, exercise.title) for exercise in EXERCISES}
    declared |= {(key, text) for key, text in hints.HINTS.items()}
    assert declared <= wanted


@pytest.mark.parametrize(
    "environment, chosen",
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),
        ({"LANG": "zh_TW.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANGUAGE": "fr:zh", "LANG": "fr_FR.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
    ],
)
def test_the_environment_chooses_the_language_as_gettext_does(monkeypatch, environment, chosen):
    for variable in i18n.ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.from_environment() == chosen


def test_an_unknown_language_is_refused_with_the_choices(language):
    with pytest.raises(ValueError, match="choose one of en, zh"):
        language("fr")
    assert i18n.current() == "en"


def test_chinese_hints_and_descriptions_are_chinese_and_keyed_by_their_ids(language):
    language("zh")
    check = EXERCISES[0].checks[0]
    assert i18n.pgettext(check.id, check.does) != check.does
    translated = say(hints.hint_for("bce.fixed_values", "bce.summed"))
    assert translated != hints.HINTS["bce.summed"] and any("\u4e00" <= char <= "\u9fff" for char in translated)
    own_code = say(hints.hint_for("sigmoid.own_code"))
    assert (
        own_code != hints.HINTS["sigmoid.own_code"] and "torch.exp" in own_code and "torch.sigmoid" in own_code
    )  # code as it is
    language("en")
    assert say(hints.hint_for("bce.fixed_values", "bce.summed")) == hints.HINTS["bce.summed"]


@pytest.mark.slow
def test_logreg_grade_lang_zh_reports_and_writes_results_json_in_chinese(tmp_path, capsys, language):
    results = tmp_path / "results.json"
    assert (
        cli.main(
            [str(REPO_STUBS / "ex1_sigmoid.py"), "--lang", "zh", "--seed", "1", "--json", str(results), "--no-color"]
        )
        == 1
    )
    shown = capsys.readouterr().out
    chinese_hint = i18n.pgettext(hints.GENERAL, hints.NOT_IMPLEMENTED)
    assert chinese_hint != hints.NOT_IMPLEMENTED and chinese_hint[:8] in shown
    written = json.loads(results.read_text())
    assert written["score"] == 0 and all(
        any("\u4e00" <= char <= "\u9fff" for char in test["output"]) for test in written["tests"]
    )
