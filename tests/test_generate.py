"""Tests of the stub generator: the marker transform, the files it writes, its CLI, drift."""

import ast
import importlib
import inspect
import re
import shutil
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from autograder.materials.stubs import BEGIN, END, MarkerError, drift, generate, main, make_stub

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
EXERCISES = REPO / "exercises"
SOLUTION_FILES = sorted(SOLUTIONS.glob("ex*.py"))


def stub_for(filename: str, number: int) -> str:
    """The expected replacement line, without indentation."""
    return (
        f'raise NotImplementedError("Exercise {number}: replace this line with your code'
        f' (see the task at the top of {filename})")'
    )


def solution(*body: str) -> str:
    """A small solution module whose function body is the given lines."""
    return "\n".join(["import math", "", "", "def f(x):", '    """Doc."""', *body, ""])


# make_stub


def test_block_becomes_one_line_at_the_marker_indentation():
    source = solution(f"    {BEGIN}", "    y = x + 1", "    return y", f"    {END}")
    expected = solution("    " + stub_for("ex7_demo.py", 7))
    assert make_stub(source, "ex7_demo.py") == expected


def test_nested_indentation_and_tabs_are_kept():
    source = (
        f"class M:\n    def f(self):\n        {BEGIN}\n        pass\n        {END}\n"
        f"\tif 1:\n\t\t{BEGIN}\n\t\tx = 1\n\t\t{END}\n"
    )
    stub = stub_for("ex2_x.py", 2)
    expected = f"class M:\n    def f(self):\n        {stub}\n\tif 1:\n\t\t{stub}\n"
    assert make_stub(source, "ex2_x.py") == expected


def test_text_outside_the_markers_is_kept_byte_for_byte():
    head = '# Exercise 4: odd bytes\r\n"""Docstring ### BEGIN SOLUTION mentioned inline."""  \r\nx = "\u00e9"\t\r\n\r\n'
    tail = "\r\n# trailing comment, no final newline"
    source = head + f"    {BEGIN}\r\n    secret = 1\r\n    {END}" + tail
    assert make_stub(source, "ex4_train.py") == head + "    " + stub_for("ex4_train.py", 4) + tail


def test_every_block_is_replaced_and_markers_may_have_trailing_spaces():
    source = f"{BEGIN}  \na = 1\n{END}\nkeep = 2\n{BEGIN}\nb = 3\n{END}   \n"
    stub = stub_for("ex1_sigmoid.py", 1)
    assert make_stub(source, "ex1_sigmoid.py") == f"{stub}\nkeep = 2\n{stub}\n"


def test_an_empty_block_still_gets_a_stub():
    assert make_stub(f"{BEGIN}\n{END}\n", "ex5_predict.py") == stub_for("ex5_predict.py", 5) + "\n"


@pytest.mark.parametrize(
    ("filename", "number", "named"),
    [("ex3_model.py", 3, "ex3_model.py"), ("course/solutions/ex12_softmax.py", 12, "ex12_softmax.py")],
)
def test_the_message_names_the_exercise_and_its_file(filename, number, named):
    stub = make_stub(f"{BEGIN}\n{END}\n", filename)
    assert stub == stub_for(named, number) + "\n"
    assert f'"Exercise {number}: ' in stub and f"top of {named})" in stub


@pytest.mark.parametrize(
    ("lines", "line", "problem"),
    [
        (["def f():", f"    {BEGIN}", f"    {BEGIN}", f"    {END}"], 3, "nested"),
        (["def f():", f"    {BEGIN}", "    pass", f"    {END}", f"    {END}"], 5, "without"),
        (["x = 1", f"{END}"], 2, "without"),
        (["def f():", f"    {BEGIN}", "    pass", "", "def g():", "    pass"], 2, "no '### END SOLUTION'"),
        (["def f():", "    pass", "", "x = 1"], 4, "no '### BEGIN SOLUTION'"),
    ],
    ids=["nested-begin", "end-after-block", "end-without-begin", "missing-end", "no-block"],
)
def test_bad_markers_raise_with_file_and_line(lines, line, problem):
    with pytest.raises(MarkerError) as caught:
        make_stub("\n".join(lines) + "\n", "ex9_bad.py")
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.filename, error.line) == ("ex9_bad.py", line)
    assert str(error).startswith(f"ex9_bad.py:{line}: ")
    assert problem in str(error)


