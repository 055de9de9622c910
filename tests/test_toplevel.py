"""Which top-level statements of a student's file run when grading:
the plan (syntax trees only), then the child running it."""

from __future__ import annotations

import ast
import importlib
import sys
import textwrap
import traceback
import types

import pytest

from autograder.i18n.messages import say
from autograder.sandbox import runner
from autograder.sandboxed import importer, toplevel
from autograder.submission import unrun

OWN = frozenset({"ex1_sigmoid", "ex3_model", "ex4_train", "sigmoid", "LogisticRegression", "train"})


def steps(source: str, own: frozenset[str] = OWN) -> dict[int, str | None]:
    """Line -> why the statement starting there is skipped (None when it runs)."""
    tree = ast.parse(textwrap.dedent(source))
    return {step.statement.lineno: step.skipped and step.skipped.english() for step in toplevel.plan(tree, own)}


def note(source: str, own: frozenset[str] = OWN) -> str | None:
    summary = unrun.summary("submission.py", toplevel.plan(ast.parse(textwrap.dedent(source)), own))
    return None if summary is None else say(summary)


SCRIPT = """\
    \"\"\"Exercise 1.\"\"\"
    import torch
    import matplotlib.pyplot as plt

    EPS = 1e-7


    def sigmoid(z):
        return 1 / (1 + torch.exp(-z))


    z = torch.linspace(-10, 10, 100)
    torch.manual_seed(0)
    print(sigmoid(z))
    plt.plot(z, sigmoid(z))
    for epoch in range(100000):
        z = z + EPS
    plt.show()
    """


def test_a_script_keeps_imports_definitions_and_plain_assignments():
    assert steps(SCRIPT) == {
        1: None,
        2: None,
        3: None,
        5: None,
        8: None,
        12: None,
        13: "torch.manual_seed",
        14: "print",
        15: "plt.plot",
        16: "a for loop",
        18: "plt.show",
    }


def test_the_note_groups_consecutive_skipped_lines():
    assert note(SCRIPT) == "lines 13-18 (torch.manual_seed, print, plt.plot, a for loop, ...)"
    assert note("print(1)\nx = 1\nwhile x:\n    x -= 1\n") == "line 1 (print), lines 3-4 (a while loop)"


def test_a_file_of_definitions_needs_no_note():
    assert note("import torch\n\n\ndef sigmoid(z):\n    return z\n") is None


def test_the_main_guard_is_skipped_without_a_note():
    source = 'def f():\n    pass\nif __name__ == "__main__":\n    f()\nif "__main__" == __name__:\n    f()\n'
    assert steps(source) == {1: None, 3: "", 5: ""}
    assert note(source) is None


def test_assignments_that_call_the_submissions_own_code_are_skipped():
    source = """\
        from ex1_sigmoid import sigmoid as s
        import ex3_model as m
        activation = s
        model = m.LogisticRegression()
        losses = train(model, x, y, epochs=100000)
        p = activation(torch.zeros(3))
        q = [sigmoid(t) for t in ts]
        r = torch.zeros(3)
        """
    assert steps(source) == {
        1: None,
        2: None,
        3: None,
        4: "calls m.LogisticRegression",
        5: "calls train",
        6: "calls activation",
        7: "calls sigmoid",
        8: None,
    }


def test_a_lambda_is_not_a_call():
    assert steps("f = lambda z: sigmoid(z)\n") == {1: None}


def test_what_needs_a_skipped_result_is_skipped_until_the_name_is_set_again():
    source = """\
        model = LogisticRegression()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        model.eval()
        model = None
        keep = model
        """
    assert steps(source) == {1: "calls LogisticRegression", 2: "uses model", 3: "model.eval", 4: None, 5: None}


def test_names_set_by_a_skipped_loop_or_augmented_assignment_count_as_unset():
    source = "for epoch in range(3):\n    loss = 1\nlast = loss\ntotal = 0\ntotal += epoch\n"
    assert steps(source) == {1: "a for loop", 3: "uses loss", 4: None, 5: "uses epoch"}


def test_blocks_run_when_everything_inside_them_would():
    source = """\
        try:
            import seaborn
        except ImportError:
            seaborn = None
        with torch.no_grad():
            w = torch.zeros(3)
        if torch.cuda.is_available():
            device = "cuda"
        else:
            device = "cpu"
        if True:
            print("hi")
        if sigmoid(0) > 0:
            import os
        """
    assert steps(source) == {1: None, 5: None, 7: None, 11: "an if block", 13: "calls sigmoid"}


