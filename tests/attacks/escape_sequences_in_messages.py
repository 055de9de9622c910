"""Attack: an exception message that clears the instructor's screen and prints a fake total.

Replaces: ex1_sigmoid.py
Its message carries escape sequences (clear the screen, home the cursor, set the window's title), carriage returns,
backspaces and a right-to-left override; every report shows them as escapes (tests/test_inert.py), and the
exercise scores 0, as any function that raises does.
"""

FAKE = "\x1b[2J\x1b[3J\x1b[H\x1b]0;graded\x07\x1b[1;32mTotal: 100/100\x1b[0m\r\b\b\u202e001/001 :latoT\n"


def sigmoid(z):
    print(FAKE)  # the child's stdout, which the grader keeps to itself
    raise ValueError(FAKE * 3)
