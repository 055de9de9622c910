"""A student's feedback page from a batch: one self-contained HTML5 document (inline CSS, plots embedded).

It says what the terminal report says (the checks in report_order, each status in wording.py's words), then the plots
of the curves a batch recorded. Every text from the result is said in the current language, made inert and escaped:
a student's id, file names and messages are shown, never obeyed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from autograder import i18n
from autograder.grading.outcomes import CURVES, Outcome, SubmissionResult, by_exercise, status_word, total
from autograder.i18n import N_, _
from autograder.i18n.messages import Value
from autograder.reporters import plots
from autograder.reporters.inert import shown
from autograder.reporters.terminal import MARKS, points
from autograder.reporters.wording import lost, report_order, status_message

STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em;
       text-align: left; vertical-align: top; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.2em 0;
      font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; font-size: 0.9em; }
.passed { color: #1a7f37; } .failed, .lost { color: #c62828; } .error { color: #8e24aa; }
.not-implemented { color: #9a6700; } .dim { color: #666; } .hint { color: #0b5e7a; }
.num { text-align: right; white-space: nowrap; } .status { white-space: nowrap; }
.total { font-size: 1.3em; font-weight: bold; }
figure { display: inline-block; margin: 0.5em 1em 0.5em 0; vertical-align: top; max-width: 500px; }
figcaption { font-size: 0.9em; color: #555; }
.bar { display: inline-block; width: 8em; height: 0.8em; background: #eee; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #1a7f37; }
"""
HEAD = '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
FEEDBACK_FOR = N_("Feedback for {student}")


def text(*values: Value) -> str:
    """Values said in the current language one after another, their student text inert, escaped for HTML."""
    return "".join(html.escape(shown(value)) for value in values)


def element(tag: str, *values: Value, css: str = "") -> str:
    """An HTML element holding the values as text (text()), of the CSS class css where given."""
    attribute = f' class="{css}"' if css else ""
    return f"<{tag}{attribute}>{text(*values)}</{tag}>"


def document(title: str, body: Iterable[str]) -> str:
    """A complete self-contained HTML5 page in the current language: title (plain text) and body (HTML)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{i18n.current()}">\n<head>\n{HEAD}{element("title", title)}\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def figure(drawing: plots.Drawing) -> str:
    """A plot as an embedded image, with its caption where it has one."""
    caption = element("figcaption", drawing.caption) if drawing.caption else ""
    return f'<figure><img src="{drawing.uri}" alt="{text(drawing.title)}" width="500">{caption}</figure>'


def listed(heading: str, values: Iterable[Value]) -> list[str]:
    """A heading and a list of the values, or nothing when there are none."""
    items = [f"<li>{element('pre', value)}</li>" for value in values]
    return [element("h2", heading), "<ul>", *items, "</ul>"] if items else []


def _check_row(outcome: Outcome, shown_hints: set[Value]) -> str:
    """One check: its status in words, id, points, what was called, and what went wrong with its hint."""
    name = element("code", outcome.check_id) + (element("span", _(" (hidden)"), css="dim") if outcome.hidden else "")
    details = [element("pre", outcome.does, css="dim")]
    if lost(outcome):
        details.append(element("pre", status_message(outcome), css="lost"))
        if outcome.hint and outcome.hint not in shown_hints:
            shown_hints.add(outcome.hint)
            details.append(element("pre", _("Hint: "), outcome.hint, css="hint"))
    mark = MARKS.get(outcome.status, ("?", ""))[0]
    cells = [
        element("td", mark, " ", status_word(outcome.status), css="status"),
        f"<td>{name}</td>",
        element("td", points(outcome.points, outcome.max_points), css="num lost" if lost(outcome) else "num"),
        f"<td>{''.join(details)}</td>",
    ]
    return f'<tr class="{outcome.status.replace(" ", "-")}">{"".join(cells)}</tr>'


def _exercise_title(outcomes: list[Outcome]) -> str:
    return _("Exercise {number} - {title}").format(number=outcomes[0].exercise, title=shown(outcomes[0].exercise_title))


def _overview(result: SubmissionResult) -> list[str]:
    """The total and the points per exercise."""
    rows = [
        f"<tr>{element('td', _exercise_title(group))}{element('td', points(*total(group)), css='num')}</tr>"
        for group in by_exercise(result.outcomes)
    ]
    return [element("p", _("Total: "), points(*result.total), css="total"), "<table>", *rows, "</table>"]


def _checks(outcomes: list[Outcome]) -> list[str]:
    """A table of each exercise's checks, in report_order."""
    parts, shown_hints = [], set[Value]()
    header = "<tr><th></th>" + element("th", _("check")) + element("th", _("points")) + "<th></th></tr>"
    for group in by_exercise(report_order(outcomes)):
        heading = element("h2", _exercise_title(group), " ", points(*total(group)))
        parts += [heading, "<table>", header, *(_check_row(outcome, shown_hints) for outcome in group), "</table>"]
    return parts or [element("p", _("No checks were graded."))]


def _grading(result: SubmissionResult) -> list[str]:
    """The assignment, the seed and the isolation the grading ran under."""
    lines = [element("p", _("Assignment: {name}").format(name=result.assignment))] if result.assignment else []
    lines.append(element("p", _("Seed: {seed}").format(seed=result.seed), css="dim"))
    if result.isolation:
        lines.append(element("p", _("Isolation: "), result.isolation, css="dim"))
    return lines


def _plots(result: SubmissionResult) -> list[str]:
    """The plots of the curves the batch recorded, in CURVES order."""
    drawn = [figure(plots.draw(name, result.curves[name])) for name in CURVES if name in result.curves]
    return [element("h2", _("Plots")), "<div>", *drawn, "</div>"] if drawn else []


def page(student: str, result: SubmissionResult | None, *, reason: str = "") -> str:
    """The feedback page of one student: their points and checks, notes, flags and plots; for a submission that
    could not be graded (result None), the reason."""
    title = _(FEEDBACK_FOR).format(student=student)
    body = [element("h1", title)]
    if result is None:
        body.append(element("p", _("Not graded: {reason}").format(reason=reason), css="failed"))
        return document(title, body)
    body += [*_overview(result), *_plots(result), *_checks(result.outcomes)]
    body += [*listed(_("Notes"), result.notes), *listed(_("Flagged for review"), result.flags), *_grading(result)]
    return document(title, body)
