"""The notebooks built from solutions/ (source and student), the nbgrader course folder, and the kernel's importer."""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

import nbformat
import pytest
import tomllib
from nbgrader.nbgraderformat import MetadataValidator

from autograder.frontends import jupyter as kernel
from autograder.frontends.instructor.nbgrader import course
from autograder.grading.grade import grade
from autograder.grading.outcomes import NOT_IMPLEMENTED
from autograder.lesson import EXERCISES
from autograder.materials import notebooks as lesson_notebooks
from autograder.materials.stubs import BEGIN, END, make_stub
from autograder.submission import notebooks

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((REPO / "solutions").glob("ex*.py"))
POINTS = {exercise.module: exercise.points for exercise in EXERCISES}


def solution_blocks(text: str) -> list[str]:
    """The code inside each BEGIN/END SOLUTION block of a solution module."""
    return [block.strip("\n") for block in re.findall(rf"{BEGIN}\n(.*?)\n[ \t]*{END}", text, re.DOTALL)]


def code(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def role_cells(notebook: nbformat.NotebookNode, role: str) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.metadata.get("logreg", {}).get("role") == role]


@pytest.fixture(scope="module")
def sources() -> dict[str, nbformat.NotebookNode]:
    return {path.stem: lesson_notebooks.source_notebook(path, POINTS[path.stem]) for path in SOLUTIONS}


@pytest.fixture(scope="module")
def students(sources) -> dict[str, nbformat.NotebookNode]:
    return {module: lesson_notebooks.student_notebook(notebook) for module, notebook in sources.items()}


# The notebooks


def test_every_notebook_validates_with_nbformat_and_nbgrader(sources, students):
    assert list(sources) == [exercise.module for exercise in EXERCISES]
    for notebook in [*sources.values(), *students.values()]:
        nbformat.validate(notebook)
    for notebook in sources.values():
        MetadataValidator().validate_nb(notebook)


def test_notebook_metadata_names_the_assignment_exercise_and_python_kernel(sources, students):
    for module, notebook in [*sources.items(), *students.items()]:
        assert notebook.metadata["logreg"] == {"assignment": "logreg", "exercise": module}
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        assert notebook.metadata["kernelspec"]["language"] == "python"


def test_every_solution_block_is_in_the_source_notebook_and_none_in_the_student_one(sources, students):
    for path in SOLUTIONS:
        blocks = solution_blocks(path.read_text())
        assert blocks, path.name
        for block in blocks:
            assert block in code(sources[path.stem]), (
                f"{path.name}: a solution block is missing from the source notebook"
            )
            for line in filter(str.strip, block.splitlines()):
                assert line not in code(students[path.stem]), (
                    f"{path.name}: {line.strip()!r} left in the student notebook"
                )
        assert BEGIN not in code(students[path.stem]) and END not in code(students[path.stem])


def test_student_solution_cells_hold_the_generated_stub_line(sources, students):
    for module, notebook in sources.items():
        solution = [
            (i, cell) for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("solution")
        ]
        assert solution, module
        for i, cell in solution:
            stubbed = students[module].cells[i].source
            assert stubbed == make_stub(cell.source, f"{module}.ipynb", lesson_notebooks.NOTEBOOK_STUB)
            assert re.search(r"^\s*raise NotImplementedError\(", stubbed, re.MULTILINE)
            assert cell.metadata["nbgrader"] == {
                "grade": False,
                "grade_id": cell.metadata["nbgrader"]["grade_id"],
                "locked": False,
                "schema_version": 3,
                "solution": True,
            }


def test_code_outside_the_solution_cells_is_locked_and_read_only_for_students(sources, students):
    for module, notebook in sources.items():
        for cell, student in zip(notebook.cells, students[module].cells, strict=True):
            meta = cell.metadata["nbgrader"]
            assert meta["locked"] != meta["solution"], (module, cell.source[:40])
            assert "nbgrader" not in student.metadata
            assert (student.metadata.get("editable") is False) == meta["locked"]


def test_kit_cells_open_with_the_marker_and_carry_their_role(sources, students):
    for module, notebook in [*sources.items(), *students.items()]:
        [setup], [checks] = role_cells(notebook, "setup"), role_cells(notebook, "checks")
        assert (
            setup.source.splitlines()[0] == "# [logreg: setup]"
            and "%load_ext autograder.frontends.jupyter" in setup.source
        )
        assert checks.source.splitlines() == [
            f"# [logreg: checks {module}]",
            f"# The kit's checks of exercise {module[2]}: run this cell for your points and hints (do not edit it).",
            "from autograder.frontends.jupyter import check",
            f'check("{module}")',
        ]
        assert (
            notebook.cells.index(setup)
            < min(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and cell is not setup)
            and notebook.cells[-1] is checks
        )
        assert notebooks.student_cells(notebook) and all(
            not cell.startswith("# [logreg:") for cell in notebooks.student_cells(notebook)
        )


