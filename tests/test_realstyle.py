"""Real-style code: the lesson written as people really write it, each submission with its verdict from the contract.

Every folder under tests/corpus/realstyle/ is one submission written here in a style seen in the wild (MOOC
homework with (grads, cost) dicts, tutorial classes, nn.BCELoss and nn.Sigmoid, np.where / np.vectorize /
np.frompyfunc sigmoids, epsilons in logs, clipping, sklearn-like classes, one file holding everything, helper
modules shared between files). Each file opens with the style it imitates and its verdict, reasoned from the
exercise's contract (the docstrings in solutions/), not from what the kit happens to do. CASES below is that
verdict as data; the test grades each submission at two seeds and holds the kit to it:

- a correct submission scores full marks in every exercise it hands in;
- a buggy one loses points in the checks that own its bug (`loses`), and elsewhere only in checks that may see the
  same bug (`may_lose`) or that are gated on one of those (a check's `requires`), and its hint names the bug;
- an exercise whose file is not handed in earns nothing (a helper elsewhere never earns its points).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.grading.grade import grade
from autograder.grading.outcomes import Outcome
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.sandbox.runner import limit_resources
from autograder.sandbox.zygote import Zygote

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parent / "corpus" / "realstyle"
SEEDS = (0, 20240615)  # a fixed seed, and another: a verdict must not hang on one draw of the inputs
CHECKS = {check.id: check for exercise in EXERCISES for check in exercise.checks}
EXERCISE_OF = {check.id: exercise.number for exercise in EXERCISES for check in exercise.checks}
ALL_OF_EX3 = frozenset(check.id for check in EXERCISES[2].checks)


@dataclass(frozen=True)
class Case:
    """The verdict on one submission, from the contract (see the comment block of its files)."""

    name: str
    loses: frozenset[str] = frozenset()  # checks that own the bug: each must lose points
    may_lose: frozenset[str] = frozenset()  # checks that may also see the bug
    mistake: str | None = None  # a known mistake some failed outcome must name
    hint_any: tuple[str, ...] = ()  # a failed owning check's hint holds one of these (the bug, named)
    hint_none: tuple[str, ...] = ()  # no failed outcome's hint holds any of these (names what is not there)
    message_has: tuple[str, ...] = ()  # every failed owning check's message holds each of these
    message_lacks: tuple[str, ...] = ()  # no failed outcome's message holds any of these

    @property
    def correct(self) -> bool:
        return not self.loses


def _s(*ids: str) -> frozenset[str]:
    return frozenset(ids)


CASES: tuple[Case, ...] = (
    # Correct: full marks in every exercise handed in.
    Case("tutorial_full_set"),
    Case("one_file_script"),
    Case("clamp88_and_np_where"),
    Case("np_vectorize_math"),
    Case("np_frompyfunc_cast"),
    Case("mooc_np_dict_grads"),
    Case("mooc_np_numpy_scalar_cost"),
    Case("sklearn_style_numpy"),
    Case("np_logaddexp_sigmoid"),
    Case("bce_log1p_clamp"),
    Case("bce_module_instance"),
    Case("model_import_module"),
    Case("predict_where_inference"),
    Case("predict_numpy_metrics"),
    Case("helpers_shared_module"),
    # Buggy: points lost only where the bug is owned, with a hint that names it.
    Case(
        "sigmoid_abs_where_grad0",
        loses=_s("sigmoid.gradient"),
        hint_any=("z = 0", "|z|", "abs"),
    ),
    Case(
        "sigmoid_clip500",
        loses=_s("sigmoid.gradient_extreme"),
        hint_any=("float32", "overflow"),
        hint_none=("torch.where",),
    ),
    Case("sigmoid_nn_module", loses=_s("sigmoid.own_code"), hint_any=("nn.Sigmoid",)),
    Case(
        "model_renamed_class",
        loses=ALL_OF_EX3,
        message_has=("LogisticRegressionModel",),
        message_lacks=("did you mean `LogisticRegression`",),
    ),
    Case(
        "model_nn_sigmoid",
        loses=_s("model.uses_own_sigmoid"),
        hint_any=("own sigmoid", "from ex1_sigmoid import sigmoid"),
    ),
    Case(
        "bce_unreduced",
        loses=_s(
            "bce.fixed_values",
            "bce.random_float32",
            "bce.soft_labels_float64",
            "bce.zero_dim",
            "bce.extreme_probabilities",
            "bce.extreme_probabilities_float64",
            "bce.gradient",
        ),
        hint_any=("reduce", "per element", "one loss per", "0-dim"),
        hint_none=("is the sum",),
    ),
    Case(
        "bce_clamp_1e15_float32",
        loses=_s("bce.extreme_probabilities", "bce.extreme_probabilities_float64"),
        hint_any=("float32",),
    ),
    Case("bce_nn_bceloss", loses=_s("bce.own_code"), hint_any=("BCELoss",)),
    Case(
        "bce_epsilon_in_log",
        loses=_s("bce.extreme_probabilities", "bce.extreme_probabilities_float64"),
        hint_any=("eps", "epsilon"),
    ),
    Case(
        "np_epsilon_in_log",
        loses=_s("np.loss_extremes", "np.loss_extremes_float32"),
        hint_any=("eps", "epsilon"),
    ),
    Case(
        "np_frompyfunc_object",
        loses=_s("np.sigmoid_dtype"),
        hint_any=("dtype",),
        message_lacks=("nan",),
    ),
    Case("np_vectorize_float64", loses=_s("np.sigmoid_dtype"), hint_any=("dtype",)),
    Case("np_sigmoid_helper_no_ex1"),
    Case(
        "np_clip500_float32_warning",
        loses=_s("np.sigmoid_extremes_float32"),
        hint_any=("float32", "overflow"),
    ),
    Case("mooc_np_dw_no_mean", loses=_s("np.grad_values", "np.grad_finite_differences"), hint_any=("/ N", "mean")),
    Case(
        "mooc_np_cost_sign",
        loses=_s("np.loss_values", "np.loss_extremes", "np.loss_extremes_float32"),
        mistake="np.loss_sign_flipped",
    ),
    Case(
        "train_adam",
        loses=_s("train.full_batch_trajectory", "train.final_weights", "train.minibatch_steps"),
        hint_any=("Adam",),
    ),
    Case(
        "train_no_zero_grad",
        loses=_s("train.full_batch_trajectory", "train.final_weights", "train.minibatch_steps"),
        mistake="train.no_zero_grad",
    ),
    Case(
        "predict_strict_gt",
        loses=_s("predict.default_threshold"),
        may_lose=_s("predict.custom_threshold"),
        hint_any=(">=", "at least", "reaches"),
    ),
    Case(
        "predict_flat_shape",
        loses=_s("predict.float_labels"),
        hint_any=("shape",),
        hint_none=("threshold argument",),
    ),
)


def handed_in(folder: Path) -> set[int]:
    """The exercises a submission hands in: its exercise files, or all of them for one file holding everything."""
    numbers = {int(m.group(1)) for path in folder.glob("*.py") if (m := re.match(r"ex(\d)_", path.name))}
    return numbers or {exercise.number for exercise in EXERCISES}


def gated_by(check_id: str) -> set[str]:
    """The checks check_id requires, directly or through others."""
    found, requires = set(), CHECKS[check_id].requires
    while requires and requires not in found:
        found.add(requires)
        requires = CHECKS[requires].requires
    return found


def shown(outcomes: list[Outcome]) -> str:
    return "\n".join(
        f"  {o.check_id}: {o.status} {o.points:g}/{o.max_points:g} mistake={o.mistake} | {say(o.message)} "
        f"| hint: {say(o.hint)}"
        for o in outcomes
    )


def problems(case: Case, folder: Path, outcomes: list[Outcome]) -> Iterator[str]:
    """Every way the graded outcomes depart from the case's verdict."""
    mine = handed_in(folder)
    for number in sorted({o.exercise for o in outcomes} - mine):
        earned = sum(o.points for o in outcomes if o.exercise == number)
        if earned:
            yield f"exercise {number} was not handed in but earned {earned:g} points"
    graded = [o for o in outcomes if o.exercise in mine]
    lost = [o for o in graded if o.points < o.max_points]
    lost_ids = {o.check_id for o in lost}
    for missing in sorted(case.loses - lost_ids):
        yield f"{missing} should lose points and did not"
    owned = case.loses | case.may_lose
    for extra in sorted(lost_ids - owned):
        if not gated_by(extra) & owned:
            yield f"{extra} lost points, but it neither owns the bug nor is gated on a check that does"
    owning = [o for o in lost if o.check_id in case.loses]
    if case.hint_any and not any(word in say(o.hint) for o in owning for word in case.hint_any):
        yield f"no owning check's hint names the bug (any of {case.hint_any})"
    for o in lost:
        for word in case.hint_none:
            if word in say(o.hint):
                yield f"{o.check_id}'s hint names {word!r}, which the code does not have"
        for word in case.message_lacks:
            if word in say(o.message):
                yield f"{o.check_id}'s message says {word!r}"
    for o in owning:
        for word in case.message_has:
            if word not in say(o.message):
                yield f"{o.check_id}'s message does not name {word!r}"
    if case.mistake and not any(o.mistake == case.mistake for o in lost):
        yield f"no outcome names the known mistake {case.mistake}"


