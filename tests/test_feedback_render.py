"""nbgrader's HTML feedback for a buggy notebook, in Chinese, as headless Chromium draws it: glyphs, not tofu.

A course built with `logreg-grade nbgrader --lang zh` autogrades a buggy exercise 2, and nbgrader writes the
student's feedback page, whose check cell shows the kit's report in Chinese. Chromium (Debian's, installed with
fonts-noto-cjk by .ci/run) takes a screenshot of the page, and one of the same page with each Chinese character of
the report replaced by a character no font has: the two differ only where the Chinese is drawn with real glyphs.
That this comparison tells glyphs from tofu is shown on a small page in the feedback's fonts: drawn with the CJK
fonts hidden from fontconfig, its Chinese is the very same picture as the tofu.

Chromium renders offline (no host name resolves): the page's MathJax never loads, and a page draws the same each time.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rich.cells import cell_len
from test_nbgrader import BUG, REPO, hand_in, nbgrader, solved_cells

from autograder.frontends.instructor.nbgrader.autograde import LINE_CLASS, REPORT_CLASS

pytestmark = pytest.mark.slow

INSTALL = "apt-get install -y chromium fonts-noto-cjk, as .ci/run does"
CHINESE = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
)  # CJK punctuation, ideographs, full width
TOFU = "\ue000"  # private use: no font here has it, so Chromium draws its missing-glyph box
REPORT = re.compile(rf'(<pre class="{REPORT_CLASS}">)(.*?)(</pre>)', re.DOTALL)  # a check cell's report
WINDOW = (1200, 3000)
MEASURE = f"""<script>  // each line's width, written where --dump-dom shows it
const LINE = "{LINE_CLASS}";
document.body.dataset.widths = JSON.stringify(Array.from(document.querySelectorAll("." + LINE),
                                                         line => line.getBoundingClientRect().width));
</script>"""
# The feedback page's fonts: Jupyter's outputs in monospace, its Markdown in Bootstrap's sans-serif stack.
SAMPLE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<pre>{line}</pre><p style='font-family: "Helvetica Neue", Helvetica, Arial, sans-serif'>{line}</p></body></html>"""
LINE = "提示：二元交叉熵 (BCE) 的梯度 dL/dz = p - y，决策边界 p = 0.5"
NO_CJK_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include>/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>{globs}</rejectfont></selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, with a font for Chinese: CI fails without them; elsewhere the tests skip without chromium."""
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"chromium is not installed: {INSTALL}")
        pytest.skip(f"chromium is not installed ({INSTALL})")
    assert chinese_fonts(), f"no font for Chinese: `fc-list :lang=zh` lists none ({INSTALL})"
    return found


def fc_list(pattern: str, element: str) -> list[str]:
    """fontconfig's fonts matching pattern, each given by element (file, family); the distinct ones."""
    assert shutil.which("fc-list"), f"fontconfig's fc-list is not installed ({INSTALL})"
    listed = subprocess.run(
        ["fc-list", "--format", f"%{{{element}}}\\n", pattern], capture_output=True, text=True, check=True, timeout=60
    )
    return sorted(set(filter(None, listed.stdout.splitlines())))


def chinese_fonts() -> list[str]:
    """The font files fontconfig offers for Chinese."""
    return fc_list(":lang=zh", "file")


def without_chinese_fonts(folder: Path) -> Path:
    """A fontconfig file: the system's configuration with every font for Chinese rejected."""
    conf = folder / "fonts.conf"
    globs = "".join(f"<glob>{html.escape(file)}</glob>" for file in chinese_fonts())
    conf.write_text(NO_CJK_FONTS.format(globs=globs), encoding="utf-8")
    return conf


def browse(
    chromium: str, page: str, folder: Path, name: str, *flags: str, fontconfig: Path | None = None
) -> subprocess.CompletedProcess:
    """Headless Chromium run offline, as root can, with its own profile,
    on the HTML page written to folder/name.html."""
    source = folder / f"{name}.html"
    source.write_text(page, encoding="utf-8")
    env = dict(os.environ, **({"FONTCONFIG_FILE": str(fontconfig)} if fontconfig else {}))
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder / (name + '-profile')}",
            *flags,
            source.as_uri(),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def render(chromium: str, page: str, folder: Path, name: str, fontconfig: Path | None = None) -> np.ndarray:
    """A screenshot (height, width, RGB) of the HTML page as headless Chromium draws it."""
    shot = folder / f"{name}.png"
    browse(
        chromium,
        page,
        folder,
        name,
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size={},{}".format(*WINDOW),
        f"--screenshot={shot}",
        fontconfig=fontconfig,
    )
    with Image.open(shot) as image:
        return np.asarray(image.convert("RGB"))


