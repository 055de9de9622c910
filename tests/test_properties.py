"""Property-based tests of the grader: whatever a student's function returns or raises, it is judged fairly."""

from __future__ import annotations

import ast
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from harness import InProcessRunner
from hypothesis import example, given, reject
from hypothesis import strategies as st

from autograder.checks.base import Check, Exercise, Mistake, Probe
from autograder.grading import grade as grading
from autograder.grading import judge as judging
from autograder.grading.outcomes import Outcome
from autograder.i18n.messages import say
from autograder.lesson import EXERCISES
from autograder.lesson.reference import reference
from autograder.sandboxed import answers, probes, wire
from autograder.submission import loader

HERE = Path(__file__).resolve().parent  # the generated functions are the "submission" defined here
SOLUTIONS = HERE.parent / "solutions"
EXERCISE_OF = {name: exercise for exercise in EXERCISES for name in exercise.names}
NAMES = list(EXERCISE_OF)
SEEDS = st.sampled_from([0, 1])

# These observe only what __init__ built (self.linear), which every generated LogisticRegression builds right
# unless its __init__ raises: they may pay for a junk forward.
INIT_ONLY = {"model.linear_layer", "model.default_in_features"}
# These observe the model after train, not what train returns: a generated train leaves the weights as they were,
# which is wrong (no points), says nothing of the returned value, and is what a train without optimizer.step() leaves.
MODEL_AFTER_TRAIN = {"train.final_weights", "train.digits_accuracy"}
# These observe only the type, dtype and shape (or length) of the output: they may pay for junk of the right form.
FORM_ONLY = {
    "sigmoid.shape_dtype",
    "bce.zero_dim",
    "predict.float_labels",
    "accuracy.python_float",
    "boundary.python_float",
    "np.sigmoid_dtype",
    "np.loss_float",
    "np.grad_shapes",
    "np.fit_returns",
    "train.returns_history",
}
INTERNAL = re.compile(r"Traceback|File \"|\bthe (out|grad)\b|\bout\.items\b|not implemented yet", re.IGNORECASE)
BIG = (1000, 1000)  # 10^6 elements
SHAPES = ((), (0,), (1,), (3,), (7,), (2, 3), (4, 1), (3, 1, 2), (0, 2), (1, 1, 1, 1), BIG)


@dataclass(frozen=True, eq=False, repr=False)
class Behaviour:
    """What a generated student function does: return `value`, raise `error()`, or run the reference."""

    shown: str  # how Hypothesis prints it, without calling anything the value defines
    value: Any = None
    error: Callable[[], BaseException] | None = None
    error_name: str = ""
    words: tuple[str, ...] = ()  # any one of these says what came back
    in_init: bool = False  # a generated LogisticRegression raises in __init__ rather than in forward
    right: bool = False

    def __repr__(self) -> str:
        return self.shown

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.shown)  # how Hypothesis prints a falsifying example


RIGHT = Behaviour("the reference itself", right=True)


def declared_checks(select: Callable[[Exercise], bool] = lambda exercise: True) -> list[str]:
    """The ids of the declared checks (of the selected exercises), in lesson order."""
    return [check.id for exercise in EXERCISES if select(exercise) for check in exercise.checks]


def _returns(value: Any, shown: str, *words: str) -> Behaviour:
    """A function that returns value; words say it (its type name by default)."""
    return Behaviour(f"returns {shown}", value=value, words=words or (type(value).__name__,))


# ---- strategies: one per family of values a student's function might return ---------------------------------------


def _fills(kind: str) -> st.SearchStrategy:
    """Values to fill a tensor or array of a dtype kind with: nan and inf included for floats."""
    return {"b": st.booleans(), "i": st.integers(-(2**63), 2**63 - 1)}.get(kind, st.floats(width=32))


@st.composite
def numpy_scalars(draw: st.DrawFn) -> Any:
    """A NumPy scalar of any number dtype (wrapped round or made inf where the value does not fit)."""
    dtype = np.dtype(
        draw(st.sampled_from(["float16", "float32", "float64", "int32", "int64", "uint8", "bool", "complex64"]))
    )
    with np.errstate(all="ignore"):
        return np.array(draw(_fills(dtype.kind))).astype(dtype)[()]


