"""What the grader does with a submission's functions, returning only plain data.

Probes run in the child process on the student's functions, and in the trusted
process on the reference solutions and on the known mistakes, so both sides are
measured by the same code.
"""

from __future__ import annotations

import contextlib
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import torch
from torch.autograd.gradcheck import GradcheckError

from autograder import tripwires, wire
from autograder.standins import STANDINS, ProbeModel

MAX_ITEMS = 100_000  # longest list or tuple a probe describes


@dataclass
class Namespace:
    """The functions of one submission (or of the reference) and the modules holding them."""

    names: dict[str, Any]
    modules: list[ModuleType] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.names[name]


def _plain_array(array: np.ndarray) -> np.ndarray:
    """The array in a dtype that may cross the process boundary (float64 for other numbers)."""
    if array.dtype.name in wire.ARRAY_DTYPES:
        return array
    if array.dtype.kind in "fiub":
        return array.astype(np.float64)
    return np.full(array.shape, np.nan)  # complex or objects: no numbers to compare


def describe(value: Any) -> dict:
    """A plain description of a returned value: its type, and its numbers where it has any."""
    if isinstance(value, torch.Tensor):
        data = value.detach().cpu()
        try:
            array = data.numpy()
        except TypeError:  # bfloat16 and the other dtypes NumPy lacks
            array = data.real.to(torch.float64).numpy()
        return {
            "type": "tensor",
            "value": _plain_array(array),
            "dtype": str(value.dtype).removeprefix("torch."),
            "shape": list(value.shape),
            "requires_grad": value.requires_grad,
        }
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "value": _plain_array(value), "dtype": value.dtype.name, "shape": list(value.shape)}
    if isinstance(value, (bool, np.bool_)):
        return {"type": "bool", "value": bool(value)}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"type": type(value).__name__, "value": float(value)}
    if isinstance(value, (list, tuple)):
        return {"type": type(value).__name__, "length": len(value), "items": [describe(item) for item in value[:MAX_ITEMS]]}
    return {"type": type(value).__name__}


def describe_error(error: BaseException, root: Path | None) -> dict:
    """Type, message and the deepest line of the submission where an exception came from."""
    frames = traceback.extract_tb(error.__traceback__)
    if isinstance(error, SyntaxError) and error.filename:
        frames.append(traceback.FrameSummary(error.filename, error.lineno or 0, "<module>"))
    own = [frame for frame in frames if root is not None and Path(frame.filename).resolve().is_relative_to(root)]
    where = f"{Path(own[-1].filename).name}, line {own[-1].lineno}" if own else None
    message = error.msg if isinstance(error, SyntaxError) else str(error)
    return {"type": type(error).__name__, "message": message[:500], "where": where}


@contextlib.contextmanager
def swapped(scopes: list[dict], replacements: dict[str, Any]) -> Iterator[None]:
    """Bind each name to its replacement in every scope that defines it; restore afterwards."""
    unique = {id(scope): scope for scope in scopes}.values()
    saved = [(scope, name, scope[name]) for scope in unique for name in replacements if name in scope]
    for scope, name, _ in saved:
        scope[name] = replacements[name]
    try:
        yield
    finally:
        for scope, name, original in saved:
            scope[name] = original


