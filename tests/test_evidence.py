"""Hints that rest on evidence (issue 15): a hint naming a construct is shown only when the source of the graded
function's file has it, or the output matched the known mistake it is about; else the symptom is described."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from autograder.checks.base import Mistake
from autograder.grading.evidence import constructs
from autograder.grading.judge import judge, trusted_result
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES, hints
from autograder.lesson.declarations.ex4_train import _loop

CHECKS = {check.id: (exercise, check) for exercise in EXERCISES for check in exercise.checks}
SEED = 7


def _where_naive(z: torch.Tensor) -> torch.Tensor:
    """Right values, but torch.where differentiates both branches: nan gradients at large |z|."""
    return torch.where(z >= 0, 1 / (1 + torch.exp(-z)), torch.exp(z) / (1 + torch.exp(z)))


def _unreduced(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return -(y * torch.log(p).clamp(min=-100) + (1 - y) * torch.log(1 - p).clamp(min=-100))


def _clamped_1e15(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    p = p.clamp(1e-15, 1 - 1e-15)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def graded(check_id: str, wrong: Mistake, seen: frozenset[str] | None):
    """The outcome of check_id for the output of the function wrong stands for, with seen as the source's constructs."""
    exercise, check = CHECKS[check_id]
    probe = check.probe_for(SEED)
    return judge(check, exercise, probe, trusted_result(probe, wrong), None, seen)


def test_the_source_read_finds_names_attributes_imports_keywords_and_numbers(tmp_path: Path):
    path = tmp_path / "ex4_train.py"
    path.write_text(
        "from torch.optim import Adam as A\nimport torch\n"
        "def f(m, x, threshold=0.5):\n"
        "    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)\n"
        "    return torch.where(x > 0, x, x).sum()\n"
    )
    seen = constructs(path)
    assert seen is not None
    assert {"Adam", "A", "SGD", "momentum", "where", "sum", "0.5", "0.9", "threshold"} <= seen
    (tmp_path / "broken.py").write_text("def f(:\n")
    assert constructs(tmp_path / "broken.py") is None  # unreadable: nothing held back


def test_the_torch_where_hint_needs_torch_where_in_the_source():
    wrong = Mistake("test.where_naive", {"sigmoid": _where_naive})
    without = graded("sigmoid.gradient_extreme", wrong, frozenset({"torch", "clamp", "exp"}))
    with_where = graded("sigmoid.gradient_extreme", wrong, frozenset({"torch", "where", "exp"}))
    assert not without.passed and not with_where.passed
    assert "torch.where" not in say(without.hint)
    assert say(without.hint) == hints.SYMPTOMS["sigmoid.gradient_extreme"]
    assert "float32" in say(without.hint) and "overflow" in say(without.hint)
    assert say(with_where.hint) == hints.HINTS["sigmoid.gradient_extreme"] and "torch.where" in say(with_where.hint)
    assert say(graded("sigmoid.gradient_extreme", wrong, None).hint) == hints.HINTS["sigmoid.gradient_extreme"]


def test_an_unreduced_loss_is_not_called_a_sum_unless_the_source_sums():
    wrong = Mistake("test.unreduced", {"bce_loss": _unreduced})
    unreduced = graded("bce.gradient", wrong, frozenset({"torch", "log", "clamp"}))
    assert unreduced.mistake == "bce.unreduced" and "is the sum" not in say(unreduced.hint)
    summed = graded("bce.gradient", wrong, frozenset({"torch", "log", "clamp", "sum"}))  # the same gradient
    assert summed.mistake == "bce.summed"
    assert graded("bce.fixed_values", wrong, frozenset({"sum"})).mistake == "bce.unreduced"  # its form shows


def test_a_clamp_that_rounds_to_one_in_float32_is_named_only_where_the_source_clamps():
    wrong = Mistake("test.clamped_1e15", {"bce_loss": _clamped_1e15})
    clamped = graded("bce.extreme_probabilities", wrong, frozenset({"torch", "clamp", "log", "mean"}))
    assert clamped.mistake == "bce.clamp_rounds_to_one" and "float32" in say(clamped.hint)
    unclamped = graded("bce.extreme_probabilities", wrong, frozenset({"torch", "log", "mean"}))
    assert unclamped.mistake == "bce.unclamped"


@pytest.mark.parametrize(
    ("optimiser", "momentum", "expected"),
    [("Adam", 0.0, "train.adam"), ("SGD", 0.9, "train.momentum")],
)
def test_another_optimiser_is_named_by_its_output(optimiser, momentum, expected):
    wrong = Mistake(f"test.{expected}", {"train": _loop(optimiser=optimiser, momentum=momentum)})
    for check_id in ("train.full_batch_trajectory", "train.final_weights"):
        outcome = graded(check_id, wrong, frozenset())  # the output alone is evidence enough
        assert outcome.mistake == expected and say(outcome.hint) == hints.HINTS[expected]


def test_an_optimiser_whose_output_matches_no_mistake_is_named_on_the_source_alone():
    wrong = Mistake("test.momentum_half", {"train": _loop(momentum=0.5)})
    named = graded("train.full_batch_trajectory", wrong, frozenset({"torch", "SGD", "momentum"}))
    assert named.mistake == "train.momentum"
    plain = graded("train.full_batch_trajectory", wrong, frozenset({"torch", "SGD"}))
    assert plain.mistake is None and "momentum" not in say(plain.hint)


def test_every_construct_naming_check_hint_has_a_symptom_and_every_named_id_exists():
    check_ids = set(CHECKS)
    mistake_ids = {mistake.id for _, check in CHECKS.values() for mistake in check.mistakes}
    assert set(hints.NAMED) <= check_ids | mistake_ids
    assert {key for key in hints.NAMED if key in check_ids} <= set(hints.SYMPTOMS)
    assert hints.ON_SOURCE_ALONE.issubset(set(hints.NAMED) & mistake_ids)