@st.composite
def scalars(draw: st.DrawFn) -> Behaviour:
    """None, Python and NumPy numbers (huge ints, nan and inf included)."""
    value = draw(st.one_of(st.none(), st.booleans(), st.integers(), st.just(10**400), st.floats(), numpy_scalars()))
    return _returns(value, repr(value)[:60], "None" if value is None else type(value).__name__)


@st.composite
def tensors(draw: st.DrawFn, shapes: tuple = SHAPES) -> Behaviour:
    """Tensors of any dtype, shape (0-dim, empty, 10^6 elements) and device, with or without requires_grad."""
    dtype = draw(
        st.sampled_from(
            [torch.float32, torch.float64, torch.int64, torch.bool, torch.float16, torch.bfloat16, torch.complex64]
        )
    )
    shape, device = draw(st.sampled_from(shapes)), draw(st.sampled_from(["cpu", "meta"]))
    kind = "b" if dtype == torch.bool else "i" if dtype == torch.int64 else "f"
    value = torch.full(shape, draw(_fills(kind))).to(dtype).to(device)
    # requires_grad only below 10^6 elements: gradcheck of a 10^6-output function takes hours, in any grader
    if (dtype.is_floating_point or dtype.is_complex) and shape != BIG and draw(st.booleans()):
        value.requires_grad_(True)
    shown = f"tensor(shape {shape}, {dtype}, {device}{', requires_grad' if value.requires_grad else ''})"
    return _returns(value, shown, str(dtype).removeprefix("torch."), str(shape), device)


@st.composite
def arrays(draw: st.DrawFn, shapes: tuple = SHAPES) -> Behaviour:
    """NumPy arrays of numbers, strings and objects, of any shape."""
    dtype, shape = (
        np.dtype(
            draw(
                st.sampled_from(
                    ["float64", "float32", "float16", "int64", "uint16", "bool", "complex128", "object", "<U3"]
                )
            )
        ),
        draw(st.sampled_from(shapes)),
    )
    if dtype.kind == "O":
        value = np.empty(shape, dtype=object)
        value.fill(draw(st.sampled_from([None, "a", 1.5, (1, 2)])))
    else:
        with np.errstate(all="ignore"):
            value = np.full(shape, draw(st.text(max_size=3) if dtype.kind == "U" else _fills(dtype.kind))).astype(dtype)
    return _returns(value, f"ndarray(shape {shape}, {dtype})", dtype.name, str(shape))


def _generator() -> Any:
    """A generator function: a student's `yield` instead of `return`."""
    yield 1.0


@st.composite
def containers(draw: st.DrawFn) -> Behaviour:
    """Tuples and lists of wrong lengths (nested, of tensors, long, self-referencing), dicts, generators, text."""
    items = st.one_of(st.none(), st.booleans(), st.floats(), tensors(shapes=SHAPES[:-1]).map(lambda b: b.value))
    sequence = draw(st.lists(items, max_size=4))
    self_referencing: list = [1.0]
    self_referencing.append(self_referencing)
    value = draw(
        st.one_of(
            st.just(sequence),
            st.just(tuple(sequence)),
            st.just([tuple(sequence), sequence]),
            st.sampled_from([2, 30, 600]).map(_nested),
            st.just([0.5] * 100_001),
            st.just(self_referencing),
            st.dictionaries(st.text(max_size=3), items, max_size=2),
            st.builds(_generator),
            st.just(range(3)),
            st.text(max_size=5),
            st.binary(max_size=5),
        )
    )
    shown = f"{type(value).__name__} of {len(value)}" if isinstance(value, (list, tuple, dict)) else repr(value)[:40]
    return _returns(value, shown, "generator" if isinstance(value, type(_generator())) else type(value).__name__)


def _nested(depth: int) -> list:
    """[[...[1.0]...]], depth lists deep."""
    value: list = [1.0]
    for _ in range(depth - 1):
        value = [value]
    return value


