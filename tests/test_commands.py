"""Every command of the kit in one frame (autograder/commands.py): the same --lang, the same --help and exits, the
same form of errors, and every word of its help in Chinese with --lang zh."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import pytest

from autograder import commands, i18n
from autograder.frontends import cli
from autograder.frontends.instructor import gradescope, release
from autograder.frontends.instructor.batch import command as batch
from autograder.frontends.instructor.nbgrader import course
from autograder.materials import catalogue, stubs

# (the command as typed, how it is run in this process, the words before its options)
COMMANDS: list[tuple[str, Callable[[list[str]], int], list[str]]] = [
    ("logreg-grade", cli.main, []),
    ("logreg-grade release", cli.main, ["release"]),
    ("logreg-grade nbgrader", cli.main, ["nbgrader"]),
    ("logreg-grade gradescope", cli.main, ["gradescope"]),
    ("logreg-grade batch", cli.main, ["batch"]),
    ("logreg-grade export", cli.main, ["export"]),
    ("logreg-exercises", stubs.main, []),
    ("python -m autograder.materials.catalogue", catalogue.main, []),
]
IDS = [prog for prog, _, _ in COMMANDS]
# A run of four or more English words (letters and apostrophes, apart by a space or a punctuation mark and a space):
# a sentence, or a piece of one, as opposed to a command, an option or a file name that both languages write alike.
SENTENCE = re.compile(r"[A-Za-z][A-Za-z']*(?:[,;:]? [A-Za-z][A-Za-z']*){3,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_environment(monkeypatch):
    """No language asked for by the environment; the process speaks English again after each test."""
    for variable in i18n.ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
    yield
    i18n.use("en")


def said(main: Callable[[list[str]], int], argv: list[str], capsys) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_every_command_runs_in_the_frame():
    modules = (release, gradescope, course, batch, stubs, catalogue)
    declared = [cli.GRADING, batch.EXPORT_COMMAND, *(module.COMMAND for module in modules)]
    assert all(isinstance(command, commands.Command) for command in declared)
    assert sorted(command.prog for command in declared) == sorted(IDS)
    assert set(cli.SUBCOMMANDS) == {"release", "nbgrader", "gradescope", "batch", "export"}


@pytest.mark.parametrize("prog, main, words", COMMANDS, ids=IDS)
def test_help_in_chinese_has_no_english_sentence_of_the_english_help(prog, main, words, capsys):
    status, english, _ = said(main, [*words, "--help", "--lang", "en"], capsys)
    assert status == 0 and english.startswith(f"usage: {prog} ")
    status, chinese, _ = said(main, [*words, "--lang", "zh", "--help"], capsys)
    assert status == 0 and chinese.startswith(f"用法：{prog} ")
    sentences = {sentence for line in english.splitlines() for sentence in SENTENCE.findall(line)}
    assert len(sentences) >= 4  # the description, and a help for each option at least
    left = sorted(sentence for sentence in sentences if sentence in chinese)
    assert left == [], chinese
    options = set(re.findall(r"--[a-z][a-z-]*", english))
    assert options == set(re.findall(r"--[a-z][a-z-]*", chinese)) and "--lang" in options
    assert len(CHINESE.findall(chinese)) > len(sentences)


@pytest.mark.parametrize("prog, main, words", COMMANDS, ids=IDS)
@pytest.mark.parametrize(
    "language, usage, error",
    [("en", "usage: ", ": error: "), ("zh", "用法：", "：错误：")],
)
def test_every_command_says_a_usage_error_the_same_way(prog, main, words, language, usage, error, capsys):
    for asked in (["--lang", language], [f"--lang={language}"]):
        status, out, err = said(main, [*words, *asked, "--no-such-option"], capsys)
        lines = err.splitlines()
        assert (status, out) == (2, ""), err
        assert lines[0].startswith(f"{usage}{prog} ") and lines[-1].startswith(f"{prog}{error}"), err
        assert "Traceback" not in err and (CHINESE.search(lines[-1]) is not None) == (language == "zh")


@pytest.mark.parametrize("prog, main, words", COMMANDS, ids=IDS)
def test_every_command_refuses_a_language_it_does_not_speak(prog, main, words, capsys):
    status, out, err = said(main, [*words, "--lang", "fr", "--help"], capsys)
    assert (status, out) == (2, "")
    last = err.splitlines()[-1]
    assert last.startswith(f"{prog}: error: argument --lang: invalid choice: 'fr' (choose from ") and "zh" in last


@pytest.mark.parametrize("prog, main, words", COMMANDS, ids=IDS)
def test_the_environment_chooses_the_language_of_every_command(prog, main, words, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    status, out, _ = said(main, [*words, "--help"], capsys)
    assert status == 0 and out.startswith(f"用法：{prog} ")
    status, out, _ = said(main, [*words, "--help", "--lang", "en"], capsys)
    assert status == 0 and out.startswith(f"usage: {prog} ")


def test_argparse_messages_are_said_in_chinese_with_their_parts_kept(chinese):
    assert commands.argparse_message("argument --seed: invalid int value: 'x'") == "参数 --seed：无效的 int 值：'x'"
    assert commands.argparse_message("the following arguments are required: --out") == "缺少必需的参数：--out"
    assert commands.argparse_message("a message argparse does not have") == "a message argparse does not have"


def test_a_commands_error_is_said_once_in_the_one_form(tmp_path, capsys):
    missing = tmp_path / "no-solutions"
    status, out, err = said(stubs.main, ["--solutions", str(missing), "--lang", "zh"], capsys)
    assert (status, out) == (2, "") and err.count("logreg-exercises：错误：") == 1
    assert err.startswith(f"logreg-exercises：错误：找不到参考答案文件夹 {missing}")


def test_a_folder_named_like_an_instructors_command_is_graded_as_a_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, _, err = said(cli.main, ["./release"], capsys)
    assert status == 2 and "release does not exist" in err and err.startswith("logreg-grade: error: ")


def test_the_student_release_says_an_instructors_command_is_not_in_it(monkeypatch, capsys):
    monkeypatch.setattr(cli, "instructors_commands_here", lambda: False)
    status, out, err = said(cli.main, ["nbgrader", "--out", "x", "--lang", "zh"], capsys)
    assert (status, out) == (2, "") and err.startswith("logreg-grade：错误：`nbgrader` ") and CHINESE.search(err)


def test_help_imports_no_torch():
    probe = (
        "import sys; from autograder.frontends import cli; status = cli.main(['--help']); "
        "assert status == 0 and 'torch' not in sys.modules, sorted(name for name in sys.modules if 'torch' in name)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
