"""End to end: a corpus of one-bug submissions, correct alternatives, the stubs and the solutions.

Every buggy entry is the reference solutions with ONE plausible student edit to one file.
Grading it must cost points in that exercise only, and name the bug: an outcome of that
exercise matches the expected known mistake (or fails the expected check) and shows its hint.
The correct alternatives live as real files under tests/corpus/correct/<name>/, holding only
the exercise file(s) that differ from solutions/; each must score full marks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder import i18n
from autograder.grading.grade import grade, wanted_names
from autograder.grading.outcomes import NOT_IMPLEMENTED, PASSED, Outcome
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.lesson.hints import HINTS, hint_for
from autograder.sandbox.runner import limit_resources
from autograder.sandbox.zygote import Zygote
from autograder.submission import loader

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
STUBS = REPO / "exercises"
CORRECT = Path(__file__).resolve().parent / "corpus" / "correct"
SINGLE_FILE = "logreg.py"  # a correct alternative holding this file is graded as that one file
SOLUTION_FILES = sorted(path.name for path in SOLUTIONS.glob("ex*.py"))
POINTS = {exercise.number: exercise.points for exercise in EXERCISES}
MISTAKE_IDS = {
    exercise.number: {mistake.id for check in exercise.checks for mistake in check.mistakes} for exercise in EXERCISES
}
CHECK_IDS = {exercise.number: {check.id for check in exercise.checks} for exercise in EXERCISES}


@dataclass(frozen=True)
class Bug:
    """One student slip: replace `old` (found exactly once) by `new` in one file of solutions/."""

    name: str
    file: str
    old: str
    new: str
    exercise: int
    expect: str  # the known mistake's id, or the id of the check that catches it


# Reference text that several entries rewrite as a whole.
SIGMOID_BODY = """\
    positive = z >= 0
    small_exp = torch.exp(torch.where(positive, -z, z))  # e^(-|z|), at most 1
    return torch.where(positive, 1 / (1 + small_exp), small_exp / (1 + small_exp))
"""
BCE_SHAPE_CHECK = """\
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"bce_loss: y_pred has shape {tuple(y_pred.shape)} but y_true has shape "
            f"{tuple(y_true.shape)}; reshape one so the shapes match"
        )
"""
BCE_LOGS = """\
    log_p = torch.clamp(torch.log(y_pred), min=-100)
    log_not_p = torch.clamp(torch.log(1 - y_pred), min=-100)
"""
BCE_LOGS_AND_MEAN = BCE_LOGS + "    return -(y_true * log_p + (1 - y_true) * log_not_p).mean()\n"
BATCHES = """\
    if batch_size is None:
        batches = [(x, y)]
    else:
        batches = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
"""
EPOCH_LOSS = """\
            total += loss.item() * len(xb)
        history.append(total / len(x))
"""
NP_LOGS = """\
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100)
        log_not_p = np.maximum(np.log(1 - p), -100)
"""
NP_LOSS_RETURN = "    return float(-np.mean(y * log_p + (1 - y) * log_not_p))\n"
NP_SIGMOID_BODY = """\
    small_exp = np.exp(-np.abs(z))  # e^(-|z|), at most 1
    return np.where(z >= 0, 1 / (1 + small_exp), small_exp / (1 + small_exp))
