"""The batch finds every student's submission in each layout, copies it safely, and keeps every student it cannot
read with the reason."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.frontends.instructor.batch.inputs import BatchInputError, file_name, find_submissions
from autograder.submission import limits

SIGMOID = "def sigmoid(z):\n    return 1 / (1 + torch.exp(-z))\n"
METADATA = """\
submission_100000001:
  :submitters:
  - :name: Alice Liddell
    :sid: '1001'
    :email: alice@example.edu
  :created_at: 2024-10-01 17:03:12.123456000 -07:00
  :score: 0.0
  :status: processed
  :history: []
submission_100000002:
  :submitters:
  - :name: Bob Stone
    :sid: 1002
    :email: bob@example.edu
  - :name: Carol Wu
    :sid: '1003'
    :email: carol@example.edu
  :created_at: 2024-10-02 09:00:00.000000000 -07:00
  :score: 0.0
  :history: []
submission_100000003:
  :submitters:
  - :name: Dan Ng
    :sid:
    :email: dan@example.edu
  :created_at: 2024-10-02 10:00:00.000000000 -07:00
submission_100000004:
  :submitters:
  - :name: Eve Park
    :email: eve@example.edu
    :sid: '1005'
"""


def write(path: Path, text: str = SIGMOID) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def notebook(path: Path, source: str = SIGMOID) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    return path


def zipped(folder: Path, archive: Path, *, top: str | None = None) -> Path:
    """folder's files in archive, under a top folder when top is given."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, "/".join(filter(None, [top, path.relative_to(folder).as_posix()])))
    return archive


def students(found) -> dict[str, str]:
    """Each student's submission (the name of its folder or file in the batch's copy), or "! " and why it cannot be
    graded."""
    return {
        **{s.student: s.path.name for s in found.submissions},
        **{u.student: "! " + u.reason for u in found.unreadable},
    }


