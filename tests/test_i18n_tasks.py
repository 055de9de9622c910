"""The exercises, notebooks, nbgrader course, Gradescope zip and student release in Chinese: the same code, checks
and grades as in English, the task texts and the kit's own lines in Chinese."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from test_release import BUGS, RELEASE_SEED, graded

from autograder import i18n
from autograder.frontends.instructor import gradescope as gradescope_package
from autograder.frontends.instructor import release
from autograder.frontends.instructor.nbgrader import autograde, course
from autograder.materials import notebooks as lesson_notebooks
from autograder.materials import stubs as generate

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((REPO / "solutions").glob("ex*.py"))


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def without_docstrings(source: str) -> str:
    """The module's code, its docstrings and the stubs' messages removed, as ast dumps it."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            node.exc.args = []
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


# ---- the stubs ------------------------------------------------------------------------------------------------


def test_chinese_stubs_have_the_english_code_and_say_the_task_in_chinese(chinese, tmp_path, capsys):
    assert generate.main(["--solutions", str(REPO / "solutions"), "--exercises", str(tmp_path), "--lang", "zh"]) == 0
    for solution in SOLUTIONS:
        english = (REPO / "exercises" / solution.name).read_text(encoding="utf-8")
        chinese = (tmp_path / solution.name).read_text(encoding="utf-8")
        assert without_docstrings(chinese) == without_docstrings(english), solution.name
        heading, docstring = chinese.splitlines()[0], ast.get_docstring(ast.parse(chinese))
        assert heading.startswith("# 练习 ") and docstring.startswith("练习 ") and "任务：" in docstring
        stubs = [line.strip() for line in chinese.splitlines() if "NotImplementedError" in line]
        assert stubs and all(is_chinese(line) and solution.name in line for line in stubs)
    assert "sigma(z) = 1 / (1 + e^(-z))" in (tmp_path / "ex1_sigmoid.py").read_text(encoding="utf-8")  # formulas kept
    capsys.readouterr()
    assert generate.main(["--exercises", str(tmp_path), "--check", "--lang", "zh"]) == 0
    assert generate.main(["--exercises", str(REPO / "exercises"), "--check", "--lang", "zh"]) == 1
    assert is_chinese(capsys.readouterr().out)
    assert (
        generate.main(["--exercises", str(REPO / "exercises"), "--check", "--lang", "en"]) == 0
    )  # exercises/ stays English


def test_the_catalogue_marks_each_task_text_with_its_module():
    from autograder.materials import catalogue

    tasks = {
        (message.context, message.id) for message in catalogue.template() if (message.context or "").endswith(".task")
    }
    for solution in SOLUTIONS:
        stub = generate.make_stub(solution.read_text(encoding="utf-8"), solution.name)
        assert {(f"{solution.stem}.task", text) for text, _ in generate.task_texts(stub)} <= tasks
    assert not any("### BEGIN SOLUTION" in text for _, text in tasks)


# ---- the notebooks and the nbgrader course --------------------------------------------------------------------


def test_chinese_notebooks_validate_say_the_chinese_task_and_check_in_chinese(chinese):
    for solution in SOLUTIONS:
        module = solution.stem
        source = lesson_notebooks.source_notebook(solution, 10)
        student = lesson_notebooks.student_notebook(source)
        for notebook in (source, student):
            nbformat.validate(notebook)
            assert notebook.metadata["logreg"] == {"assignment": "logreg", "exercise": module, "language": "zh"}
        MetadataValidator().validate_nb(source)
        task = source.cells[0].source
        title = i18n.pgettext(f"{module}.task", generate._heading(solution.read_text(encoding="utf-8")))
        assert task.startswith(f"# {title}\n") and "**任务**：" in task and i18n._(lesson_notebooks.HOW_TO) in task
        assert autograde.language_of(student) == "zh"
        checks = source.cells[-1].source.splitlines()
        assert checks[0] == f"# [logreg: checks {module}]" and is_chinese(checks[1])
        assert checks[-1] == f'check("{module}", language="zh")'
        assert lesson_notebooks.notebook_stub() in "\n".join(cell.source for cell in student.cells)
    ex1 = lesson_notebooks.source_notebook(SOLUTIONS[0], 10).cells[0].source
    assert (
        r"$$" in ex1 and r"\sigma" in ex1 and ex1.index("![") < ex1.index("**任务**")
    )  # LaTeX, figure before the task


