"""Exercise 4 checks: the training loop's trajectory, mini-batches, and final accuracy."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.checks.compare import CameThrough, Close, SameForm, all_of
from autograder.checks.properties import InputsUnchanged, ItemsOfType, LossFalls, OwnCode, Shuffled
from autograder.checks.recognisers import EpochOfBatchLosses
from autograder.i18n import N_
from autograder.lesson.data import digits_7_vs_9
from autograder.lesson.declarations.held_out import HeldOutAccuracy
from autograder.sandboxed.standins import bce_loss


def _loop(
    *,
    zero_grad: bool = True,
    step: bool = True,
    use_lr: bool = True,
    use_batch_size: bool = True,
    shuffle: bool = True,
    item: bool = True,
    epoch_loss: str = "weighted mean",
    optimiser: str = "SGD",
    momentum: float = 0.0,
) -> Callable:
    """A training loop with one of the classic slips, to recognise it in a student's output.

    epoch_loss: what each epoch records, "weighted mean" over the examples (right), "mean of batch
    means", "sum of batch means" or "last batch". optimiser: the torch.optim class, with momentum when not 0.
    """

    def train(model, x, y, *, epochs=1000, lr=0.01, batch_size=None):
        extra = {"momentum": momentum} if momentum else {}
        optimizer = getattr(torch.optim, optimiser)(model.parameters(), lr=lr if use_lr else 0.01, **extra)
        batches: Iterable[tuple[torch.Tensor, ...]]
        if batch_size is None or not use_batch_size:
            batches = [(x, y)]
        else:
            batches = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle)
        history = []
        for _ in range(epochs):
            losses, sizes = [], []
            for xb, yb in batches:
                loss = bce_loss(model(xb), yb)
                if zero_grad:
                    optimizer.zero_grad()
                loss.backward()
                if step:
                    optimizer.step()
                losses.append(loss.item() if item else loss.detach())
                sizes.append(len(xb))
            history.append(
                {
                    "weighted mean": sum(loss * size for loss, size in zip(losses, sizes, strict=True)) / len(x),
                    "mean of batch means": sum(losses) / len(losses),
                    "sum of batch means": sum(losses),
                    "last batch": losses[-1],
                }[epoch_loss]
            )
        return history

    return train


NO_ZERO_GRAD = Mistake("train.no_zero_grad", {"train": _loop(zero_grad=False)})
NO_STEP = Mistake("train.no_step", {"train": _loop(step=False)})
IGNORES_LR = Mistake("train.ignores_lr", {"train": _loop(use_lr=False)})
IGNORES_BATCH_SIZE = Mistake("train.ignores_batch_size", {"train": _loop(use_batch_size=False)})
NO_SHUFFLE = Mistake("train.no_shuffle", {"train": _loop(shuffle=False)})
TENSOR_HISTORY = Mistake("train.tensor_history", {"train": _loop(item=False)})
ADAM = Mistake("train.adam", {"train": _loop(optimiser="Adam")})
MOMENTUM = Mistake("train.momentum", {"train": _loop(momentum=0.9)})  # other momenta: named on the source alone
LOOP_MISTAKES = (NO_ZERO_GRAD, NO_STEP, IGNORES_LR, ADAM, MOMENTUM)

TOY_EPOCHS, MINI_EPOCHS, DIGITS_EPOCHS, FROZEN_EPOCHS, STEP_EPOCHS = 40, 20, 15, 4, 5


def _toy_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The toy set's kind with drawn values: 3 hours studied, sorted, from 0.5 to 5; fail, fail, pass."""
    x = np.sort(rng.uniform(0.5, 5, size=(3, 1)), axis=0).astype(np.float32)
    return x, np.array([[0.0], [0.0], [1.0]], dtype=np.float32)


def _toy(
    epochs: int,
    lr: float,
    batch_size: int | None,
    repeat_seed: int | None = None,
    start: tuple[float, float] | None = None,
) -> Callable[[np.random.Generator], Probe]:
    """Training on the toy set's kind, from the weights start (w, b), else from drawn ones near 0."""

    def draw(rng: np.random.Generator) -> Probe:
        x, y = _toy_data(rng)
        weight, bias = start if start is not None else (rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))
        args = {
            "x": x,
            "y": y,
            "weight": np.array([[weight]], dtype=np.float32),
            "bias": np.array([bias], dtype=np.float32),
            "epochs": epochs,
            "lr": lr,
            "batch_size": batch_size,
            "seed": int(rng.integers(2**31)),
            "repeat_seed": None if repeat_seed is None else int(rng.integers(2**31)),
        }
        return Probe("train", "train", args)

    return draw


def _digits(rng: np.random.Generator, batch_size: int | None = 32) -> Probe:
    """The digits, from small drawn weights, mini-batches shuffled under a drawn seed (or the full batch)."""
    split = digits_7_vs_9()
    features = split.x_train.shape[1]
    args = {
        "x": split.x_train,
        "y": split.y_train,
        "weight": rng.normal(0, 0.01, size=(1, features)).astype(np.float32),
        "bias": np.zeros(1, dtype=np.float32),
        "epochs": DIGITS_EPOCHS,
        "lr": 0.5,
        "batch_size": batch_size,
        "seed": int(rng.integers(2**31)),
    }
    return Probe("train", "train", args, deadline_s=60.0)


def _digits_full_batch(rng: np.random.Generator) -> Probe:
    return _digits(rng, batch_size=None)


FULL_BATCH = _toy(TOY_EPOCHS, 0.5, None)


