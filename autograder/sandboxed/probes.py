"""What the grader does with a submission's functions, returning only plain data.

Probes run in the child process on the student's functions, and in the trusted
process on the reference solutions and on the known mistakes, so both sides are
measured by the same code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import torch
from torch.autograd.gradcheck import GradcheckError

from autograder.sandboxed import tripwires
from autograder.sandboxed.answers import Failed, Result
from autograder.sandboxed.describe import describe, describe_error, message_of
from autograder.sandboxed.messages import N_  # the grader's findings, translated where the trusted process reports them
from autograder.sandboxed.standins import STANDINS, ProbeModel, marked, torch_out_of_reach


@dataclass
class Namespace:
    """The functions of one submission (or of the reference) and the modules holding them."""

    names: dict[str, Any]
    modules: list[ModuleType] = field(default_factory=list)
    root: Path | None = None  # the submission's folder: errors raised there are located by file and line

    def __getitem__(self, name: str) -> Any:
        return self.names[name]


class NoGradient(Exception):
    """What the student's function returned carries no gradient back to its input
    (said by the grader, not raised by them)."""


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
def standing_in(
    ns: Namespace, scope: dict, names: tuple[str, ...], marks: dict[str, float] | None = None
) -> Iterator[None]:
    """Swap each name for the grader's stand-in wherever the code looks it up: the correct one, or a marked one."""
    stand_ins = {name: marked(name, marks[name]) if marks and name in marks else STANDINS[name] for name in names}
    scopes = [scope, *(vars(module) for module in ns.modules)]
    with (
        swapped(scopes, stand_ins),
        torch_out_of_reach(scopes) if "torch" in names else contextlib.nullcontext(),  # the NumPy track
    ):
        yield


def _globals(fn: Any) -> dict:
    """The global names a function (or a class's forward) looks up, or none."""
    scope = getattr(fn, "__globals__", {})
    return scope if isinstance(scope, dict) else {}


def _load_weights(linear: torch.nn.Linear, weight: np.ndarray, bias: np.ndarray) -> None:
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(weight))
        linear.bias.copy_(torch.from_numpy(bias))


def _probe_model(in_features: int, weight: np.ndarray, bias: np.ndarray) -> ProbeModel:
    model = ProbeModel(in_features)
    _load_weights(model.linear, weight, bias)
    return model


def _unchanged(before: list[torch.Tensor], after: list[torch.Tensor]) -> bool:
    return all(torch.equal(b, a.detach()) for b, a in zip(before, after, strict=True))


def _measure(ns: Namespace, result: dict, keys: tuple[str, ...], measurement: Callable[[], dict]) -> bool:
    """Add a measurement's values to result; if it raises, its keys hold the error instead. True if it ran."""
    try:
        result.update(measurement())
        return True
    except BaseException as error:  # the student's SystemExit too
        result.update(dict.fromkeys(keys, Failed(describe_error(error, ns.root))))
        return False


def call(ns: Namespace, fn: str, args: list[np.ndarray], grad_of: int | None = None, again: bool = False) -> dict:
    """Call a tensor function on tensors made from args; with grad_of, backpropagate ones.

    With again, call it a second time on the same tensors: a function that changed them in place
    shows it in its second answer, which is evidence the grader reads, not the child's word.
    """
    tensors = [torch.from_numpy(arg.copy()) for arg in args]
    before = [t.clone() for t in tensors]
    if grad_of is not None:
        tensors[grad_of].requires_grad_(True)
    out = ns[fn](*tensors)
    result = {"out": describe(out), "inputs_unchanged": _unchanged(before, tensors)}
    if again:
        _measure(ns, result, ("again",), lambda: {"again": describe(ns[fn](*tensors))})
    if grad_of is not None:

        def gradient() -> dict:
            if not (isinstance(out, torch.Tensor) and out.requires_grad):
                raise NoGradient(N_("no autograd graph: it is not built from the input with torch operations"))
            out.backward(torch.ones_like(out))
            if tensors[grad_of].grad is None:
                raise NoGradient(
                    N_("the input got no gradient: the result does not depend on it through torch operations")
                )
            return {"grad": describe(tensors[grad_of].grad)}

        _measure(ns, result, ("grad",), gradient)
    return result


