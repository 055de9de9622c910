"""logreg-grade: grade one submission, print the report, optionally write Gradescope's results.json."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.console import Console

from autograder.checks import EXERCISES
from autograder.grading import grade
from autograder.loader import SubmissionError
from autograder.outcomes import total
from autograder.reporters import gradescope, terminal

DESCRIPTION = "Grade a student's logistic-regression exercises and print points and hints for every check."
EPILOG = "Exit status: 0 when every graded point was earned, 1 when some were lost, 2 for a usage error."


def parser() -> argparse.ArgumentParser:
    """The command line: a path and a few options."""
    numbers = [exercise.number for exercise in EXERCISES]
    parser = argparse.ArgumentParser(prog="logreg-grade", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("path", metavar="PATH", type=Path, help="a student's folder, or a single .py file")
    parser.add_argument("--json", metavar="FILE", type=Path,
                        help="also write Gradescope's results.json to FILE (its folders are created)")
    parser.add_argument("--seed", metavar="N", type=int, default=0,
                        help="seed of the random inputs; the same seed gives the same grade (default: 0)")
    parser.add_argument("--exercise", metavar="N", type=int, nargs="+", action="extend", choices=numbers,
                        help=f"grade only these exercises (of {', '.join(map(str, numbers))}; may be repeated); default: all")
    parser.add_argument("--no-color", action="store_true", help="print the report without colours")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run logreg-grade; the return value is the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error argparse has already explained
        return stop.code if isinstance(stop.code, int) else 2
    out = Console(no_color=args.no_color, highlight=False)
    err = Console(stderr=True, no_color=args.no_color, highlight=False)
    started = time.perf_counter()
    try:
        with err.status(f"Grading {args.path} ...") as status:
            result = grade(
                args.path,
                seed=args.seed,
                select=lambda exercise, check: not args.exercise or exercise.number in args.exercise,
                progress=lambda exercise, check: status.update(f"Grading {args.path}: exercise {exercise.number}, {check.id}"),
            )
    except SubmissionError as error:
        err.print(f"logreg-grade: error: {error}", markup=False, soft_wrap=True)
        return 2
    execution_time = time.perf_counter() - started
    outcomes = result.outcomes
    out.print(terminal.report(outcomes, title=f"Grading {args.path} (seed {args.seed})"))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        results = gradescope.results_json(outcomes, execution_time=execution_time)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        err.print(f"Wrote {args.json}", markup=False, style="dim", soft_wrap=True)
    earned, possible = total(outcomes)
    return 0 if earned >= possible - 1e-9 else 1