def tofu(text: str) -> str:
    """text with each Chinese character replaced by one no font draws."""
    return CHINESE.sub(TOFU, text)


def report_text(page: str) -> str:
    """The text of the check cell's report in a feedback page."""
    found = REPORT.search(page)
    assert found, "the feedback page shows no check cell output"
    return html.unescape(re.sub(r"<[^>]*>", "", found.group(2)))


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory) -> str:
    """nbgrader's feedback page for a buggy exercise 2, handed in to a course built in Chinese."""
    root = tmp_path_factory.mktemp("feedback") / "course"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    built = subprocess.run(
        [sys.executable, "-m", "autograder", "nbgrader", "--out", str(root), "--lang", "zh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )  # its own process: its language
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    nbgrader(root, env, "generate_assignment")
    hand_in(root, "buggy", {"ex2_bce_loss": solved_cells("ex2_bce_loss", (BUG.old, BUG.new))})
    nbgrader(root, env, "autograde")
    nbgrader(root, env, "generate_feedback")
    return (root / "feedback" / "buggy" / "logreg" / "ex2_bce_loss.html").read_text(encoding="utf-8")


def line_widths(chromium: str, page: str, folder: Path) -> list[tuple[str, float]]:
    """Each line of the page's report with its width in pixels as Chromium lays it out."""
    lines = report_text(page).split("\n")
    measured = page.replace("</body>", MEASURE + "</body>")
    widths = re.search(r'data-widths="([^"]*)"', browse(chromium, measured, folder, "measured", "--dump-dom").stdout)
    assert widths, "Chromium ran no script in the page"
    return list(zip(lines, json.loads(html.unescape(widths.group(1))), strict=True))


def test_chromium_draws_chinese_in_the_feedback_fonts_and_tofu_would_show(chromium, tmp_path):
    page = SAMPLE.format(line=LINE)
    drawn, boxes = render(chromium, page, tmp_path, "drawn"), render(chromium, tofu(page), tmp_path, "tofu")
    assert (drawn != boxes).any(), f"Chromium draws Chinese as tofu, though fontconfig offers {chinese_fonts()}"
    unfonted = render(chromium, page, tmp_path, "unfonted", without_chinese_fonts(tmp_path))
    assert (unfonted == boxes).all(), (
        "without a CJK font the Chinese should be tofu: the comparison cannot see tofu here"
    )


def test_the_feedback_page_of_a_buggy_notebook_shows_the_report_in_chinese(chromium, feedback_page, tmp_path):
    report = report_text(feedback_page)
    assert "bce.shape_mismatch" in report and "提示" in report, report  # the ids as they are, the hint in Chinese
    characters = sorted(set(CHINESE.findall(report)))
    charset = " ".join(f"{ord(character):x}" for character in characters)
    assert fc_list(f":charset={charset}", "family"), f"no installed font has all of {''.join(characters)}"

    drawn = render(chromium, feedback_page, tmp_path, "feedback")
    boxes = render(
        chromium,
        REPORT.sub(lambda found: found.group(1) + tofu(found.group(2)) + found.group(3), feedback_page),
        tmp_path,
        "feedback-tofu",
    )
    assert (drawn != boxes).any(), f"the report's Chinese is drawn as tofu (or lies below the first {WINDOW[1]} pixels)"


def test_the_report_table_stays_aligned_in_the_feedback_page(chromium, feedback_page, tmp_path):
    widths = line_widths(chromium, feedback_page, tmp_path)
    cell = next(width / cell_len(line) for line, width in widths if line.strip() and not CHINESE.search(line))
    misaligned = [
        f"{line.rstrip()!r}: {width:.1f} px, not {cell_len(line) * cell:.1f}"
        for line, width in widths
        if abs(width - cell_len(line) * cell) > cell / 2
    ]
    assert not misaligned, f"lines of the report not {cell:.2f} px a cell, as wide as rich counts them:\n" + "\n".join(
        misaligned
    )
