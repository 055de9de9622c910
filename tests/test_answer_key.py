"""The release is no answer key, held-out points need the function's own steps, and the NumPy track
keeps torch out of reach (issue 14). Graded in the sandbox, like every submission.

- A submission made of lookup tables, built from every answer a release records, scores at the
  release's own seed (the table is right) and gains nothing at a fresh seed (official grading).
- A train() that returns trained weights from elsewhere (with an empty or a made-up history) earns
  no held-out points; the reference earns them at every seed.
- bce_grad_np copied from the grader's torch stand-in earns none of its points, unless the assignment
  file says allow_torch.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from autograder.checks.base import TORCH_OUT, numpy_call
from autograder.checks.values import numbers
from autograder.frontends.instructor import visible_checks
from autograder.grading import policy as policies
from autograder.grading.grade import grade
from autograder.grading.judge import expected_result, trusted_result
from autograder.lesson import EXERCISES, manifest
from autograder.lesson.reference import SOLUTIONS
from autograder.sandboxed import standins

REPO = Path(__file__).resolve().parent.parent
RELEASE_SEED, FRESH_SEED = 424242, 1234
LOOKED_UP = ("sigmoid", "bce_loss", "train", "sigmoid_np", "bce_loss_np", "bce_grad_np", "fit_np")
EXERCISE_OF = {name: exercise for exercise in EXERCISES for name in exercise.names}
pytestmark = pytest.mark.slow

LOOKUP = """
import hashlib, json
import numpy as np
import torch

TABLE = json.loads({table!r})


def _key(*arrays):
    h = hashlib.sha1()
    for a in arrays:
        a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)  # torch is out of reach in ex6
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _get(*arrays):
    return TABLE.get(_key(*arrays), {{}})
"""

FUNCTIONS = {
    "sigmoid": """
def sigmoid(z):
    e = _get(z).get("out")
    return torch.zeros_like(z) if e is None else torch.tensor(e, dtype=z.dtype)
""",
    "bce_loss": """
def bce_loss(y_pred, y_true):
    e = _get(y_pred, y_true).get("out")
    return torch.tensor(0.0) if e is None else torch.tensor(e, dtype=y_pred.dtype)
""",
    "train": """
def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
    e = _get(x, model.linear.weight, model.linear.bias)
    with torch.no_grad():
        if "weight" in e:
            model.linear.weight.copy_(torch.tensor(e["weight"]).reshape(model.linear.weight.shape))
        if "bias" in e:
            model.linear.bias.copy_(torch.tensor(e["bias"]).reshape(model.linear.bias.shape))
    return list(e.get("history", []))
""",
    "sigmoid_np": """
def sigmoid_np(z):
    e = _get(z).get("out")
    return np.zeros_like(z) if e is None else np.array(e, dtype=np.asarray(z).dtype)
""",
    "bce_loss_np": """
def bce_loss_np(p, y):
    e = _get(p, y).get("out")
    return 0.0 if e is None else float(e)
""",
    "bce_grad_np": """
def bce_grad_np(w, b, X, y):
    e = _get(w, X, y).get("out")
    return (np.zeros_like(w), 0.0) if e is None else (np.array(e[0]), float(e[1]))
""",
    "fit_np": """
def fit_np(X, y, *, lr=0.1, epochs=1000):
    e = _get(X, y).get("out")
    return (np.zeros(X.shape[1]), 0.0, []) if e is None else (np.array(e[0]), float(e[1]), list(e[2]))
""",
}


def _key(*arrays: np.ndarray) -> str:
    digest = hashlib.sha1()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _plain(described) -> object:
    """A recorded value as JSON: numbers as nested lists, a tuple as a list of them."""
    if described is None:
        return None
    items = getattr(described, "items", None)
    if items is not None:
        return [_plain(item) for item in items]
    found = numbers(described)
    return None if found is None else found.tolist()


def answer_key(tmp_path: Path) -> dict[str, dict[str, object]]:
    """Every answer the release records for the looked-up functions, by the bytes of the inputs it was recorded for."""
    path = tmp_path / "visible.json"
    path.write_text(visible_checks.record(EXERCISES, RELEASE_SEED), encoding="utf-8")
    table: dict[str, dict[str, object]] = {}
    for exercise in manifest.load(path).exercises:
        for check in exercise.checks:
            probe = check.probe_for(RELEASE_SEED)
            if probe.needs not in LOOKED_UP or probe.name not in ("call", "call_np", "train"):
                continue
            assert check.expect is not None, "a release's check carries its recorded answer"
            recorded = check.expect(probe)
            if probe.name == "train":
                inputs = [probe.args["x"], probe.args["weight"], probe.args["bias"]]
            elif probe.needs == "bce_grad_np":
                w, _b, X, y = probe.args["args"]
                inputs = [w, X, y]
            else:
                inputs = list(probe.args["args"])
            entry = table.setdefault(_key(*inputs), {})
            for field in ("out", "history", "weight", "bias"):
                value = _plain(getattr(recorded, field))
                if value is not None:
                    entry[field] = value
    return table


def lookup_submission(tmp_path: Path) -> Path:
    """A submission with no algorithm: each looked-up function answers from the release's records, else zeros."""
    folder = tmp_path / "lookup"
    shutil.copytree(REPO / "exercises", folder, ignore=shutil.ignore_patterns("__pycache__"))
    header = LOOKUP.format(table=json.dumps(answer_key(tmp_path)))
    for module in {EXERCISE_OF[name].module for name in LOOKED_UP}:
        names = [name for name in LOOKED_UP if EXERCISE_OF[name].module == module]
        (folder / f"{module}.py").write_text(header + "".join(FUNCTIONS[name] for name in names))
    return folder


