"""The static review: what it flags for an instructor, and the replaced built-ins it finds in a graded definition."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder.grading.grade import grade, wanted_names
from autograder.i18n.messages import say, say_all
from autograder.submission import loader, review

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.mark.parametrize(
    "source, said",
    [
        ("import gc", "imports gc"),
        ("from autograder import reference", "imports autograder"),
        ("import importlib\nimportlib.import_module('x')", "imports importlib"),
        ("x = eval('1')", "calls eval()"),
        ("exec('x = 1')", "calls exec()"),
        ("m = __import__('os')", "calls __import__()"),
        ("import torch\nf = getattr(torch, 'sig' + 'moid')", "calls getattr() with a computed name"),
        ("import sys\nframe = sys._getframe()", "uses sys._getframe"),
        ("import sys\nmods = sys.modules", "uses sys.modules"),
        ("def f(g):\n    return g.__globals__", "uses g.__globals__"),
        ("import torch\ny = torch.ops.aten.sigmoid", "uses torch.ops"),
        ("import os\nos.kill(1, 9)", "uses os.kill"),
        ("import torch\nbase = torch.Tensor.__mro__[1]", "uses torch.Tensor.__mro__"),
        ("def f(z):\n    return type(z).__base__", "uses __base__: reaches a base class's methods"),
        ("def f(z):\n    return z.__class__.__bases__", "uses z.__class__.__bases__"),
        ("import torch\nf = torch._C._TensorBase.sigmoid", "uses torch._C._TensorBase"),
        ("import torch\ndef f(z):\n    return super(torch.Tensor, z).sigmoid()", "calls super()"),
        ("e = __builtins__['eval']", "uses __builtins__"),
        ("import builtins\ne = vars(builtins)['eval']", "imports builtins"),
        ("import torch\nf = torch.sigmoid.__wrapped__", "uses torch.sigmoid.__wrapped__"),
        ("import torch\nf = torch.sigmoid.__closure__[0].cell_contents", "uses torch.sigmoid.__closure__"),
        ("import torch\nf = getattr(torch.sigmoid, '__wrapped__')", "uses __wrapped__"),
        ("import sys\nm = getattr(sys, 'modules')", "uses modules"),
        ("e = len.__self__.eval", "uses len.__self__"),
        ("name = 'autograder.sandboxed.tripwires'", "names autograder.sandboxed.tripwires in a string"),
        ("import sys\nt = sys.modules.get('tripwires')", "names tripwires in a string"),
        ("path = 'sandboxed/probes.py'", "names sandboxed/probes.py in a string"),
    ],
)
def test_reaching_for_the_graders_insides_is_flagged(tmp_path, source, said):
    (tmp_path / "ex1_sigmoid.py").write_text(source + "\n")
    found = say_all(review.flags([tmp_path / "ex1_sigmoid.py"]))
    assert any(said in flag and flag.startswith("ex1_sigmoid.py, line ") for flag in found), found


def test_ordinary_code_is_not_flagged():
    files = [
        *sorted((REPO / "solutions").glob("*.py")),
        *sorted((TESTS / "corpus" / "correct").rglob("*.py")),
        *sorted((TESTS / "examples").rglob("*.py")),
    ]
    assert review.flags(files) == []
    assert review.flags([TESTS / "attacks" / "import_reference.py"])  # and the attack corpus is


@pytest.mark.parametrize(
    "source, found",
    [
        ("import torch\ndef sigmoid(z):\n    return torch.sigmoid(z)\n", ["torch.sigmoid"]),
        ("def sigmoid(z):\n    return z.sigmoid()\n", ["torch.sigmoid"]),
        ("from torch.special import expit\ndef sigmoid(z):\n    return expit(z)\n", ["torch.special.expit"]),
        (
            "import torch\ndef sigmoid(z):\n    return torch.ops.aten.sigmoid(z)\n",
            sorted(["torch.sigmoid", review.UNVERIFIABLE]),
        ),
        ("import torch\ndef sigmoid(z):\n    return getattr(torch, 'sig' + 'moid')(z)\n", [review.UNVERIFIABLE]),
        ("import torch\ndef sigmoid(z):\n    return 1 / (1 + torch.exp(-z))\n", []),
        ("import torch\ndef sigmoid(z):\n    return getattr(torch, 'sigmoid')(z)\n", ["torch.sigmoid"]),
        ("import torch\ndef sigmoid(z):\n    return vars(torch)['sigmoid'](z)\n", ["torch.sigmoid"]),
        ("import torch\ndef sigmoid(z):\n    return torch.__dict__.get('sigmoid')(z)\n", ["torch.sigmoid"]),
        ("import torch\ndef sigmoid(z):\n    return type(z).sigmoid(z)\n", ["torch.sigmoid"]),
        (
            "import torch\ndef sigmoid(z):\n    return getattr(torch.Tensor.__mro__[1], 'sigmoid')(z)\n",
            sorted(["torch.sigmoid", review.UNVERIFIABLE]),
        ),
        # An attribute on an import counts only when the import is torch's, whatever the alias.
        ("import torch.nn.functional as F\ndef sigmoid(z):\n    return F.sigmoid(z)\n", ["torch.sigmoid"]),
        ("from torch import nn\ndef sigmoid(z):\n    return nn.Sigmoid()(z)\n", ["torch.nn.Sigmoid"]),
        ("from torch import special as sp\ndef sigmoid(z):\n    return sp.expit(z)\n", ["torch.special.expit"]),
        ("def sigmoid(z):\n    import torch as t\n    return t.sigmoid(z)\n", ["torch.sigmoid"]),
        ("import torch\nimport helpers as h\ndef sigmoid(z):\n    return h.sigmoid(z)\n", []),
        ("from mylib import act\ndef sigmoid(z):\n    return act.sigmoid(z)\n", []),
        ("import torch\ndef sigmoid(z):\n    t = torch.as_tensor(z)\n    return t.sigmoid()\n", ["torch.sigmoid"]),
    ],
)
def test_the_replaced_built_ins_a_definition_names_are_found(tmp_path, source, found):
    (tmp_path / "ex1_sigmoid.py").write_text(source)
    assert review.forbidden_by_name(loader.scan(tmp_path, wanted_names()))["sigmoid"] == found


@pytest.mark.parametrize(
    "source",
    [
        "class Model(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n",
        "class Model(torch.nn.Module):\n    def __init__(self):\n        super(Model, self).__init__()\n",
        "import matplotlib.pyplot as plt\nplt.title('sigmoid')\nlabels = {'probes': 1}\n",
        "results = {}\nresults['sigmoid'] = 1\ngetattr(results, 'get')\n",
        '"""Uses the autograder: run logreg-grade to check the sandboxed probes."""\n',
    ],
)
def test_ordinary_uses_of_the_same_words_are_not_flagged(tmp_path, source):
    (tmp_path / "ex3_model.py").write_text("import torch\n" + source)
    assert review.flags([tmp_path / "ex3_model.py"]) == []
    assert review.forbidden_in(ast.parse(source)) == []


def test_the_students_own_modules_are_not_built_ins():
    tree = ast.parse("import ex1_sigmoid\ny = ex1_sigmoid.sigmoid(x)\n")
    assert review.forbidden_in(tree, frozenset({"ex1_sigmoid"})) == []


def test_a_module_of_the_submission_imported_under_another_name_is_not_a_built_in(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("import torch\n\ndef sigmoid(z):\n    return 1 / (1 + torch.exp(-z))\n")
    (tmp_path / "ex3_model.py").write_text(
        "import torch\nimport ex1_sigmoid as act\n\n\nclass LogisticRegression(torch.nn.Module):\n"
        "    def forward(self, x):\n        return act.sigmoid(self.linear(x))\n"
    )
    found = review.forbidden_by_name(loader.scan(tmp_path, wanted_names()))
    assert found["LogisticRegression"] == [] and found["sigmoid"] == []
    (tmp_path / "ex3_model.py").write_text(
        "import torch\nimport torch.nn.functional as act\n\n\nclass LogisticRegression(torch.nn.Module):\n"
        "    def forward(self, x):\n        return act.sigmoid(self.linear(x))\n"
    )
    assert review.forbidden_by_name(loader.scan(tmp_path, wanted_names()))["LogisticRegression"] == ["torch.sigmoid"]


@pytest.mark.slow
def test_a_built_in_reached_by_another_route_fails_own_code_and_is_flagged(tmp_path):
    (tmp_path / "ex1_sigmoid.py").write_text("import torch\n\ndef sigmoid(z):\n    return torch.ops.aten.sigmoid(z)\n")
    result = grade(tmp_path, select=lambda exercise, check: check.id in ("sigmoid.fixed_values", "sigmoid.own_code"))
    outcomes = {o.check_id: o for o in result.outcomes}
    assert outcomes["sigmoid.fixed_values"].passed and not outcomes["sigmoid.own_code"].passed
    assert "torch.sigmoid" in say(outcomes["sigmoid.own_code"].message)
    assert any("torch.ops" in flag for flag in say_all(result.flags))