def test_an_empty_file_has_no_block_on_line_1():
    with pytest.raises(MarkerError, match=r"^ex9_bad\.py:1: no"):
        make_stub("", "ex9_bad.py")


def test_a_file_name_without_an_exercise_number_is_refused():
    with pytest.raises(MarkerError, match="ex<N>_<topic>.py"):
        make_stub(f"{BEGIN}\n{END}\n", "extra_helpers.py")


# the real solutions


@pytest.fixture(scope="module")
def stub_folder(tmp_path_factory):
    """The stubs of the repo's solutions, generated into a scratch folder."""
    folder = tmp_path_factory.mktemp("exercises")
    generate(SOLUTIONS, folder)
    return folder


@pytest.fixture
def fresh_exercise_modules():
    """Let ex* modules be imported anew, and put sys.modules back afterwards."""
    is_exercise = re.compile(r"ex\d+\w*").fullmatch
    saved = {name: module for name, module in sys.modules.items() if is_exercise(name)}
    for name in saved:
        del sys.modules[name]
    yield
    for name in [name for name in sys.modules if is_exercise(name)]:
        del sys.modules[name]
    sys.modules.update(saved)


def called_with_nones(function, self=None):
    """Call function with None for every required argument (and self, if given)."""
    args, kwargs = ([self] if self is not None else []), {}
    parameters = list(inspect.signature(function).parameters.values())[1 if self is not None else 0 :]
    for parameter in parameters:
        if parameter.default is not parameter.empty:
            continue
        if parameter.kind == parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = None
        elif parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            args.append(None)
    return function(*args, **kwargs)


def own_callables(module):
    """(name, function, self) for the module's own functions and its classes' methods."""
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            yield name, value, None
        elif inspect.isclass(value):
            for method_name, method in vars(value).items():
                if inspect.isfunction(method):
                    yield f"{name}.{method_name}", method, value.__new__(value)


def signatures(source: str) -> list[str]:
    """Every def and class line of a module, as the AST sees it (bodies left out)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(ast.dump(type(node)(**{**vars(node), "body": []})))
            found.append(repr(ast.get_docstring(node, clean=False)))
    return found


def test_there_are_solutions_to_generate_from():
    assert [path.name for path in SOLUTION_FILES][:1] == ["ex1_sigmoid.py"]


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda path: path.name)
def test_each_stub_keeps_every_line_outside_the_blocks(path, stub_folder):
    source = path.read_text(encoding="utf-8")
    stub = (stub_folder / path.name).read_text(encoding="utf-8")
    number = int(re.match(r"ex(\d+)", path.name).group(1))
    outside, inside = [], False
    for line in source.splitlines():
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
            if not inside:
                outside.append(line[: len(line) - len(line.lstrip())] + stub_for(path.name, number))
        elif not inside:
            outside.append(line)
    assert stub.splitlines() == outside
    assert signatures(stub) == signatures(source)


@pytest.mark.parametrize("path", SOLUTION_FILES, ids=lambda path: path.name)
def test_each_stub_parses_imports_and_raises_not_implemented(path, stub_folder, fresh_exercise_modules, monkeypatch):
    ast.parse((stub_folder / path.name).read_text(encoding="utf-8"), filename=path.name)
    monkeypatch.syspath_prepend(str(stub_folder))  # ex3/ex4 import their siblings by plain name
    module = importlib.import_module(path.stem)
    assert Path(module.__file__).parent == stub_folder
    callables = list(own_callables(module))
    assert callables, f"{path.name} defines no function"
    for _name, function, self in callables:
        with pytest.raises(NotImplementedError, match=rf"^Exercise \d+: .* {re.escape(path.name)}\)$"):
            called_with_nones(function, self)


# generate and drift


@pytest.fixture
def folders(tmp_path):
    """A copy of the repo's solutions and an empty exercises folder beside it."""
    solutions = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS, solutions, ignore=shutil.ignore_patterns("__pycache__"))
    return solutions, tmp_path / "exercises"


def test_generate_writes_every_stub_and_then_nothing_drifts(folders):
    solutions, exercises = folders
    assert drift(solutions, exercises) == [path.name for path in SOLUTION_FILES]
    written = generate(solutions, exercises)
    assert [path.name for path in written] == [path.name for path in SOLUTION_FILES]
    assert all(path.parent == exercises for path in written)
    assert drift(solutions, exercises) == []


