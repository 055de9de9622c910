"""Time the grading of one submission: cold, warm, the child's start-up, and the checks alone.

    python benchmarks/bench_grading.py [SUBMISSION] [--repeat N]

cold:         `logreg-grade SUBMISSION` in a fresh interpreter (imports, reference, child, checks, report)
warm:         grade() again in the same process (the reference's results are cached; a new child starts)
no sandbox:   the same without bubblewrap (LOGREG_BWRAP=none): what the isolation costs
child start:  starting the zygote (importing torch there), forking the child, loading the submission
fork to ready: a fresh child forked by the running zygote, until it has loaded the submission
checks alone: with the child ready: every probe in the child plus every verdict in this process
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from autograder.grading.grade import grade, run_checks, selected_checks, stand_in_modules, wanted_names
from autograder.lesson import EXERCISES
from autograder.sandbox import bubblewrap as sandbox
from autograder.sandbox.runner import Runner
from autograder.submission.loader import scan

ROOT = Path(__file__).resolve().parents[1]


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cold(submission: Path) -> float:
    command = [sys.executable, "-m", "autograder", str(submission), "--no-color"]
    return seconds(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False))


def child_start_and_checks(submission: Path) -> tuple[float, float, float]:
    layout = scan(submission, wanted_names())
    with Runner(layout, stand_in_modules()) as runner:
        started = seconds(lambda: runner.problem("sigmoid"))  # returns once the child is ready
        checks = seconds(lambda: run_checks(layout, runner, selected_checks(EXERCISES, lambda e, c: True), seed=0))
        runner.restart()
        forked = seconds(lambda: runner.problem("sigmoid"))
    return started, checks, forked


def without_sandbox(submission: Path) -> float:
    """A warm grade() with bubblewrap turned off, as on a machine without it."""
    os.environ[sandbox.BWRAP_ENV] = "none"
    sandbox.bwrap.cache_clear()
    try:
        return seconds(lambda: grade(submission))
    finally:
        del os.environ[sandbox.BWRAP_ENV]
        sandbox.bwrap.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submission", nargs="?", type=Path, default=ROOT / "solutions")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (default 5)")
    args = parser.parse_args()
    grade(args.submission)  # fills the reference cache
    rows = {
        "cold (fresh interpreter)": [cold(args.submission) for _ in range(args.repeat)],
        "warm grade()": [seconds(lambda: grade(args.submission)) for _ in range(args.repeat)],
        "warm grade(), no sandbox": [without_sandbox(args.submission) for _ in range(args.repeat)],
    }
    rows["child start"], rows["checks alone"], rows["fork to ready"] = zip(
        *(child_start_and_checks(args.submission) for _ in range(args.repeat)), strict=True
    )
    checks = len(grade(args.submission).outcomes)
    print(f"{args.submission} ({checks} checks), {args.repeat} runs each, median [min - max] seconds")
    print(f"  isolation: {sandbox.isolation().description}")
    for name, times in rows.items():
        print(f"  {name:<26} {statistics.median(times):6.2f}  [{min(times):.2f} - {max(times):.2f}]")


if __name__ == "__main__":
    main()
