"""The first of nbgrader's sanitize steps on the lesson's course: a submitted notebook's metadata made harmless.

A student can edit a notebook's metadata. nbgrader trusts it: a check cell copied with its grade_id has
its nbgrader metadata emptied by DeduplicateIds, and an emptied or malformed record then stops
`nbgrader autograde` for every student after this one ("an old version of the nbgrader metadata format").
ValidSubmission runs first and keeps only what the course's own record vouches for: a cell's nbgrader
metadata stays when it is a well-formed record of a cell of this notebook in the gradebook, seen for the
first time; any other (a duplicate, a foreign or non-text grade_id, a record of the wrong type) is
removed, so that cell is graded as the student's own and the notebook's other cells keep their points.
Metadata of the wrong type (a notebook's or a cell's, the kit's "logreg" key) becomes empty.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

KIT_KEY = "logreg"  # the kit's own key in notebook and cell metadata (submission/notebooks.py)


class ValidSubmission(Preprocessor):
    """Removes every nbgrader record of a submitted notebook that the course's gradebook does not vouch for."""

    enabled = Bool(True)  # nbconvert's steps are off unless enabled

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        known = _known_cells(resources)
        _mapping_at(nb, "metadata")
        _mapping_at(nb.metadata, KIT_KEY, drop=True)
        seen: set[str] = set()
        for cell in nb.cells:
            _mapping_at(cell, "metadata")
            _mapping_at(cell.metadata, KIT_KEY, drop=True)
            record = cell.metadata.get("nbgrader")
            if record is None:
                continue
            grade_id = record.get("grade_id") if isinstance(record, dict) else None
            if not isinstance(grade_id, str) or grade_id not in known or grade_id in seen or not _valid(cell):
                self.log.warning("A cell's nbgrader record (%r) is not the course's: graded as the student's", grade_id)
                del cell.metadata["nbgrader"]
                continue
            seen.add(grade_id)
        return nb, resources


def _mapping_at(node: Any, key: str, *, drop: bool = False) -> None:
    """node[key] as a mapping: one of another type is removed (drop) or made empty."""
    if key in node and not isinstance(node[key], dict):
        if drop:
            del node[key]
        else:
            node[key] = {}


def _known_cells(resources: dict) -> frozenset[str]:
    """The grade_ids of this notebook's cells in the course's gradebook (nbgrader's own record of the release)."""
    from nbgrader.api import Gradebook

    details = resources["nbgrader"]
    with Gradebook(details["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(details["notebook"], details["assignment"])
        return frozenset(cell.name for cell in notebook.source_cells)


def _valid(cell: Any) -> bool:
    """Whether nbgrader's own validator accepts the cell's record (types, the fields each kind of cell needs)."""
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    try:
        MetadataValidator().validate_cell(cell)
    except (ValidationError, KeyError, TypeError, AttributeError, ValueError):
        return False
    return True