class AlwaysEqual:
    """Equal to anything, yet no number."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__

    def __float__(self) -> float:
        raise RuntimeError("no float for you")


class LengthRaises(list):
    """A list whose length cannot be taken."""

    def __len__(self) -> int:
        raise RuntimeError("no length for you")


class FloatRaises(float):
    """A float that refuses to be converted to one."""

    def __float__(self) -> float:
        raise ValueError("no float for you")


class ReprRaises:
    """An object that cannot be printed."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")

    __str__ = __repr__


@st.composite
def oddities(draw: st.DrawFn) -> Behaviour:
    """Objects of other classes: equal to anything, unmeasurable, unprintable, a torch.nn.Module, a parameter."""
    value = draw(
        st.sampled_from(
            [
                AlwaysEqual(),
                LengthRaises([1.0, 2.0]),
                FloatRaises(0.5),
                ReprRaises(),
                object(),
                torch.nn.Linear(1, 1),
                torch.nn.Parameter(torch.zeros(3)),
                torch.Size([3, 1]),
                np.ma.masked_array([1.0, 2.0], mask=[False, True]),
                Ellipsis,
                NotImplemented,
            ]
        )
    )
    name = type(value).__name__
    words = {
        "LengthRaises": ("list",),
        "FloatRaises": ("float",),
        "Size": ("tuple",),
        "Parameter": ("float32", "(3,)"),
        "MaskedArray": ("float64", "(2,)"),
    }.get(name, ())
    return _returns(value, f"an object of class {name}", name, *words)


def _error_class(name: str, base: type, says: Callable[[BaseException], Any]) -> type:
    """A custom exception class whose __str__ is says."""
    return type(name, (base,), {"__str__": says})


def _raise(error: BaseException) -> Any:
    """Raise error (from a lambda)."""
    raise error


ODD_STR = {
    "its __str__ raises": lambda self: _raise(RuntimeError("no str for you")),
    "its __str__ returns an int": lambda self: 42,
    "its __str__ is 10^6 characters": lambda self: "x" * 10**6,
    "its __str__ has newlines": lambda self: "first line\n\n  second line\r\n",
    "its __str__ is empty": lambda self: "",
}
BUILTIN_ERRORS = (
    ValueError,
    TypeError,
    RuntimeError,
    ZeroDivisionError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    OverflowError,
    NotImplementedError,
    RecursionError,
    MemoryError,
    StopIteration,
    ImportError,
    OSError,
    KeyboardInterrupt,
    SystemExit,
    GeneratorExit,
)


@st.composite
def raising(draw: st.DrawFn) -> Behaviour:
    """Any exception, built-in or custom with an odd __str__, raised by the function (or a model's __init__)."""
    in_init = draw(st.booleans())
    if draw(st.booleans()):
        cls = draw(st.sampled_from(BUILTIN_ERRORS))
        message = draw(st.text(max_size=20).filter(lambda text: not INTERNAL.search(text)))
        make: Callable[[], BaseException] = lambda: cls(message)  # noqa: E731
        shown = f"{cls.__name__}({message!r})"
    else:
        name = draw(st.sampled_from(["OddError", "Weird"]))
        base = draw(st.sampled_from([Exception, BaseException, ValueError]))
        odd = draw(st.sampled_from(sorted(ODD_STR)))
        cls = _error_class(name, base, ODD_STR[odd])
        make, shown = cls, f"{name}({base.__name__}) where {odd}"
    where = " in __init__" if in_init else ""
    return Behaviour(
        f"raises {shown}{where}", error=make, error_name=cls.__name__, words=(cls.__name__,), in_init=in_init
    )


def junk() -> st.SearchStrategy[Behaviour]:
    """Anything wrong a student's function might return or raise."""
    return st.one_of(scalars(), tensors(), arrays(), containers(), oddities(), raising())


def behaviours() -> st.SearchStrategy[Behaviour]:
    """Junk, or the right thing (last: Hypothesis shrinks towards the first branch)."""
    return st.one_of(junk(), st.just(RIGHT))