def test_drift_finds_edited_missing_and_stale_stubs(folders):
    solutions, exercises = folders
    generate(solutions, exercises)
    with open(exercises / "ex2_bce_loss.py", "a", encoding="utf-8") as file:
        file.write("# a hand edit\n")
    (exercises / "ex5_predict.py").unlink()
    (exercises / "ex9_old.py").write_text("x = 1\n", encoding="utf-8")
    (exercises / "notes.txt").write_text("not a stub\n", encoding="utf-8")
    assert drift(solutions, exercises) == ["ex2_bce_loss.py", "ex5_predict.py", "ex9_old.py"]
    generate(solutions, exercises)
    assert drift(solutions, exercises) == []
    assert not (exercises / "ex9_old.py").exists() and (exercises / "notes.txt").exists()


def test_generate_writes_nothing_when_one_solution_is_broken(folders):
    solutions, exercises = folders
    broken = solutions / "ex4_train.py"
    broken.write_text(broken.read_text(encoding="utf-8").replace(END, "# END", 1), encoding="utf-8")
    with pytest.raises(MarkerError, match=r"^ex4_train\.py:\d+: "):
        generate(solutions, exercises)
    assert not exercises.exists()


# the command line


def test_the_console_script_is_main():
    (script,) = entry_points(group="console_scripts", name="logreg-exercises")
    assert script.load() is main


def test_cli_exit_codes(folders, capsys):
    solutions, exercises = folders
    where = ["--solutions", str(solutions), "--exercises", str(exercises)]
    assert main([*where, "--check"]) == 1
    assert "logreg-exercises" in capsys.readouterr().out
    assert not exercises.exists()  # --check writes nothing
    assert main(where) == 0
    assert capsys.readouterr().out.count("wrote ") == len(SOLUTION_FILES)
    assert main([*where, "--check"]) == 0
    (exercises / "ex1_sigmoid.py").write_text("# edited by hand\n", encoding="utf-8")
    assert main([*where, "--check"]) == 1
    assert "ex1_sigmoid.py" in capsys.readouterr().out


def test_cli_exits_2_on_a_marker_error(folders, capsys):
    solutions, exercises = folders
    (solutions / "ex7_empty.py").write_text("x = 1\n", encoding="utf-8")
    for check in ([], ["--check"]):
        assert main(["--solutions", str(solutions), "--exercises", str(exercises), *check]) == 2
        assert "ex7_empty.py:1: " in capsys.readouterr().err


def test_cli_exits_2_on_a_missing_solutions_folder(tmp_path, capsys):
    missing = tmp_path / "no-such-folder"
    for check in ([], ["--check"]):
        assert main(["--solutions", str(missing), "--exercises", str(tmp_path), *check]) == 2
        assert "solutions folder not found" in capsys.readouterr().err


def test_check_says_so_when_nothing_drifted(folders, capsys):
    solutions, exercises = folders
    generate(solutions, exercises)
    assert main(["--solutions", str(solutions), "--exercises", str(exercises), "--check"]) == 0
    assert capsys.readouterr().out == f"{exercises}/ matches {solutions}/ ({len(SOLUTION_FILES)} files)\n"


def test_the_default_folders_are_those_of_the_current_folder(folders, monkeypatch, capsys):
    solutions, exercises = folders
    monkeypatch.chdir(solutions.parent)
    assert main([]) == 0
    assert sorted(path.name for path in exercises.iterdir()) == [path.name for path in SOLUTION_FILES]
    capsys.readouterr()
    assert main(["--check"]) == 0
    assert capsys.readouterr().out == f"exercises/ matches solutions/ ({len(SOLUTION_FILES)} files)\n"


def test_without_a_solutions_folder_here_the_error_names_the_option(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for check in ([], ["--check"]):
        assert main(check) == 2
        err = capsys.readouterr().err
        assert "solutions folder not found: solutions" in err and "--solutions DIR" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written


# the drift test


def test_exercises_match_solutions():
    drifted = drift(SOLUTIONS, EXERCISES)
    assert drifted == [], (
        f"exercises/ is out of date for {', '.join(drifted)}: it is generated from solutions/, "
        "never edited by hand. Run `logreg-exercises` and commit the result."
    )