def _points(result, numbers_: tuple[int, ...]) -> dict[str, float]:
    return {o.check_id: o.points for o in result.outcomes if o.exercise in numbers_ and o.points}


def test_a_lookup_table_of_the_release_scores_at_its_seed_and_gains_nothing_at_a_fresh_one(tmp_path):
    folder = lookup_submission(tmp_path)
    graded = (1, 2, 4, 6)
    select = lambda exercise, check: exercise.number in graded  # noqa: E731
    at_release = _points(grade(folder, seed=RELEASE_SEED, select=select), graded)
    # the table is right where it was recorded: what a fixed input used to give away at every seed
    assert sum(at_release.values()) >= 40, at_release
    assert not any("digits_accuracy" in check for check in at_release), "no recorded answer holds trained digits"
    at_fresh_seed = _points(grade(folder, seed=FRESH_SEED, select=select), graded)
    assert at_fresh_seed == {}, at_fresh_seed


def test_the_release_records_only_what_each_visible_check_compares(tmp_path):
    path = tmp_path / "visible.json"
    path.write_text(visible_checks.record(EXERCISES, RELEASE_SEED), encoding="utf-8")
    for exercise in manifest.load(path).exercises:
        for check in exercise.checks:
            assert check.expect is not None
            recorded = check.expect(check.probe_for(RELEASE_SEED))
            read = {key.split(".")[0] for key in check.compare.observes}
            kept = {name for name, value in vars(recorded).items() if value not in (None, ())} - {"error"}
            assert kept <= read, (check.id, kept - read)
    digits = next(c for e in manifest.load(path).exercises for c in e.checks if c.id == "train.digits_loss_falls")
    assert digits.expect is not None and digits.expect(digits.probe).weight is None


def _trained_elsewhere(history: str) -> str:
    """ex4: the reference's loop on the toy set; on digits, weights from elsewhere and history (what it returns)."""
    check = EXERCISES[3].check("train.digits_accuracy")
    trained = trusted_result(check.probe_for(99))  # another run's weights: they reach the reference's accuracy
    weight, bias = numbers(trained.weight), numbers(trained.bias)
    assert weight is not None and bias is not None
    source = (SOLUTIONS / "ex4_train.py").read_text().replace("def train(", "def _loop(")
    return source + (
        f"\n\nWEIGHT, BIAS = {weight.ravel().tolist()!r}, {float(bias.ravel()[0])!r}\n\n\n"
        "def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):\n"
        "    if x.shape[0] < 100:\n"
        "        return _loop(model, x, y, epochs=epochs, lr=lr, batch_size=batch_size)\n"
        "    with torch.no_grad():\n"
        "        model.linear.weight.copy_(torch.tensor([WEIGHT]))\n"
        "        model.linear.bias.fill_(BIAS)\n"
        f"    return {history}\n"
    )


@pytest.mark.parametrize("history", ["[]", "[1.0 - 0.01 * i for i in range(epochs)]"], ids=["empty", "made_up"])
def test_weights_from_elsewhere_earn_no_held_out_points(tmp_path, history):
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "ex4_train.py").write_text(_trained_elsewhere(history))
    result = grade(folder, seed=FRESH_SEED, select=lambda exercise, check: exercise.number == 4)
    outcomes = {o.check_id: o for o in result.outcomes}
    assert outcomes["train.full_batch_trajectory"].passed  # the toy set is trained by the real loop
    assert outcomes["train.digits_accuracy"].points == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_reference_earns_the_held_out_points_at_every_seed(seed):
    for exercise in EXERCISES:
        for check in exercise.checks:
            probe = check.probe_for(seed)
            verdict = check.compare.verdict(trusted_result(probe), expected_result(check, probe))
            assert verdict.passed, (check.id, seed)


def _copied_stand_in() -> str:
    """ex6 with bce_grad_np copied from the grader's torch stand-in."""
    source = (SOLUTIONS / "ex6_numpy.py").read_text().replace("def bce_grad_np(", "def _own_bce_grad_np(")
    return "import torch\n" + source + "\n\n" + inspect.getsource(standins.bce_grad_np)


