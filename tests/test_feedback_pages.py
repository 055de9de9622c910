"""A batch's HTML: a feedback page per student, the class report, and their plots (autograder/reporters/).

Results come from grading the solutions and a copy whose sigmoid flips its sign (1 / (1 + e^z)), once, with curves
made here from NumPy attached (a batch measures them in grading/curves.py): a right one, a wrong one, one the student's
code gave no numbers for, one with nan and inf. The statistics of the class report are checked on hand-made results.
Headless Chromium (as in test_feedback_render.py) draws the pages in English and in Chinese, and the same pages with
their images hidden and each Chinese character one no font has: the plots show, and the Chinese is drawn in glyphs.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import test_feedback_render as rendering
from PIL import Image
from test_feedback_render import CHINESE, INSTALL, browse, tofu

from autograder import i18n
from autograder.grading.grade import grade
from autograder.grading.outcomes import FAILED, PASSED, Curve, Outcome, SubmissionResult, status_word
from autograder.i18n.messages import say
from autograder.reporters import class_report, feedback_page, plots
from autograder.reporters.terminal import points
from autograder.reporters.wording import lost, report_order

REPO = Path(__file__).resolve().parent.parent
SOLUTION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)
HOSTILE = "<script>alert('x')</script>\x1b[2J"
IMAGE = re.compile(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"')
ORANGE, BLUE = (255, 127, 14), (31, 119, 180)  # matplotlib's tab:orange (the student) and tab:blue (the bars)
PALE = (154, 179, 216)  # tab:blue at the reference line's alpha on white
browser = rendering.chromium  # a fixture: Debian's chromium, with a font for Chinese
Z, HOURS, EPOCHS = np.linspace(-10, 10, 201), np.linspace(0, 10, 101), np.arange(1.0, 201.0)


def sigma(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def curve(x: np.ndarray, reference: np.ndarray, student: np.ndarray | None, **boundaries: float) -> Curve:
    return Curve(tuple(x), tuple(reference), None if student is None else tuple(student), **boundaries)


WITH_NAN = sigma(1.2 * HOURS - 4)
WITH_NAN[5:9], WITH_NAN[20] = np.nan, np.inf
CURVES_OF_A_BUGGY_SIGMOID = {
    "sigmoid": curve(Z, sigma(Z), sigma(-Z)),
    "loss": curve(EPOCHS, np.exp(-EPOCHS / 50), None),
    "pass_probability": curve(HOURS, sigma(2 * HOURS - 5), WITH_NAN, reference_boundary=2.5, student_boundary=4 / 1.2),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[SubmissionResult, SubmissionResult]:
    """The solutions and a sign-flipped sigmoid, graded with seed 1, with curves attached."""
    folder = tmp_path_factory.mktemp("buggy")
    for path in (REPO / "solutions").glob("*.py"):
        shutil.copy(path, folder)
    sigmoid = folder / "ex1_sigmoid.py"
    sigmoid.write_text(SOLUTION.sub("return 1 / (1 + torch.exp(z))", sigmoid.read_text()))
    right = grade(REPO / "solutions", seed=1)
    right_curves = {"sigmoid": curve(Z, sigma(Z), sigma(Z)), "loss": curve(EPOCHS, np.exp(-EPOCHS / 50), None)}
    return (
        dataclasses.replace(right, curves=right_curves),
        dataclasses.replace(grade(folder, seed=1), curves=CURVES_OF_A_BUGGY_SIGMOID),
    )


def pngs(page: str) -> list[tuple[str, Image.Image]]:
    """The images a page embeds, with their alt text, decoded."""
    return [(html.unescape(alt), Image.open(io.BytesIO(base64.b64decode(data)))) for data, alt in IMAGE.findall(page)]


def near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> int:
    """How many pixels of an RGB image are near colour."""
    return int((np.abs(image.astype(int) - colour).sum(axis=-1) < tolerance).sum())


def rgb(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


# The feedback page


def test_a_feedback_page_shows_every_check_in_report_order_with_its_status_points_and_hint(graded):
    _right, buggy = graded
    page = feedback_page.page("alice", buggy)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page and page.rstrip().endswith("</html>")
    assert not re.search(r"(src|href)=\"(?!data:)", page), "a self-contained page loads nothing"
    assert f"Total: {points(*buggy.total)}" in page and "Seed: 1" in page and "Feedback for alice" in page
    at = 0
    for outcome in report_order(buggy.outcomes):
        row = page.index(f"<code>{outcome.check_id}</code>", at)
        end = page.index("</tr>", row)
        assert status_word(outcome.status) in page[row - 200 : row], outcome.check_id
        assert points(outcome.points, outcome.max_points) in page[row:end]
        if lost(outcome):
            assert html.escape(say(outcome.message)) in page[row:end]
        at = end
    hints = {say(outcome.hint) for outcome in buggy.outcomes if outcome.mistake == "sigmoid.sign_flipped"}
    assert hints and all(f"Hint: {html.escape(hint)}" in page for hint in hints)
    assert html.escape(say(buggy.isolation)) in page


def test_a_page_embeds_the_plots_of_the_curves_present_in_their_order(graded):
    right, buggy = graded
    titles = [plots.draw(name, curve).title for name, curve in CURVES_OF_A_BUGGY_SIGMOID.items()]
    assert [alt for alt, _image in pngs(feedback_page.page("alice", buggy))] == titles
    assert [alt for alt, _image in pngs(feedback_page.page("bob", right))] == titles[:2]
    assert all(image.size == (500, 320) for _alt, image in pngs(feedback_page.page("alice", buggy)))
    assert len(feedback_page.page("alice", buggy)) < 80_000  # small: three plots of ~10 KB and the checks


def test_student_text_is_escaped_everywhere_on_a_page(graded):
    _right, buggy = graded
    hostile = dataclasses.replace(
        buggy,
        outcomes=[dataclasses.replace(outcome, message=HOSTILE, hint=HOSTILE) for outcome in buggy.outcomes],
        notes=(HOSTILE,),
        flags=(HOSTILE,),
        assignment=HOSTILE,
    )
    for page in (feedback_page.page(HOSTILE, hostile), feedback_page.page(HOSTILE, None, reason=HOSTILE)):
        assert "<script" not in page and "\x1b" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\\x1b[2J" in page


def test_an_ungraded_submission_shows_the_reason():
    page = feedback_page.page("carol", None, reason="no exercise file <ex1_sigmoid.py> found")
    assert "Not graded: no exercise file &lt;ex1_sigmoid.py&gt; found" in page and "<img" not in page


# The plots


def test_a_plot_shows_the_students_line_against_the_references():
    wrong = rgb(plots.draw("sigmoid", CURVES_OF_A_BUGGY_SIGMOID["sigmoid"]).png)
    none = plots.draw("loss", CURVES_OF_A_BUGGY_SIGMOID["loss"])
    assert near(wrong, ORANGE) > 5 * near(rgb(none.png), ORANGE)  # the legend's sample line only
    assert near(rgb(none.png), PALE) > 500  # the reference
    assert "gave no numbers" in none.caption


@pytest.mark.parametrize(
    "student",
    [np.full(101, np.nan), np.full(101, np.inf), np.r_[np.full(100, 1e300), -np.inf], WITH_NAN],
    ids=["nan", "inf", "huge", "some"],
)
def test_values_that_are_not_finite_are_left_out_and_said(student):
    drawing = plots.draw("pass_probability", curve(HOURS, sigma(2 * HOURS - 5), student, student_boundary=-40.0))
    bad = int((~np.isfinite(student)).sum())
    assert rgb(drawing.png).shape == (320, 500, 3)
    assert (f"{bad} of your values" in drawing.caption) == (bad > 0)


def test_the_plots_draw_chinese_with_glyphs_not_boxes(chinese, monkeypatch):
    if len(plots.families()) < 2 and not os.environ.get("CI"):
        pytest.skip(f"no CJK font among {plots.CJK} ({INSTALL})")
    drawn = plots.draw("sigmoid", CURVES_OF_A_BUGGY_SIGMOID["sigmoid"])
    assert CHINESE.search(drawn.title) and len(plots.families()) == 2, f"no CJK font for matplotlib ({INSTALL})"
    monkeypatch.setattr(plots, "families", lambda: (plots.LATIN,))  # no CJK font: every Chinese glyph a box
    with pytest.warns(UserWarning, match="missing from font"):
        boxes = plots.draw("sigmoid", CURVES_OF_A_BUGGY_SIGMOID["sigmoid"])
    assert (rgb(drawn.png) != rgb(boxes.png)).sum() > 1000


# The class report

TITLE = "Topic"


def made(student: str, passed: tuple[bool, bool], mistakes: tuple[str | None, str | None], fingerprint: str) -> tuple:
    """A student's row: checks b.second (exercise 2) and a.first (exercise 1), 2 and 3 points, in that order."""
    outcomes = [
        Outcome(check, number, TITLE, "calls it", worth * ok, worth, PASSED if ok else FAILED, f"{check} <off>")
        for check, number, worth, ok in zip(("b.second", "a.first"), (2, 1), (2, 3), passed, strict=True)
    ]
    outcomes = [dataclasses.replace(o, mistake=m) for o, m in zip(outcomes, mistakes, strict=True)]
    fingerprints = (("f", fingerprint),) if fingerprint else ()
    return student, SubmissionResult(student, 0, outcomes, fingerprints=fingerprints), ""


