"""Grade a whole class: `logreg-grade batch` and `logreg-grade export` (command.py).

tree.py reads the class's files from a folder or a .zip, safely; inputs.py finds each student's submission in them;
gradebook.py keeps every grade (SQLite); pool.py grades them in parallel, each worker on its own sandboxed zygote;
summary.py prints the class at a glance; exports.py writes grades.csv, the results.json files and the HTML pages.
"""