def _marked_full_batch(rng: np.random.Generator) -> Probe:
    """Full-batch training with a secretly marked stand-in for bce_loss:
    the trajectory shows whether train called it."""
    probe = FULL_BATCH(rng)
    return Probe("train", "train", {**probe.args, "mark": float(rng.uniform(0.5, 1.5))})


MINI_BATCH = _toy(MINI_EPOCHS, 0.3, 1, repeat_seed=1)
# lr = 0 keeps the weights fixed, so every epoch's mean loss over the examples is the same number,
# whatever the order of the mini-batches (2 + 1 examples for batch_size=2): averaging the two batch
# means, summing them or keeping the last one each gives something else.
FROZEN_MINI_BATCH = _toy(FROZEN_EPOCHS, 0.0, 2)
# From w = 0 (b = -1) with a tiny lr, the weight after training is, to first order, lr times the summed
# gradients of all the steps taken, whatever their order: one step per example and epoch moves it
# three times as far as one step per epoch. The weight shows how many steps were taken.
TINY_STEPS = _toy(STEP_EPOCHS, 1e-3, 1, start=(0.0, -1.0))
# The loss history on the digits, one float per epoch, falling (mini-batches: their order is the loop's own).
DIGITS_TRAJECTORY = all_of(SameForm("history", ("type", "length")), LossFalls())
# Full-batch training is deterministic: the held-out weights count only when the same call's losses and weights
# are the ones the loop's own steps reach (not weights from elsewhere, or a fit that is not a loop).
OWN_STEPS = all_of(
    Close("history", rtol=1e-4, atol=1e-6), Close("weight", rtol=1e-3, atol=1e-5), Close("bias", rtol=1e-3, atol=1e-5)
)


BATCH_MEANS_AVERAGED = Mistake("train.batch_means_averaged", recognise=EpochOfBatchLosses("mean"))
BATCH_MEANS_SUMMED = Mistake("train.batch_means_summed", recognise=EpochOfBatchLosses("sum"))
LAST_BATCH = Mistake("train.last_batch_loss", recognise=EpochOfBatchLosses("last"))
HISTORY_FORM = all_of(
    SameForm("history", ("type", "length")),
    ItemsOfType("history", "float", N_("one Python float per epoch (loss.item())")),
)


EXERCISE = Exercise(
    number=4,
    module="ex4_train",
    title="The training loop",
    names=("train",),
    checks=(
        Check(
            "train.returns_history",
            2,
            f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5): the returned history",
            FULL_BATCH,
            HISTORY_FORM,
            (TENSOR_HISTORY,),
            requires="train.full_batch_trajectory",
            draws_as="train.full_batch_trajectory",
        ),
        Check(
            "train.full_batch_trajectory",
            4,
            f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5) from random w, b: the loss of each epoch",
            FULL_BATCH,
            Close("history", rtol=1e-4, atol=1e-6),
            LOOP_MISTAKES,
        ),
        Check(
            "train.final_weights",
            2,
            f"train(model, hours, labels, epochs={TOY_EPOCHS}, lr=0.5) from random w, b: the weights after training",
            FULL_BATCH,
            all_of(Close("weight", rtol=1e-4, atol=1e-6), Close("bias", rtol=1e-4, atol=1e-6)),
            LOOP_MISTAKES,
            draws_as="train.full_batch_trajectory",
        ),
        Check(
            "train.contract",
            1,
            "train(model, hours, labels, ...): the loss it calls, and x and y left unchanged",
            _marked_full_batch,
            all_of(
                OwnCode(), CameThrough("history", rtol=1e-4, atol=1e-6, via="bce_loss"), InputsUnchanged(again=False)
            ),
            requires="train.full_batch_trajectory",
        ),
        Check(
            "train.epoch_mean_loss",
            2,
            f"train(model, hours, labels, epochs={FROZEN_EPOCHS}, lr=0, batch_size=2): "
            "each epoch's loss, with the weights held still",
            FROZEN_MINI_BATCH,
            Close("history", rtol=1e-5, atol=1e-7),
            (BATCH_MEANS_AVERAGED, BATCH_MEANS_SUMMED, LAST_BATCH),
        ),
        Check(
            "train.minibatch_steps",
            2,
            f"train(model, hours, labels, epochs={STEP_EPOCHS}, lr=0.001, batch_size=1) from w = 0, b = -1: "
            "how far the steps moved the weight",
            TINY_STEPS,
            Close("weight", rtol=2e-2, atol=1e-7),
            (IGNORES_BATCH_SIZE,),
            requires="train.full_batch_trajectory",
        ),
        Check(
            "train.minibatch_shuffled",
            1,
            f"train(model, hours, labels, epochs={MINI_EPOCHS}, lr=0.3, batch_size=1) under two seeds",
            MINI_BATCH,
            Shuffled(),
            (NO_SHUFFLE,),
            requires="train.minibatch_steps",
        ),
        Check(
            "train.digits_accuracy",
            5,
            f"train(model, digits, labels, epochs={DIGITS_EPOCHS}, lr=0.5) on 7 vs 9 from random w: "
            "its losses and weights, then accuracy on held-out digits",
            _digits_full_batch,
            HeldOutAccuracy(trajectory=OWN_STEPS),
            hidden=True,
            requires="train.full_batch_trajectory",
        ),
        Check(
            "train.digits_loss_falls",
            1,
            f"train(model, digits, labels, epochs={DIGITS_EPOCHS}, lr=0.5, batch_size=32): the loss history",
            _digits,
            DIGITS_TRAJECTORY,
            requires="train.full_batch_trajectory",
        ),
    ),
)