# ---- grading one generated function in this process -----------------------------------------------------------------


def _student_function(behaviour: Behaviour) -> Callable:
    """A function of any arguments that does what the behaviour says."""

    def student(*args: Any, **kwargs: Any) -> Any:
        if behaviour.error is not None:
            raise behaviour.error()
        return behaviour.value

    return student


def _student_class(behaviour: Behaviour) -> type:
    """A LogisticRegression whose __init__ builds the right layer (or raises) and whose forward does the behaviour."""
    act = _student_function(behaviour)

    class LogisticRegression(torch.nn.Module):
        def __init__(self, in_features: int = 1):
            super().__init__()
            if behaviour.in_init:
                act()
            self.linear = torch.nn.Linear(in_features, 1)

        def forward(self, x: torch.Tensor) -> Any:
            return act(x)

    return LogisticRegression


def student(name: str, behaviour: Behaviour) -> Any:
    """The student's `name` that behaves as generated (the reference's own for the right branch)."""
    if behaviour.right:
        return reference()[name]
    return _student_class(behaviour) if name == "LogisticRegression" else _student_function(behaviour)


class GradingCrashed(AssertionError):
    """Grading a generated function raised instead of giving an outcome."""


def _say(error: BaseException) -> str:
    """Type and message of an exception raised by the grader, even one whose __str__ raises."""
    try:
        return f"{type(error).__name__}: {str(error)[:300]}"
    except BaseException:  # the error's own __str__ may raise
        return type(error).__name__


def _checks_of(name: str, seed: int) -> list[tuple[Check, Probe]]:
    """The declared checks of the student's `name`, each with its probe for the seed."""
    return [(check, probe) for check in EXERCISE_OF[name].checks if (probe := check.probe_for(seed)).needs == name]


_right_results: dict[str, answers.Result] = {}  # the reference's own results: training on the digits is slow


class CrossingRunner(InProcessRunner):
    """Answers probes in this process as the child would; says which step raised, where one does."""

    def __init__(self, name: str, behaviour: Behaviour):
        super().__init__({name: student(name, behaviour)})
        self.kept = _right_results if behaviour.right else {}

    def run(self, probe: str, args: dict, deadline_s: float) -> answers.Result:
        key, stage = wire.dumps([probe, args]), "run_probe"
        try:
            if key not in self.kept:
                result = probes.run_probe(self.ns, probe, args, HERE)
                stage = "wire.dumps"  # the child must always be able to send its result
                line = wire.dumps(answers.to_plain(result))
                stage = "wire.loads"
                self.kept[key] = answers.decode_result(wire.loads(line))
            return self.kept[key]
        except BaseException as error:  # KeyboardInterrupt and SystemExit too: they must not end the test run
            raise GradingCrashed(f"{stage} raised {_say(error)}") from None


def graded(name: str, behaviour: Behaviour, seed: int) -> list[tuple[Check, Probe, Outcome]]:
    """Every check of `name` graded in this process on the generated function, with its probe."""
    checks = {check.id: (check, probe) for check, probe in _checks_of(name, seed)}
    layout = loader.Layout(root=HERE, files=(), where=dict.fromkeys(grading.wanted_names(), "student"))
    judging: list[str] = []
    try:
        outcomes = grading.run_checks(
            layout,
            CrossingRunner(name, behaviour),
            [(EXERCISE_OF[name], check) for check, _ in checks.values()],
            seed,
            lambda exercise, check: judging.append(check.id),
        )
    except GradingCrashed:
        raise
    except BaseException as error:
        raise GradingCrashed(f"judging {judging[-1:]} raised {_say(error)}") from None
    return [(*checks[outcome.check_id], outcome) for outcome in outcomes]


def finished(name: str, behaviour: Behaviour, seed: int) -> list[tuple[Check, Probe, Outcome]]:
    """The judged checks, or a rejected example when grading crashed (test_grading_finishes reports those)."""
    try:
        return graded(name, behaviour, seed)
    except GradingCrashed:
        reject()