def call_each(ns: Namespace, fn: str, arg_sets: list[list[np.ndarray]], tensors: bool = True) -> dict:
    """Call fn once per argument set (as tensors or arrays); describe each result, or its error."""
    outs: list[dict] = []
    for args in arg_sets:
        values = [torch.from_numpy(arg.copy()) if tensors else arg.copy() for arg in args]
        result: dict[str, Any] = {}
        # _measure calls the lambda at once, so it sees this iteration's values
        _measure(ns, result, ("out",), lambda: {"out": describe(ns[fn](*values))})  # noqa: B023
        outs.append(result["out"])
    return {"outs": outs}


def _gradcheck_failure(function: Callable, inputs: tuple[torch.Tensor, ...]) -> str | None:
    """The first line of torch.autograd.gradcheck's complaint about function at inputs, or None when it passes."""
    try:
        torch.autograd.gradcheck(function, inputs, eps=1e-6, atol=1e-5, rtol=1e-3)
    except GradcheckError as error:
        return (str(error).splitlines() or ["gradcheck failed"])[0][:300]
    return None


def gradcheck(ns: Namespace, fn: str, args: list[np.ndarray], wrt: list[int]) -> dict:
    """torch.autograd.gradcheck of fn in float64 with respect to the args numbered wrt."""
    tensors = tuple(torch.from_numpy(arg.copy()).requires_grad_(i in wrt) for i, arg in enumerate(args))
    result = {"out": describe(ns[fn](*tensors))}  # what the check is about, said when it fails

    def check() -> dict:
        failure = _gradcheck_failure(ns[fn], tensors)
        return {"ok": failure is None, "message": failure or ""}

    _measure(ns, result, ("ok", "message"), check)
    return result


def _graded_layer(net: torch.nn.Module, in_features: int) -> torch.nn.Linear | None:
    """The model's one linear layer, where forward's values are read through: self.linear, or its only nn.Linear.

    A layer of the wrong shape (nn.Linear(1, 1) copied from the lecture) is swapped for a correct one, so
    that forward is graded on its own and the shape costs only the check of __init__'s layer.
    """
    layers = [(name, module) for name, module in net.named_modules() if isinstance(module, torch.nn.Linear)]
    linear = getattr(net, "linear", None)
    if isinstance(linear, torch.nn.Linear):
        layers = [("linear", linear)]
    if len(layers) != 1:
        return None
    name, layer = layers[0]
    if (layer.in_features, layer.out_features) != (in_features, 1):
        owner, _, attribute = name.rpartition(".")
        layer = torch.nn.Linear(in_features, 1)
        setattr(net.get_submodule(owner), attribute, layer)
    return layer


def model(
    ns: Namespace,
    x: np.ndarray,
    in_features: int | None = None,
    weight: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    mark: float | None = None,
) -> dict:
    """Build LogisticRegression, describe its layers, load weights, then run forward, backward and gradcheck.

    Each of the three measurements is kept apart: an exception in one costs only its checks. With
    mark, `sigmoid` is the marked stand-in, so the output shows whether forward called it.
    """
    cls = ns["LogisticRegression"]
    marks = None if mark is None else {"sigmoid": mark}
    with standing_in(ns, _globals(getattr(cls, "forward", None)), ("sigmoid",), marks):
        net = cls() if in_features is None else cls(in_features)
        linear = getattr(net, "linear", None)
        is_module = isinstance(net, torch.nn.Module)
        result: dict[str, Any] = {
            "is_module": is_module,
            "linear_is_linear": isinstance(linear, torch.nn.Linear),
            "linear_shape": [linear.in_features, linear.out_features] if isinstance(linear, torch.nn.Linear) else None,
            "parameter_names": sorted(name for name, _ in net.named_parameters()) if is_module else [],
        }
        layer = _graded_layer(net, in_features or 1) if is_module else None
        if weight is not None and layer is not None:
            assert bias is not None, "a model probe gives weight and bias together"
            _load_weights(layer, weight, bias)
        inputs = torch.from_numpy(x.copy())
        outputs: list[Any] = []  # what forward returned, for the backward pass

        def forward() -> dict:
            outputs.append(net(inputs))
            return {"out": describe(outputs[0]), "inputs_unchanged": torch.equal(inputs, torch.from_numpy(x))}

        def backward() -> dict:
            out = outputs[0]
            if not (layer is not None and isinstance(out, torch.Tensor) and out.requires_grad):
                raise NoGradient(
                    N_(
                        "no autograd graph reaching self.linear: "
                        "it is not built from self.linear(x) with torch operations"
                    )
                )
            out.sum().backward()
            if layer.weight.grad is None or layer.bias.grad is None:
                raise NoGradient(
                    N_(
                        "self.linear got no gradient: "
                        "the result does not depend on self.linear(x) through torch operations"
                    )
                )
            return {"weight_grad": describe(layer.weight.grad), "bias_grad": describe(layer.bias.grad)}

        def float64_gradcheck() -> dict:
            inputs_64 = torch.from_numpy(x.astype(np.float64)).requires_grad_(True)
            failure = _gradcheck_failure(net.double(), (inputs_64,))
            return {"gradcheck": True if failure is None else failure}

        ran = _measure(ns, result, ("out", "inputs_unchanged", "weight_grad", "bias_grad"), forward)
        if ran:
            _measure(ns, result, ("weight_grad", "bias_grad"), backward)
        if is_module:
            _measure(ns, result, ("gradcheck",), float64_gradcheck)
    return result