def test_the_corpus_is_large_mixed_and_every_folder_has_a_verdict():
    folders = sorted(path.name for path in CORPUS.iterdir() if path.is_dir() and not path.name.startswith("__"))
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert sorted(names) == folders, "every folder needs a Case, and every Case a folder"
    assert len(CASES) >= 30
    assert sum(case.correct for case in CASES) >= 10 and sum(not case.correct for case in CASES) >= 10
    for case in CASES:
        assert case.loses | case.may_lose <= set(CHECKS), case.name
        for path in (CORPUS / case.name).glob("*.py"):
            head = path.read_text().splitlines()[:12]
            assert head[0].startswith("# Style:"), f"{case.name}/{path.name}: the first line says the style"
            assert any(line.startswith("# Expected:") for line in head), f"{case.name}/{path.name}: no verdict"


@pytest.fixture(scope="module")
def zygote():
    shared = Zygote(None, limit_resources)
    yield shared
    shared.close()


def _params() -> Iterator:
    for case in CASES:
        for seed in SEEDS:
            yield pytest.param(case, seed, id=f"{case.name}-seed{seed}")


@pytest.mark.parametrize(("case", "seed"), _params())
def test_a_real_style_submission_gets_the_verdict_its_contract_gives(case, seed, zygote):
    folder = CORPUS / case.name
    outcomes = grade(folder, seed=seed, zygote=zygote).outcomes
    found = list(problems(case, folder, outcomes))
    departed = [o for o in outcomes if o.exercise in handed_in(folder) and o.points < o.max_points]
    assert not found, "\n".join([*found, "lost points:", shown(departed) or "  none"])