GRADIENT_CHECKS = {"np.grad_values", "np.grad_finite_differences", "np.grad_shapes", "np.inputs_unchanged"}


def test_the_torch_stand_in_copied_into_the_numpy_track_earns_nothing_unless_allowed(tmp_path):
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "ex6_numpy.py").write_text(_copied_stand_in())
    select = lambda exercise, check: exercise.number == 6  # noqa: E731
    copied = {o.check_id: o for o in grade(folder, seed=FRESH_SEED, select=select).outcomes}
    assert {check: copied[check].points for check in GRADIENT_CHECKS} == dict.fromkeys(GRADIENT_CHECKS, 0)
    assert copied["np.sigmoid_values"].passed and copied["np.loss_values"].passed  # its own functions keep theirs

    allowing = tmp_path / "assignment.toml"
    allowing.write_text("[exercises.6]\nallow_torch = true\n")
    policy = policies.load(allowing)
    lifted = {o.check_id: o for o in grade(folder, seed=FRESH_SEED, select=select, policy=policy).outcomes}
    assert all(lifted[check].passed for check in GRADIENT_CHECKS), {c: lifted[c].status for c in GRADIENT_CHECKS}


def test_allow_torch_takes_torch_out_of_the_stand_ins_and_must_be_a_boolean(tmp_path):
    allowing = tmp_path / "assignment.toml"
    allowing.write_text("[exercises.ex6_numpy]\nallow_torch = true\n")
    lifted = policies.load(allowing).apply(EXERCISES)
    plain = policies.DEFAULT.apply(EXERCISES)
    assert TORCH_OUT in plain[5].check("np.grad_values").probe_for(0).args["stand_ins"]
    assert TORCH_OUT not in lifted[5].check("np.grad_values").probe_for(0).args["stand_ins"]
    assert TORCH_OUT in numpy_call("sigmoid_np", np.zeros(2)).args["stand_ins"]
    assert standins.STANDINS[TORCH_OUT] is standins.OUT_OF_REACH
    allowing.write_text('[exercises.6]\nallow_torch = "yes"\n')
    with pytest.raises(policies.PolicyError, match="allow_torch"):
        policies.load(allowing)


def test_torch_out_of_reach_raises_on_every_use():
    with pytest.raises(standins.TorchOutOfReach):
        standins.OUT_OF_REACH.tensor([1.0])


TORCH_ROUTES = {  # the same autograd gradient, reaching torch by each route a student might write
    "an alias": ("import torch as T\n", "T", ""),
    "names from torch": ("from torch import tensor, float64\nimport torch.nn.functional as F\n", None, ""),
    "an import inside": ("", "torch", "    import torch\n"),
}


def _gradient_through(route: str) -> str:
    """ex6_numpy.py whose bce_grad_np computes autograd's gradient, reaching torch by route."""
    header, module, inside = TORCH_ROUTES[route]
    source = (SOLUTIONS / "ex6_numpy.py").read_text().replace("def bce_grad_np(", "def _own_bce_grad_np(")
    if module is None:
        body = (
            "    weight = tensor(w, dtype=float64, requires_grad=True)\n"
            "    bias = tensor(float(b), dtype=float64, requires_grad=True)\n"
            "    F.binary_cross_entropy_with_logits(tensor(X) @ weight + bias, tensor(y)).backward()\n"
        )
    else:
        body = (
            f"    weight = {module}.tensor(w, dtype={module}.float64, requires_grad=True)\n"
            f"    bias = {module}.tensor(float(b), dtype={module}.float64, requires_grad=True)\n"
            f"    {module}.nn.functional.binary_cross_entropy_with_logits({module}.tensor(X) @ weight + bias, "
            f"{module}.tensor(y)).backward()\n"
        )
    function = f"\n\ndef bce_grad_np(w, b, X, y):\n{inside}{body}    return weight.grad.numpy(), float(bias.grad)\n"
    return header + source + function


@pytest.mark.parametrize("route", sorted(TORCH_ROUTES))
def test_every_route_to_torch_in_the_numpy_track_earns_nothing(tmp_path, route):
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "ex6_numpy.py").write_text(_gradient_through(route))
    select = lambda exercise, check: check.id in GRADIENT_CHECKS  # noqa: E731
    outcomes = grade(folder, seed=FRESH_SEED, select=select).outcomes
    assert outcomes and all(o.points == 0 for o in outcomes), [(o.check_id, o.points) for o in outcomes]
    allowing = tmp_path / "assignment.toml"
    allowing.write_text("[exercises.6]\nallow_torch = true\n")
    lifted = grade(folder, seed=FRESH_SEED, select=select, policy=policies.load(allowing)).outcomes
    assert any(o.passed for o in lifted), [(o.check_id, o.status) for o in lifted]  # the same code, allowed, counts
