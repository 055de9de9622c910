"""What a batch leaves for the instructor, written from the gradebook: grades.csv, a results.json and a feedback page
per student, and the class report. Pages are drawn on several processes (matplotlib takes a while per plot)."""

from __future__ import annotations

import csv
import functools
import json
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from autograder import i18n
from autograder.frontends.instructor.batch.gradebook import GRADED, UNGRADED, Gradebook
from autograder.frontends.instructor.batch.inputs import file_name
from autograder.grading.outcomes import SubmissionResult, by_exercise, total
from autograder.lesson.modules import NUMBERS
from autograder.reporters import class_report, feedback_page
from autograder.reporters.class_report import Row
from autograder.reporters.gradescope import results_json, ungraded_json
from autograder.reporters.terminal import number

GRADES = "grades.csv"
RESULTS = "results"  # the folder of the results.json files, one per student
FEEDBACK = "feedback"  # the folder of the feedback pages, one per student
CLASS_REPORT = "class-report.html"
PAGES_PER_TASK = 8  # feedback pages a drawing process makes at a time
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting with one is a formula to a spreadsheet


def export(gradebook: Gradebook, folder: Path, *, jobs: int = 1) -> list[Path]:
    """grades.csv, the results.json files, the feedback pages (drawn on jobs processes) and the class report, written
    into folder in the current language; the paths written."""
    grades, report = folder / GRADES, folder / CLASS_REPORT
    write_grades_csv(gradebook, grades)
    written = [grades, *write_results_json(gradebook, folder / RESULTS)]
    entries = [(entry.student, entry.result, entry.reason) for entry in gradebook.results()]
    written += write_feedback_pages(entries, folder / FEEDBACK, jobs=jobs)
    report.write_text(class_report.report(entries), encoding="utf-8")
    return [*written, report]


def write_feedback_pages(entries: Sequence[Row], folder: Path, *, jobs: int = 1) -> list[Path]:
    """A self-contained feedback page per student, folder/<student>.html (the id made a safe file name)."""
    folder.mkdir(parents=True, exist_ok=True)
    draw = functools.partial(_pages, folder)
    parts = [entries[start : start + PAGES_PER_TASK] for start in range(0, len(entries), PAGES_PER_TASK)]
    if jobs <= 1 or len(parts) <= 1:
        return [path for part in parts for path in draw(part)]
    spawn = multiprocessing.get_context("spawn")  # nothing of this process's threads (torch's) in the drawing ones
    with ProcessPoolExecutor(
        min(jobs, len(parts)), mp_context=spawn, initializer=i18n.use, initargs=(i18n.current(),)
    ) as drawing:
        return [path for paths in drawing.map(draw, parts) for path in paths]


def _pages(folder: Path, entries: Sequence[Row]) -> list[Path]:
    written = []
    for student, result, reason in entries:
        path = folder / f"{file_name(student)}.html"
        path.write_text(feedback_page.page(student, result, reason=reason), encoding="utf-8")
        written.append(path)
    return written


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
