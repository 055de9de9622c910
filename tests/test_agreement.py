"""Reports that agree (issue 15): one graded result said by every reporter with the same places, order and words.

A notebook of exercise 1 (a markdown cell first, so a cell's place and its In[k] differ) with e^z / (1 + e^z)
(a hint at the extremes), a gate of the assignment (points withheld from passing checks, with the same
message in several rows, which the terminal once said as "as above") and a cell of top-level code the grader
skips, graded once and rendered through the terminal report, the pytest plugin's lines, a check cell's report,
Gradescope's results.json and nbgrader's feedback HTML.
"""

from __future__ import annotations

import html
import io
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from rich.console import Console

from autograder.frontends import jupyter
from autograder.frontends.pytest_plugin import failure_lines
from autograder.grading import policy
from autograder.grading.grade import grade
from autograder.i18n.messages import say
from autograder.reporters import gradescope, terminal
from autograder.reporters.wording import lost, report_order, status_message
from autograder.submission import notebooks

SETUP = "# [logreg: setup]\n%load_ext autograder.frontends.jupyter"
CHECKS = "# [logreg: checks ex1_sigmoid]\nfrom autograder.frontends.jupyter import check\ncheck('ex1_sigmoid')"
CODE = [
    "import torch",
    "def sigmoid(z):\n    return torch.exp(z) / (1 + torch.exp(z))",  # inf / inf at the extremes: a hint
    "print(sigmoid(torch.zeros(3)))",  # top-level code: skipped when grading, said in a note
]
GATE = '[assignment]\nname = "logreg"\nseed = 3\n\n[checks."sigmoid.extreme_float32"]\ngate = true\n'


def the_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Exercise 1"), new_code_cell(SETUP), *map(new_code_cell, CODE), new_code_cell(CHECKS)]
    kit = {"assignment": notebooks.ASSIGNMENT, "exercise": "ex1_sigmoid"}
    return new_notebook(cells=cells, metadata={"logreg": kit})


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("agreement")
    nbformat.write(the_notebook(), folder / "ex1_sigmoid.ipynb")
    (folder / "assignment.toml").write_text(GATE)
    chosen = policy.load(folder / "assignment.toml")
    result = grade(folder, seed=3, policy=chosen, select=lambda exercise, check: exercise.number == 1)
    return folder, result


def rendered(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=200, no_color=True, highlight=False).print(renderable)
    return out.getvalue()


def in_order(texts: list[str], whole: str) -> bool:
    """Whether each text appears in whole, each after the one before."""
    at = 0
    for text in texts:
        at = whole.find(text, at)
        if at < 0:
            return False
        at += len(text)
    return True


def test_the_submission_has_every_kind_of_line(graded):
    _folder, result = graded
    said = [say(outcome.message) for outcome in result.outcomes]
    assert sum("this assignment requires sigmoid.extreme_float32 to pass" in text for text in said) > 1
    assert any(outcome.withheld for outcome in result.outcomes)  # the gate
    assert any(outcome.hint for outcome in result.outcomes if lost(outcome))
    assert any("cell 5" in say(note) for note in result.notes)  # the print cell: the notebook's fifth cell


def test_every_reporter_says_the_same_places_order_and_words(graded):
    folder, result = graded
    lost_ones = [outcome for outcome in report_order(result.outcomes) if lost(outcome)]
    words = [status_message(outcome) for outcome in lost_ones]
    notes = [say(note) for note in result.notes]
    ids = [outcome.check_id for outcome in report_order(result.outcomes)]

    term = rendered(terminal.report(result))
    check_cell = rendered(jupyter.check_report(result, 1))
    pytest_lines = [line for outcome in lost_ones for line in failure_lines(outcome)]
    results = gradescope.results_json(result, execution_time=1.0)
    from autograder.frontends.instructor.nbgrader import autograde

    feedback, _points = autograde.SandboxedChecks().grade(the_notebook(), "ex1_sigmoid", folder / "assignment.toml")
    page = html.unescape(re.sub(r"<[^>]+>", "", autograde.report_html(feedback)))

    for name, text in [("terminal", term), ("check cell", check_cell), ("nbgrader feedback", page)]:
        flat = " ".join(text.split())
        assert in_order(ids, flat), f"{name}: the checks out of order"
        assert in_order([" ".join(w.split()) for w in words], flat), f"{name}: another status wording"
        for note in notes:
            assert " ".join(note.split()) in flat, f"{name}: the note {note!r} said otherwise"
        assert "as above" not in text
    assert [line for line in pytest_lines if not line.startswith("  ")] == words
    assert [test["name"] for test in results["tests"]] == ids
    outputs = [test["output"] for test in results["tests"] if test["status"] == "failed"]
    assert [o.split("\n")[1] for o in outputs] == [status_message(x, capitalise=True) for x in lost_ones]
    assert all(note in results["output"] for note in notes)


def test_a_check_cell_says_cells_by_their_place_in_the_saved_notebook(graded, tmp_path):
    folder, result = graded
    notebook = the_notebook()
    ran = [cell.source for cell in notebook.cells if cell.cell_type == "code"]  # In[1] .. In[5], as nbgrader runs them
    history, number = jupyter.grade_notebook(jupyter.history_notebook(ran, "ex1_sigmoid"), "ex1_sigmoid", None)
    said = jupyter.in_saved_cells(history, ran, folder / "ex1_sigmoid.ipynb")
    assert [say(n) for n in said.notes if "cell" in say(n)] == [say(n) for n in result.notes if "cell" in say(n)]
    unsaved = jupyter.in_saved_cells(history, ran, tmp_path / "missing.ipynb")  # nothing saved: Jupyter's prompt
    assert any("In [4]" in say(note) for note in unsaved.notes)
