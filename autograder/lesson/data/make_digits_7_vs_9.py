"""One-off script that built ``digits_7_vs_9.npz`` from scikit-learn's bundled digits.

Not imported by the package; kept so the bundled file can be rebuilt and audited.

Usage::

    pip download --no-deps scikit-learn -d /tmp/skl
    unzip -j /tmp/skl/scikit_learn-*.whl sklearn/datasets/data/digits.csv.gz -d /tmp/skl
    python autograder/data/make_digits_7_vs_9.py /tmp/skl/digits.csv.gz [OUT.npz]

``digits.csv.gz`` has 1797 rows, each 64 pixel counts (0..16) then the digit label.
Only digits 7 (label 0) and 9 (label 1) are kept. Each class is permuted with one
``np.random.default_rng(0)`` (class 7 first, then class 9); the first
``round(0.25 * n)`` rows of each permutation go to the test set and the rest to
the training set. Rows are stored grouped by class (all 7s, then all 9s), each
group in its permuted order; nothing is sorted or shuffled beyond that.
Pixels are divided by 16 (float32 in [0, 1]); labels are float32 columns (N, 1).
The output defaults to ``digits_7_vs_9.npz`` next to this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

NEGATIVE_DIGIT = 7  # label 0
POSITIVE_DIGIT = 9  # label 1
TEST_FRACTION = 0.25
SEED = 0


def build(csv_gz: Path) -> dict[str, np.ndarray]:
    """Return the x_train, y_train, x_test, y_test arrays built from ``csv_gz``."""
    raw = np.loadtxt(csv_gz, delimiter=",", dtype=np.int64)
    if raw.ndim != 2 or raw.shape[1] != 65:
        raise ValueError(f"expected rows of 64 pixels + 1 label, got shape {raw.shape}")
    pixels, digits = raw[:, :64], raw[:, 64]
    if pixels.min() < 0 or pixels.max() > 16:
        raise ValueError("pixel values outside 0..16")

    rng = np.random.default_rng(SEED)
    names = ("x_train", "y_train", "x_test", "y_test")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in names}
    for label, digit in enumerate((NEGATIVE_DIGIT, POSITIVE_DIGIT)):
        rows = pixels[digits == digit]
        order = rng.permutation(len(rows))
        n_test = int(round(TEST_FRACTION * len(rows)))
        for split, idx in (("test", order[:n_test]), ("train", order[n_test:])):
            x = rows[idx].astype(np.float32) / np.float32(16.0)
            parts[f"x_{split}"].append(x)
            parts[f"y_{split}"].append(np.full((len(idx), 1), label, dtype=np.float32))
    return {k: np.concatenate(v, axis=0) for k, v in parts.items()}


def main(argv: list[str]) -> int:
    """Build the split from ``argv[1]``; write it to ``argv[2]`` or beside this file."""
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    default = Path(__file__).with_name("digits_7_vs_9.npz")
    out = Path(argv[2]) if len(argv) == 3 else default
    arrays = build(Path(argv[1]))
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]  # numpy's stub: **arrays might fill allow_pickle
    for name, arr in arrays.items():
        print(f"{name}: {arr.shape} {arr.dtype}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
