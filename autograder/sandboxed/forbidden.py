"""The built-ins the exercises replace: the one list, read by the child's tripwires and by the static review.

Light on purpose (no torch): the trusted process reads it before it imports torch.
"""

from __future__ import annotations

# (module, attribute path in it, the name shown to the student), in the order the reports name them.
BUILT_INS: tuple[tuple[str, str, str], ...] = (
    ("torch", "sigmoid", "torch.sigmoid"),
    ("torch", "Tensor.sigmoid", "Tensor.sigmoid"),
    ("torch", "Tensor.sigmoid_", "Tensor.sigmoid_"),
    ("torch.special", "expit", "torch.special.expit"),
    ("torch.nn.functional", "sigmoid", "torch.nn.functional.sigmoid"),
    ("torch.nn", "Sigmoid.forward", "torch.nn.Sigmoid"),
    ("torch.nn.functional", "binary_cross_entropy", "torch.nn.functional.binary_cross_entropy"),
    ("torch.nn", "BCELoss.forward", "torch.nn.BCELoss"),
)


def source_names() -> dict[str, str]:
    """The name a source file writes to reach each built-in (function, method or class) -> the name shown;
    the first wins."""
    names: dict[str, str] = {}
    for _module, attribute, shown in BUILT_INS:
        owner, _, last = attribute.rpartition(".")
        names.setdefault(owner if last == "forward" else last, shown)
    return names
