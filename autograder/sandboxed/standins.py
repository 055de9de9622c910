"""Correct stand-ins built on torch's own functions, so each function is graded on its own.

A function that builds on another (the model on sigmoid, train on bce_loss, fit_np on
bce_grad_np) is graded with these in place of the student's versions of the others.

None is worth copying into a submission: the NumPy ones are built on torch, and in the NumPy
track the name torch stands for OUT_OF_REACH during every graded call (checks/base.py, numpy_call),
so a NumPy function that reaches torch, copied from here or not, earns none of its points.
"""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import numpy as np
import torch

from autograder.sandboxed.tripwires import ORIGINALS


def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """Stand-in for exercise 1: the built-in logistic function."""
    return ORIGINALS["torch.sigmoid"](z)


def bce_loss(y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
    """Stand-in for exercise 2: the built-in mean binary cross-entropy."""
    if y_pred.shape != y_true.shape:
        raise ValueError(f"bce_loss: shapes {tuple(y_pred.shape)} and {tuple(y_true.shape)} differ")
    return ORIGINALS["torch.nn.functional.binary_cross_entropy"](y_pred, y_true)


def sigmoid_np(z: np.ndarray) -> np.ndarray:
    """Stand-in for sigmoid_np: the built-in logistic function on an array."""
    return sigmoid(torch.from_numpy(np.asarray(z))).numpy()


def bce_loss_np(p: np.ndarray, y: np.ndarray) -> float:
    """Stand-in for bce_loss_np: the built-in mean binary cross-entropy, as a float."""
    as_tensor = lambda a: torch.from_numpy(np.asarray(a, dtype=np.float64))  # noqa: E731
    return float(bce_loss(as_tensor(p), as_tensor(y)))


def bce_grad_np(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Stand-in for bce_grad_np: autograd's gradient of torch's mean loss on the scores z = X w + b."""
    weight = torch.tensor(np.asarray(w, dtype=np.float64), requires_grad=True)
    bias = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    scores = torch.from_numpy(np.asarray(X, dtype=np.float64)) @ weight + bias
    torch.nn.functional.binary_cross_entropy_with_logits(
        scores, torch.from_numpy(np.asarray(y, dtype=np.float64))
    ).backward()
    assert weight.grad is not None and bias.grad is not None, "backward() fills the grad of every leaf it reaches"
    return weight.grad.numpy().astype(np.result_type(X, w), copy=False), float(bias.grad)


class TorchOutOfReach(Exception):
    """Raised by any use of torch in a NumPy-track function: the task is gradients by hand."""


class _OutOfReach:
    """What the name torch means in the student's modules during a NumPy-track call."""

    def __getattr__(self, name: str) -> None:
        raise TorchOutOfReach(f"torch.{name}: the NumPy exercise computes by hand, without torch or autograd")

    def __repr__(self) -> str:
        return "<torch, out of reach in the NumPy exercise>"


OUT_OF_REACH = _OutOfReach()


def _is_torch(value: Any) -> bool:
    """Whether a name's value is torch: the module, one of its modules, or a function or class of torch's."""
    try:
        if isinstance(value, ModuleType):
            return value.__name__.partition(".")[0] == "torch"
        return callable(value) and str(getattr(value, "__module__", "") or "").partition(".")[0] == "torch"
    except Exception:  # a student's object whose attributes raise: not torch's
        return False


@contextlib.contextmanager
def torch_out_of_reach(scopes: list[dict]) -> Iterator[None]:
    """During a NumPy-track call: every name bound to torch in these scopes (`torch`, `T`, `from torch import
    exp`) means the stand-in that raises TorchOutOfReach, and importing torch from them raises it too (torch's
    own imports, and the grader's stand-ins', go on)."""
    unique = {id(scope): scope for scope in scopes}.values()
    saved = [(scope, name, value) for scope in unique for name, value in list(scope.items()) if _is_torch(value)]
    importing = builtins.__import__

    def guarded(name: str, *args: Any, **kwargs: Any) -> Any:
        importer = args[0] if args else kwargs.get("globals")
        level = args[3] if len(args) > 3 else kwargs.get("level", 0)
        if level == 0 and name.partition(".")[0] == "torch" and any(importer is scope for scope in unique):
            raise TorchOutOfReach(f"import {name}: the NumPy exercise computes by hand, without torch or autograd")
        return importing(name, *args, **kwargs)

    for scope, name, _value in saved:
        scope[name] = OUT_OF_REACH
    builtins.__import__ = guarded
    try:
        yield
    finally:
        builtins.__import__ = importing
        for scope, name, value in saved:
            scope[name] = value


STANDINS = {
    "torch": OUT_OF_REACH,  # checks/base.py TORCH_OUT: not a function of the lesson, a name kept from the NumPy track
    "sigmoid": sigmoid,
    "bce_loss": bce_loss,
    "sigmoid_np": sigmoid_np,
    "bce_loss_np": bce_loss_np,
    "bce_grad_np": bce_grad_np,
}


def marked(name: str, mark: float) -> Callable:
    """The stand-in for name, changed by a secret mark so that an output shows whether it ran.

    sigmoid(z + mark) and (1 + mark) * bce_loss: a result that matches the reference computed through
    the same marked stand-in can only have come through the student's call of that name.
    """
    if name == "sigmoid":
        return lambda z: sigmoid(z + mark)
    if name == "bce_loss":
        return lambda y_pred, y_true: bce_loss(y_pred, y_true) * (1 + mark)
    raise KeyError(f"no marked stand-in for {name}")


class ProbeModel(torch.nn.Module):
    """The grader's own logistic-regression model, for the exercises that take a model."""

    def __init__(self, in_features: int):
        super().__init__()
        self.linear = torch.nn.Linear(in_features, out_features=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ORIGINALS["torch.sigmoid"](self.linear(x))