@contextlib.contextmanager
def standing_in(ns: Namespace, scope: dict, name: str) -> Iterator[list]:
    """Swap `name` for the grader's correct stand-in wherever the code looks it up; count calls."""
    calls: list[int] = []

    def recorder(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return STANDINS[name](*args, **kwargs)

    with swapped([scope, *(vars(module) for module in ns.modules)], {name: recorder}):
        yield calls


def _probe_model(in_features: int, weight: np.ndarray, bias: np.ndarray) -> ProbeModel:
    model = ProbeModel(in_features)
    with torch.no_grad():
        model.linear.weight.copy_(torch.from_numpy(weight))
        model.linear.bias.copy_(torch.from_numpy(bias))
    return model


def _unchanged(before: list[torch.Tensor], after: list[torch.Tensor]) -> bool:
    return all(torch.equal(b, a.detach()) for b, a in zip(before, after, strict=True))


def call(ns: Namespace, fn: str, args: list[np.ndarray], grad_of: int | None = None) -> dict:
    """Call a tensor function on tensors made from args; with grad_of, backpropagate ones."""
    tensors = [torch.from_numpy(arg.copy()) for arg in args]
    before = [t.clone() for t in tensors]
    if grad_of is not None:
        tensors[grad_of].requires_grad_(True)
    out = ns[fn](*tensors)
    result = {"out": describe(out), "inputs_unchanged": _unchanged(before, tensors)}
    if grad_of is not None:
        if not (isinstance(out, torch.Tensor) and out.requires_grad):
            raise TypeError(f"{fn} returned no autograd graph: the result does not depend on its input through torch operations")
        out.backward(torch.ones_like(out))
        result["grad"] = describe(tensors[grad_of].grad)
    return result


def gradcheck(ns: Namespace, fn: str, args: list[np.ndarray], wrt: list[int]) -> dict:
    """torch.autograd.gradcheck of fn in float64 with respect to the args numbered wrt."""
    tensors = [torch.from_numpy(arg.copy()).requires_grad_(i in wrt) for i, arg in enumerate(args)]
    try:
        torch.autograd.gradcheck(ns[fn], tensors, eps=1e-6, atol=1e-5, rtol=1e-3)
    except GradcheckError as error:
        return {"ok": False, "message": str(error).splitlines()[0][:300]}
    return {"ok": True, "message": ""}


def model(ns: Namespace, x: np.ndarray, in_features: int | None = None, weight: np.ndarray | None = None, bias: np.ndarray | None = None) -> dict:
    """Build LogisticRegression, describe its layers, load weights and run forward and backward."""
    cls = ns["LogisticRegression"]
    with standing_in(ns, getattr(cls.forward, "__globals__", {}), "sigmoid") as sigmoid_calls:
        net = cls() if in_features is None else cls(in_features)
        linear = getattr(net, "linear", None)
        result: dict[str, Any] = {
            "is_module": isinstance(net, torch.nn.Module),
            "linear_is_linear": isinstance(linear, torch.nn.Linear),
            "linear_shape": [linear.in_features, linear.out_features] if isinstance(linear, torch.nn.Linear) else None,
            "parameter_names": sorted(name for name, _ in net.named_parameters()) if isinstance(net, torch.nn.Module) else [],
        }
        if weight is not None and isinstance(linear, torch.nn.Linear):
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(weight))
                linear.bias.copy_(torch.from_numpy(bias))
        inputs = torch.from_numpy(x.copy())
        out = net(inputs)
        result["out"] = describe(out)
        result["inputs_unchanged"] = torch.equal(inputs, torch.from_numpy(x))
        if isinstance(out, torch.Tensor) and out.requires_grad and isinstance(linear, torch.nn.Linear):
            out.sum().backward()
            result["weight_grad"] = describe(linear.weight.grad)
            result["bias_grad"] = describe(linear.bias.grad)
        if isinstance(net, torch.nn.Module):
            net_64 = net.double()
            inputs_64 = torch.from_numpy(x.astype(np.float64)).requires_grad_(True)
            try:
                result["gradcheck"] = torch.autograd.gradcheck(net_64, (inputs_64,), eps=1e-6, atol=1e-5, rtol=1e-3)
            except GradcheckError as error:
                result["gradcheck"] = str(error).splitlines()[0][:300]
    result["sigmoid_calls"] = len(sigmoid_calls)
    return result


def train(ns: Namespace, x: np.ndarray, y: np.ndarray, weight: np.ndarray, bias: np.ndarray, epochs: int, lr: float,
          batch_size: int | None, seed: int, repeat_seed: int | None = None) -> dict:
    """Train the grader's model from given weights with the student's loop and a fixed seed.

    With repeat_seed, train once more from the same weights under that seed, to see shuffling.
    """
    fn = ns["train"]
    inputs, targets = torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
    runs = []
    for run_seed in [seed] if repeat_seed is None else [seed, repeat_seed]:
        net = _probe_model(x.shape[1], weight, bias)
        torch.manual_seed(run_seed)
        with standing_in(ns, getattr(fn, "__globals__", {}), "bce_loss") as bce_calls:
            history = fn(net, inputs, targets, epochs=epochs, lr=lr, batch_size=batch_size)
        runs.append((describe(history), net, len(bce_calls)))
    history, net, calls = runs[0]
    return {
        "history": history,
        "repeat_history": runs[-1][0] if repeat_seed is not None else None,
        "weight": describe(net.linear.weight),
        "bias": describe(net.linear.bias),
        "bce_calls": calls,
        "inputs_unchanged": torch.equal(inputs, torch.from_numpy(x)) and torch.equal(targets, torch.from_numpy(y)),
    }


def predict(ns: Namespace, x: np.ndarray, weight: np.ndarray, bias: np.ndarray, threshold: float | None = None) -> dict:
    """Labels from the student's predict for the grader's model with given weights."""
    net = _probe_model(x.shape[1], weight, bias)
    inputs = torch.from_numpy(x.copy())
    labels = ns["predict"](net, inputs) if threshold is None else ns["predict"](net, inputs, threshold)
    return {"out": describe(labels)}


def decision_boundary(ns: Namespace, weight: np.ndarray, bias: np.ndarray) -> dict:
    """The student's decision boundary of the grader's 1-feature model with given weights."""
    return {"out": describe(ns["decision_boundary"](_probe_model(1, weight, bias)))}


def call_np(ns: Namespace, fn: str, args: list[Any], kwargs: dict | None = None) -> dict:
    """Call a NumPy function; report its result, NumPy's warnings and any change to the inputs."""
    copies = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        out = ns[fn](*copies, **(kwargs or {}))
    unchanged = all(not isinstance(a, np.ndarray) or np.array_equal(a, c) for a, c in zip(args, copies, strict=True))
    return {"out": describe(out), "inputs_unchanged": unchanged, "warnings": sorted({str(w.message) for w in caught})[:5]}


PROBES: dict[str, Callable[..., dict]] = {
    probe.__name__: probe for probe in (call, gradcheck, model, train, predict, decision_boundary, call_np)
}


def run_probe(ns: Namespace, name: str, args: dict, root: Path | None = None) -> dict:
    """Run one probe; an exception becomes plain data, and forbidden built-ins are listed."""
    tripwires.take_calls()
    try:
        result = PROBES[name](ns, **args)
    except BaseException as error:  # the student's SystemExit too: it must not end the grading
        result = {"error": describe_error(error, root)}
    result["forbidden"] = tripwires.take_calls()
    return result