"""
NP_FIT_EPOCH = """\
        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))
        dw, db = bce_grad_np(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
"""

S, B, M, T, P, N = (
    f"ex{i}_{stem}.py" for i, stem in enumerate(("sigmoid", "bce_loss", "model", "train", "predict", "numpy"), 1)
)

BUGS: tuple[Bug, ...] = (
    # Exercise 1: sigmoid
    Bug(
        "sigmoid_sign_flipped",
        S,
        "torch.where(positive, 1 / (1 + small_exp), small_exp / (1 + small_exp))",
        "torch.where(positive, small_exp / (1 + small_exp), 1 / (1 + small_exp))",
        1,
        "sigmoid.sign_flipped",
    ),
    Bug("sigmoid_naive", S, SIGMOID_BODY, "    return 1 / (1 + torch.exp(-z))\n", 1, "sigmoid.naive_overflow"),
    Bug(
        "sigmoid_exp_ratio",
        S,
        SIGMOID_BODY,
        "    return torch.exp(z) / (1 + torch.exp(z))\n",
        1,
        "sigmoid.exp_ratio_overflow",
    ),
    Bug("sigmoid_tanh_unscaled", S, SIGMOID_BODY, "    return 0.5 * (1 + torch.tanh(z))\n", 1, "sigmoid.tanh_unscaled"),
    Bug("sigmoid_builtin", S, SIGMOID_BODY, "    return torch.sigmoid(z)\n", 1, "sigmoid.own_code"),
    Bug(
        "sigmoid_in_place",
        S,
        "small_exp = torch.exp(torch.where(positive, -z, z))",
        "small_exp = z.abs_().neg_().exp()",
        1,
        "sigmoid.input_unchanged",
    ),
    Bug(
        "sigmoid_float32",
        S,
        "    positive = z >= 0\n",
        "    z = z.float()\n    positive = z >= 0\n",
        1,
        "sigmoid.float32_only",
    ),
    Bug(
        "sigmoid_abs_kink",
        S,
        "torch.exp(torch.where(positive, -z, z))",
        "torch.exp(-torch.abs(z))",
        1,
        "sigmoid.abs_kink",
    ),
    # Exercise 2: bce_loss
    Bug("bce_summed", B, ".mean()", ".sum()", 2, "bce.summed"),
    Bug("bce_sign_flipped", B, "return -(y_true * log_p", "return (y_true * log_p", 2, "bce.sign_flipped"),
    Bug(
        "bce_swapped",
        B,
        BCE_LOGS_AND_MEAN,
        "    log_p = torch.clamp(torch.log(y_true), min=-100)\n"
        "    log_not_p = torch.clamp(torch.log(1 - y_true), min=-100)\n"
        "    return -(y_pred * log_p + (1 - y_pred) * log_not_p).mean()\n",
        2,
        "bce.swapped",
    ),
    Bug(
        "bce_unclamped",
        B,
        BCE_LOGS,
        "    log_p = torch.log(y_pred)\n    log_not_p = torch.log(1 - y_pred)\n",
        2,
        "bce.unclamped",
    ),
    Bug("bce_no_shape_check", B, BCE_SHAPE_CHECK, "", 2, "bce.broadcast"),
    Bug(
        "bce_epsilon_clip",
        B,
        BCE_LOGS,
        "    y_pred = torch.clamp(y_pred, 1e-7, 1 - 1e-7)\n"
        "    log_p = torch.log(y_pred)\n    log_not_p = torch.log(1 - y_pred)\n",
        2,
        "bce.epsilon_clip",
    ),
    Bug(
        "bce_builtin",
        B,
        BCE_LOGS_AND_MEAN,
        "    return torch.nn.functional.binary_cross_entropy(y_pred, y_true)\n",
        2,
        "bce.own_code",
    ),
    Bug(
        "bce_missing_term",
        B,
        "-(y_true * log_p + (1 - y_true) * log_not_p).mean()",
        "-(y_true * log_p).mean()",
        2,
        "bce.missing_term",
    ),
    Bug("bce_unreduced", B, ".mean()", "", 2, "bce.unreduced"),
    Bug(
        "bce_clamp_rounds_to_one",
        B,
        BCE_LOGS,
        "    y_pred = torch.clamp(y_pred, 1e-15, 1 - 1e-15)\n"
        "    log_p = torch.log(y_pred)\n    log_not_p = torch.log(1 - y_pred)\n",
        2,
        "bce.clamp_rounds_to_one",
    ),
    # Exercise 3: LogisticRegression
    Bug("model_no_sigmoid", M, "return sigmoid(self.linear(x))", "return self.linear(x)", 3, "model.no_sigmoid"),
    Bug(
        "model_flattened",
        M,
        "return sigmoid(self.linear(x))",
        "return sigmoid(self.linear(x)).squeeze()",
        3,
        "model.flattened",
    ),
    Bug(
        "model_torch_sigmoid",
        M,
        "return sigmoid(self.linear(x))",
        "return torch.sigmoid(self.linear(x))",
        3,
        "model.uses_own_sigmoid",
    ),
    # Exercise 4: train
    Bug("train_no_zero_grad", T, "            optimizer.zero_grad()\n", "", 4, "train.no_zero_grad"),
    Bug("train_no_step", T, "            optimizer.step()\n", "", 4, "train.no_step"),
    Bug(
        "train_adam",
        T,
        "torch.optim.SGD(model.parameters(), lr=lr)",
        "torch.optim.Adam(model.parameters(), lr=lr)",
        4,
        "train.adam",
    ),
    Bug(
        "train_momentum",
        T,
        "torch.optim.SGD(model.parameters(), lr=lr)",
        "torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)",
        4,
        "train.momentum",
    ),
    Bug(
        "train_ignores_lr",
        T,
        "SGD(model.parameters(), lr=lr)",
        "SGD(model.parameters(), lr=0.01)",
        4,
        "train.ignores_lr",
    ),
    Bug("train_ignores_batch_size", T, BATCHES, "    batches = [(x, y)]\n", 4, "train.ignores_batch_size"),
    Bug("train_no_shuffle", T, "batch_size=batch_size, shuffle=True)", "batch_size=batch_size)", 4, "train.no_shuffle"),
    Bug(
        "train_tensor_history",
        T,
        "total += loss.item() * len(xb)",
        "total += loss * len(xb)",
        4,
        "train.tensor_history",
    ),
    Bug(
        "train_batch_means_averaged",
        T,
        EPOCH_LOSS,
        "            total += loss.item()\n        history.append(total / len(batches))\n",
        4,
        "train.batch_means_averaged",
    ),
    Bug(
        "train_batch_means_summed",
        T,
        EPOCH_LOSS,
        "            total += loss.item()\n        history.append(total)\n",
        4,
        "train.batch_means_summed",
    ),
    Bug(
        "train_last_batch_loss",
        T,
        EPOCH_LOSS,
        "            total += loss.item() * len(xb)\n        history.append(loss.item())\n",
        4,
        "train.last_batch_loss",
    ),
    # Exercise 5: predict, accuracy, decision_boundary
    Bug("predict_threshold_ignored", P, "(model(x) >= threshold)", "(model(x) >= 0.5)", 5, "predict.threshold_ignored"),
    Bug(
        "predict_flat_shape",
        P,
        "(model(x) >= threshold).float()",
        "(model(x) >= threshold).float().view(-1)",
        5,
        "predict.wrong_shape",
    ),
    Bug(
        "predict_score_threshold",
        P,
        "(model(x) >= threshold)",
        "(model.linear(x) >= threshold)",
        5,
        "predict.score_threshold",
    ),
    Bug(
        "predict_default_threshold",
        P,
        "threshold: float = 0.5",
        "threshold: float = 0.7",
        5,
        "predict.threshold_not_half",
    ),
    Bug(
        "predict_bool_labels",
        P,
        "return (model(x) >= threshold).float()",
        "return model(x) >= threshold",
        5,
        "predict.bool_labels",
    ),
    Bug("accuracy_count", P, ".float().mean().item()", ".float().sum().item()", 5, "accuracy.count"),
    Bug("accuracy_broadcast", P, "(labels == y_true)", "(labels.squeeze() == y_true)", 5, "accuracy.broadcast"),
    Bug("accuracy_tensor", P, ".float().mean().item()", ".float().mean()", 5, "accuracy.tensor"),
    Bug("boundary_sign", P, "return -b / w", "return b / w", 5, "boundary.sign"),
    Bug("boundary_inverted", P, "return -b / w", "return -w / b", 5, "boundary.inverted"),
    Bug(
        "boundary_tensor",
        P,
        "    w = model.linear.weight.item()\n    b = model.linear.bias.item()\n",
        "    w = model.linear.weight\n    b = model.linear.bias\n",
        5,
        "boundary.tensor",
    ),
    # Exercise 6: NumPy from scratch
    Bug(
        "np_grad_missing_mean",
        N,
        "return X.T @ error / len(y), float(error.mean())",
        "return X.T @ error, float(error.sum())",
        6,
        "np.grad_missing_mean",
    ),
    Bug(
        "np_grad_sign_flipped",
        N,
        "error = sigmoid_np(X @ w + b) - y",
        "error = y - sigmoid_np(X @ w + b)",
        6,
        "np.grad_sign_flipped",
    ),
    Bug("np_sigmoid_naive", N, NP_SIGMOID_BODY, "    return 1 / (1 + np.exp(-z))\n", 6, "np.sigmoid_overflow"),
    Bug(
        "np_sigmoid_exp_ratio",
        N,
        NP_SIGMOID_BODY,
        "    return np.exp(z) / (1 + np.exp(z))\n",
        6,
        "np.sigmoid_exp_ratio",
    ),
    Bug(
        "np_sigmoid_sign_flipped",
        N,
        "np.where(z >= 0, 1 / (1 + small_exp), small_exp / (1 + small_exp))",
        "np.where(z >= 0, small_exp / (1 + small_exp), 1 / (1 + small_exp))",
        6,
        "np.sigmoid_sign_flipped",
    ),
    Bug(
        "np_fit_ascent",
        N,
        "w = w - lr * dw\n        b = b - lr * db",
        "w = w + lr * dw\n        b = b + lr * db",
        6,
        "np.fit_ascent",
    ),
    Bug("np_loss_summed", N, "float(-np.mean(", "float(-np.sum(", 6, "np.loss_summed"),
    Bug("np_loss_sign_flipped", N, "float(-np.mean(", "float(np.mean(", 6, "np.loss_sign_flipped"),
    Bug(
        "np_loss_swapped",
        N,
        NP_LOGS + NP_LOSS_RETURN,
        NP_LOGS.replace("(p)", "(y)").replace("(1 - p)", "(1 - y)")
        + "    return float(-np.mean(p * log_p + (1 - p) * log_not_p))\n",
        6,
        "np.loss_swapped",
    ),
    Bug(
        "np_history_after_step",
        N,
        NP_FIT_EPOCH,
        "        dw, db = bce_grad_np(w, b, X, y)\n        w = w - lr * dw\n        b = b - lr * db\n"
        "        history.append(bce_loss_np(sigmoid_np(X @ w + b), y))\n",
        6,
        "np.fit_history_after_step",
    ),
    Bug(
        "np_loss_unclamped",
        N,
        NP_LOGS,
        "    log_p = np.log(p)\n    log_not_p = np.log(1 - p)\n",
        6,
        "np.loss_unclamped",
    ),
    Bug(
        "np_loss_epsilon_clip",
        N,
        NP_LOGS,
        "    p = np.clip(p, 1e-7, 1 - 1e-7)\n    log_p = np.log(p)\n    log_not_p = np.log(1 - p)\n",
        6,
        "np.loss_epsilon_clip",
    ),
)

CORRECT_NAMES = sorted(path.name for path in CORRECT.iterdir() if path.is_dir())


def build_submission(
    tmp_path: Path, *, base: Path = SOLUTIONS, overlay: Path | None = None, bug: Bug | None = None
) -> Path:
    """A fresh folder: base's .py files, then overlay's files on top, then the bug's one edit."""
    folder = tmp_path / "submission"
    folder.mkdir()
    for source in [*sorted(base.glob("*.py")), *(sorted(overlay.glob("*.py")) if overlay else [])]:
        shutil.copyfile(source, folder / source.name)
    if bug is not None:
        target = folder / bug.file
        text = target.read_text()
        assert text.count(bug.old) == 1, (
            f"{bug.name}: {bug.old!r} occurs {text.count(bug.old)} times in {bug.file}, not once"
        )
        target.write_text(text.replace(bug.old, bug.new))
    return folder


def correct_submission(tmp_path: Path, name: str) -> Path:
    """A correct alternative: its one file, or its files overlaid on a copy of solutions/."""
    folder = CORRECT / name
    if (folder / SINGLE_FILE).exists():
        return build_submission(tmp_path, base=folder) / SINGLE_FILE
    return build_submission(tmp_path, overlay=folder)


def by_exercise(outcomes: list[Outcome]) -> dict[int, float]:
    earned = dict.fromkeys(POINTS, 0.0)
    for outcome in outcomes:
        earned[outcome.exercise] += outcome.points
    return earned


def shown(outcomes: list[Outcome]) -> str:
    return (
        "\n".join(
            f"  ex{o.exercise} {o.check_id}: {o.status} {o.points:g}/{o.max_points:g} mistake={o.mistake} "
            f"| {say(o.message)} | hint: {say(o.hint)}"
            for o in outcomes
            if o.status != PASSED
        )
        or "  (every check passed)"
    )


# The corpus itself: cheap checks that it cannot rot silently.


def test_the_buggy_corpus_is_large_named_uniquely_and_points_at_known_ids():
    assert len(BUGS) >= 28
    assert len({bug.name for bug in BUGS}) == len(BUGS)
    for bug in BUGS:
        assert bug.file in SOLUTION_FILES, bug.name
        assert bug.file.startswith(f"ex{bug.exercise}_"), bug.name
        assert bug.expect in MISTAKE_IDS[bug.exercise] | CHECK_IDS[bug.exercise], f"{bug.name}: unknown id {bug.expect}"
        assert bug.expect in HINTS, bug.name


@pytest.mark.parametrize("bug", BUGS, ids=lambda bug: bug.name)
def test_each_bug_edits_its_file_exactly_once(bug):
    text = (SOLUTIONS / bug.file).read_text()
    assert text.count(bug.old) == 1, f"{bug.old!r} occurs {text.count(bug.old)} times in solutions/{bug.file}"
    assert bug.old != bug.new


def test_every_known_mistake_has_a_buggy_entry():
    covered = {bug.expect for bug in BUGS}
    missing = set().union(*MISTAKE_IDS.values()) - covered
    assert not missing, f"known mistakes without a corpus entry: {sorted(missing)}"


@pytest.mark.parametrize("name", CORRECT_NAMES)
def test_each_correct_alternative_holds_real_exercise_files_that_differ(name):
    files = sorted((CORRECT / name).glob("*.py"))
    assert files, f"{name} holds no .py file"
    if (CORRECT / name / SINGLE_FILE).exists():
        assert [path.name for path in files] == [SINGLE_FILE]
        layout = loader.scan(files[0], wanted_names())
        assert set(layout.where) == set(wanted_names()) and set(layout.where.values()) == {"logreg"}
        assert "from ex" not in files[0].read_text() and "import ex" not in files[0].read_text()
        return
    for path in files:
        assert path.name in SOLUTION_FILES, f"{name}/{path.name} would not replace any exercise file"
        assert path.read_text() != (SOLUTIONS / path.name).read_text()


def test_the_correct_corpus_covers_the_required_alternatives():
    assert len(CORRECT_NAMES) >= 7
    assert any((CORRECT / name / SINGLE_FILE).exists() for name in CORRECT_NAMES)


# Grading, end to end (a child process per submission).


@pytest.mark.slow
@pytest.mark.parametrize("bug", BUGS, ids=lambda bug: bug.name)
def test_a_bug_costs_points_in_its_exercise_only_and_gets_its_hint(bug, tmp_path):
    """...in English and in Chinese alike: the same verdicts, points and mistake ids, the hint in each language."""
    submission, zygote = build_submission(tmp_path, bug=bug), Zygote(None, limit_resources)
    try:
        outcomes = grade(submission, zygote=zygote).outcomes
        i18n.use("zh")
        chinese, chinese_hint = grade(submission, zygote=zygote).outcomes, say(hint_for(bug.expect))
        named_hints = [say(o.hint) for o in chinese if not o.passed and bug.expect in (o.mistake, o.check_id)]
    finally:
        i18n.use("en")
        zygote.close()
    verdicts = [(o.check_id, o.status, o.points, o.mistake) for o in outcomes]
    assert [(o.check_id, o.status, o.points, o.mistake) for o in chinese] == verdicts, (
        f"{bug.name}: the grade depends on the language"
    )
    assert chinese_hint != HINTS[bug.expect]
    assert all(hint == chinese_hint for hint in named_hints)
    earned = by_exercise(outcomes)
    report = shown(outcomes)
    elsewhere = {
        number: (earned[number], POINTS[number])
        for number in POINTS
        if number != bug.exercise and earned[number] != POINTS[number]
    }
    assert not elsewhere, f"{bug.name} cost points in other exercises {elsewhere}:\n{report}"
    assert earned[bug.exercise] < POINTS[bug.exercise], f"{bug.name} lost no points in exercise {bug.exercise}"
    named = [
        o for o in outcomes if o.exercise == bug.exercise and not o.passed and bug.expect in (o.mistake, o.check_id)
    ]
    assert named, f"{bug.name}: no failed outcome names {bug.expect}:\n{report}"
    wrong_hints = [o for o in named if say(o.hint) != HINTS[bug.expect]]
    assert not wrong_hints, f"{bug.name}: outcomes naming {bug.expect} show another hint:\n{shown(wrong_hints)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", CORRECT_NAMES)
def test_a_correct_alternative_scores_full_marks(name, tmp_path):
    outcomes = grade(correct_submission(tmp_path, name)).outcomes
    failed = [o for o in outcomes if not o.passed]
    assert not failed, f"{name} lost points:\n{shown(failed)}"
    assert by_exercise(outcomes) == POINTS


@pytest.mark.slow
def test_the_untouched_stubs_score_zero_as_not_implemented():
    outcomes = grade(STUBS).outcomes
    assert {o.check_id for o in outcomes} == set().union(*CHECK_IDS.values())
    assert sum(o.points for o in outcomes) == 0
    odd = [o for o in outcomes if o.status != NOT_IMPLEMENTED or "not implemented yet" not in say(o.message)]
    assert not odd, shown(odd)


@pytest.mark.slow
def test_the_solutions_score_the_full_total():
    outcomes = grade(SOLUTIONS).outcomes
    failed = [o for o in outcomes if not o.passed]
    assert not failed, shown(failed)
    assert sum(o.points for o in outcomes) == sum(POINTS.values())
