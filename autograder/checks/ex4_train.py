"""Exercise 4 checks: the training loop's trajectory, mini-batches, and final accuracy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.checks.compare import (
    Close, Equal, HeldOutAccuracy, Holds, InputsUnchanged, OwnCode, Property, all_of, numbers,
)
from autograder.data import digits_7_vs_9, toy_hours
from autograder.standins import bce_loss


def _loop(*, zero_grad: bool = True, step: bool = True, use_lr: bool = True, use_batch_size: bool = True,
          shuffle: bool = True, item: bool = True) -> Callable:
    """A training loop with one of the classic slips, to recognise it in a student's output."""

    def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
        optimizer = torch.optim.SGD(model.parameters(), lr=lr if use_lr else 0.01)
        if batch_size is None or not use_batch_size:
            batches = [(x, y)]
        else:
            batches = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle)
        history = []
        for _ in range(epochs):
            total = 0.0
            for xb, yb in batches:
                loss = bce_loss(model(xb), yb)
                if zero_grad:
                    optimizer.zero_grad()
                loss.backward()
                if step:
                    optimizer.step()
                total += (loss.item() if item else loss.detach()) * len(xb)
            history.append(total / len(x))
        return history

    return train


NO_ZERO_GRAD = Mistake("train.no_zero_grad", {"train": _loop(zero_grad=False)})
NO_STEP = Mistake("train.no_step", {"train": _loop(step=False)})
IGNORES_LR = Mistake("train.ignores_lr", {"train": _loop(use_lr=False)})
IGNORES_BATCH_SIZE = Mistake("train.ignores_batch_size", {"train": _loop(use_batch_size=False)})
NO_SHUFFLE = Mistake("train.no_shuffle", {"train": _loop(shuffle=False)})
TENSOR_HISTORY = Mistake("train.tensor_history", {"train": _loop(item=False)})
LOOP_MISTAKES = (NO_ZERO_GRAD, NO_STEP, IGNORES_LR)

TOY_EPOCHS, MINI_EPOCHS, DIGITS_EPOCHS = 40, 20, 15


def _toy(epochs: int, lr: float, batch_size: int | None, repeat_seed: int | None = None) -> Probe:
    x, y = toy_hours()
    args = {"x": x, "y": y, "weight": np.array([[0.2]], dtype=np.float32), "bias": np.array([-0.1], dtype=np.float32),
            "epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": 0, "repeat_seed": repeat_seed}
    return Probe("train", "train", args)


def _digits() -> Probe:
    split = digits_7_vs_9()
    features = split.x_train.shape[1]
    args = {"x": split.x_train, "y": split.y_train, "weight": np.zeros((1, features), dtype=np.float32),
            "bias": np.zeros(1, dtype=np.float32), "epochs": DIGITS_EPOCHS, "lr": 0.5, "batch_size": 32, "seed": 0}
    return Probe("train", "train", args, deadline_s=60.0)


FULL_BATCH = _toy(TOY_EPOCHS, 0.5, None)
MINI_BATCH = _toy(MINI_EPOCHS, 0.3, 1, repeat_seed=1)
HISTORY_OF_FLOATS = Holds(lambda r: all(item.get("type") == "float" for item in r["history"].get("items", [])),
                          "the history holds something other than Python floats")


def _losses(result: dict, key: str = "history") -> np.ndarray:
    values = numbers(result.get(key))
    return np.array([]) if values is None else values


LOSS_FALLS = Holds(lambda r: _losses(r).size > 1 and bool(np.isfinite(_losses(r)[-1])) and _losses(r)[-1] < _losses(r)[0],
                   "the loss did not fall from the first epoch to the last")


class Shuffled(Property):
    """Two seeds give two different loss histories, as shuffled mini-batches do."""

    def holds(self, result: dict) -> bool:
        return not Close("history").matches(result, {"history": result.get("repeat_history")})

    def failure(self, got: dict) -> str:
        if not _several_batches(got):
            return "one loss per epoch: with batch_size set there are several mini-batches, in a new order each epoch"
        if np.ptp(_losses(got)) == 0:
            return "the loss never changed, so the order of the mini-batches cannot show"
        return "two seeds gave the same losses: the mini-batches are not shuffled"

    def matches(self, got: dict, other: dict) -> bool:
        return _several_batches(got) and np.ptp(_losses(got)) > 0 and super().matches(got, other)


def _several_batches(result: dict) -> bool:
    return _losses(result).size > 0 and result.get("bce_calls", 0) > _losses(result).size


EXERCISE = Exercise(
    number=4,
    module="ex4_train",
    title="The training loop",
    names=("train",),
    checks=(
        Check("train.returns_history", 2, f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5): the returned history",
              FULL_BATCH, all_of(Equal("history.type", "type"), Equal("history.length", "number of epochs recorded"), HISTORY_OF_FLOATS),
              (TENSOR_HISTORY,)),
        Check("train.full_batch_trajectory", 5, f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5) from w = 0.2, b = -0.1: the loss of each epoch",
              FULL_BATCH, Close("history", rtol=1e-4, atol=1e-6), LOOP_MISTAKES),
        Check("train.final_weights", 2, f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5) from w = 0.2, b = -0.1: the weights after training",
              FULL_BATCH, all_of(Close("weight", rtol=1e-4, atol=1e-6), Close("bias", rtol=1e-4, atol=1e-6)), LOOP_MISTAKES),
        Check("train.contract", 1, "train(model, hours, labels, ...): the loss it calls, and x and y left unchanged",
              FULL_BATCH, all_of(OwnCode(), Holds(lambda r: r.get("bce_calls", 0) > 0,
                                                  "train never called bce_loss (import it: from ex2_bce_loss import bce_loss)"),
                                 InputsUnchanged())),
        Check("train.minibatch_steps", 3, f"train(model, hours, labels, epochs={MINI_EPOCHS}, lr=0.3, batch_size=1): loss evaluations and history length",
              MINI_BATCH, all_of(Equal("bce_calls", "number of mini-batch losses computed"), Equal("history.length", "number of epochs recorded")),
              (IGNORES_BATCH_SIZE,)),
        Check("train.minibatch_shuffled", 1, f"train(model, hours, labels, epochs={MINI_EPOCHS}, lr=0.3, batch_size=1) under two seeds",
              MINI_BATCH, Shuffled(), (NO_SHUFFLE,)),
        Check("train.digits_accuracy", 5, f"train(model, digits, labels, epochs={DIGITS_EPOCHS}, lr=0.5, batch_size=32) on 7 vs 9, then accuracy on held-out digits",
              _digits(), HeldOutAccuracy()),
        Check("train.digits_loss_falls", 1, f"train(model, digits, labels, epochs={DIGITS_EPOCHS}, lr=0.5, batch_size=32): the loss history",
              _digits(), LOSS_FALLS),
    ),
)