CLASS = [
    made("alice", (True, True), (None, None), "1"),
    made("bob", (False, True), ("m.sign", None), "1"),
    made("carol <b>", (False, False), ("m.sign", "m.other"), "2"),
    ("dave", None, "no files"),
    made("erin", (True, True), (None, None), ""),
    made("frank", (True, True), (None, None), "1"),
]


def test_the_class_scores_count_the_graded_and_average_their_points():
    assert class_report.scores(CLASS) == class_report.Scores(5, 1, mean=3.6, median=5, possible=5)
    assert class_report.scores([("dave", None, "no files")]) == class_report.Scores(0, 1, None, None, 0.0)


def test_a_histogram_puts_each_score_in_its_bin_and_full_marks_in_the_last():
    assert class_report.histogram([5, 3, 0, 5, 2.5], 5, bins=5) == ([0, 1, 2, 3, 4, 5], [1, 0, 1, 1, 2])
    assert class_report.histogram([], 100)[1] == [0] * class_report.BINS


def test_pass_rates_follow_report_order():
    rates = class_report.pass_rates(CLASS)
    assert [(rate.check_id, rate.passed, rate.graded) for rate in rates] == [("a.first", 4, 5), ("b.second", 3, 5)]
    assert rates[1].fraction == 0.6


def test_mistakes_are_ranked_by_how_many_students_they_hit():
    found = class_report.mistakes(CLASS)
    assert [(m.mistake, m.check_id, m.students) for m in found] == [
        ("m.sign", "b.second", ("bob", "carol <b>")),
        ("m.other", "a.first", ("carol <b>",)),
    ]
    assert found[0].example == "b.second <off>"