# ---- what is right, read without the grader's own comparisons -------------------------------------------------------


def _numbers(value: Any, depth: int = 0) -> np.ndarray | None:
    """The real numbers a returned value holds, flattened; None when it holds none (or is no plain number)."""
    if depth > 50:
        return None
    if isinstance(value, torch.Tensor):
        if value.device.type != "cpu" or value.is_complex():
            return None
        return value.detach().to(torch.float64).numpy().ravel()
    if isinstance(value, np.ndarray):
        return value.astype(np.float64).ravel() if value.dtype.kind in "fiub" else None
    if type(value) in (list, tuple):
        parts = [_numbers(item, depth + 1) for item in value]
        return None if any(part is None for part in parts) else np.concatenate([np.zeros(0), *parts])
    if type(value) in (bool, int, float) or isinstance(value, (np.floating, np.integer, np.bool_)):
        try:
            return np.array([float(value)])
        except OverflowError:
            return None
    return None


def _described_numbers(described: Any) -> np.ndarray | None:
    """The numbers of a trusted, described result (the reference's or a mistake's)."""
    if not isinstance(described, answers.Value):
        return None
    if described.value is not None:
        return np.asarray(described.value, dtype=np.float64).ravel()
    if described.items is not None:
        parts = [_described_numbers(item) for item in described.items]
        return None if any(part is None for part in parts) else np.concatenate([np.zeros(0), *parts])
    return None


def _same_numbers(value: Any, described: Any) -> bool:
    """Whether a returned value holds the numbers of a described one (whatever its container)."""
    got, want = _numbers(value), _described_numbers(described)
    return (
        got is not None
        and want is not None
        and got.size == want.size
        and bool(np.allclose(got, want, rtol=1e-4, atol=1e-6, equal_nan=True))
    )


def same_form(value: Any, described: Any) -> bool:
    """Whether a returned value has the described value's type, dtype, shape and length (on the CPU)."""
    what = described.type if isinstance(described, answers.Value) else None
    if isinstance(value, torch.Tensor):
        return (
            what == "tensor"
            and value.device.type == "cpu"
            and tuple(value.shape) == described.shape
            and str(value.dtype).removeprefix("torch.") == described.dtype
        )
    if isinstance(value, np.ndarray):
        return what == "ndarray" and value.dtype.name == described.dtype and tuple(value.shape) == described.shape
    if type(value) in (list, tuple):
        return (
            what == type(value).__name__
            and len(value) == described.length
            # strict=False: a description holds at most MAX_ITEMS items, and none below MAX_DEPTH
            and all(same_form(item, d) for item, d in zip(value, described.items or (), strict=False))
        )
    return type(value) in (bool, int, float) and what == type(value).__name__


def returned(probe: Probe, result: answers.Result) -> list:
    """The descriptions of what the function returned, in a trusted probe result (one per call)."""
    if probe.name == "call_each":
        return list(result.outs or ())
    return [result.history if probe.name == "train" else result.out]


def gives(behaviour: Behaviour, probe: Probe, result: answers.Result, *, form_only: bool = False) -> bool:
    """Whether the behaviour gives the answer of a trusted result: its error type, or its numbers (or form)."""
    if result.error is not None:
        return behaviour.error is not None and behaviour.error_name == result.error.type
    alike = same_form if form_only else _same_numbers
    described = returned(probe, result)
    return behaviour.error is None and bool(described) and all(alike(behaviour.value, d) for d in described)


def may_pay(check: Check, probe: Probe, behaviour: Behaviour) -> bool:
    """Whether the check may give points to the behaviour: only where the output it observes is right."""
    if check.id in INIT_ONLY and not behaviour.in_init:
        return True
    return gives(behaviour, probe, judging.expected_result(check, probe), form_only=check.id in FORM_ONLY)


def _is_a_labelling(value: Any, probe: Probe) -> bool:
    """0/1 labels, one per input row: what a recognised thresholding mistake looks like."""
    labels, rows = _numbers(value), len(probe.args.get("x", ()))
    return labels is not None and labels.size == rows and set(np.unique(labels)) <= {0.0, 1.0}


