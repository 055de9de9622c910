"""Attack: take the original built-in from the tripwire that replaced it, or from the grader's record of it.

Fails: sigmoid.own_code
Tries functools.wraps' __wrapped__, the wrapper's closure cells, then the builtins as a mapping to import the
tripwires' module and call its ORIGINALS: the tripwire keeps none in reach of the first two, and the review flags
the others, so the own-code check does not pay whichever route gives a right answer.
"""

import torch


def _original():
    wire = torch.sigmoid
    found = getattr(wire, "__wrapped__", None)
    for cell in wire.__closure__ or ():
        if callable(cell.cell_contents):
            found = found or cell.cell_contents
    if found is None:
        found = __builtins__["__import__"]("autograder.sandboxed.tripwires", fromlist=["x"]).ORIGINALS["torch.sigmoid"]
    return found


def sigmoid(z):
    return _original()(z)