def test_each_test_cell_is_worth_its_exercise_points(sources):
    for module, notebook in sources.items():
        [checks] = role_cells(notebook, "checks")
        assert checks.metadata["nbgrader"] == {
            "grade": True,
            "grade_id": f"{module}_checks",
            "locked": True,
            "points": POINTS[module],
            "schema_version": 3,
            "solution": False,
        }
        graded = [cell for cell in notebook.cells if cell.metadata["nbgrader"]["grade"]]
        assert graded == [checks]
    assert sum(POINTS.values()) == 100


def test_the_task_cell_holds_the_title_the_task_and_formulas_in_latex(sources):
    for path in SOLUTIONS:
        task = sources[path.stem].cells[0]
        assert task.cell_type == "markdown"
        assert task.source.startswith("# " + path.read_text().splitlines()[0].lstrip("# "))
        assert re.search(r"\*\*Tasks?:\*\* ?", task.source), path.name
        assert "raise NotImplementedError(...)" in task.source
    assert r"\sigma(z) = 1 / (1 + e^{-z})" in sources["ex1_sigmoid"].cells[0].source
    assert r"p = \sigma(x W^\top + b)" in sources["ex3_model"].cells[0].source
    assert "```text\nforward:    loss = bce_loss(model(xb), yb)" in sources["ex4_train"].cells[0].source


def test_each_definition_with_a_solution_block_gets_its_own_cell(sources):
    grade_ids = [cell.metadata["nbgrader"]["grade_id"] for cell in sources["ex6_numpy"].cells]
    assert grade_ids == [
        "ex6_numpy_task",
        "ex6_numpy_setup",
        "ex6_numpy_given",
        "ex6_numpy_sigmoid_np",
        "ex6_numpy_bce_loss_np",
        "ex6_numpy_bce_grad_np",
        "ex6_numpy_fit_np",
        "ex6_numpy_checks",
    ]
    assert [cell.id for cell in sources["ex6_numpy"].cells] == [grade_id.replace("_", "-") for grade_id in grade_ids]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("sigma(z) = 1 / (1 + e^(-z))", r"\sigma(z) = 1 / (1 + e^{-z})"),
        (
            "loss = -(y * log(p) + (1 - y) * log(1 - p))",
            r"\text{loss} = -(y \cdot \log(p) + (1 - y) \cdot \log(1 - p))",
        ),
        (
            "dL/dw = X^T (p - y) / N        dL/db = sum(p - y) / N",
            r"\frac{\partial L}{\partial w} = X^\top (p - y) / N \qquad "
            r"\frac{\partial L}{\partial b} = \sum(p - y) / N",
        ),
        ("e^((a + b) * c) -> inf", r"e^{(a + b) \cdot c} \to \infty"),
    ],
)
def test_latex(formula, expected):
    assert lesson_notebooks.latex(formula) == expected


def test_pieces_never_cut_a_solution_block_and_keep_comments_with_their_definition():
    source = (
        f'"""Doc."""\nimport x\n\n# about f\n@decorate\ndef f():\n    {BEGIN}\n    return 1\n    {END}\n\n'
        f"{BEGIN}\nRATE = 0.1\n{END}\nafter = 2\n"
    )
    assert lesson_notebooks.pieces(source) == [
        lesson_notebooks.Piece("given", "import x", False),
        lesson_notebooks.Piece("f", f"# about f\n@decorate\ndef f():\n    {BEGIN}\n    return 1\n    {END}", True),
        lesson_notebooks.Piece("solution", f"{BEGIN}\nRATE = 0.1\n{END}\nafter = 2", True),
    ]


# The lesson's figures

FIGURES = {"ex1_sigmoid": ["sigmoid.png"], "ex2_bce_loss": ["bce_loss.png"], "ex5_predict": ["decision_boundary.png"]}


def attached_pngs(notebook: nbformat.NotebookNode) -> dict[str, bytes]:
    """The task cell's attachments, decoded: name -> PNG bytes."""
    attachments = notebook.cells[0].get("attachments", {})
    assert all(list(bundle) == ["image/png"] for bundle in attachments.values())
    return {name: base64.b64decode(bundle["image/png"], validate=True) for name, bundle in attachments.items()}