def test_identical_submissions_are_grouped_by_fingerprints_and_students_without_them_left_out():
    assert class_report.identical(CLASS) == [("alice", "bob", "frank")]


def test_the_class_report_shows_the_numbers_escaped(graded):
    rows = [*CLASS, ("sol", graded[0], ""), ("bug", graded[1], "")]
    report = class_report.report(rows)
    assert '<html lang="en">' in report and "Class report" in report and "bob, carol &lt;b&gt;" in report
    assert "<b>" not in report and "b.second &lt;off&gt;" in report and "dave: no files" in report
    assert "alice, bob, frank" in report and "sigmoid.sign_flipped" in report
    assert [image.size for _alt, image in pngs(report)] == [(500, 320)]


# As headless Chromium draws them

FRAME = (1000, 1300)  # each page's frame; four frames, two by two
HEADING = 100  # the rows of a frame that hold the page's heading, above any plot


def frames(pages: list[str], style: str = "") -> str:
    """The pages side by side, two by two, each in a frame of its own; style added to each page's own."""
    width, height = FRAME
    cells = "".join(
        f'<iframe width="{width}" height="{height}" style="border:0;float:left" '
        f'srcdoc="{html.escape(page.replace("</style>", style + "</style>"))}"></iframe>'
        for page in pages
    )
    return f'<!DOCTYPE html><html><body style="margin:0;width:{2 * width}px">{cells}</body></html>'


def shot(chromium: str, page: str, folder: Path, name: str) -> np.ndarray:
    """The screenshot of page, split into its four frames."""
    width, height = FRAME
    path = folder / f"{name}.png"
    browse(
        chromium, page, folder, name, "--hide-scrollbars", "--force-device-scale-factor=1",
        f"--window-size={2 * width},{2 * height}", f"--screenshot={path}",
    )  # fmt: skip
    with Image.open(path) as image:
        whole = np.asarray(image.convert("RGB"))
    return np.stack([whole[y : y + height, x : x + width] for y in (0, height) for x in (0, width)])


@pytest.mark.slow
def test_chromium_draws_the_plots_and_the_chinese_of_the_pages(browser, graded, tmp_path):
    right, buggy = graded
    pages = []
    for language in ("en", "zh"):
        i18n.use(language)
        try:
            pages += [
                feedback_page.page("alice", buggy),
                class_report.report([("alice", buggy, ""), ("bob", right, "")]),
            ]
        finally:
            i18n.use("en")
    assert '<html lang="zh">' in pages[2] and CHINESE.search(pages[2]) and CHINESE.search(pages[3])
    drawn = shot(browser, frames(pages), tmp_path, "drawn")
    blank = shot(browser, frames([tofu(page) for page in pages], "img { visibility: hidden }"), tmp_path, "blank")
    for index, colour in ((0, ORANGE), (0, PALE), (1, BLUE), (2, ORANGE), (2, PALE), (3, BLUE)):
        assert near(drawn[index], colour) > near(blank[index], colour) + 300, f"frame {index}: no {colour} drawn"
    for index in (0, 1):  # English: the pictures differ only where the plots are
        assert (drawn[index] != blank[index]).any(axis=-1).sum() > 10_000, f"frame {index}: no plot drawn"
        assert (drawn[index][:HEADING] == blank[index][:HEADING]).all()
    for index in (2, 3):  # Chinese: the headings too, drawn in glyphs where the tofu has boxes
        assert (drawn[index][:HEADING] != blank[index][:HEADING]).any(axis=-1).sum() > 200, "Chinese drawn as tofu"
