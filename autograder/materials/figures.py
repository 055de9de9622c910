"""The lesson's figures for the exercise notebooks, drawn with matplotlib (no display) as PNG bytes.

Each figure is drawn from fixed numbers, never from the reference solutions: the notebooks built
with them go into the student release. The bytes are the same from build to build (fixed size and
dpi, no version stamp), so rebuilt notebooks do not change.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from autograder.i18n import N_, _
from autograder.lesson.data import toy_hours

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SIZE, DPI = (6.0, 3.6), 100  # inches, dots per inch: a 600 x 360 image
WEIGHT, BIAS = 2.0, -5.0  # the fitted toy model of exercise 5 (its checks use the same): p = sigma(2x - 5)


@dataclass(frozen=True)
class Figure:
    """One figure of a task cell: its attachment's file name, its alt text (English, marked for the catalogue),
    and how to draw it."""

    name: str
    alt: str
    draw: Callable[[Axes], None]

    def png(self) -> bytes:
        """The figure as PNG bytes; ImportError when matplotlib is not installed."""
        # matplotlib's own Figure renders with Agg, without pyplot: no global state, no display
        from matplotlib.figure import Figure as Canvas

        canvas = Canvas(figsize=SIZE, dpi=DPI, layout="tight")
        axes = canvas.add_subplot()
        self.draw(axes)
        axes.grid(alpha=0.3)
        out = io.BytesIO()
        canvas.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()

    def markdown(self) -> str:
        """The Markdown that shows the attachment, its alt text in the current language."""
        return f"![{_(self.alt)}](attachment:{self.name})"


def _sigma(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _sigmoid_curve(axes: Axes) -> None:
    z = np.linspace(-10, 10, 401)
    axes.plot(z, _sigma(z), label=r"$\sigma(z) = 1 / (1 + e^{-z})$")
    axes.axhline(0.5, color="gray", linestyle="--", linewidth=1)
    axes.plot([0], [0.5], "o", color="black")
    axes.annotate(r"$\sigma(0) = 0.5$", (0, 0.5), xytext=(1, 0.35))
    axes.set(xlabel="score z", ylabel="probability", xlim=(-10, 10), ylim=(-0.05, 1.05))
    axes.legend(loc="upper left")


def _bce_curves(axes: Axes) -> None:
    p = np.linspace(0.001, 0.999, 400)
    axes.plot(p, -np.log(p), label=r"$y = 1$: $-\log(p)$")
    axes.plot(p, -np.log(1 - p), label=r"$y = 0$: $-\log(1 - p)$")
    axes.set(xlabel="predicted pass probability p", ylabel="loss", xlim=(0, 1), ylim=(0, 5))
    axes.legend(loc="upper center")


def _toy_fit(axes: Axes) -> None:
    x, y = toy_hours()
    hours = np.linspace(0, 10, 401)
    boundary = -BIAS / WEIGHT
    axes.plot(hours, _sigma(WEIGHT * hours + BIAS), label=r"$p = \sigma(2x - 5)$")
    axes.scatter(x.ravel(), y.ravel(), color="black", zorder=3, label="toy data: 1, 2, 3 h: fail, fail, pass")
    axes.axhline(0.5, color="gray", linestyle="--", linewidth=1)
    axes.axvline(boundary, color="tab:red", linestyle=":", label=f"decision boundary: {boundary:g} h")
    axes.set(xlabel="hours studied x", ylabel="pass probability", xlim=(0, 10), ylim=(-0.05, 1.05))
    axes.legend(loc="lower right")


FIGURES: dict[str, tuple[Figure, ...]] = {
    "ex1_sigmoid": (
        Figure(
            "sigmoid.png", N_("The logistic curve sigma(z) for z from -10 to 10, through 0.5 at z = 0"), _sigmoid_curve
        ),
    ),
    "ex2_bce_loss": (
        Figure(
            "bce_loss.png",
            N_("The loss -log(p) for label 1 and -log(1 - p) for label 0, over p in (0, 1)"),
            _bce_curves,
        ),
    ),
    "ex5_predict": (
        Figure(
            "decision_boundary.png",
            N_(
                "The toy data with the pass probability sigma(2x - 5) over 0 "
                "to 10 hours, the 0.5 line and the decision boundary at 2.5 hours"
            ),
            _toy_fit,
        ),
    ),
}


def of(module: str) -> tuple[Figure, ...]:
    """The figures of an exercise's task cell (none for most)."""
    return FIGURES.get(module, ())