def test_other_statements_are_skipped_by_kind():
    assert steps("assert 1\ndel x\nraise SystemExit\nx\n...\n") == {
        1: "an assert",
        2: "a del",
        3: "a raise",
        4: "an expression",
        5: None,
    }


def test_the_submissions_own_names_are_its_modules_and_top_level_definitions():
    tree = ast.parse("def sigmoid(z):\n    def inner():\n        pass\nclass Model:\n    pass\nEPS = 1\n")
    assert toplevel.submission_names(["ex1_sigmoid"], [tree]) == {"ex1_sigmoid", "sigmoid", "Model"}


def test_imported_modules_are_read_outside_function_bodies():
    tree = ast.parse(
        "import a.b, c\nfrom d import e\nfrom . import f\ntry:\n    import g\nexcept ImportError:\n    pass\n"
        "def h():\n    import i\n"
    )
    assert set().union(*(toplevel.imported_modules(statement) for statement in tree.body)) == {
        "a.b",
        "c",
        "d",
        "d.e",
        "g",
    }


# ---- the child side: importing a file runs only its plan ---------------------------

SUBMISSION = """\
from __future__ import annotations
import torch
import not_installed_pkg.plotting as plots

EPS = 0.5
W = open("weights-that-are-not-there.txt").read()


def shifted(x: NotDefinedAnywhere) -> plots.Figure:
    return x + EPS


def fails():
    raise ValueError("from the student's function")


print("at import")
figure, axes = plots.subplots()
plots.show()
"""


@pytest.fixture
def imported(tmp_path, monkeypatch):
    """Import a module from source through the child's importer; gives the module and the importer's notes, as said."""
    names = []

    def load(name: str, source: str, exercise_modules: frozenset[str] = frozenset()):
        (tmp_path / f"{name}.py").write_text(source)
        loading = importer._SubmissionImporter(tmp_path, frozenset({name}), set(exercise_modules))
        monkeypatch.setattr(sys, "meta_path", [loading, *sys.meta_path])
        names.append(name)
        return importlib.import_module(name), [say(runner.said(note)) for note in loading.notes]

    yield load
    for name, module in list(sys.modules.items()):
        if name in names or isinstance(module, importer._DoNothing):
            del sys.modules[name]


def test_the_child_runs_the_plan_stands_in_for_missing_packages_and_goes_on_after_errors(imported, capsys):
    module, notes = imported("tl_submission", SUBMISSION)
    assert module.shifted(1) == 1.5  # EPS was set after the failing line; the annotations were never evaluated
    printed = capsys.readouterr()
    assert "at import" not in printed.out + printed.err
    assert notes == [
        "tl_submission.py, line 3: `import not_installed_pkg.plotting as plots` — not_installed_pkg is not installed "
        "where your code is graded; a do-nothing stand-in was used",
        "tl_submission.py, line 6: `W = open('weights-that-are-not-there.txt').read()` raised FileNotFoundError: "
        "[Errno 2] No such file or directory: 'weights-that-are-not-there.txt'; the rest of the file was still run",
    ]  # the unpacking of the stand-in's subplots() fails quietly: the stand-in's note covers it
    assert not hasattr(module, "figure")


def test_the_stand_in_does_nothing_when_called_inside_a_function(imported):
    module, _ = imported(
        "tl_plots", "from not_installed_pkg2.sub import show\n\ndef draw():\n    return show(1)[0].x\n"
    )
    assert isinstance(module.draw(), types.ModuleType)


def test_line_numbers_of_the_students_code_stay_right(imported):
    module, _ = imported("tl_lines", SUBMISSION.replace("not_installed_pkg", "not_installed_pkg3"))
    with pytest.raises(ValueError) as raised:
        module.fails()
    frame = traceback.extract_tb(raised.value.__traceback__)[-1]
    assert frame.filename == module.__file__ and frame.line == 'raise ValueError("from the student\'s function")'
    assert frame.lineno == SUBMISSION.splitlines().index(f"    {frame.line}") + 1


def test_a_missing_exercise_module_gets_no_stand_in(imported):
    module, notes = imported("tl_ex3", "from ex1_sigmoid_missing import sigmoid\n", frozenset({"ex1_sigmoid_missing"}))
    assert not hasattr(module, "sigmoid") and "No module named 'ex1_sigmoid_missing'" in notes[0]
