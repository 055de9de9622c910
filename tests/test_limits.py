"""Every stated limit (autograder/submission/limits.py), each met by a hostile input built here: it costs only its
file or check, with a one-line message, in bounded time, and results.json is written."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.frontends import cli
from autograder.frontends.instructor.nbgrader.autograde import exercise_of, language_of
from autograder.i18n.messages import say
from autograder.lesson.reference import SOLUTIONS
from autograder.sandboxed import answers, wire
from autograder.sandboxed.source import UnreadableSource, parse
from autograder.submission import limits, loader, notebooks

GENEROUS_S = 60  # no timed assertion is tighter than this: the figures are in the report


def one_line(value) -> str:
    text = say(value)
    assert "\n" not in text, text
    return text


def deep_folders(folder: Path, levels: int, file: str, text: str) -> None:
    """folder/d/d/.../d/file, levels deep, made without recursion (pathlib's mkdir and os.makedirs recurse)."""
    folder.mkdir()
    fd = os.open(folder, os.O_RDONLY)
    for _level in range(levels):
        os.mkdir("d", dir_fd=fd)
        fd, parent = os.open("d", os.O_RDONLY, dir_fd=fd), fd
        os.close(parent)
    with os.fdopen(os.open(file, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as out:
        out.write(text)
    os.close(fd)


def remove_deep_folders(folder: Path) -> None:
    """Remove what deep_folders made, one level at a time (shutil.rmtree, and pytest's cleanup, recurse)."""
    top, spare = folder / "d", folder / "spare"
    while top.exists():
        if (top / "d").exists():
            os.rename(top / "d", spare)
        for file in top.iterdir():
            file.unlink()
        top.rmdir()
        if spare.exists():
            os.rename(spare, top)


def test_a_py_file_1100_folders_deep_gives_a_results_json(tmp_path):
    folder = tmp_path / "student"
    deep_folders(folder, 1100, "ex1_sigmoid.py", (SOLUTIONS / "ex1_sigmoid.py").read_text())
    try:
        started = time.perf_counter()
        with pytest.raises(loader.SubmissionError, match=f"looked {limits.MAX_DEPTH} folders deep"):
            loader.student_files(folder)
        results = tmp_path / "results.json"
        assert cli.main([str(folder), "--json", str(results), "--no-color"]) == 2
        assert time.perf_counter() - started < GENEROUS_S
        assert json.loads(results.read_text())["score"] == 0
    finally:
        remove_deep_folders(folder)


def test_20000_helper_files_cost_only_the_files_past_the_limit(tmp_path):
    shutil.copytree(SOLUTIONS, tmp_path / "student", ignore=shutil.ignore_patterns("__pycache__"))
    for n in range(20_000):
        (tmp_path / "student" / f"helper_{n:05}.py").write_text("x = 1\n")
    started = time.perf_counter()
    root, files, notes = loader.student_files(tmp_path / "student")
    assert time.perf_counter() - started < GENEROUS_S
    print(f"student_files over 20,006 files: {time.perf_counter() - started:.2f} s")
    assert len(files) == limits.MAX_FILES and {f"ex{n}" for n in range(1, 7)} <= {f.stem[:3] for f in files}
    [note] = [one_line(note) for note in notes]
    assert note.startswith(f"{20_006 - limits.MAX_FILES} files not graded (")


def test_a_5000_term_expression_is_an_unreadable_file(tmp_path):
    file = tmp_path / "ex1_sigmoid.py"
    file.write_text("x = " + " + ".join(["1"] * 5000) + "\n")
    with pytest.raises(UnreadableSource, match=f"nested over the limit of {limits.MAX_SOURCE_DEPTH} levels"):
        parse(file)
    layout = loader.scan(tmp_path, {"sigmoid": "ex1_sigmoid"})
    assert "nested over the limit" in one_line(layout.problem("sigmoid", "ex1_sigmoid"))


def test_an_oversized_py_file_is_not_read(tmp_path):
    file = tmp_path / "ex1_sigmoid.py"
    file.write_text("#" * (limits.MAX_SOURCE_BYTES + 1))
    with pytest.raises(UnreadableSource, match="over the limit"):
        parse(file)


def notebook_file(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "ex1_sigmoid.ipynb"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    "fields",
    [{"nbformat": 10**100}, {"nbformat": "4"}, {"nbformat": 4, "nbformat_minor": -1}, {"nbformat": 4.0}],
)
def test_absurd_nbformat_fields_are_a_notebook_error(tmp_path, fields):
    path = notebook_file(tmp_path, {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **fields})
    with pytest.raises(notebooks.NotebookError) as error:
        notebooks.read(path)
    assert "is not a valid notebook" in one_line(error.value.said)


def test_a_100000_cell_notebook_is_refused_before_nbformat_reads_it(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None}
    path = notebook_file(tmp_path, {"cells": [cell] * 100_000, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    started = time.perf_counter()
    with pytest.raises(notebooks.NotebookError) as error:
        notebooks.read(path)
    assert time.perf_counter() - started < GENEROUS_S
    assert one_line(error.value.said).endswith(f"100000 cells, over the limit of {limits.MAX_NOTEBOOK_CELLS}")


def test_a_notebook_whose_metadata_claims_another_exercise_is_graded_as_its_file_name():
    notebook = nbformat.v4.new_notebook(metadata={"logreg": {"exercise": "ex2_bce_loss", "language": 5}})
    assert exercise_of(notebook, "ex1_sigmoid") == "ex1_sigmoid"
    assert language_of(notebook) is None
    assert language_of(nbformat.v4.new_notebook(metadata={"logreg": 5})) is None


@pytest.mark.parametrize(
    "line",
    [
        "[" * 5000 + "]" * 5000,  # nested
        json.dumps({"result": {"forbidden": ["x"] * (wire.MAX_ELEMENTS + 1)}}),  # too many values
        "x" * (wire.MAX_MESSAGE_BYTES + 1),  # too long
    ],
    ids=["nested", "values", "bytes"],
)
def test_the_wire_refuses_lines_over_its_limits_naming_the_limit(line):
    started = time.perf_counter()
    with pytest.raises(wire.WireError, match="limit|not a valid message"):
        wire.loads(line)
    assert time.perf_counter() - started < GENEROUS_S


def test_an_array_whose_shape_claims_a_billion_values_is_refused_before_decoding():
    line = json.dumps({"__array__": "", "dtype": "float64", "shape": [10**9]})
    with pytest.raises(wire.WireError, match=f"limit of {wire.MAX_ELEMENTS} values"):
        wire.loads(line)


def test_the_child_refuses_to_send_what_the_trusted_side_would_refuse():
    with pytest.raises(wire.WireError, match="limit"):
        wire.dumps({"out": np.zeros(wire.MAX_ELEMENTS + 1)})


def test_a_forged_value_whose_shape_disagrees_with_its_numbers_is_refused():
    data = {"out": {"type": "tensor", "dtype": "float32", "shape": [7, 9], "value": 0.5}}
    with pytest.raises(answers.AnswerError, match="result.out: shape"):
        answers.decode_result(data)