def train(
    ns: Namespace,
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray,
    epochs: int,
    lr: float,
    batch_size: int | None,
    seed: int,
    repeat_seed: int | None = None,
    mark: float | None = None,
) -> dict:
    """Train the grader's model from given weights with the student's loop and a fixed seed.

    With repeat_seed, train once more from the same weights under that seed, to see shuffling. With
    mark, `bce_loss` is the marked stand-in, so the trajectory shows whether train called it.
    """
    fn = ns["train"]
    inputs, targets = torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
    runs = []
    for run_seed in [seed] if repeat_seed is None else [seed, repeat_seed]:
        net = _probe_model(x.shape[1], weight, bias)
        torch.manual_seed(run_seed)
        with standing_in(ns, _globals(fn), ("bce_loss",), None if mark is None else {"bce_loss": mark}):
            history = fn(net, inputs, targets, epochs=epochs, lr=lr, batch_size=batch_size)
        runs.append((describe(history), net))
    history, net = runs[0]
    return {
        "history": history,
        "repeat_history": runs[-1][0] if repeat_seed is not None else None,
        "weight": describe(net.linear.weight),
        "bias": describe(net.linear.bias),
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


def call_np(
    ns: Namespace,
    fn: str,
    args: list[Any],
    kwargs: dict | None = None,
    stand_ins: tuple[str, ...] = (),
    again: bool = False,
) -> dict:
    """Call a NumPy function, with correct stand-ins for the named functions it builds on.

    Reports its result, NumPy's warnings and any change to the inputs; with again, the answer of a
    second call on the same arrays (evidence of an in-place change).
    """
    copies = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
    with (
        standing_in(ns, _globals(ns[fn]), tuple(stand_ins)),
        warnings.catch_warnings(record=True) as caught,
        np.errstate(all="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        out = ns[fn](*copies, **(kwargs or {}))
    unchanged = all(not isinstance(a, np.ndarray) or np.array_equal(a, c) for a, c in zip(args, copies, strict=True))
    result = {
        "out": describe(out),
        "inputs_unchanged": unchanged,
        "warnings": sorted({message_of(w.message) for w in caught})[:5],
    }
    if again:
        with standing_in(ns, _globals(ns[fn]), tuple(stand_ins)):
            _measure(ns, result, ("again",), lambda: {"again": describe(ns[fn](*copies, **(kwargs or {})))})
    return result


PROBES: dict[str, Callable[..., dict]] = {
    probe.__name__: probe for probe in (call, call_each, gradcheck, model, train, predict, decision_boundary, call_np)
}


def reset_global_state() -> None:
    """Put back the global torch and NumPy settings a submission may have changed (dtype, grad mode, ...)."""
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    np.seterr(all="warn", under="ignore")


def run_probe(ns: Namespace, name: str, args: dict, root: Path | None = None) -> Result:
    """Run one probe from the default global state;
    an exception becomes its Raised, and forbidden built-ins are listed."""
    tripwires.take_calls()
    ns = dataclasses.replace(ns, root=root)
    reset_global_state()
    try:
        measured = PROBES[name](ns, **args)
    except BaseException as error:  # the student's SystemExit too: it must not end the grading
        measured = {"error": describe_error(error, root)}
    fields: dict[str, Any] = {
        key: tuple(value) if isinstance(value, list) else value for key, value in measured.items()
    }
    return Result(**fields, forbidden=tuple(tripwires.take_calls()))
