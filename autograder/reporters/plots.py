"""The plots of a batch's HTML pages, drawn in the trusted process with matplotlib (Agg, no pyplot) as small PNGs.

A feedback page plots each Curve a batch recorded (grading/curves.py): the student's numbers against the reference's.
What a student's function gave is only numbers: none at all is drawn as the reference alone and said so, and values
that are not finite are left out and counted. Texts are in the current language; Chinese is drawn with a CJK font
where one is installed (fonts-noto-cjk, as .ci/run installs).
"""

from __future__ import annotations

import base64
import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from autograder.grading.outcomes import Curve
from autograder.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SIZE, DPI = (5.0, 3.2), 100  # inches, dots per inch: a 500 x 320 image
COLOURS = 64  # a palette this size keeps the plot's colours and makes a PNG a quarter of matplotlib's (~9 KB)
LATIN = "DejaVu Sans"  # matplotlib's own font: Latin, Greek, digits
CJK = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback")  # the first installed
# the reference wide and pale, so that a right line lies on it
REFERENCE_STYLE: dict[str, Any] = {"color": "tab:blue", "linewidth": 3.5, "alpha": 0.45}
STUDENT_STYLE: dict[str, Any] = {"color": "tab:orange", "linewidth": 1.6}
REFERENCE, NO_NUMBERS = N_("reference"), N_("{yours}: no numbers")
GAVE_NONE = N_("Your function gave no numbers here: its checks say why. The reference is drawn alone.")
THEIR_BOUNDARY, YOUR_BOUNDARY = N_("reference boundary: {hours} h"), N_("your boundary: {hours} h")
OFF_PLOT = N_("{boundary} (off the plot)")
WINDOW = 2.0  # a student's line is shown up to this many times the reference's range beyond it


@dataclass(frozen=True)
class Kind:
    """What one curve shows: its title, axes and the student's line, in English (marked for the catalogue)."""

    title: str
    xlabel: str
    ylabel: str
    yours: str
    probability: bool = False  # a probability: the 0.5 line and the decision boundaries


KINDS = {
    "sigmoid": Kind(N_("Your sigmoid against the reference"), N_("score z"), "σ(z)", N_("your sigmoid")),
    "loss": Kind(N_("Loss per epoch of your training loop"), N_("epoch"), N_("mean loss"), N_("your training loop")),
    "pass_probability": Kind(
        N_("Pass probability of your trained model"),
        N_("hours studied"),
        N_("pass probability"),
        N_("your trained model"),
        probability=True,
    ),
}


@dataclass(frozen=True)
class Drawing:
    """One plot: the PNG, its title and a caption (what the plot leaves out or lacks), in the current language."""

    png: bytes
    title: str
    caption: str = ""

    @property
    def uri(self) -> str:
        """The PNG as a data: URI, for <img src=...> in a self-contained page."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@functools.cache
def families() -> tuple[str, ...]:
    """The fonts texts are drawn in: matplotlib's own, then the first CJK font installed for Chinese glyphs."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return (LATIN, *[family for family in CJK if family in installed][:1])


def _canvas() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI, layout="tight")  # renders with Agg: no pyplot, no global state
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    """The figure as a small PNG (COLOURS colours), every text in the fonts that draw the current language."""
    from matplotlib.text import Text
    from PIL import Image

    for text in figure.findobj(Text):
        text.set_fontfamily(list(families()))
    drawn, out = io.BytesIO(), io.BytesIO()
    figure.savefig(drawn, format="png", dpi=DPI)
    with Image.open(drawn) as image:
        image.convert("RGB").quantize(COLOURS, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()


def finite(values: Sequence[float]) -> tuple[np.ndarray, int]:
    """values with every nan or inf made nan (a gap in the line), and how many there were."""
    array = np.asarray(values, dtype=float)
    bad = ~np.isfinite(array)
    return np.where(bad, np.nan, array), int(bad.sum())


def y_limits(reference: np.ndarray, student: np.ndarray | None) -> tuple[float, float]:
    """The y range shown: both lines, but a student's line no further than WINDOW reference ranges beyond it."""
    low, high = float(np.nanmin(reference)), float(np.nanmax(reference))
    span = high - low or 1.0
    if student is not None and np.isfinite(student).any():
        low = max(min(low, float(np.nanmin(student))), low - WINDOW * span)
        high = min(max(high, float(np.nanmax(student))), high + WINDOW * span)
    margin = 0.05 * (high - low)
    return low - margin, high + margin


def _boundary(axes: Axes, at: float | None, text: str, x: np.ndarray, style: dict[str, Any]) -> None:
    """A decision boundary as a dotted vertical line, its place in the legend (said off the plot where it is)."""
    if at is None or not math.isfinite(at):
        return
    label = _(text).format(hours=f"{at:.2f}")
    if not float(x.min()) <= at <= float(x.max()):
        label = _(OFF_PLOT).format(boundary=label)
    axes.axvline(at, color=style["color"], linestyle=":", linewidth=1.5, label=label)


def draw(name: str, curve: Curve) -> Drawing:
    """The plot of one of CURVES ("sigmoid", "loss", "pass_probability"): the student's line against the reference."""
    kind = KINDS[name]
    figure, axes = _canvas()
    reference = finite(curve.reference)[0]
    x = np.asarray(curve.x, dtype=float)[: reference.size]
    axes.plot(x, reference, label=_(REFERENCE), **REFERENCE_STYLE)
    student, caption = None, ""
    if curve.student is None:
        axes.plot([], [], label=_(NO_NUMBERS).format(yours=_(kind.yours)), **STUDENT_STYLE)
        caption = _(GAVE_NONE)
    else:
        student, bad = finite(curve.student[: x.size])
        label = _(kind.yours)
        if bad:
            label = ngettext(
                "{yours} ({count} value not finite, left out)", "{yours} ({count} values not finite, left out)", bad
            ).format(yours=label, count=bad)
            caption = ngettext(
                "{count} of your values is not finite (nan or inf): left out of the plot.",
                "{count} of your values are not finite (nan or inf): left out of the plot.",
                bad,
            ).format(count=bad)
        axes.plot(x[: student.size], student, label=label, **STUDENT_STYLE)
    if kind.probability:
        axes.axhline(0.5, color="gray", linestyle="--", linewidth=1)
        _boundary(axes, curve.reference_boundary, THEIR_BOUNDARY, x, REFERENCE_STYLE)
        if student is not None:
            _boundary(axes, curve.student_boundary, YOUR_BOUNDARY, x, STUDENT_STYLE)
    axes.set(title=_(kind.title), xlabel=_(kind.xlabel), ylabel=_(kind.ylabel), xlim=(x.min(), x.max()))
    axes.set_ylim(*y_limits(reference, student))
    axes.grid(alpha=0.3)
    axes.legend(loc="best", fontsize="small")
    return Drawing(_png(figure), _(kind.title), caption)


def histogram(edges: Sequence[float], counts: Sequence[int]) -> Drawing:
    """The class's scores: counts[i] students with points from edges[i] to edges[i + 1]."""
    from matplotlib.ticker import MaxNLocator

    figure, axes = _canvas()
    widths = np.diff(np.asarray(edges, dtype=float))
    axes.bar(edges[:-1], counts, width=widths, align="edge", color="tab:blue", edgecolor="white")
    axes.set(title=_("Scores"), xlabel=_("points"), ylabel=_("students"), xlim=(edges[0], edges[-1]))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3, axis="y")
    return Drawing(_png(figure), _("Scores"))