def equals_mistake(behaviour: Behaviour, check: Check, probe: Probe, mistake: Mistake) -> bool:
    """Whether what the check observes really is the known mistake's output on this probe."""
    if mistake.recognise is not None:
        return behaviour.error is None and _is_a_labelling(behaviour.value, probe)
    wrong = judging.trusted_result(probe, mistake)
    if check.id in MODEL_AFTER_TRAIN:
        return behaviour.error is None and all(
            _same_numbers(probe.args[key], getattr(wrong, key)) for key in ("weight", "bias")
        )
    return gives(behaviour, probe, wrong)


# ---- the properties --------------------------------------------------------------------------------------------------


def test_the_checks_listed_here_are_declared() -> None:
    """INIT_ONLY, MODEL_AFTER_TRAIN and FORM_ONLY name declared checks (a renamed check must be listed again)."""
    assert set(declared_checks()) >= INIT_ONLY | MODEL_AFTER_TRAIN | FORM_ONLY


@pytest.mark.parametrize("name", NAMES)
@given(behaviour=behaviours(), seed=SEEDS)
def test_grading_finishes_with_one_outcome_per_check(name: str, behaviour: Behaviour, seed: int) -> None:
    """Nothing the function does stops the grading: each of its declared checks gets exactly one Outcome."""
    judged = graded(name, behaviour, seed)
    assert [outcome.check_id for _, _, outcome in judged] == [check.id for check, _ in _checks_of(name, seed)]
    assert all(isinstance(outcome, Outcome) for _, _, outcome in judged)


@pytest.mark.parametrize("name", NAMES)
@given(behaviour=behaviours(), seed=SEEDS)
@example(behaviour=RIGHT, seed=0)
def test_points_need_a_right_answer(name: str, behaviour: Behaviour, seed: int) -> None:
    """The reference earns every point; anything else earns points only where the output a check observes is right."""
    for check, probe, outcome in finished(name, behaviour, seed):
        if behaviour.right:
            assert outcome.points == check.points, f"{check.id} on the reference: {say(outcome.message)}"
        else:
            assert outcome.points == 0 or may_pay(check, probe, behaviour), f"{check.id} paid {outcome.points}"


@pytest.mark.parametrize("name", NAMES)
@given(behaviour=junk(), seed=SEEDS)
def test_messages_say_which_function_and_what_came_back(name: str, behaviour: Behaviour, seed: int) -> None:
    """A failed check names the function and what it returned or raised, in words, with nothing internal."""
    for check, probe, outcome in finished(name, behaviour, seed):
        if outcome.passed:
            continue
        message = say(outcome.message)
        assert probe.needs in message, f"{check.id}: the function is not named in {message!r}"
        assert not INTERNAL.search(message), f"{check.id}: internal text in {message!r}"
        if behaviour.error is not None:
            assert behaviour.error_name in message, f"{check.id}: the error's type is not named in {message!r}"
        elif check.id in MODEL_AFTER_TRAIN:
            continue
        elif behaviour.value is None:
            assert "returned None" in message, f"{check.id}: None is not said as such in {message!r}"
        elif not gives(behaviour, probe, judging.expected_result(check, probe), form_only=True):
            assert any(word in message for word in behaviour.words), (
                f"{check.id}: none of {behaviour.words} in {message!r}"
            )


@pytest.mark.parametrize("name", NAMES)
@given(behaviour=junk(), seed=SEEDS)
def test_a_mistake_is_named_only_when_the_output_is_that_mistake(name: str, behaviour: Behaviour, seed: int) -> None:
    """outcome.mistake is set only when the output equals that known mistake's output (so never for None)."""
    for check, probe, outcome in finished(name, behaviour, seed):
        if outcome.mistake is not None:
            mistake = next(mistake for mistake in check.mistakes if mistake.id == outcome.mistake)
            assert equals_mistake(behaviour, check, probe, mistake), f"{check.id}: blamed on {outcome.mistake}"


