"""A graded function's fingerprint ignores comments, blank lines, docstrings and local names, and nothing else."""

from __future__ import annotations

import keyword

from hypothesis import given
from hypothesis import strategies as st

from autograder.submission import limits
from autograder.submission.fingerprint import fingerprint, fingerprints

KEPT = {
    "torch",
    "th",
    "helper",
    "loss",
    "total",
    "squares",
    "len",
    "zip",
    "Model",
    "super",
    "scale",
}  # names in the templates
LOCAL = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name) and not keyword.issoftkeyword(name) and name not in KEPT
)
COMMENT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20).map(lambda text: f"  # {text}")
DOCSTRING = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30).map(repr)


def loss(p, y, z, q, *, comment="", blank="", docstring="", op="+", constant="1e-7"):
    """A loss in the lesson's style, its locals named p, y, z, q."""
    return f"""import torch

def loss({p}, {y}):{comment}
    {docstring}
{blank}
    total = 0.0
    for {z}, {q} in zip({p}, {y}):{comment}
{blank}
        total = total {op} {q} * torch.log({z} + {constant})
    squares = [{z} * {z} for {z} in {p}]
    return -total / len({p}) + helper(squares)
"""


def model(p, y, z, q, *, comment="", blank="", docstring="", op="*", constant="2"):
    """A model class whose methods' locals are named p, y, z, q."""
    return f"""import torch

class Model(torch.nn.Module):
    {docstring}
    scale = {constant}
{blank}
    def __init__({p}, {y}):{comment}
        super().__init__()
        {p}.linear = torch.nn.Linear({y}, 1)

    def forward({z}, {q}):
{blank}
        {comment}
        return torch.sigmoid({z}.linear({q}) {op} scale)
"""


NAMES = st.lists(LOCAL, min_size=4, max_size=4, unique=True)
LAYOUT = {
    "comment": COMMENT,
    "blank": st.sampled_from(["", "\n", "\n\n    \n"]),
    "docstring": DOCSTRING.map(lambda text: text or '""'),
}


@given(st.sampled_from([(loss, "loss"), (model, "Model")]), NAMES, st.fixed_dictionaries(LAYOUT))
def test_renaming_locals_and_adding_comments_and_docstrings_keep_the_fingerprint(template, names, layout):
    make, name = template
    original = fingerprint(make("p", "y", "z", "q"), name)
    assert original is not None
    assert fingerprint(make(*names, **layout), name) == original


@given(
    st.sampled_from([(loss, "loss", "+", "1e-7"), (model, "Model", "*", "2")]),
    NAMES,
    st.sampled_from(["-", "*", "/", "**", "//", "%", "@"]),
    st.sampled_from(["1e-8", "1e-07 + 0", "0.0", "2", "True", "'1e-7'"]),
)
def test_changing_an_operator_or_a_constant_changes_it(template, names, op, constant):
    make, name, original_op, original_constant = template
    original = fingerprint(make(*names), name)
    if op != original_op:
        assert fingerprint(make(*names, op=op), name) != original
    if constant != original_constant:
        assert fingerprint(make(*names, constant=constant), name) != original


def test_globals_attributes_and_called_functions_are_kept():
    original = fingerprint(loss("p", "y", "z", "q"), "loss")
    for changed in ("torch.log(", "torch.log1p("), ("helper(", "other("), ("torch.", "th."), ("len(", "sum("):
        assert fingerprint(loss("p", "y", "z", "q").replace(*changed), "loss") != original, changed
    assert fingerprint(model("p", "y", "z", "q").replace("linear", "layer"), "Model") != fingerprint(
        model("p", "y", "z", "q"), "Model"
    )


def test_a_local_and_a_global_of_the_same_name_stay_apart():
    local = "def f(a):\n    b = a\n    return b\n"
    reads_global = "def f(a):\n    c = a\n    return b\n"
    declared = "def f(a):\n    global b\n    b = a\n    return b\n"
    assert len({fingerprint(source, "f") for source in (local, reads_global, declared)}) == 3
    assert fingerprint("def f(a):\n    def g(x):\n        return a + x\n    return g\n", "f") == fingerprint(
        "def f(u):\n    def h(v):\n        return u + v\n    return h\n", "f"
    )


def test_only_a_top_level_definition_that_parses_is_fingerprinted():
    assert fingerprint("def sigmoid(z):\n    return z\n", "bce_loss") is None
    assert fingerprint("def outer():\n    def sigmoid(z):\n        return z\n", "sigmoid") is None
    assert fingerprint("sigmoid = lambda z: z\n", "sigmoid") is None
    assert fingerprint("def sigmoid(z)\n    return z\n", "sigmoid") is None
    assert fingerprint("def sigmoid(z):\n    return " + "-" * 100_000 + "z\n", "sigmoid") is None
    assert fingerprint("def sigmoid(z):\n    return z\n" + "#" * limits.MAX_SOURCE_BYTES, "sigmoid") is None
    twice = "def sigmoid(z):\n    return z\n\ndef sigmoid(z):\n    return -z\n"
    assert fingerprint(twice, "sigmoid") == fingerprint("def sigmoid(z):\n    return -z\n", "sigmoid")


def test_fingerprints_pairs_each_name_found_with_its_digest_sorted():
    files = {"ex1_sigmoid": "def sigmoid(z):\n    return z\n", "scratch": loss("p", "y", "z", "q")}
    names = {"sigmoid": "ex1_sigmoid", "loss": "scratch", "bce_loss": "scratch", "train": "ex4_train"}
    assert fingerprints(files, names) == (
        ("loss", fingerprint(files["scratch"], "loss")),
        ("sigmoid", fingerprint(files["ex1_sigmoid"], "sigmoid")),
    )
