"""A wrong answer costs exactly the points of the checks it fails, with a message about the student's code.

Each test is one of the ordinary answers that once crashed the grader, cost too much, paid
too much, or got a misleading message. They run in this process (see harness.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from harness import by_id, grade_functions

from autograder.grading.outcomes import ERROR, FAILED, NOT_IMPLEMENTED, PASSED
from autograder.i18n.messages import say, say_all
from autograder.lesson import EXERCISES, hints
from autograder.lesson.reference import reference

REF = reference()
sigmoid, bce_loss = (
    REF["sigmoid"],
    REF["bce_loss"],
)  # looked up by name, as a student's module does (the grader stands in)


def lost(outcomes) -> dict[str, float]:
    """Check id -> points lost, for the checks that lost any."""
    return {o.check_id: o.max_points - o.points for o in outcomes if o.points < o.max_points}


def test_the_reference_functions_pass_every_check_in_process():
    assert not lost(grade_functions({}))


def test_an_accuracy_that_returns_a_bool_is_graded_without_a_crash():
    outcomes = by_id(grade_functions({"accuracy": lambda labels, y_true: bool((labels == y_true).all())}, exercise=5))
    assert outcomes["accuracy.values"].status == FAILED and "`accuracy` returned the bool False" in say(
        outcomes["accuracy.values"].message
    )
    assert outcomes["accuracy.python_float"].points == 0


def test_a_gradient_returned_as_a_one_element_tuple_is_graded_without_a_crash():
    outcomes = grade_functions({"bce_grad_np": lambda w, b, X, y: (REF["bce_grad_np"](w, b, X, y)[0],)}, exercise=6)
    assert {o.check_id for o in outcomes} == {check.id for check in EXERCISES[5].checks}
    assert set(lost(outcomes)) == {
        "np.grad_values",
        "np.grad_finite_differences",
        "np.grad_shapes",
        "np.inputs_unchanged",
    }


@pytest.mark.parametrize(
    "boundary",
    [lambda model: -model.linear.bias / model.linear.weight, lambda model: (REF["decision_boundary"](model),)],
    ids=["tensor", "tuple"],
)
def test_a_decision_boundary_that_is_not_a_float_loses_the_type_check_only(boundary):
    assert lost(grade_functions({"decision_boundary": boundary}, exercise=5)) == {"boundary.python_float": 1}


def test_a_forward_that_casts_to_float32_loses_only_the_float64_gradcheck():
    class CastingModel(REF["LogisticRegression"]):
        def forward(self, x):
            return super().forward(x.float())

    outcomes = grade_functions({"LogisticRegression": CastingModel}, exercise=3)
    assert lost(outcomes) == {"model.gradcheck": 1}
    gradcheck = by_id(outcomes)["model.gradcheck"]
    assert (
        gradcheck.status == ERROR
        and "RuntimeError" in say(gradcheck.message)
        and say(gradcheck.hint) == hints.HINTS["model.gradcheck"]
    )


def test_a_wrong_gradient_costs_its_own_checks_and_not_fit_np():
    doubled = lambda w, b, X, y: tuple(2 * g for g in REF["bce_grad_np"](w, b, X, y))  # noqa: E731
    assert set(lost(grade_functions({"bce_grad_np": doubled}, exercise=6))) == {
        "np.grad_values",
        "np.grad_finite_differences",
        "np.grad_shapes",
        "np.inputs_unchanged",
    }


def test_functions_that_do_nothing_score_zero():
    class Nothing(torch.nn.Module):
        def __init__(self, in_features: int = 1):
            super().__init__()

        def forward(self, x):
            pass

    nothing = lambda *args, **kwargs: None  # noqa: E731
    names = {name: nothing for exercise in EXERCISES for name in exercise.names}
    outcomes = grade_functions({**names, "LogisticRegression": Nothing})
    assert sum(o.points for o in outcomes) == 0
    weights = {
        "train.final_weights",
        "train.digits_accuracy",
    }  # these look at the model after train, not at what it returns
    returned = [o for o in outcomes if o.exercise != 3 and o.check_id not in weights]
    assert all("returned None" in say(o.message) for o in returned), [
        say(o.message) for o in returned if "returned None" not in say(o.message)
    ]
    assert all("`train`" in say(o.message) for o in outcomes if o.check_id in weights)


def test_only_the_templates_own_raise_is_not_implemented():
    def stub(z):
        raise NotImplementedError("Exercise 1: replace this line with your code")

    def meta(z):
        return torch.empty_like(z, device="meta").cpu()  # torch raises NotImplementedError: no data to copy

    assert {o.status for o in grade_functions({"sigmoid": stub}, exercise=1)} == {NOT_IMPLEMENTED}
    outcomes = grade_functions({"sigmoid": meta}, exercise=1)
    assert NOT_IMPLEMENTED not in {o.status for o in outcomes}
    assert "`sigmoid` raised NotImplementedError" in say(outcomes[0].message)


def test_a_misspelt_forward_is_not_called_not_implemented():
    class Misspelt(torch.nn.Module):
        def __init__(self, in_features: int = 1):
            super().__init__()
            self.linear = torch.nn.Linear(in_features, 1)

        def foward(self, x):
            return torch.sigmoid(self.linear(x))

    outcomes = by_id(grade_functions({"LogisticRegression": Misspelt}, exercise=3))
    forward = outcomes["model.forward_values"]
    assert forward.status == ERROR and "forward" in say(forward.message) and say(forward.hint) == hints.MISSING_FORWARD
    assert outcomes["model.linear_layer"].passed  # __init__ is right, and that is what this check looks at


def test_a_forgotten_return_is_said_once_as_such():
    def sigmoid(z):
        REF["sigmoid"](z)

    outcomes = grade_functions({"sigmoid": sigmoid}, exercise=1)
    assert all(o.points == 0 for o in outcomes)
    assert all(
        say(o.message) == "`sigmoid` returned None" and say(o.hint) == hints.RETURNED_NONE and o.mistake is None
        for o in outcomes
        if o.check_id != "sigmoid.gradcheck"
    )
    assert not any("nan or inf" in say(o.message) or "the out" in say(o.message) for o in outcomes)


def test_a_history_of_numpy_floats_is_not_told_it_holds_tensors():
    def train(model, x, y, **kwargs):  # np.float32 is no Python float (np.float64, a float subclass, would pass)
        return [np.float32(loss) for loss in REF["train"](model, x, y, **kwargs)]

    history = by_id(grade_functions({"train": train}, exercise=4, select=lambda e, c: c.id == "train.returns_history"))
    outcome = history["train.returns_history"]
    assert outcome.status == FAILED and outcome.mistake is None and "float32" in say(outcome.message)
    assert say(outcome.hint) == hints.HINTS["train.returns_history"]


def test_a_sigmoid_that_returns_float64_for_float32_loses_the_dtype_check():
    outcomes = by_id(grade_functions({"sigmoid": lambda z: REF["sigmoid"](z.double())}, exercise=1))
    assert outcomes["sigmoid.shape_dtype"].status == FAILED
    assert "for a float32 z of shape (7,)" in say(outcomes["sigmoid.shape_dtype"].message)


@pytest.mark.parametrize(
    "epoch_loss, mistake",
    [
        ("mean of batches", "train.batch_means_averaged"),
        ("sum of batches", "train.batch_means_summed"),
        ("last batch", "train.last_batch_loss"),
    ],
)
def test_each_way_to_misreport_the_epoch_loss_is_named(epoch_loss, mistake):
    def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        history = []
        for _ in range(epochs):
            order = torch.randperm(len(x))
            size = batch_size or len(x)
            losses = []
            for start in range(0, len(x), size):
                batch = order[start : start + size]
                loss = REF["bce_loss"](model(x[batch]), y[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            history.append(
                {"mean of batches": sum(losses) / len(losses), "sum of batches": sum(losses), "last batch": losses[-1]}[
                    epoch_loss
                ]
            )
        return history

    outcome = by_id(grade_functions({"train": train}, exercise=4))["train.epoch_mean_loss"]
    assert outcome.status == FAILED and outcome.mistake == mistake


def test_contract_checks_pay_only_with_a_right_answer():
    def sigmoid(z):
        return torch.zeros_like(z)  # well-formed, unchanged input, no built-in: still wrong

    outcomes = by_id(grade_functions({"sigmoid": sigmoid}, exercise=1))
    for check_id in ("sigmoid.shape_dtype", "sigmoid.input_unchanged", "sigmoid.own_code"):
        assert outcomes[check_id].points == 0 and "not counted until sigmoid.fixed_values passes" in say(
            outcomes[check_id].message
        )
    assert outcomes["sigmoid.fixed_values"].status == FAILED


def test_a_shape_check_that_raises_for_everything_earns_nothing():
    def bce_loss(y_pred, y_true):
        raise ValueError("bad shape")

    assert sum(o.points for o in grade_functions({"bce_loss": bce_loss}, exercise=2)) == 0


def test_messages_never_leak_internal_keys():
    outcomes = grade_functions(
        {"sigmoid": lambda z: 1 / (1 + torch.exp(-z)), "bce_loss": lambda p, y: torch.tensor(float("nan"))}
    )
    for o in outcomes:
        assert " the out " not in f" {say(o.message)} " and "the grad " not in say(o.message), say(o.message)
    assert all(o.status == PASSED or say(o.message) for o in outcomes)


class _Layered(torch.nn.Module):
    """A model whose __init__ builds its layer the way `make_layer` says."""

    make_layer = staticmethod(lambda in_features: torch.nn.Linear(in_features, 1))

    def __init__(self, in_features: int = 1):
        super().__init__()
        self.linear = self.make_layer(in_features)

    def forward(self, x):
        return sigmoid(self.linear(x))


def test_a_layer_copied_from_the_lecture_costs_only_the_layer_check():
    class LectureModel(_Layered):
        make_layer = staticmethod(lambda in_features: torch.nn.Linear(1, 1))

    outcomes = grade_functions({"LogisticRegression": LectureModel}, exercise=3)
    assert lost(outcomes) == {"model.linear_layer": 2}
    assert "(1, 1); expected (3, 1)" in say(by_id(outcomes)["model.linear_layer"].message)


def test_a_layer_with_another_name_costs_only_the_layer_check():
    class Renamed(torch.nn.Module):
        def __init__(self, in_features: int = 1):
            super().__init__()
            self.fc = torch.nn.Linear(in_features, 1)

        def forward(self, x):
            return sigmoid(self.fc(x))

    assert lost(grade_functions({"LogisticRegression": Renamed}, exercise=3)) == {
        "model.linear_layer": 2,
        "model.default_in_features": 1,
    }


def test_an_init_that_raises_is_blamed_on_the_class_not_on_forward():
    class Broken(torch.nn.Module):
        def __init__(self, in_features: int = 1):
            self.linear = torch.nn.Linear(in_features, 1)  # before super().__init__()

    outcomes = grade_functions({"LogisticRegression": Broken}, exercise=3)
    assert all(
        o.status == ERROR and say(o.message).startswith("`LogisticRegression` raised AttributeError") for o in outcomes
    )


def test_a_loss_returned_as_a_python_float_loses_the_form_and_gradient_checks_only():
    outcomes = grade_functions({"bce_loss": lambda p, y: REF["bce_loss"](p, y).item()}, exercise=2)
    assert set(lost(outcomes)) == {"bce.zero_dim", "bce.gradient", "bce.gradcheck"}
    assert "`bce_loss` returned the float" in say(by_id(outcomes)["bce.gradient"].message)


def test_a_history_with_one_loss_per_batch_costs_the_epoch_mean_only():
    def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        history = []
        for _ in range(epochs):
            for xb, yb in torch.utils.data.DataLoader(
                torch.utils.data.TensorDataset(x, y), batch_size=batch_size or len(x), shuffle=True
            ):
                loss = bce_loss(model(xb), yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                history.append(loss.item())
        return history

    assert lost(grade_functions({"train": train}, exercise=4, select=lambda e, c: "digits" not in c.id)) == {
        "train.epoch_mean_loss": 2
    }


@pytest.mark.slow
@pytest.mark.parametrize("module, number", [("ex1_sigmoid", 1), ("ex3_model", 3)])
def test_a_single_exercise_file_is_graded_for_its_own_exercise(tmp_path, module, number):
    from pathlib import Path

    from autograder.grading.grade import grade

    file = tmp_path / f"{module}.py"
    file.write_text((Path(__file__).resolve().parents[1] / "solutions" / f"{module}.py").read_text())
    result = grade(file)  # ex3_model.py imports ex1_sigmoid, which is not there: the grader's stand-in serves
    assert result.exercises == (number,)
    assert all(o.passed for o in result.outcomes) and result.total == (EXERCISES[number - 1].points,) * 2
    assert f"{module}.py holds exercise {number}: only its checks are graded" in say_all(result.notes)


def test_an_epsilon_inside_the_log_costs_only_the_extreme_check():
    def bce_loss(y_pred, y_true):
        if y_pred.shape != y_true.shape:
            raise ValueError("shapes differ")
        return -(y_true * torch.log(y_pred + 1e-8) + (1 - y_true) * torch.log(1 - y_pred + 1e-8)).mean()

    assert lost(grade_functions({"bce_loss": bce_loss}, exercise=2)) == {
        "bce.extreme_probabilities": 2,
        "bce.extreme_probabilities_float64": 1,
    }


def test_a_loop_built_on_nn_bceloss_loses_only_the_contract():
    def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
        criterion, optimizer, history = torch.nn.BCELoss(), torch.optim.SGD(model.parameters(), lr=lr), []
        for _ in range(epochs):
            total = 0.0
            for xb, yb in torch.utils.data.DataLoader(
                torch.utils.data.TensorDataset(x, y), batch_size=batch_size or len(x), shuffle=True
            ):
                loss = criterion(model(xb), yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += loss.item() * len(xb)
            history.append(total / len(x))
        return history

    assert lost(grade_functions({"train": train}, exercise=4, select=lambda e, c: "digits" not in c.id)) == {
        "train.contract": 1
    }