# ---- end to end: a real child process grades whole submissions ----------------------------------------------------

JUNK_SOURCES = (
    "return None",
    "return True",
    "return 3",
    "return 10 ** 400",
    "return np.float32('nan')",
    "return np.int64(7)",
    "return (1.0, 2.0, 3.0)",
    "return [torch.zeros(2), (torch.ones(1), [3])]",
    "return (i for i in range(3))",
    "return {'out': 1.0}",
    "return 'a string'",
    "return b'bytes'",
    "return torch.zeros(3, dtype=torch.int64)",
    "return torch.ones(2, 2, dtype=torch.complex64)",
    "return torch.zeros((), dtype=torch.bfloat16, requires_grad=True)",
    "return torch.empty(3, 1, device='meta')",
    "return torch.full((1000, 1000), float('inf'))",
    "return np.array([None, 'a'], dtype=object)",
    "return torch.nn.Linear(1, 1)",
    "raise KeyboardInterrupt",
    "raise SystemExit(3)",
    "raise GeneratorExit",
    "raise NotImplementedError('later')",
    "raise ValueError('nope')",
)


def rewritten(tmp_path: Path, body: Callable[[ast.FunctionDef], list[ast.stmt]], files: str = "ex*.py") -> Path:
    """The solutions with the body of every function and method (of the files matched) replaced by body(it)."""
    folder = tmp_path / "student"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for path in folder.glob(files):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                node.body = body(node)
        path.write_text("import numpy as np\nimport torch\n" + ast.unparse(tree) + "\n")
    return folder


@pytest.mark.slow
def test_a_submission_of_empty_bodies_scores_zero(tmp_path: Path) -> None:
    """Every function and method body `pass`: every check fails and the total is 0."""
    result = grading.grade(rewritten(tmp_path, lambda node: [ast.Pass()]))
    assert [outcome.check_id for outcome in result.outcomes] == declared_checks()
    assert [(o.check_id, o.points) for o in result.outcomes if o.points] == []


@pytest.mark.slow
def test_a_forgotten_return_is_said_and_hinted(tmp_path: Path) -> None:
    """A sigmoid that computes its value but never returns it: 'returned None', a hint to return it, no other blame."""
    folder = rewritten(
        tmp_path,
        lambda node: [ast.Expr(s.value) if isinstance(s, ast.Return) else s for s in node.body],
        "ex1_sigmoid.py",
    )
    result = grading.grade(folder, select=lambda exercise, check: exercise.number == 1)
    assert [outcome.check_id for outcome in result.outcomes] == declared_checks(lambda exercise: exercise.number == 1)
    for outcome in result.outcomes:
        assert outcome.points == 0 and "returned None" in say(outcome.message), (outcome.check_id, say(outcome.message))
        assert "return" in say(outcome.hint).lower() and outcome.mistake is None, (outcome.check_id, say(outcome.hint))
        assert "overflow" not in say(outcome.hint).lower() and ".item()" not in say(outcome.hint), (
            outcome.check_id,
            say(outcome.hint),
        )


@pytest.mark.slow
def test_a_submission_of_junk_scores_zero_and_is_graded_in_full(tmp_path: Path) -> None:
    """Each function returns or raises other junk (seed 7): one outcome per check, points only for __init__'s layer."""
    sources = iter(random.Random(7).sample(JUNK_SOURCES, len(JUNK_SOURCES)))
    chosen: dict[str, str] = {}

    def junk_body(node: ast.FunctionDef) -> list[ast.stmt]:
        if node.name == "__init__":
            return node.body  # a right __init__: only forward returns junk
        chosen[node.name] = next(sources)
        return ast.parse(chosen[node.name]).body

    result = grading.grade(rewritten(tmp_path, junk_body))
    assert [outcome.check_id for outcome in result.outcomes] == declared_checks()
    paid = [(o.check_id, o.points) for o in result.outcomes if o.points and o.check_id not in INIT_ONLY]
    assert paid == [], f"junk {chosen} earned points"