def test_the_task_cells_show_the_lessons_figures_as_png_attachments(sources, students):
    image = pytest.importorskip("matplotlib.image")
    for module, notebook in [*sources.items(), *students.items()]:
        task = notebook.cells[0].source
        drawn = attached_pngs(notebook)
        assert sorted(drawn) == FIGURES.get(module, []), module
        assert task.count("](attachment:") == len(drawn)
        for name, png in drawn.items():
            assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"matplotlib" not in png  # no version stamp
            pixels = image.imread(io.BytesIO(png), format="png")
            assert pixels.shape == (360, 600, 4) and pixels.min() < 0.5 < pixels.max(), name  # drawn, not blank
            assert task.index(f"](attachment:{name})") < task.index("**Task"), "the figure comes before the task list"
    assert students["ex5_predict"].cells[0].attachments == sources["ex5_predict"].cells[0].attachments


def test_the_figures_are_the_same_bytes_from_build_to_build(tmp_path):
    pytest.importorskip("matplotlib")
    first, second = (
        lesson_notebooks.student_notebooks(tmp_path / "a"),
        lesson_notebooks.student_notebooks(tmp_path / "b"),
    )
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert b"attachment:decision_boundary.png" in (tmp_path / "a" / "ex5_predict.ipynb").read_bytes()


def test_without_matplotlib_the_notebooks_are_built_without_figures_and_say_so_once(tmp_path, monkeypatch, capsys):
    for name in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)  # import matplotlib raises ImportError
    lesson_notebooks._without_figures.cache_clear()
    try:
        written = lesson_notebooks.student_notebooks(tmp_path)
    finally:
        lesson_notebooks._without_figures.cache_clear()
    err = capsys.readouterr().err
    assert err.count("without the lesson's figures") == 1 and "pip install matplotlib" in err and "Traceback" not in err
    assert len(written) == len(SOLUTIONS)
    for path in written:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert "attachments" not in notebook.cells[0] and "attachment:" not in notebook.cells[0].source


