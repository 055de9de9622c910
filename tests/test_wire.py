"""Only plain data crosses the process boundary, and arrays survive it exactly."""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograder.sandboxed import answers, wire


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_arrays_round_trip_exactly(dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    back = wire.loads(wire.dumps({"out": array, "items": [array[0], 1.5, None, "text", True]}))
    assert back["out"].dtype == array.dtype and np.array_equal(back["out"], array)
    assert back["items"][1:] == [1.5, None, "text", True]


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,)])
def test_every_shape_survives_even_zero_dim_and_empty(shape):
    array = np.zeros(shape, dtype=np.float32)
    assert wire.loads(wire.dumps(array)).shape == shape


def test_a_transposed_array_keeps_its_values():
    array = np.arange(6.0).reshape(2, 3).T
    assert np.array_equal(wire.loads(wire.dumps(array)), array)


def test_non_finite_floats_survive():
    back = wire.loads(wire.dumps({"values": np.array([np.nan, np.inf, -np.inf])}))
    assert np.isnan(back["values"][0]) and np.isposinf(back["values"][1]) and np.isneginf(back["values"][2])


def test_objects_are_refused():
    with pytest.raises(wire.WireError, match="not plain data"):
        wire.dumps({"out": object()})
    with pytest.raises(wire.WireError, match="cannot cross"):
        wire.dumps(np.array([object()], dtype=object))


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b'{"__array__": "AAAA", "dtype": "object", "shape": [1]}',
        b'{"__array__": "AAAAAAAAAAA=", "dtype": "float64", "shape": [5]}',
        b'{"__array__": "%%%", "dtype": "float64", "shape": [1]}',
    ],
)
def test_malformed_messages_are_refused(line):
    with pytest.raises(wire.WireError):
        wire.loads(line)


def test_anything_a_student_returns_can_be_described_and_sent():
    import torch

    from autograder.sandboxed.describe import describe

    returned = [
        torch.ones(2, dtype=torch.bfloat16),
        torch.ones(2, dtype=torch.complex64),
        np.ones(2, np.int8),
        np.ones(2, np.longdouble),
        np.array(["text"]),
        torch.tensor(3.0, requires_grad=True),
        (1, [2.0]),
        object(),
    ]
    for value in returned:
        described = describe(value)
        sent = wire.loads(wire.dumps(answers.to_plain(answers.Result(out=described))))
        assert answers.decode_result(sent).out.type == described.type


def test_an_answer_comes_back_as_the_declared_types():
    answer = answers.Result(
        out=answers.Value("tuple", length=2, items=(answers.Value("float", value=0.5), answers.Value("NoneType"))),
        grad=answers.Failed(answers.Raised("RuntimeError", "no graph", answers.Place("ex1_sigmoid.py", 3))),
        inputs_unchanged=True,
        linear_shape=(3, 1),
        forbidden=("torch.sigmoid",),
    )
    back = answers.crossed(answer)
    assert back.out.items[0].value == 0.5 and back.out.items[1].type == "NoneType" and back.out.length == 2
    assert back.grad == answer.grad and back.inputs_unchanged is True
    assert back.linear_shape == (3, 1) and back.forbidden == ("torch.sigmoid",) and back.history is None


@pytest.mark.parametrize(
    "data, named",
    [
        ({"out": {"type": 3}}, "result.out.type: expected a string"),
        ({"outz": 1}, "has no field 'outz'"),
        ({"out": {"type": "list", "items": [{"type": "float", "value": "0.5"}]}}, "result.out.items[0].value"),
        ({"inputs_unchanged": "yes"}, "result.inputs_unchanged"),
        ({"error": {"type": "ValueError"}}, "result.error"),
        ({"forbidden": "torch.sigmoid"}, "result.forbidden: expected a list of strings"),
        (
            {"out": {"type": "list", "items": [{"type": "list", "items": []}] * 2}, "grad": {"error": 1}},
            "result.grad.error",
        ),
        ([], "result: expected a Result"),
    ],
)
def test_an_answer_of_another_shape_is_refused_with_the_field_named(data, named):
    with pytest.raises(answers.AnswerError, match=re.escape(named)):
        answers.decode_result(data)


def test_an_answer_nested_past_the_limit_is_refused():
    value: dict = {"type": "list", "items": []}
    for _ in range(answers.MAX_NESTING + 2):
        value = {"type": "list", "items": [value]}
    with pytest.raises(answers.AnswerError, match="nested more than"):
        answers.decode_result({"out": value})
    with pytest.raises(wire.WireError):
        wire.loads("[" * 100_000 + "]" * 100_000)  # JSON nested past the interpreter's recursion limit
