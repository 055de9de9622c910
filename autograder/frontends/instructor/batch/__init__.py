"""Grade a whole class: `logreg-grade batch` (inputs.py reads the submissions, gradebook.py keeps every grade,
pool.py grades them in parallel, exports.py writes the grades and the pages)."""