# The course folder


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = course.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_course_folder_holds_config_policy_readme_and_source_notebooks(tmp_path, capsys):
    status, out, err = run(["--out", str(tmp_path / "c")], capsys)
    assert (status, err) == (0, "")
    root = tmp_path / "c"
    assert sorted(path.name for path in (root / "source" / "logreg").iterdir()) == [
        f"{path.stem}.ipynb" for path in SOLUTIONS
    ]
    assert sorted(path.name for path in root.iterdir()) == [
        "README.md",
        "assignment.toml",
        "nbgrader_config.py",
        "source",
    ]
    seed = tomllib.loads((root / "assignment.toml").read_text())["assignment"]["seed"]
    assert isinstance(seed, int) and seed >= 0
    config = (root / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.course_id = "logreg"' in config and repr(lesson_notebooks.NOTEBOOK_STUB) in config
    assert "nbgrader generate_assignment logreg" in out


def test_the_course_takes_points_and_seed_from_the_assignment_file(tmp_path, capsys):
    given = tmp_path / "policy.toml"
    given.write_text('# my course\n[assignment]\nname = "logreg"\nseed = 42\n\n[exercises.2]\npoints = 30\n')
    assert run(["--out", str(tmp_path / "c"), "--assignment", str(given)], capsys)[0] == 0
    assert (tmp_path / "c" / "assignment.toml").read_text() == given.read_text()
    notebook = nbformat.read(tmp_path / "c" / "source" / "logreg" / "ex2_bce_loss.ipynb", as_version=4)
    assert role_cells(notebook, "checks")[0].metadata["nbgrader"]["points"] == 30


def test_a_seed_is_added_to_an_assignment_file_without_one(tmp_path, capsys):
    for text in ("[exercises.1]\npoints = 20\n", '[assignment]\nname = "x"\n\n[exercises.1]\npoints = 20\n'):
        given = tmp_path / "policy.toml"
        given.write_text(text)
        assert run(["--out", str(tmp_path / "c"), "--assignment", str(given), "--force"], capsys)[0] == 0
        written = tomllib.loads((tmp_path / "c" / "assignment.toml").read_text())
        assert isinstance(written["assignment"]["seed"], int) and written["exercises"]["1"]["points"] == 20


def test_a_folder_that_is_not_empty_is_kept_without_force(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    status, out, err = run(["--out", str(tmp_path)], capsys)
    assert status == 2 and out == ""
    assert f"{tmp_path} is not empty" in err and "--force" in err and "Traceback" not in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    assert run(["--out", str(tmp_path), "--force"], capsys)[0] == 0
    assert (tmp_path / "notes.txt").read_text() == "mine" and (
        tmp_path / "source" / "logreg" / "ex1_sigmoid.ipynb"
    ).is_file()


def test_a_bad_assignment_file_is_named_without_a_traceback(tmp_path, capsys):
    given = tmp_path / "policy.toml"
    given.write_text("[exercises.9]\npoints = 1\n")
    status, _, err = run(["--out", str(tmp_path / "c"), "--assignment", str(given)], capsys)
    assert status == 2 and str(given) in err and "exercises.9" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_help_names_the_command(capsys):
    status, out, _ = run(["--help"], capsys)
    assert status == 0 and "logreg-grade nbgrader" in out and "--assignment" in out and "--force" in out


# The kernel's importer and assignment file


def write_notebook(folder: Path, module: str, extra: list[str]) -> Path:
    """The source notebook of module (solutions in it) with extra code cells at its end."""
    notebook = lesson_notebooks.source_notebook(REPO / "solutions" / f"{module}.py")
    notebook.cells += [nbformat.v4.new_code_cell(cell) for cell in extra]
    path = folder / f"{module}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def importer(tmp_path):
    finder = kernel._ExerciseImporter(tmp_path)
    sys.meta_path.insert(0, finder)
    yield tmp_path
    sys.meta_path.remove(finder)
    for name in [name for name in sys.modules if re.fullmatch(r"ex\d+_\w+", name)]:
        del sys.modules[name]


def test_an_exercise_notebook_beside_is_imported_with_its_definitions_only(importer, capsys):
    write_notebook(
        importer,
        "ex1_sigmoid",
        ["print('exploring')\nresult = sigmoid(torch.zeros(1))", "raise SystemExit('no')", "%matplotlib inline"],
    )
    import torch
    from ex1_sigmoid import sigmoid

    assert float(sigmoid(torch.zeros(1))) == 0.5
    assert capsys.readouterr().out == ""
    assert not hasattr(sys.modules["ex1_sigmoid"], "result") and sys.modules["ex1_sigmoid"].torch is torch


def test_a_py_file_beside_wins_over_the_notebook_as_when_grading(importer):
    write_notebook(importer, "ex1_sigmoid", [])
    (importer / "ex1_sigmoid.py").write_text("def sigmoid(z):\n    return 'from the .py file'\nprint('exploring')\n")
    from ex1_sigmoid import sigmoid

    assert sigmoid(0) == "from the .py file"


def test_a_missing_exercise_says_which_file_to_save_where(importer):
    with pytest.raises(ModuleNotFoundError) as caught:
        import ex2_bce_loss  # noqa: F401
    assert "ex2_bce_loss.ipynb" in str(caught.value) and str(importer) in str(caught.value)
    import json  # other modules are none of its business

    assert json.dumps(1) == "1"


def test_the_assignment_file_is_found_in_the_folder_or_above_unless_named(tmp_path, monkeypatch):
    monkeypatch.delenv("LOGREG_ASSIGNMENT", raising=False)
    inner = tmp_path / "autograded" / "student" / "logreg"
    inner.mkdir(parents=True)
    assert kernel.assignment_file(inner) is None
    (tmp_path / "assignment.toml").write_text("")
    assert kernel.assignment_file(inner) == tmp_path / "assignment.toml"
    monkeypatch.setenv("LOGREG_ASSIGNMENT", str(tmp_path / "other.toml"))
    assert kernel.assignment_file(inner) == tmp_path / "other.toml"


# Graded as submissions (a child process each)


@pytest.mark.slow
def test_untouched_student_notebooks_say_not_implemented_and_source_ones_score_full_marks(tmp_path):
    lesson_notebooks.student_notebooks(tmp_path / "students")
    untouched = grade(tmp_path / "students", seed=3)
    assert untouched.outcomes and all(outcome.status == NOT_IMPLEMENTED for outcome in untouched.outcomes)
    for path in SOLUTIONS:
        nbformat.write(lesson_notebooks.source_notebook(path), tmp_path / f"{path.stem}.ipynb")
    solved = grade(tmp_path, seed=3)
    assert solved.total == (100, 100), [o for o in solved.outcomes if not o.passed]


def test_with_seed_keeps_the_file_valid_whatever_its_line_endings():
    for text in ('[assignment]\r\nname = "x"\r\n', '[assignment]  # mine\nname = "x"\n', "[exercises.1]\npoints = 2\n"):
        parsed = tomllib.loads(course.with_seed(text, 5))
        assert parsed["assignment"]["seed"] == 5 and parsed["assignment"].get("name") == (
            "x" if "name" in text else None
        )