def test_a_chinese_course_reports_in_chinese_and_stubs_in_chinese(chinese, tmp_path):
    assert course.main(["--out", str(tmp_path), "--lang", "zh"]) == 0
    config = (tmp_path / "nbgrader_config.py").read_text(encoding="utf-8")
    assert 'c.SandboxedChecks.language = "zh"' in config and repr(lesson_notebooks.notebook_stub()) in config
    assert is_chinese((tmp_path / "README.md").read_text(encoding="utf-8"))
    notebook = nbformat.read(tmp_path / "source" / "logreg" / "ex2_bce_loss.ipynb", as_version=4)
    assert notebook.metadata["logreg"]["language"] == "zh" and is_chinese(notebook.cells[0].source)


def test_sandboxed_checks_speak_the_courses_language_then_the_notebooks():
    notebook = nbformat.v4.new_notebook(metadata={"logreg": {"exercise": "ex1_sigmoid", "language": "zh"}})
    assert autograde.language_of(notebook) == "zh"
    assert autograde.language_of(nbformat.v4.new_notebook()) is None
    assert autograde.language_of(nbformat.v4.new_notebook(metadata={"logreg": {"language": "fr"}})) is None


# ---- the Gradescope zip -----------------------------------------------------------------------------------------


def test_a_chinese_gradescope_zip_grades_in_chinese_with_valid_scripts(chinese, tmp_path):
    out = tmp_path / "autograder.zip"
    assert gradescope_package.main(["--out", str(out), "--lang", "zh"]) == 0
    script = zipfile.ZipFile(out).read("run_autograder").decode("utf-8")
    assert "--lang zh" in script and "$TIME_LIMIT" in script and is_chinese(script)
    (tmp_path / "run_autograder").write_text(script, encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(tmp_path / "run_autograder")]).returncode == 0


# ---- the student release ----------------------------------------------------------------------------------------


def buggy_copy(folder: Path) -> Path:
    """The solutions with the test_release slips, their task texts in the current language."""
    folder.mkdir()
    for solution in SOLUTIONS:
        text = generate.translated(solution.read_text(encoding="utf-8"), solution.stem)
        old, new = BUGS.get(solution.name, ("", ""))
        (folder / solution.name).write_text(text.replace(old, new) if old else text, encoding="utf-8")
    return folder


def release_grades(bundle: Path, submission: Path, results: Path, language: str) -> list[tuple]:
    """(score, max score, tags) of each visible check, graded by the release's own grader in language."""
    env = {**os.environ, "PYTHONPATH": str(bundle)}
    command = [sys.executable, "-m", "autograder", "--lang", language]
    outcomes = graded(command, submission, results, env)
    return [(score, most, tuple(tags)) for score, most, _, tags in outcomes.values()]


@pytest.mark.slow
def test_a_chinese_release_grades_a_buggy_copy_as_the_english_one(chinese, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # python -m autograder imports the release's package, not the kit's
    chinese = tmp_path / "zh"
    release.build(chinese, seed=RELEASE_SEED)
    chinese_copy = buggy_copy(tmp_path / "buggy-zh")
    i18n.use("en")
    english = tmp_path / "en"
    release.build(english, seed=RELEASE_SEED)
    english_copy = buggy_copy(tmp_path / "buggy-en")
    assert "任务：" in (chinese / "exercises" / "ex1_sigmoid.py").read_text(encoding="utf-8")
    assert is_chinese((chinese / "README.md").read_text(encoding="utf-8"))
    assert is_chinese(nbformat.read(chinese / "notebooks" / "ex3_model.ipynb", as_version=4).cells[0].source)
    in_zh = release_grades(chinese, chinese_copy, tmp_path / "zh.json", "zh")
    in_en = release_grades(english, english_copy, tmp_path / "en.json", "en")
    assert in_zh == in_en and len(in_zh) == 59
    mistakes = {tag for *_, tags in in_zh for tag in tags if "." in tag}
    assert {"bce.summed", "train.no_zero_grad", "predict.threshold_ignored"} <= mistakes