def files_below(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def classroom(tmp_path):
    """A folder of students: folders, a .py file, a notebook, and what is not a submission."""
    root = tmp_path / "class"
    write(root / "alice" / "ex1_sigmoid.py")
    write(root / "alice" / "helpers" / "util.py", "X = 1\n")
    write(root / "alice" / ".ipynb_checkpoints" / "ex1_sigmoid-checkpoint.py", "stale\n")
    write(root / "alice" / "data.csv", "1,2\n")
    write(root / "bob.py")
    notebook(root / "张伟.ipynb")
    write(root / "README.md", "# grading notes\n")
    write(root / ".DS_Store", "junk")
    write(root / "__MACOSX" / "._bob.py", "junk")
    return root


def test_a_folder_of_folders_and_files_gives_each_student_by_name(classroom, tmp_path):
    found = find_submissions(classroom, tmp_path / "work")
    assert found.layout == "folders"
    assert [s.student for s in found.submissions] == ["alice", "bob", "张伟"]
    assert found.unreadable == []
    alice, bob, zhang = found.submissions
    assert alice.path.is_dir() and files_below(alice.path) == {"ex1_sigmoid.py", "helpers/util.py"}
    assert bob.path.name == "bob.py" and bob.path.read_text() == SIGMOID
    assert zhang.path.suffix == ".ipynb" and nbformat.read(zhang.path, as_version=4).cells[0].source == SIGMOID
    for submission in found.submissions:
        assert (tmp_path / "work") in submission.path.parents


def test_grading_reads_a_snapshot_not_the_original(classroom, tmp_path):
    found = find_submissions(classroom, tmp_path / "work")
    write(classroom / "alice" / "ex1_sigmoid.py", "changed\n")
    assert (found.submissions[0].path / "ex1_sigmoid.py").read_text() == SIGMOID


def test_nbgrader_submitted_with_one_assignment(tmp_path):
    course = tmp_path / "course"
    notebook(course / "submitted" / "alice" / "logreg" / "ex1_sigmoid.ipynb")
    write(course / "submitted" / "alice" / "logreg" / "timestamp.txt", "2024-10-01 10:00:00")
    notebook(course / "submitted" / "bob" / "logreg" / "ex1_sigmoid.ipynb", "def sigmoid(z):\n    return z\n")
    write(course / "source" / "logreg" / "ex1_sigmoid.py")
    for given in (course, course / "submitted"):
        found = find_submissions(given, tmp_path / "work")
        assert found.layout == "nbgrader"
        assert [s.student for s in found.submissions] == ["alice", "bob"]
        assert [files_below(s.path) for s in found.submissions] == [{"ex1_sigmoid.ipynb"}] * 2


def test_nbgrader_with_two_assignments_needs_one_chosen(tmp_path):
    submitted = tmp_path / "submitted"
    notebook(submitted / "alice" / "linreg" / "ex.ipynb")
    notebook(submitted / "alice" / "logreg" / "ex1_sigmoid.ipynb")
    notebook(submitted / "bob" / "linreg" / "ex.ipynb")
    with pytest.raises(BatchInputError) as error:
        find_submissions(submitted, tmp_path / "work")
    assert "several assignments (linreg, logreg)" in str(error.value) and "--nbgrader-assignment" in str(error.value)
    found = find_submissions(submitted, tmp_path / "work", assignment="logreg")
    assert [(s.student, s.path.name) for s in found.submissions] == [("alice", "alice")]
    assert files_below(found.submissions[0].path) == {"ex1_sigmoid.ipynb"}
    assert [s.student for s in find_submissions(submitted, tmp_path / "w2", assignment="linreg").submissions] == [
        "alice",
        "bob",
    ]
    with pytest.raises(BatchInputError, match="no student in .* handed in softmax: the assignments there are linreg"):
        find_submissions(submitted, tmp_path / "work", assignment="softmax")


@pytest.fixture
def gradescope(tmp_path):
    """A Gradescope export: a single submission, a group, one without a sid, one whose folder is missing."""
    export = tmp_path / "assignment_4242_export"
    write(export / "submission_metadata.yml", METADATA)
    write(export / "submission_100000001" / "ex1_sigmoid.py")
    notebook(export / "submission_100000002" / "logreg.ipynb")
    write(export / "submission_100000003" / "ex1_sigmoid.py")
    return export


def test_a_gradescope_export_names_students_by_their_metadata(gradescope, tmp_path):
    found = find_submissions(gradescope, tmp_path / "work")
    assert found.layout == "gradescope"
    assert [s.student for s in found.submissions] == ["1001", "1002+1003", "dan@example.edu"]
    assert files_below(found.submissions[1].path) == {"logreg.ipynb"}
    assert [(u.student, u.reason) for u in found.unreadable] == [
        (
            "1005",
            "submission_100000004/ is named in submission_metadata.yml but is missing from the export: "
            "download the export again",
        )
    ]


def test_metadata_that_is_not_gradescopes_is_refused(gradescope, tmp_path):
    write(gradescope / "submission_metadata.yml", "- just\n- a list\n")
    with pytest.raises(BatchInputError, match="is not Gradescope's submission metadata"):
        find_submissions(gradescope, tmp_path / "work")
    write(gradescope / "submission_metadata.yml", "a: [unclosed\n")
    with pytest.raises(BatchInputError, match="is not Gradescope's submission metadata") as error:
        find_submissions(gradescope, tmp_path / "work")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("top", [None, "class"])
def test_a_zip_of_folders_is_read_like_the_folder(classroom, tmp_path, top):
    from_folder = find_submissions(classroom, tmp_path / "work")
    from_zip = find_submissions(zipped(classroom, tmp_path / "class.zip", top=top), tmp_path / "work")
    assert from_zip.layout == "folders"
    assert [(s.student, s.digest) for s in from_zip.submissions] == [
        (s.student, s.digest) for s in from_folder.submissions
    ]
    assert files_below(from_zip.submissions[0].path) == {"ex1_sigmoid.py", "helpers/util.py"}


def test_a_zip_of_nbgrader_or_gradescope_is_read_like_the_folder(gradescope, tmp_path):
    submitted = tmp_path / "submitted"
    notebook(submitted / "alice" / "logreg" / "ex1_sigmoid.ipynb")
    found = find_submissions(zipped(submitted, tmp_path / "a.zip", top="submitted"), tmp_path / "work")
    assert (found.layout, [s.student for s in found.submissions]) == ("nbgrader", ["alice"])
    found = find_submissions(zipped(gradescope, tmp_path / "b.zip", top=gradescope.name), tmp_path / "work")
    assert found.layout == "gradescope"
    assert [s.student for s in found.submissions] == ["1001", "1002+1003", "dan@example.edu"]
    assert [u.student for u in found.unreadable] == ["1005"]


@pytest.mark.parametrize("member", ["../evil.py", "alice/../../evil.py", "/tmp/abs_evil.py", "C:/evil.py"])
def test_a_zip_member_leading_outside_is_refused_and_nothing_is_written(tmp_path, member):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("alice/ex1_sigmoid.py", SIGMOID)
        out.writestr(member, "import os\n")
    before = files_below(tmp_path)
    with pytest.raises(BatchInputError, match="a path leading outside the archive: nothing was extracted"):
        find_submissions(archive, tmp_path / "inside" / "work")
    assert files_below(tmp_path) == before
    assert not Path("/tmp/abs_evil.py").exists()


def test_a_link_in_a_zip_is_never_created(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("alice/ex1_sigmoid.py", SIGMOID)
        for name in ("alice/ex2_bce_loss.py", "bob"):
            link = zipfile.ZipInfo(name)
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(link, "/etc")
    found = find_submissions(archive, tmp_path / "work")
    assert files_below(found.submissions[0].path) == {"ex1_sigmoid.py"}
    assert [(u.student, u.reason) for u in found.unreadable] == [
        ("bob", "bob is a link; hand in the file or folder itself")
    ]
    assert not any(path.is_symlink() for path in (tmp_path / "work").rglob("*"))


def test_a_zip_bomb_is_refused_before_anything_is_extracted(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BATCH_BYTES", 1024 * 1024)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("alice/ex1_sigmoid.py", SIGMOID)
        out.writestr("bob/bomb.py", b"\0" * (4 * 1024 * 1024))
    assert archive.stat().st_size < 64 * 1024
    with pytest.raises(BatchInputError) as error:
        find_submissions(archive, tmp_path / "work")
    assert str(error.value) == (
        f"{archive} holds {4 * 1024 * 1024 + len(SIGMOID)} bytes of .py files and notebooks, over the limit of "
        "1048576 for a batch (the largest: bob/bomb.py): remove what is not a submission, or grade the class in parts"
    )
    assert not (tmp_path / "work").exists()


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BATCH_ENTRIES", 10)
    folder = tmp_path / "class"
    for index in range(11):
        write(folder / f"student{index}.py")
    for source in (folder, zipped(folder, tmp_path / "class.zip")):
        with pytest.raises(BatchInputError, match="holds over 10 files and folders: grade the class in parts"):
            find_submissions(source, tmp_path / "work")


def test_a_corrupt_zip_is_refused(tmp_path, classroom):
    garbage = write(tmp_path / "garbage.zip", "this is no archive")
    whole = zipped(classroom, tmp_path / "whole.zip").read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(whole[: len(whole) // 2])
    for archive in (garbage, truncated):
        with pytest.raises(BatchInputError, match=r"is not a readable zip archive \(.+\): download it again"):
            find_submissions(archive, tmp_path / "work")


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda root: None, "does not exist: give the folder or .zip archive of the class's submissions"),
        (lambda root: root.mkdir(), "is empty: give the folder or .zip archive"),
        (lambda root: write(root / ".DS_Store", "x"), "is empty"),
        (lambda root: write(root / "alice" / "notes.txt", "x"), "holds no .py files or .ipynb notebooks"),
        (lambda root: write(root, "x"), "is not a folder or a .zip archive"),
    ],
)
def test_what_holds_no_class_is_refused_in_one_line(tmp_path, make, said):
    make(tmp_path / "class")
    with pytest.raises(BatchInputError, match=said) as error:
        find_submissions(tmp_path / "class", tmp_path / "work")
    assert "\n" not in str(error.value)


def test_two_submissions_of_one_student_are_both_named(tmp_path):
    root = tmp_path / "class"
    write(root / "alice.py")
    write(root / "alice" / "ex1_sigmoid.py")
    write(root / "bob.py")
    notebook(root / "bob.ipynb")
    write(root / "carol.py")
    found = find_submissions(root, tmp_path / "work")
    assert students(found) == {
        "alice": "! 2 submissions claim alice: alice.py and alice/; keep one",
        "bob": "! 2 submissions claim bob: bob.ipynb and bob.py; keep one",
        "carol": "carol.py",
    }


def test_a_linked_student_is_not_followed(tmp_path):
    root = tmp_path / "class"
    secret = write(tmp_path / "grader" / "solution.py")
    write(root / "bob.py")
    (root / "alice").symlink_to(secret.parent)
    (root / "carol.py").symlink_to(secret)
    found = find_submissions(root, tmp_path / "work")
    assert students(found) == {
        "alice": "! alice is a link; hand in the file or folder itself",
        "bob": "bob.py",
        "carol": "! carol.py is a link; hand in the file or folder itself",
    }
    assert "solution.py" not in {path.name for path in (tmp_path / "work").rglob("*")}


def test_an_unreadable_file_or_folder_costs_only_that_student(tmp_path, monkeypatch):
    root = tmp_path / "class"
    write(root / "alice" / "ex1_sigmoid.py")
    write(root / "bob" / "ex1_sigmoid.py")
    write(root / "carol" / "hidden" / "ex1_sigmoid.py")
    write(root / "dan.py")
    real_open, real_scandir = os.open, os.scandir

    def denied(path, *args, **kwargs):
        if Path(path).parent.name == "alice":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def unlisted(path):
        if Path(path).name == "hidden":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", denied)
    monkeypatch.setattr(os, "scandir", unlisted)
    found = find_submissions(root, tmp_path / "work")
    assert students(found) == {
        "alice": "! alice/ex1_sigmoid.py cannot be read (Permission denied): make it readable and run the batch again",
        "bob": "bob",
        "carol": "! carol/hidden cannot be read (Permission denied): make it readable and run the batch again",
        "dan": "dan.py",
    }


def test_a_student_folder_without_python_is_kept_with_the_reason(tmp_path):
    root = tmp_path / "class"
    write(root / "alice.py")
    write(root / "bob" / "answers.pdf", "%PDF")
    found = find_submissions(root, tmp_path / "work")
    assert students(found)["bob"] == "! bob/ holds no .py files or .ipynb notebooks: nothing to grade"


def digest_of(folder: Path, tmp_path: Path) -> str:
    return find_submissions(folder, tmp_path / "work").submissions[0].digest


def test_the_digest_follows_the_files_not_the_order_they_are_found_in(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    names = ["ex1_sigmoid.py", "ex2_bce_loss.py", "sub/ex3_model.py"]
    for name in names:
        write(first / "alice" / name, name)
    for name in reversed(names):
        write(second / "alice" / name, name)
    assert digest_of(first, tmp_path) == digest_of(second, tmp_path)
    write(second / "alice" / "ex2_bce_loss.py", "ex2_bce_loss.py ")
    assert digest_of(first, tmp_path) != digest_of(second, tmp_path)
    shutil.rmtree(second)
    for name in names:
        write(second / "alice" / name.replace("ex3", "ex4"), name)
    assert digest_of(first, tmp_path) != digest_of(second, tmp_path)


def test_file_names_are_safe_and_keep_letters():
    ids = ["alice", "张伟", "1002+1003", "dan@example.edu", "a/b", "a_b", "../etc", ".hidden", "tab\there", "x" * 300]
    names = [file_name(student) for student in ids]
    assert names[:4] == ids[:4]
    assert len(set(names)) == len(ids)
    for name in names:
        assert "/" not in name and not name.startswith(".") and name.isprintable() and len(name) <= 80
    assert file_name("a/b").startswith("a_b-") and file_name("张伟/x").startswith("张伟_x-")


def test_messages_are_said_in_the_users_language(tmp_path, chinese):
    with pytest.raises(BatchInputError) as error:
        find_submissions(tmp_path / "missing", tmp_path / "work")
    assert str(tmp_path / "missing") in str(error.value) and "不存在" in str(error.value)
