"""What a batch leaves for the instructor, written from the gradebook: grades.csv, a results.json per student."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from autograder.frontends.instructor.batch.gradebook import GRADED, UNGRADED, Gradebook
from autograder.frontends.instructor.batch.inputs import file_name
from autograder.grading.outcomes import SubmissionResult, by_exercise, total
from autograder.lesson.modules import NUMBERS
from autograder.reporters.gradescope import results_json, ungraded_json
from autograder.reporters.terminal import number

GRADES = "grades.csv"
RESULTS = "results"  # the folder of the results.json files, one per student
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting with one is a formula to a spreadsheet


def export(gradebook: Gradebook, folder: Path) -> list[Path]:
    """grades.csv and the results.json files, written into folder; the paths written."""
    grades = folder / GRADES
    write_grades_csv(gradebook, grades)
    return [grades, *write_results_json(gradebook, folder / RESULTS)]


def write_grades_csv(gradebook: Gradebook, path: Path) -> None:
    """One row per student: student, the points of each exercise (ex1 ... ex6; empty where not graded), total, max,
    status (graded or ungraded), reason.

    UTF-8 with a byte-order mark: without one Excel reads a CSV file in the computer's legacy code page and garbles
    names and reasons outside it (Chinese ones); with it, Excel, LibreOffice, Python's csv and pandas read UTF-8.
    Texts that a spreadsheet would take for a formula are kept as text by a leading quote.
    """
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student", *(f"ex{exercise}" for exercise in NUMBERS), "total", "max", "status", "reason"])
        for entry in gradebook.results():
            writer.writerow([_text(entry.student), *_points(entry.result), _text(entry.reason)])


def write_results_json(gradebook: Gradebook, folder: Path) -> list[Path]:
    """A Gradescope results.json per student, folder/<student>.json (the id made a safe file name); the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in gradebook.results():
        results = (
            ungraded_json(entry.student, gradebook.seed, entry.reason, execution_time=entry.seconds)
            if entry.result is None
            else results_json(entry.result, execution_time=entry.seconds)
        )
        path = folder / f"{file_name(entry.student)}.json"
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def _points(result: SubmissionResult | None) -> list[str]:
    """The cells of a result: each exercise's points (empty where not graded), total, max, status."""
    if result is None:
        return [*([""] * len(NUMBERS)), number(0), "", UNGRADED]
    earned = {group[0].exercise: total(group)[0] for group in by_exercise(result.outcomes)}
    return [*(number(earned[n]) if n in earned else "" for n in NUMBERS), *map(number, result.total), GRADED]


def _text(cell: str) -> str:
    """cell, kept as text by a spreadsheet: a formula's first character is quoted."""
    return f"'{cell}" if cell.startswith(FORMULA) else cell
